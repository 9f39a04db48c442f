#include "clients/cpp/reformlog_client.h"

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/random/random.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/clock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/support/client_interceptor.h"

namespace reformlog::client {
namespace {

bool Retryable(grpc::StatusCode code) {
  return code == grpc::StatusCode::UNAVAILABLE || code == grpc::StatusCode::DEADLINE_EXCEEDED;
}

// ABORTED is retried only with the same request id: a command that did commit in the
// meantime is then answered with its result instead of being recorded twice.
bool Retryable(grpc::StatusCode code, CallKind kind) {
  return Retryable(code) || (kind == CallKind::kCommand && code == grpc::StatusCode::ABORTED);
}

}  // namespace

absl::Duration RetryBackoff(const ClientOptions& options, int retry) {
  absl::Duration d = options.backoff_initial;
  for (int i = 0; i < retry && d < options.backoff_max; ++i) d *= 2;
  d = std::min(d, options.backoff_max);
  thread_local absl::BitGen gen;
  return d / 2 + (d / 2) * absl::Uniform(gen, 0.0, 1.0);
}

absl::Status FromGrpc(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

std::string NewRequestId() {
  thread_local absl::BitGen gen;
  const uint64_t hi = (absl::Uniform<uint64_t>(gen) & ~uint64_t{0xF000}) | uint64_t{0x4000};
  const uint64_t lo =
      (absl::Uniform<uint64_t>(gen) & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFF);
}

namespace {

// Metadata every call carries: the bearer token, the language.
using Metadata = std::vector<std::pair<std::string, std::string>>;

// Adds the metadata to every call's initial metadata.
class MetadataInterceptor final : public grpc::experimental::Interceptor {
 public:
  explicit MetadataInterceptor(const Metadata* metadata) : metadata_(metadata) {}
  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_INITIAL_METADATA)) {
      for (const auto& [key, value] : *metadata_) {
        methods->GetSendInitialMetadata()->insert({key, value});
      }
    }
    methods->Proceed();
  }

 private:
  const Metadata* metadata_;
};

class MetadataInterceptorFactory final
    : public grpc::experimental::ClientInterceptorFactoryInterface {
 public:
  explicit MetadataInterceptorFactory(Metadata metadata) : metadata_(std::move(metadata)) {}
  grpc::experimental::Interceptor* CreateClientInterceptor(
      grpc::experimental::ClientRpcInfo* /*info*/) override {
    return new MetadataInterceptor(&metadata_);
  }

 private:
  const Metadata metadata_;  // lives as long as the channel, which owns the factory
};

}  // namespace

absl::StatusOr<std::string> ReadTokenFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot read the token file ", path, ": ", std::strerror(errno)));
  }
  std::string text(kTokenFileBytesMax + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  text.resize(static_cast<size_t>(in.gcount()));
  if (text.size() > kTokenFileBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("the token file ", path,
                                                   " is larger than any token (",
                                                   kTokenFileBytesMax, " bytes at most)"));
  }
  const std::string token(absl::StripAsciiWhitespace(text));
  if (token.empty())
    return absl::InvalidArgumentError(absl::StrCat("the token file ", path, " is empty"));
  if (token.find_first_of(" \t\r\n") != std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("the token file ", path, " holds more than one word: a token is one"));
  }
  return token;
}

std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options) {
  std::shared_ptr<grpc::ChannelCredentials> credentials;
  if (options.tls.enabled) {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = options.tls.root_certs_pem;
    ssl.pem_cert_chain = options.tls.client_cert_pem;
    ssl.pem_private_key = options.tls.client_key_pem;
    credentials = grpc::SslCredentials(ssl);
  } else {
    credentials = grpc::InsecureChannelCredentials();
  }
  Metadata metadata;
  if (!options.token.empty())
    metadata.emplace_back("authorization", absl::StrCat("Bearer ", options.token));
  if (!options.language.empty()) metadata.emplace_back("accept-language", options.language);
  if (metadata.empty()) return grpc::CreateChannel(options.target, credentials);
  std::vector<std::unique_ptr<grpc::experimental::ClientInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(std::make_unique<MetadataInterceptorFactory>(std::move(metadata)));
  return grpc::experimental::CreateCustomChannelWithInterceptors(
      options.target, credentials, grpc::ChannelArguments(), std::move(interceptors));
}

absl::StatusOr<std::unique_ptr<ReformlogClient>> ReformlogClient::Connect(
    const ClientOptions& options) {
  if (options.target.empty()) return absl::InvalidArgumentError("server address is empty");
  if (options.attempts_max < 1)
    return absl::InvalidArgumentError("attempts_max must be at least 1");
  return std::unique_ptr<ReformlogClient>(new ReformlogClient(options, MakeChannel(options)));
}

