// HandleQuery: the whole body of every query RPC — hand the request to the query worker
// pool (a query may wait, bounded, for the read model to reach min_position; gRPC threads
// must not), authenticate and authorize it (security::Guard), run it, pack the status.
#ifndef REFORMLOG_SERVICES_QUERIES_QUERY_HANDLER_H_
#define REFORMLOG_SERVICES_QUERIES_QUERY_HANDLER_H_

#include <functional>
#include <memory>
#include <type_traits>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "eventstore/event_store.h"
#include "grpcpp/server_context.h"
#include "projections/projection_runner.h"
#include "services/common/call_tracker.h"
#include "services/common/grpc_status.h"
#include "services/common/worker_pool.h"
#include "services/security/guard.h"
#include "services/security/redaction.h"

namespace reformlog::services {

// The longest a query waits for its read model to reach min_position.
inline constexpr absl::Duration kMinPositionWaitMax = absl::Seconds(5);

// What every query service needs; all members must outlive the services.
struct QueryEnv {
  projections::ProjectionRunner& runner;
  eventstore::EventStore& store;
  const Clock& clock;
  CallTracker& calls;
  WorkerPool& workers;
  const security::Guard& guard;
  // The full name of the service using this env ("reformlog.api.v1.OrgQueries"): each
  // service sets its own.
  absl::string_view service;
  // The language of the texts in an answer: HandleQuery hands `run` a copy of the env with
  // the caller's (CallerLanguage).
  Language language = Language::kChinese;
};

// Authenticates and authorizes a query's call: the Guard's answer for `method` of env's
// service. A handler whose request is raw bytes calls it once it has parsed them.
inline absl::Status AuthorizeQuery(const QueryEnv& env, const grpc::CallbackServerContext& context,
                                   absl::string_view method,
                                   const google::protobuf::Message& request) {
  return env.guard.Check(context, security::MethodName(env.service, method), request).status();
}

// How long a query may wait for min_position: kMinPositionWaitMax, or less if the call's
// deadline is nearer.
inline absl::Duration MaxWait(const grpc::CallbackServerContext& context) {
  const absl::Time deadline = absl::FromChrono(context.deadline());
  return std::max(absl::ZeroDuration(), std::min(kMinPositionWaitMax, deadline - absl::Now()));
}

// `method` is the RPC's name in its service (the handler passes its own __func__). A request
// that is a protobuf message is authorized here, before `run`, and its outcome reported to
// the audit trail (Guard::Audit: reads of personal data are recorded); one that is raw bytes
// (grpc::ByteBuffer) is `run`'s to authorize (AuthorizeQuery) once parsed.
template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleQuery(
    const QueryEnv& env, absl::string_view method, grpc::CallbackServerContext* context,
    const Request* request, Response* response,
    std::function<absl::Status(const QueryEnv&, absl::Duration, const Request&, Response*)> run) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallTracker::Call>(env.calls);
  const absl::Duration max_wait = MaxWait(*context);
  const bool queued = env.workers.Submit(
      [&shared_env = env, method, context, reactor, request, response, run, call, max_wait] {
        QueryEnv env = shared_env;
        env.language = CallerLanguage(*context);
        if constexpr (std::is_base_of_v<google::protobuf::Message, Request>) {
          const std::string full_method = security::MethodName(env.service, method);
          absl::StatusOr<security::Identity> identity =
              env.guard.Check(*context, full_method, *request);
          if (!identity.ok()) {
            reactor->Finish(ToGrpcStatus(identity.status(), *context));
            return;
          }
          const absl::Status status = run(env, max_wait, *request, response);
          if (status.ok() && env.guard.Redacts(*identity, full_method, *request)) {
            security::RedactPersonal(*response);
          }
          env.guard.Audit(*context, *identity, full_method, *request, status);
          reactor->Finish(ToGrpcStatus(status, *context));
        } else {
          // Raw bytes: `run` authorizes once it has parsed them (AuthorizeQuery).
          static_cast<void>(method);
          reactor->Finish(ToGrpcStatus(run(env, max_wait, *request, response), *context));
        }
      });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "reformd is at its query queue limit; retry"));
  }
  return reactor;
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_QUERIES_QUERY_HANDLER_H_
