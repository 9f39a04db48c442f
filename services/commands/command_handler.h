// CommandHandler: the whole body of every command RPC — hand the request to the worker pool
// (a command waits for its commit's fsync; gRPC threads must not), authenticate and
// authorize it (security::Guard: the principal recorded is the authenticated one), run it
// through the CommandRunner with its decide function, pack the result.
#ifndef REFORMLOG_SERVICES_COMMANDS_COMMAND_HANDLER_H_
#define REFORMLOG_SERVICES_COMMANDS_COMMAND_HANDLER_H_

#include <memory>
#include <string>
#include <utility>

#include "grpcpp/server_context.h"
#include "reformlog/api/v1/common.pb.h"
#include "services/commands/command_runner.h"
#include "services/common/call_tracker.h"
#include "services/common/grpc_status.h"
#include "services/common/worker_pool.h"
#include "services/domain/decision.h"
#include "services/security/guard.h"

namespace reformlog::services {

// What every command service needs; all members must outlive the services.
struct CommandEnv {
  CommandRunner& runner;
  const security::Guard& guard;
  CallTracker& calls;
  WorkerPool& workers;
  // The full name of the service using this env ("reformlog.api.v1.OrgCommands"): each
  // service sets its own.
  absl::string_view service;
};

// The answer to a command the worker pool has no room for.
inline grpc::Status CommandQueueFull() {
  return grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED,
                      "reformd is at its command queue limit; retry with the same request_id");
}

template <typename Request>
using DecideFor = absl::StatusOr<domain::Decision> (*)(domain::StateView&, const Request&);

// `method` is the RPC's name in its service (the handler passes its own __func__).
template <typename Request>
grpc::ServerUnaryReactor* HandleCommand(const CommandEnv& env, absl::string_view method,
                                        grpc::CallbackServerContext* context,
                                        const Request* request, api::v1::CommandResult* response,
                                        DecideFor<Request> decide) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallTracker::Call>(env.calls);
  const bool queued =
      env.workers.Submit([&env, method, context, reactor, request, response, decide, call] {
        const std::string full_method = security::MethodName(env.service, method);
        absl::StatusOr<security::Identity> identity =
            env.guard.Check(*context, full_method, *request);
        if (!identity.ok()) {
          reactor->Finish(ToGrpcStatus(identity.status(), *context));
          return;
        }
        absl::StatusOr<api::v1::CommandResult> result =
            env.runner.Run(identity->principal_id, *request, request->header(),
                           [&](domain::StateView& view) { return decide(view, *request); });
        if (!request->header().dry_run()) {
          env.guard.Audit(*context, *identity, full_method, *request, result.status(),
                          result.ok() ? result->position() : 0);
        }
        if (result.ok()) *response = std::move(*result);
        reactor->Finish(ToGrpcStatus(result.status(), *context));
      });
  if (!queued) reactor->Finish(CommandQueueFull());
  return reactor;
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_COMMAND_HANDLER_H_
