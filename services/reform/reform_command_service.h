// ReformCommandService: the gRPC face of ReformCommands — reform plans (改革方案) and their tasks.
// Thin: every method hands its request to the shared command path (command_handler.h) with its
// decide function (services/domain/reform_decide.h).
#ifndef REFORMLOG_SERVICES_REFORM_REFORM_COMMAND_SERVICE_H_
#define REFORMLOG_SERVICES_REFORM_REFORM_COMMAND_SERVICE_H_

#include "reformlog/api/v1/reform_commands.grpc.pb.h"
#include "services/commands/command_handler.h"

namespace reformlog::services {

class ReformCommandService final : public api::v1::ReformCommands::CallbackService {
 public:
  explicit ReformCommandService(CommandEnv env) : env_(env) {
    env_.service = api::v1::ReformCommands::service_full_name();
  }

  grpc::ServerUnaryReactor* DraftPlan(grpc::CallbackServerContext* context,
                                      const api::v1::DraftPlanRequest* request,
                                      api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ApprovePlan(grpc::CallbackServerContext* context,
                                        const api::v1::PlanRequest* request,
                                        api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* AddTask(grpc::CallbackServerContext* context,
                                    const api::v1::AddTaskRequest* request,
                                    api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* CompleteTask(grpc::CallbackServerContext* context,
                                         const api::v1::CompleteTaskRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* ClosePlan(grpc::CallbackServerContext* context,
                                      const api::v1::PlanRequest* request,
                                      api::v1::CommandResult* response) override;

 private:
  CommandEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_REFORM_REFORM_COMMAND_SERVICE_H_
