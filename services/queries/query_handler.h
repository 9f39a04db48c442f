// HandleQuery: the whole body of every query RPC — hand the request to the query worker
// pool (a query may wait, bounded, for the read model to reach min_position; gRPC threads
// must not), run it, pack the status.
#ifndef REFORMLOG_SERVICES_QUERIES_QUERY_HANDLER_H_
#define REFORMLOG_SERVICES_QUERIES_QUERY_HANDLER_H_

#include <functional>
#include <memory>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "eventstore/event_store.h"
#include "grpcpp/server_context.h"
#include "projections/projection_runner.h"
#include "services/common/call_tracker.h"
#include "services/common/grpc_status.h"
#include "services/common/worker_pool.h"

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
};

// How long a query may wait for min_position: kMinPositionWaitMax, or less if the call's
// deadline is nearer.
inline absl::Duration MaxWait(const grpc::CallbackServerContext& context) {
  const absl::Time deadline = absl::FromChrono(context.deadline());
  return std::max(absl::ZeroDuration(), std::min(kMinPositionWaitMax, deadline - absl::Now()));
}

template <typename Request, typename Response>
grpc::ServerUnaryReactor* HandleQuery(
    const QueryEnv& env, grpc::CallbackServerContext* context, const Request* request,
    Response* response,
    std::function<absl::Status(const QueryEnv&, absl::Duration, const Request&, Response*)> run) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallTracker::Call>(env.calls);
  const absl::Duration max_wait = MaxWait(*context);
  const bool queued = env.workers.Submit([&env, reactor, request, response, run, call, max_wait] {
    reactor->Finish(ToGrpcStatus(run(env, max_wait, *request, response)));
  });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                                 "reformd is at its query queue limit; retry"));
  }
  return reactor;
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_QUERIES_QUERY_HANDLER_H_
