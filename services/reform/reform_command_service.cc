#include "services/reform/reform_command_service.h"

#include "services/domain/reform_decide.h"

namespace reformlog::services {

grpc::ServerUnaryReactor* ReformCommandService::DraftPlan(grpc::CallbackServerContext* context,
                                                          const api::v1::DraftPlanRequest* request,
                                                          api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideDraftPlan);
}

grpc::ServerUnaryReactor* ReformCommandService::ApprovePlan(grpc::CallbackServerContext* context,
                                                            const api::v1::PlanRequest* request,
                                                            api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideApprovePlan);
}

grpc::ServerUnaryReactor* ReformCommandService::AddTask(grpc::CallbackServerContext* context,
                                                        const api::v1::AddTaskRequest* request,
                                                        api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAddTask);
}

grpc::ServerUnaryReactor* ReformCommandService::CompleteTask(
    grpc::CallbackServerContext* context, const api::v1::CompleteTaskRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideCompleteTask);
}

grpc::ServerUnaryReactor* ReformCommandService::ClosePlan(grpc::CallbackServerContext* context,
                                                          const api::v1::PlanRequest* request,
                                                          api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideClosePlan);
}

}  // namespace reformlog::services
