// BudgetCommandService: the gRPC face of BudgetCommands — budget lines, disbursements, carry-overs,
// projects and performance (预算/决算). Thin: every method hands its request to the shared command
// path (command_handler.h) with its decide function (services/domain/budget_decide.h).
#ifndef REFORMLOG_SERVICES_BUDGET_BUDGET_COMMAND_SERVICE_H_
#define REFORMLOG_SERVICES_BUDGET_BUDGET_COMMAND_SERVICE_H_

#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "services/commands/command_handler.h"

namespace reformlog::services {

class BudgetCommandService final : public api::v1::BudgetCommands::CallbackService {
 public:
  explicit BudgetCommandService(CommandEnv env) : env_(env) {
    env_.service = api::v1::BudgetCommands::service_full_name();
  }

  grpc::ServerUnaryReactor* Appropriate(grpc::CallbackServerContext* context,
                                        const api::v1::AppropriateRequest* request,
                                        api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* AdjustBudget(grpc::CallbackServerContext* context,
                                         const api::v1::AdjustBudgetRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* Disburse(grpc::CallbackServerContext* context,
                                     const api::v1::DisburseRequest* request,
                                     api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RecordIncome(grpc::CallbackServerContext* context,
                                         const api::v1::RecordIncomeRequest* request,
                                         api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RecordCarryOver(grpc::CallbackServerContext* context,
                                            const api::v1::RecordCarryOverRequest* request,
                                            api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* DefineProject(grpc::CallbackServerContext* context,
                                          const api::v1::DefineProjectRequest* request,
                                          api::v1::CommandResult* response) override;
  grpc::ServerUnaryReactor* RecordPerformance(grpc::CallbackServerContext* context,
                                              const api::v1::RecordPerformanceRequest* request,
                                              api::v1::CommandResult* response) override;

 private:
  CommandEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_BUDGET_BUDGET_COMMAND_SERVICE_H_
