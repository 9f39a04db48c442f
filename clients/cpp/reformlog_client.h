// ReformlogClient: the C++ client library for reformd — what reformctl and other agencies'
// systems use.
//
//  * Every call has a deadline (ClientOptions::deadline, or the one given).
//  * A call is retried on UNAVAILABLE and DEADLINE_EXCEEDED, and a command also on ABORTED
//    (other commits kept getting there first and reformd gave up re-deciding it), with
//    exponential backoff and jitter, up to ClientOptions::attempts_max attempts in all
//    (kAttemptsMaxDefault); after the last, its status is returned. Retrying a command is safe
//    because every command carries a request id (the client fills one in when the caller left
//    it empty) and every attempt carries the same one: a command already committed is answered
//    once, with the original result. Queries are read-only and retried on UNAVAILABLE and
//    DEADLINE_EXCEEDED only.
//  * Subscribe() follows the event feed and, after a disconnect, resumes from the position
//    after the last event it delivered — no gap, no duplicate. Each call is a subscription of
//    its own, ended by its own std::stop_token; Stop() ends all that are running.
//
// It links only the API protos and gRPC.
//
// Thread safety: one client may serve many threads. Every member function may be called from
// any thread at the same time as any other, including any number of Subscribe() calls at once
// (each on its own thread, with its own filter and position, none affecting another) and
// Stop(). The stubs are gRPC's, which are thread-safe. The client must outlive every call made
// on it, a running Subscribe() included: stop those and let them return before destroying it.
#ifndef REFORMLOG_CLIENTS_CPP_REFORMLOG_CLIENT_H_
#define REFORMLOG_CLIENTS_CPP_REFORMLOG_CLIENT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "grpcpp/channel.h"
#include "grpcpp/client_context.h"
#include "reformlog/api/v1/admin.grpc.pb.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/integrity.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "reformlog/api/v1/power_commands.grpc.pb.h"
#include "reformlog/api/v1/power_queries.grpc.pb.h"
#include "reformlog/api/v1/reform_commands.grpc.pb.h"
#include "reformlog/api/v1/reform_queries.grpc.pb.h"
#include "reformlog/api/v1/security.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.grpc.pb.h"

namespace reformlog::client {

namespace api = ::reformlog::api::v1;

struct TlsOptions {
  bool enabled = false;
  std::string root_certs_pem;   // empty: the system's roots
  std::string client_cert_pem;  // for mutual TLS
  std::string client_key_pem;
};

// The longest token file read (a token is 47 bytes).
inline constexpr size_t kTokenFileBytesMax = 4096;

// Attempts of one call, the first included, unless ClientOptions say otherwise.
inline constexpr int kAttemptsMaxDefault = 5;

struct ClientOptions {
  std::string target = "127.0.0.1:50051";
  absl::Duration deadline = absl::Seconds(30);  // of each attempt
  int attempts_max = kAttemptsMaxDefault;
  // The wait before the second attempt; it doubles for each further one, up to backoff_max,
  // and each wait is drawn at random from its upper half (jitter), so that clients that
  // collided do not retry in step.
  absl::Duration backoff_initial = absl::Milliseconds(100);
  absl::Duration backoff_max = absl::Seconds(2);
  TlsOptions tls;
  // The bearer token every call carries ("authorization: Bearer <token>" metadata); empty:
  // none (then only a TLS client certificate can authenticate the calls).
  std::string token;
  // The language refusals and other messages people read come back in: sent as the
  // accept-language metadata of every call ("zh-CN", "en"); empty: none, and reformd answers
  // in Chinese. Status codes are the same in every language.
  std::string language;
};

// The token in file `path` (surrounding whitespace dropped). INVALID_ARGUMENT naming the
// file when it cannot be read, is empty or holds more than a token.
absl::StatusOr<std::string> ReadTokenFile(const std::string& path);

// A channel to options.target with options' TLS settings whose every call carries
// options.token and options.language. What Connect uses; for callers that need only a channel
// (tests, tools).
std::shared_ptr<grpc::Channel> MakeChannel(const ClientOptions& options);

// The status of a call, as absl::Status.
absl::Status FromGrpc(const grpc::Status& status);

// A fresh request id (a random UUID).
std::string NewRequestId();

// What a call may be retried on: a query on UNAVAILABLE and DEADLINE_EXCEEDED; a command, whose
// attempts all carry the same request id, on ABORTED too.
enum class CallKind { kQuery, kCommand };

// The wait before retry number `retry` (0: the first retry, before the second attempt):
// backoff_initial doubled per retry, at most backoff_max, and of that d a random wait in
// [d/2, d].
absl::Duration RetryBackoff(const ClientOptions& options, int retry);

class ReformlogClient {
 public:
  // Creates the channel; it connects lazily. INVALID_ARGUMENT for an empty target.
  static absl::StatusOr<std::unique_ptr<ReformlogClient>> Connect(const ClientOptions& options);

  const ClientOptions& options() const { return options_; }

  // Waits up to `timeout` for the channel to connect: UNAVAILABLE naming the target if not.
  absl::Status WaitForConnected(absl::Duration timeout);

  // One unary call with deadline and retries. For a command, the request's header must be
  // filled in by the caller except for the request id, which is set if empty.
  template <typename Stub, typename Request, typename Response>
  absl::StatusOr<Response> Call(Stub& stub,
                                grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&,
                                                             Response*),
                                Request request) {
    if constexpr (HasHeader<Request>::value) {
      if (request.header().request_id().empty())
        request.mutable_header()->set_request_id(NewRequestId());
    }
    Response response;
    absl::Status status = Retry(
        [&](grpc::ClientContext* context) {
          response.Clear();
          return (stub.*method)(context, request, &response);
        },
        HasHeader<Request>::value ? CallKind::kCommand : CallKind::kQuery);
    if (!status.ok()) return status;
    return response;
  }