ReformlogClient::ReformlogClient(ClientOptions options, std::shared_ptr<grpc::Channel> channel)
    : options_(std::move(options)),
      channel_(std::move(channel)),
      org_(api::OrgCommands::NewStub(channel_)),
      staffing_(api::StaffingCommands::NewStub(channel_)),
      powers_(api::PowerCommands::NewStub(channel_)),
      budget_(api::BudgetCommands::NewStub(channel_)),
      reform_(api::ReformCommands::NewStub(channel_)),
      org_queries_(api::OrgQueries::NewStub(channel_)),
      staffing_queries_(api::StaffingQueries::NewStub(channel_)),
      power_queries_(api::PowerQueries::NewStub(channel_)),
      budget_queries_(api::BudgetQueries::NewStub(channel_)),
      reform_queries_(api::ReformQueries::NewStub(channel_)),
      feed_(api::EventFeed::NewStub(channel_)),
      admin_(api::ProjectionAdmin::NewStub(channel_)),
      principals_(api::Principals::NewStub(channel_)),
      integrity_(api::Integrity::NewStub(channel_)) {}

absl::Status ReformlogClient::WaitForConnected(absl::Duration timeout) {
  if (channel_->WaitForConnected(std::chrono::system_clock::now() +
                                 absl::ToChronoNanoseconds(timeout))) {
    return absl::OkStatus();
  }
  return absl::UnavailableError(absl::StrCat("cannot reach reformd at ", options_.target,
                                             " within ", absl::FormatDuration(timeout)));
}

absl::Status ReformlogClient::Retry(const std::function<grpc::Status(grpc::ClientContext*)>& call,
                                    CallKind kind) {
  grpc::Status status;
  for (int attempt = 0; attempt < options_.attempts_max; ++attempt) {
    if (attempt > 0)
      std::this_thread::sleep_for(absl::ToChronoNanoseconds(RetryBackoff(options_, attempt - 1)));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() +
                         absl::ToChronoNanoseconds(options_.deadline));
    status = call(&context);
    if (!Retryable(status.error_code(), kind)) break;
  }
  return FromGrpc(status);
}

namespace {

// Waits `wait`, or less if `stop` is requested meanwhile.
void WaitUnlessStopped(absl::Duration wait, const std::stop_token& stop) {
  std::mutex mu;
  std::condition_variable_any woken;
  std::unique_lock lock(mu);
  woken.wait_for(lock, stop, absl::ToChronoNanoseconds(wait), [] { return false; });
}

}  // namespace

std::stop_token ReformlogClient::StopAllToken() {
  absl::MutexLock lock(&stop_all_mu_);
  if (stop_all_.stop_requested()) stop_all_ = std::stop_source();
  return stop_all_.get_token();
}

absl::Status ReformlogClient::Subscribe(uint64_t from_position, const api::EventFilter& filter,
                                        const std::function<bool(const api::Event&)>& on_event,
                                        const std::function<bool(uint64_t)>& on_caught_up,
                                        const std::stop_token& stop) {
  // This call's own stop: the caller's or the client's Stop(), whichever comes first. The
  // callbacks that request it are destroyed (waiting for one running elsewhere) before it is.
  std::stop_source ended;
  const std::stop_callback on_caller_stop(stop, [&ended] { ended.request_stop(); });
  const std::stop_callback on_client_stop(StopAllToken(), [&ended] { ended.request_stop(); });
  const std::stop_token ending = ended.get_token();

  uint64_t next = from_position;
  bool caught_up_reported = false;
  int failures = 0;
  while (!ending.stop_requested()) {
    grpc::ClientContext context;
    // Declared after the context, so destroyed before it.
    const std::stop_callback cancel(ending, [&context] { context.TryCancel(); });
    api::SubscribeRequest request;
    request.set_from_position(next);
    *request.mutable_filter() = filter;
    auto reader = feed_->Subscribe(&context, request);
    api::SubscribeResponse item;
    bool keep_going = true;
    while (keep_going && reader->Read(&item) && !ending.stop_requested()) {
      failures = 0;
      if (item.has_event()) {
        next = item.event().position() + 1;
        keep_going = on_event(item.event());
      } else if (!caught_up_reported) {
        caught_up_reported = true;  // once per Subscribe, even across reconnects
        keep_going = on_caught_up == nullptr || on_caught_up(item.caught_up_at_position());
      }
    }
    if (!keep_going) context.TryCancel();
    const grpc::Status status = reader->Finish();
    if (!keep_going || ending.stop_requested()) return absl::OkStatus();
    if (!Retryable(status.error_code()) && status.error_code() != grpc::StatusCode::CANCELLED) {
      return FromGrpc(status);
    }
    WaitUnlessStopped(RetryBackoff(options_, failures++), ending);
  }
  return absl::OkStatus();
}

void ReformlogClient::Stop() {
  absl::MutexLock lock(&stop_all_mu_);
  stop_all_.request_stop();
}

}  // namespace reformlog::client
