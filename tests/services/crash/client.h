// The client side of reformd_crash_test: Client sends the workload's commands (Request, as
// bytes) to one reformd and asks its queries; Answer is what one copy of a request was told,
// Outcome every answer one request got. Client is thread-safe (gRPC stubs); Answer and Outcome
// are plain values.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_CLIENT_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_CLIENT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "clients/cpp/reformlog_client.h"
#include "grpcpp/create_channel.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {

inline constexpr auto kCallDeadline = std::chrono::seconds(30);
inline constexpr int kQueryAttemptsMax = 6;  // each waits up to the server's min_position bound

class Client {
 public:
  // Calls carry `token`.
  Client(const std::string& address, const std::string& token)
      : channel_(ChannelTo(address, token)),
        org_(api::OrgCommands::NewStub(channel_)),
        staffing_(api::StaffingCommands::NewStub(channel_)),
        budget_(api::BudgetCommands::NewStub(channel_)),
        feed_(api::EventFeed::NewStub(channel_)),
        staffing_queries_(api::StaffingQueries::NewStub(channel_)),
        budget_queries_(api::BudgetQueries::NewStub(channel_)) {}

  static std::shared_ptr<grpc::Channel> ChannelTo(const std::string& address,
                                                  const std::string& token) {
    client::ClientOptions options;
    options.target = address;
    options.token = token;
    options.language = "en";  // the texts the oracle reads
    return client::MakeChannel(options);
  }

  // Sends one command and waits for its answer (at most kCallDeadline).
  grpc::Status Send(const Request& r, api::CommandResult* result) const;

  // One command started without waiting for it: `done` runs (on a gRPC thread) with its
  // status once it is answered; `call` must stay alive until then.
  struct InFlight {
    grpc::ClientContext context;
    std::unique_ptr<google::protobuf::Message> request;
    api::CommandResult result;
  };
  void Start(const Request& r, InFlight* call, std::function<void(grpc::Status)> done) const;

  // A unary query with a deadline, retried while the read model is still catching up.
  template <typename Stub, typename Req, typename Resp>
  absl::Status Query(Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                     const Req& request, Resp* response) const {
    grpc::Status s;
    for (int attempt = 0; attempt < kQueryAttemptsMax; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
      s = (stub.*method)(&context, request, response);
      if (s.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    }
    if (s.ok()) return absl::OkStatus();
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  }

  api::EventFeed::Stub& feed() const { return *feed_; }
  api::StaffingQueries::Stub& staffing_queries() const { return *staffing_queries_; }
  api::BudgetQueries::Stub& budget_queries() const { return *budget_queries_; }

 private:
  template <typename Req, typename Go>
  static void Begin(const Request& r, InFlight* call, const std::function<void(grpc::Status)>& done,
                    Go go) {
    auto request = std::make_unique<Req>();
    if (!request->ParseFromString(r.bytes)) {
      done(grpc::Status(grpc::StatusCode::INTERNAL, "the test's request does not parse"));
      return;
    }
    const Req* raw = request.get();
    call->request = std::move(request);
    go(raw);
  }

  template <typename Req, typename Stub>
  static grpc::Status Call(const Request& r, grpc::ClientContext* context,
                           api::CommandResult* result,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                        api::CommandResult*),
                           Stub& stub) {
    Req request;
    if (!request.ParseFromString(r.bytes)) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "the test's request does not parse");
    }
    return (stub.*method)(context, request, result);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::StaffingCommands::Stub> staffing_;
  std::unique_ptr<api::BudgetCommands::Stub> budget_;
  std::unique_ptr<api::EventFeed::Stub> feed_;
  std::unique_ptr<api::StaffingQueries::Stub> staffing_queries_;
  std::unique_ptr<api::BudgetQueries::Stub> budget_queries_;
};

// ---- answers -----------------------------------------------------------------------------

// What one copy of a request was told.
struct Answer {
  enum Kind { kOk, kRefused, kInDoubt, kUnexpected } kind = kUnexpected;
  api::CommandResult result;  // kOk
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  // For twins: when the call was started and answered, on the client, in µs after the
  // first copy was started.
  int64_t sent_us = 0;
  int64_t answered_us = 0;

  std::string Text() const {
    if (kind == kOk) {
      return absl::StrCat("OK positions ", result.first_position(), "-", result.position(),
                          " replayed=", result.replayed());
    }
    return absl::StrCat(kind == kInDoubt ? "(in doubt) " : "", "code ", code, ": ", message);
  }
};

// The codes of a definite refusal: the command was decided against (or lost every race) and
// nothing was written.
bool IsRefusal(grpc::StatusCode code);

// `killed` tells a transport error caused by the kill (the answer is lost: in doubt) from
// one a live server gave (a failure of the test).
Answer Classify(const grpc::Status& s, const api::CommandResult& result, bool killed);

// Every answer to one request: one per copy sent by the writers (two for a twin), then one
// per re-send after a restart.
struct Outcome {
  Request request;
  std::vector<Answer> copies;
  std::vector<Answer> resends;
};

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_CLIENT_H_