  // The channel the stubs share: for callers that send requests the stubs do not know at
  // compile time (grpc::GenericStub, as `reformctl demo load` does).
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }

  // Runs `call` with a fresh context and the deadline each attempt, retrying as `kind` may be
  // (CallKind) with backoff and jitter up to ClientOptions::attempts_max attempts (what Call()
  // does); returns the last attempt's status. For kCommand, every attempt must send the same
  // request id.
  absl::Status Retry(const std::function<grpc::Status(grpc::ClientContext*)>& call, CallKind kind);

  api::OrgCommands::Stub& org() { return *org_; }
  api::StaffingCommands::Stub& staffing() { return *staffing_; }
  api::PowerCommands::Stub& powers() { return *powers_; }
  api::BudgetCommands::Stub& budget() { return *budget_; }
  api::ReformCommands::Stub& reform() { return *reform_; }
  api::OrgQueries::Stub& org_queries() { return *org_queries_; }
  api::StaffingQueries::Stub& staffing_queries() { return *staffing_queries_; }
  api::PowerQueries::Stub& power_queries() { return *power_queries_; }
  api::BudgetQueries::Stub& budget_queries() { return *budget_queries_; }
  api::ReformQueries::Stub& reform_queries() { return *reform_queries_; }
  api::EventFeed::Stub& feed() { return *feed_; }
  api::ProjectionAdmin::Stub& admin() { return *admin_; }
  api::Principals::Stub& principals() { return *principals_; }
  api::Integrity::Stub& integrity() { return *integrity_; }

  // Follows the log from `from_position` (inclusive), selecting what `filter` selects; blocks
  // until the subscription ends. Calls `on_event` for each event, in log order, and
  // `on_caught_up` (may be null) once, the first time the feed has delivered everything up to
  // its head; both run on the calling thread, one at a time, and may call Stop() or request
  // `stop`.
  //
  // Ends, returning OK, when
  //  * a callback returns false;
  //  * `stop` is requested (a default std::stop_token is never): from any thread, at any
  //    moment — before the call, while it waits for an event, or while it waits to reconnect;
  //  * Stop() is called while it runs.
  // Once it has seen the stop, it delivers no further event; a callback already running
  // finishes first. Ending one subscription leaves every other as it was.
  //
  // After a disconnect (UNAVAILABLE, DEADLINE_EXCEEDED, or CANCELLED that neither `stop` nor
  // Stop() caused), it waits RetryBackoff(options(), n) — n counts the reconnects in a row that
  // brought nothing, from 0 — then asks for the position after the last event it delivered
  // (`from_position` if none): no gap, no duplicate. It keeps reconnecting for as long as it is
  // not stopped. When the server refuses the subscription otherwise (INVALID_ARGUMENT,
  // PERMISSION_DENIED, RESOURCE_EXHAUSTED and the like), that status is returned.
  absl::Status Subscribe(uint64_t from_position, const api::EventFilter& filter,
                         const std::function<bool(const api::Event&)>& on_event,
                         const std::function<bool(uint64_t head)>& on_caught_up,
                         const std::stop_token& stop = {});

  // Ends every Subscribe() call running on this client when it is called (each returns OK), as
  // if each one's `stop` had been requested; from any thread. It does not close the client:
  // calls made afterwards, Subscribe() included, work as usual. A Subscribe() that starts while
  // Stop() runs may or may not be ended by it; to end one subscription with no such race,
  // request its `stop` instead. It takes a lock, so it is not async-signal-safe.
  void Stop();

 private:
  template <typename T, typename = void>
  struct HasHeader : std::false_type {};
  template <typename T>
  struct HasHeader<T, std::void_t<decltype(std::declval<T>().header().request_id())>>
      : std::true_type {};

  explicit ReformlogClient(ClientOptions options, std::shared_ptr<grpc::Channel> channel);

  // What a Subscribe() starting now is ended by when Stop() is called.
  std::stop_token StopAllToken();

  ClientOptions options_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::StaffingCommands::Stub> staffing_;
  std::unique_ptr<api::PowerCommands::Stub> powers_;
  std::unique_ptr<api::BudgetCommands::Stub> budget_;
  std::unique_ptr<api::ReformCommands::Stub> reform_;
  std::unique_ptr<api::OrgQueries::Stub> org_queries_;
  std::unique_ptr<api::StaffingQueries::Stub> staffing_queries_;
  std::unique_ptr<api::PowerQueries::Stub> power_queries_;
  std::unique_ptr<api::BudgetQueries::Stub> budget_queries_;
  std::unique_ptr<api::ReformQueries::Stub> reform_queries_;
  std::unique_ptr<api::EventFeed::Stub> feed_;
  std::unique_ptr<api::ProjectionAdmin::Stub> admin_;
  std::unique_ptr<api::Principals::Stub> principals_;
  std::unique_ptr<api::Integrity::Stub> integrity_;
  absl::Mutex stop_all_mu_;
  // Requested by Stop(); replaced by the first Subscribe() after that, so that a Stop() ends
  // the subscriptions running then and no later one.
  std::stop_source stop_all_ ABSL_GUARDED_BY(stop_all_mu_);
};

}  // namespace reformlog::client

#endif  // REFORMLOG_CLIENTS_CPP_REFORMLOG_CLIENT_H_
