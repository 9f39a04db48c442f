#include "services/reformd/reformd_server.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fstream>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "grpc/grpc.h"
#include "grpcpp/ext/proto_server_reflection_plugin.h"
#include "grpcpp/health_check_service_interface.h"
#include "grpcpp/resource_quota.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "projections/all_projections.h"
#include "services/admin/projection_admin_service.h"
#include "services/budget/budget_command_service.h"
#include "services/budget/budget_query_service.h"
#include "services/commands/command_runner.h"
#include "services/common/unparsed_request_interceptor.h"
#include "services/common/worker_pool.h"
#include "services/feed/event_feed_service.h"
#include "services/integrity/integrity_service.h"
#include "services/integrity/log_keeper.h"
#include "services/org/org_command_service.h"
#include "services/org/org_query_service.h"
#include "services/power/power_command_service.h"
#include "services/power/power_query_service.h"
#include "services/reform/reform_command_service.h"
#include "services/reform/reform_query_service.h"
#include "services/reformd/data_directory.h"
#include "services/security/access_rules.h"
#include "services/security/guard.h"
#include "services/security/principal_directory.h"
#include "services/security/read_model_scopes.h"
#include "services/security/security_service.h"
#include "services/security/tokens.h"
#include "services/staffing/staffing_command_service.h"
#include "services/staffing/staffing_query_service.h"
#include "spdlog/spdlog.h"

namespace reformlog::services {
namespace {

// The host of "host:port" without IPv6 brackets.
std::string HostOf(absl::string_view listen) {
  absl::string_view host = listen.substr(0, listen.rfind(':'));
  if (absl::ConsumePrefix(&host, "[")) absl::ConsumeSuffix(&host, "]");
  return std::string(host);
}

bool IsLoopback(absl::string_view host) {
  return host == "localhost" || host == "::1" || absl::StartsWith(host, "127.");
}

// The whole of file `path`, named by the option `option` in errors.
absl::StatusOr<std::string> ReadPem(const std::string& path, absl::string_view option) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return absl::InvalidArgumentError(absl::StrCat("ReformdOptions.", option, ": cannot read ",
                                                   path, ": ", std::strerror(errno)));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (text.str().find("-----BEGIN") == std::string::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("ReformdOptions.", option, ": ", path, " holds no PEM block"));
  }
  return text.str();
}

// The credentials to listen with: TLS when a certificate is given; plaintext only on
// loopback unless plaintext on the network is asked for.
absl::StatusOr<std::shared_ptr<grpc::ServerCredentials>> ServerCredentialsFor(
    const ReformdOptions& options) {
  if (options.tls_cert_file.empty() != options.tls_key_file.empty()) {
    return absl::InvalidArgumentError(
        "ReformdOptions.tls_cert_file and tls_key_file go together: give both or neither");
  }
  if (options.tls_cert_file.empty()) {
    if (!options.tls_client_ca_file.empty() || options.require_client_cert) {
      return absl::InvalidArgumentError(
          "ReformdOptions.tls_client_ca_file and require_client_cert need TLS: give "
          "tls_cert_file and tls_key_file too");
    }
    const std::string host = HostOf(options.listen);
    if (!IsLoopback(host) && !options.insecure_plaintext_on_network) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ReformdOptions.listen ", options.listen,
          " is not a loopback address and TLS is off: bearer tokens would cross the network in "
          "clear. Give tls_cert_file and tls_key_file (reformd --tls_cert_file --tls_key_file), "
          "listen on 127.0.0.1, or set insecure_plaintext_on_network "
          "(--insecure_plaintext_on_network) if plaintext is really intended"));
    }
    return grpc::InsecureServerCredentials();
  }
  grpc::SslServerCredentialsOptions ssl(GRPC_SSL_DONT_REQUEST_CLIENT_CERTIFICATE);
  grpc::SslServerCredentialsOptions::PemKeyCertPair pair;
  ASSIGN_OR_RETURN(pair.cert_chain, ReadPem(options.tls_cert_file, "tls_cert_file"));
  ASSIGN_OR_RETURN(pair.private_key, ReadPem(options.tls_key_file, "tls_key_file"));
  ssl.pem_key_cert_pairs.push_back(std::move(pair));
  if (!options.tls_client_ca_file.empty()) {
    ASSIGN_OR_RETURN(ssl.pem_root_certs, ReadPem(options.tls_client_ca_file, "tls_client_ca_file"));
    ssl.client_certificate_request =
        options.require_client_cert ? GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY
                                    : GRPC_SSL_REQUEST_CLIENT_CERTIFICATE_AND_VERIFY;
  } else if (options.require_client_cert) {
    return absl::InvalidArgumentError(
        "ReformdOptions.require_client_cert needs tls_client_ca_file: the CA that signs the "
        "client certificates");
  }
  return grpc::SslServerCredentials(ssl);
}

