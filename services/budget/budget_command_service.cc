#include "services/budget/budget_command_service.h"

#include "services/domain/budget_decide.h"

namespace reformlog::services {

grpc::ServerUnaryReactor* BudgetCommandService::Appropriate(
    grpc::CallbackServerContext* context, const api::v1::AppropriateRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAppropriate);
}

grpc::ServerUnaryReactor* BudgetCommandService::AdjustBudget(
    grpc::CallbackServerContext* context, const api::v1::AdjustBudgetRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideAdjustBudget);
}

grpc::ServerUnaryReactor* BudgetCommandService::Disburse(grpc::CallbackServerContext* context,
                                                         const api::v1::DisburseRequest* request,
                                                         api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideDisburse);
}

grpc::ServerUnaryReactor* BudgetCommandService::RecordIncome(
    grpc::CallbackServerContext* context, const api::v1::RecordIncomeRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRecordIncome);
}

grpc::ServerUnaryReactor* BudgetCommandService::RecordCarryOver(
    grpc::CallbackServerContext* context, const api::v1::RecordCarryOverRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideRecordCarryOver);
}

grpc::ServerUnaryReactor* BudgetCommandService::DefineProject(
    grpc::CallbackServerContext* context, const api::v1::DefineProjectRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response, &domain::DecideDefineProject);
}

grpc::ServerUnaryReactor* BudgetCommandService::RecordPerformance(
    grpc::CallbackServerContext* context, const api::v1::RecordPerformanceRequest* request,
    api::v1::CommandResult* response) {
  return HandleCommand(env_, __func__, context, request, response,
                       &domain::DecideRecordPerformance);
}

}  // namespace reformlog::services
