// CommandHandler: the whole body of every command RPC — authenticate, hand the request to
// the worker pool (a command waits for its commit's fsync; gRPC threads must not), run it
// through the CommandRunner with its decide function, pack the result.
#ifndef REFORMLOG_SERVICES_COMMANDS_COMMAND_HANDLER_H_
#define REFORMLOG_SERVICES_COMMANDS_COMMAND_HANDLER_H_

#include <memory>
#include <string>
#include <utility>

#include "grpcpp/server_context.h"
#include "reformlog/api/v1/common.pb.h"
#include "services/commands/command_runner.h"
#include "services/common/authenticator.h"
#include "services/common/call_tracker.h"
#include "services/common/grpc_status.h"
#include "services/common/worker_pool.h"
#include "services/domain/decision.h"

namespace reformlog::services {

// What every command service needs; all members must outlive the services.
struct CommandEnv {
  CommandRunner& runner;
  const Authenticator& authenticator;
  CallTracker& calls;
  WorkerPool& workers;
};

template <typename Request>
using DecideFor = absl::StatusOr<domain::Decision> (*)(domain::StateView&, const Request&);

template <typename Request>
grpc::ServerUnaryReactor* HandleCommand(const CommandEnv& env, grpc::CallbackServerContext* context,
                                        const Request* request, api::v1::CommandResult* response,
                                        DecideFor<Request> decide) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  absl::StatusOr<std::string> principal = env.authenticator.Principal(*context);
  if (!principal.ok()) {
    reactor->Finish(ToGrpcStatus(principal.status()));
    return reactor;
  }
  auto call = std::make_shared<CallTracker::Call>(env.calls);
  const bool queued = env.workers.Submit(
      [&env, reactor, request, response, decide, call, principal = *std::move(principal)] {
        absl::StatusOr<api::v1::CommandResult> result =
            env.runner.Run(principal, *request, request->header(),
                           [&](domain::StateView& view) { return decide(view, *request); });
        if (result.ok()) *response = std::move(*result);
        reactor->Finish(ToGrpcStatus(result.status()));
      });
  if (!queued) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                     "reformd is at its command queue limit; retry with the same request_id"));
  }
  return reactor;
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_COMMAND_HANDLER_H_