// Writes `token` to `path`, readable by the owner only.
absl::Status WriteTokenFile(const std::string& path, const std::string& token) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(errno)));
  }
  const std::string text = absl::StrCat(token, "\n");
  const bool ok = ::fchmod(fd, 0600) == 0 &&
                  ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                  ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!ok) {
    return absl::InternalError(absl::StrCat("cannot write ", path, ": ", std::strerror(error)));
  }
  return absl::OkStatus();
}

api::v1::CommandHeader SystemHeader(absl::string_view request_id, absl::string_view document) {
  api::v1::CommandHeader header;
  header.set_request_id(std::string(request_id));
  header.mutable_basis()->set_number(std::string(document));
  return header;
}

}  // namespace

class ReformdServer::Impl {
 public:
  absl::Status Start(const ReformdOptions& options) {
    if (options.data_dir.empty()) {
      return absl::InvalidArgumentError(
          "ReformdOptions.data_dir is empty: a data directory is needed");
    }
    if (options.listen.empty()) {
      return absl::InvalidArgumentError(
          "ReformdOptions.listen is empty: an address (host:port) is needed");
    }
    if (options.command_threads < 1 || options.query_threads < 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "ReformdOptions.command_threads (", options.command_threads, ") and query_threads (",
          options.query_threads, ") must each be at least 1"));
    }
    // Refused before anything is opened or written.
    ASSIGN_OR_RETURN(std::shared_ptr<grpc::ServerCredentials> credentials,
                     ServerCredentialsFor(options));
    int tightened = 0;
    RETURN_IF_ERROR(SecureDataDirectory(options.data_dir, &tightened));
    if (tightened > 0) {
      spdlog::warn("data directory {}: {} entries were readable by others; now owner-only",
                   options.data_dir, tightened);
    }
    eventstore::RocksEventStoreOptions store_options;
    store_options.path = options.data_dir + "/log";
    store_options.clock = options.clock;
    store_options.digest = options.digest;
    ASSIGN_OR_RETURN(store_, eventstore::RocksEventStore::Open(store_options));
    absl::StatusOr<std::unique_ptr<eventstore::KeyValueStore>> kv =
        eventstore::OpenRocksKeyValueStore(options.data_dir + "/readmodels");
    if (!kv.ok()) return Fail(kv.status());
    kv_ = std::move(*kv);
    absl::StatusOr<std::unique_ptr<projections::ProjectionRunner>> projections =
        projections::ProjectionRunner::Start(*store_, *kv_, projections::AllProjections());
    if (!projections.ok()) return Fail(projections.status());
    projections_ = std::move(*projections);

    commands_ = std::make_unique<CommandRunner>(*store_, *options.clock);
    // Who may do what lives in a log of its own: the main log (and its feed) holds the
    // state's structure, not token digests.
    eventstore::RocksEventStoreOptions security_options;
    security_options.path = options.data_dir + "/" + kSecurityLogDir;
    security_options.clock = options.clock;
    security_options.digest = options.digest;
    absl::StatusOr<std::unique_ptr<eventstore::RocksEventStore>> security_store =
        eventstore::RocksEventStore::Open(security_options);
    if (!security_store.ok()) return Fail(security_store.status());
    security_store_ = std::move(*security_store);
    if (absl::Status s = OpenKeepers(options); !s.ok()) return Fail(s);
    security_commands_ = std::make_unique<CommandRunner>(*security_store_, *options.clock);
    absl::StatusOr<std::unique_ptr<security::AccessTable>> access = security::AccessTable::Build();
    if (!access.ok()) return Fail(access.status());
    access_ = std::move(*access);
    directory_ = std::make_unique<security::PrincipalDirectory>(*security_store_);
    if (absl::Status s = directory_->CatchUp(); !s.ok()) return Fail(s);
    scopes_ = std::make_unique<security::ReadModelScopes>(*projections_, *store_);
    audit_ = std::make_unique<security::AuditLog>(*security_store_);
    guard_ = std::make_unique<security::Guard>(*access_, *directory_, *scopes_, audit_.get());
    admin_token_path_ = options.data_dir + "/" + kAdminTokenFile;
    if (absl::Status s = Bootstrap(options); !s.ok()) return Fail(s);

    command_workers_ = std::make_unique<WorkerPool>(options.command_threads);
    query_workers_ = std::make_unique<WorkerPool>(options.query_threads);
    rebuild_workers_ = std::make_unique<WorkerPool>(1);
    const CommandEnv commands{*commands_, *guard_, calls_, *command_workers_, ""};
    const QueryEnv queries{*projections_, *store_, *options.clock, calls_, *query_workers_,
                           *guard_,       ""};
    services_.push_back(
        std::make_unique<EventFeedService>(*store_, calls_, *query_workers_, *guard_));
    const CommandEnv security_commands{*security_commands_, *guard_, calls_, *command_workers_, ""};
    services_.push_back(
        std::make_unique<SecurityService>(security_commands, *directory_, *scopes_, *audit_));
    services_.push_back(std::make_unique<OrgCommandService>(commands));
    services_.push_back(std::make_unique<StaffingCommandService>(commands));
    services_.push_back(std::make_unique<PowerCommandService>(commands));
    services_.push_back(std::make_unique<BudgetCommandService>(commands));
    services_.push_back(std::make_unique<ReformCommandService>(commands));
    services_.push_back(std::make_unique<OrgQueryService>(queries));
    services_.push_back(std::make_unique<StaffingQueryService>(queries));
    services_.push_back(std::make_unique<PowerQueryService>(queries));
    services_.push_back(std::make_unique<BudgetQueryService>(queries));
    services_.push_back(std::make_unique<ReformQueryService>(queries));
    services_.push_back(std::make_unique<ProjectionAdminService>(queries, *rebuild_workers_));
    const QueryEnv maintenance{*projections_, *store_, *options.clock, calls_, *rebuild_workers_,
                               *guard_,       ""};
    services_.push_back(std::make_unique<IntegrityService>(
        queries, maintenance, *store_,
        std::vector<integrity::LogKeeper*>{main_keeper_.get(), security_keeper_.get()},
        [this] { MarkAltered(); }));

    grpc::EnableDefaultHealthCheckService(true);
    if (options.reflection) grpc::reflection::InitProtoReflectionServerBuilderPlugin();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(options.listen, credentials, &port_);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, kStreamsPerConnectionMax);
    builder.AddChannelArgument(
        GRPC_ARG_MAX_CONNECTION_IDLE_MS,
        static_cast<int>(absl::ToInt64Milliseconds(options.connection_idle_max)));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS,
                               static_cast<int>(absl::ToInt64Milliseconds(kKeepaliveInterval)));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                               static_cast<int>(absl::ToInt64Milliseconds(kKeepaliveTimeout)));
    builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
    grpc::ResourceQuota quota("reformd");
    quota.Resize(kGrpcMemoryBytesMax);
    builder.SetResourceQuota(quota);
    builder.SetMaxReceiveMessageSize(kRequestBytesMax);
    for (const auto& service : services_) builder.RegisterService(service.get());
    // A request that does not parse is INVALID_ARGUMENT, not gRPC's bare UNIMPLEMENTED.
    builder.experimental().SetInterceptorCreators(UnparsedRequestInterceptors());
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port_ == 0) {
      return Fail(absl::UnavailableError(absl::StrCat("cannot listen on ", options.listen)));
    }
    if (altered_.load()) MarkAltered();
    // Start-up verified what came after each log's latest checkpoint; what came before is
    // recomputed now, in the background, so that an old event altered while reformd was
    // stopped is found without making start-up as slow as the log is long.
    if (!altered_.load()) {
      rebuild_workers_->Submit([this] {
        for (integrity::LogKeeper* keeper : {main_keeper_.get(), security_keeper_.get()}) {
          const absl::Time start = absl::Now();
          absl::StatusOr<integrity::LogReport> report = keeper->VerifyFull();
          if (report.status().code() == absl::StatusCode::kCancelled) {
            spdlog::info("{}", std::string(report.status().message()));
          } else if (!report.ok()) {
            spdlog::error("verifying log {}: {}", keeper->name(), report.status().ToString());
          } else if (!report->intact) {
            MarkAltered();
          } else {
            spdlog::info("log {} verified in full: {} events, {} checkpoints, in {}",
                         keeper->name(), report->verified_to, report->checkpoints_checked,
                         absl::FormatDuration(absl::Now() - start));
          }
        }
      });
    }
    checkpoint_poll_ = options.checkpoint_poll;
    checkpointer_ = std::thread([this] { SignCheckpoints(); });
    host_ = options.listen.substr(0, options.listen.rfind(':'));
    if (host_ == "0.0.0.0" || host_ == "[::]" || host_.empty()) host_ = "127.0.0.1";
    spdlog::info("reformd serving on {} with {} (data directory {})", address(),
                 options.tls_cert_file.empty() ? "plaintext" : "TLS", options.data_dir);
    return absl::OkStatus();
  }

  // The checkpoint key, a keeper per log, and each log verified since its latest
  // checkpoint: an altered log takes no writes, and health says NOT_SERVING once serving.
  absl::Status OpenKeepers(const ReformdOptions& options) {
    ASSIGN_OR_RETURN(SigningKey key, integrity::LoadOrCreateCheckpointKey(options.data_dir,
                                                                          options.checkpoint_key));
    checkpoint_key_ = std::make_unique<SigningKey>(std::move(key));
    main_keeper_ = std::make_unique<integrity::LogKeeper>(
        "main", *store_, checkpoint_key_->verifying_key(), checkpoint_key_.get(), *options.clock);
    security_keeper_ = std::make_unique<integrity::LogKeeper>(
        "security", *security_store_, checkpoint_key_->verifying_key(), checkpoint_key_.get(),
        *options.clock);
    for (integrity::LogKeeper* keeper : {main_keeper_.get(), security_keeper_.get()}) {
      const absl::Time start = absl::Now();
      ASSIGN_OR_RETURN(integrity::LogReport report, keeper->VerifyOnOpen());
      if (!report.intact) {
        altered_ = true;
        continue;
      }
      spdlog::info("log {} verified since its latest checkpoint: {} events recomputed, in {}",
                   report.log, report.verified_to + 1 - report.verified_from,
                   absl::FormatDuration(absl::Now() - start));
    }
    return absl::OkStatus();
  }

  void MarkAltered() {
    altered_ = true;
    if (server_ != nullptr) server_->GetHealthCheckService()->SetServingStatus(false);
  }

  // Signs each log's checkpoint when due (integrity::kCheckpointInterval), until shutdown.
  void SignCheckpoints() {
    std::unique_lock lock(checkpoint_mu_);
    while (!checkpoint_stop_) {
      lock.unlock();
      for (integrity::LogKeeper* keeper : {main_keeper_.get(), security_keeper_.get()}) {
        absl::StatusOr<std::optional<eventstore::CheckpointNote>> signed_note = keeper->SignIfDue();
        if (!signed_note.ok()) {
          spdlog::error("signing a checkpoint of log {}: {}", keeper->name(),
                        signed_note.status().ToString());
        } else if (signed_note->has_value()) {
          spdlog::info("log {}: checkpoint signed at size {}", keeper->name(),
                       (*signed_note)->head.size);
        }
      }
      lock.lock();
      checkpoint_cv_.wait_for(lock, absl::ToChronoNanoseconds(checkpoint_poll_),
                              [&] { return checkpoint_stop_; });
    }
  }

  void StopCheckpoints() {
    {
      std::lock_guard lock(checkpoint_mu_);
      checkpoint_stop_ = true;
    }
    checkpoint_cv_.notify_all();
    if (checkpointer_.joinable()) checkpointer_.join();
  }

  // On a fresh store: the administrator `admin` and its token; with reset_admin_token: a new
  // token for it. The token goes to admin.token, never to the log or the logs.
  absl::Status Bootstrap(const ReformdOptions& options) {
    const bool fresh = directory_->empty();
    if (!fresh && !options.reset_admin_token) return absl::OkStatus();
    ASSIGN_OR_RETURN(security::NewToken token, security::MakeToken());
    const domain::IssuedToken issued{token.id, token.sha256};
    absl::StatusOr<api::v1::CommandResult> result;
    if (fresh) {
      api::v1::AddPrincipalRequest add;
      *add.mutable_header() = SystemHeader("bootstrap-admin", "reformd 首次启动");
      add.set_principal_id(kBootstrapAdmin);
      add.set_display_name("系统管理员");
      add.add_grants()->set_role(domain::v1::ROLE_ADMIN);
      add.set_issue_token(true);
      result = security_commands_->Run(
          kSystemPrincipal, add, add.header(),
          [&](domain::StateView& view) { return domain::DecideAddPrincipal(view, add, &issued); });
    } else {
      api::v1::IssueTokenRequest issue;
      *issue.mutable_header() =
          SystemHeader(absl::StrCat("reset-admin-token-", token.id), "reformd --reset_admin_token");
      issue.set_principal_id(kBootstrapAdmin);
      result = security_commands_->Run(
          kSystemPrincipal, issue, issue.header(),
          [&](domain::StateView& view) { return domain::DecideIssueToken(view, issue, issued); });
    }
    if (!result.ok()) {
      return absl::Status(
          result.status().code(),
          absl::StrCat("cannot issue the administrator's token: ", result.status().message()));
    }
    RETURN_IF_ERROR(directory_->CatchUp());
    RETURN_IF_ERROR(WriteTokenFile(admin_token_path_, token.text));
    spdlog::warn("{} administrator token {} written to {} (readable by its owner only)",
                 fresh ? "first start: the" : "reset: a new", token.id, admin_token_path_);
    return absl::OkStatus();
  }

  void Shutdown(absl::Duration grace) {
    {
      std::lock_guard lock(mu_);
      if (shut_down_ || server_ == nullptr) return;
      shut_down_ = true;
    }
    spdlog::info("reformd shutting down");
    server_->GetHealthCheckService()->Shutdown();
    // Let calls in flight finish, then close at once: subscriptions are cancelled and idle
    // connections dropped (gRPC alone would wait out the deadline for those).
    if (!calls_.WaitIdle(grace)) {
      spdlog::warn("{} calls still running after {}; cancelling them", calls_.in_flight(),
                   absl::FormatDuration(grace));
    }
    server_->Shutdown(std::chrono::system_clock::now());
    server_->Wait();
    // Run what is queued: every accepted command is answered first. A full verification
    // still running in the background stops at its next chunk.
    main_keeper_->Stop();
    security_keeper_->Stop();
    command_workers_.reset();
    query_workers_.reset();
    rebuild_workers_.reset();
    StopCheckpoints();
    // A checkpoint of the final head, so that the next start verifies nothing twice.
    for (integrity::LogKeeper* keeper : {main_keeper_.get(), security_keeper_.get()}) {
      if (!keeper->intact()) continue;
      if (absl::Status s = keeper->SignNow().status(); !s.ok()) {
        spdlog::error("signing the final checkpoint of log {}: {}", keeper->name(), s.ToString());
      }
    }
    projections_->Stop();
    store_->Close();
    audit_.reset();  // writes what is queued
    security_store_->Close();
    spdlog::info("reformd stopped; every acknowledged commit is on disk");
    {
      std::lock_guard lock(mu_);
      stopped_ = true;
    }
    stopped_cv_.notify_all();
  }

  void Wait() {
    std::unique_lock lock(mu_);
    stopped_cv_.wait(lock, [&] { return stopped_; });
  }

  int port() const { return port_; }
  std::string address() const { return absl::StrCat(host_, ":", port_); }
  const std::string& admin_token_path() const { return admin_token_path_; }
  eventstore::EventStore& store() { return *store_; }
  projections::ProjectionRunner& projections() { return *projections_; }

 private:
  absl::Status Fail(absl::Status status) {
    StopCheckpoints();
    if (projections_ != nullptr) projections_->Stop();
    store_->Close();
    audit_.reset();
    if (security_store_ != nullptr) security_store_->Close();
    return status;
  }

  std::unique_ptr<eventstore::RocksEventStore> store_;
  std::unique_ptr<eventstore::KeyValueStore> kv_;
  std::unique_ptr<projections::ProjectionRunner> projections_;
  CallTracker calls_;
  std::unique_ptr<CommandRunner> commands_;
  std::unique_ptr<eventstore::RocksEventStore> security_store_;
  std::unique_ptr<CommandRunner> security_commands_;
  std::unique_ptr<security::AccessTable> access_;
  std::unique_ptr<security::AuditLog> audit_;
  std::unique_ptr<security::PrincipalDirectory> directory_;
  std::unique_ptr<security::ReadModelScopes> scopes_;
  std::unique_ptr<security::Guard> guard_;
  std::unique_ptr<SigningKey> checkpoint_key_;
  std::unique_ptr<integrity::LogKeeper> main_keeper_;
  std::unique_ptr<integrity::LogKeeper> security_keeper_;
  std::atomic<bool> altered_{false};
  absl::Duration checkpoint_poll_;
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool checkpoint_stop_ = false;
  std::thread checkpointer_;
  std::string admin_token_path_;
  std::unique_ptr<WorkerPool> command_workers_;
  std::unique_ptr<WorkerPool> query_workers_;
  std::unique_ptr<WorkerPool> rebuild_workers_;
  std::vector<std::unique_ptr<grpc::Service>> services_;
  std::unique_ptr<grpc::Server> server_;
  int port_ = 0;
  std::string host_;
  std::mutex mu_;
  std::condition_variable stopped_cv_;
  bool shut_down_ = false;
  bool stopped_ = false;
};

ReformdServer::ReformdServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ReformdServer::~ReformdServer() { impl_->Shutdown(absl::ZeroDuration()); }

absl::StatusOr<std::unique_ptr<ReformdServer>> ReformdServer::Start(const ReformdOptions& options) {
  auto impl = std::make_unique<Impl>();
  RETURN_IF_ERROR(impl->Start(options));
  return std::unique_ptr<ReformdServer>(new ReformdServer(std::move(impl)));
}

int ReformdServer::port() const { return impl_->port(); }
std::string ReformdServer::address() const { return impl_->address(); }
std::string ReformdServer::admin_token_path() const { return impl_->admin_token_path(); }
eventstore::EventStore& ReformdServer::store() { return impl_->store(); }
projections::ProjectionRunner& ReformdServer::projections() { return impl_->projections(); }
void ReformdServer::Shutdown(absl::Duration grace) { impl_->Shutdown(grace); }
void ReformdServer::Wait() { impl_->Wait(); }

}  // namespace reformlog::services
