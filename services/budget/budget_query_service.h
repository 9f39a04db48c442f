// BudgetQueryService: the gRPC face of BudgetQueries over the budget read model
// (projections/budget/budget_view.h), with the agency's kind and 参公 flag from the org read model
// (for 机关运行经费). Unpack, read, pack. The books are read in place under the read model's lock;
// GetBudget's roll-ups are kept per book and read-model position (BudgetSummaryCache): a budget
// read again before the read model moves on is not summed again.
//
// Validation: agency_id must be an entity id, fiscal_year within kFiscalYearMin–kFiscalYearMax,
// project_id (when given) an entity id, weights (when given) valid — else INVALID_ARGUMENT
// naming the field. NOT_FOUND for an agency the org read model does not know, for a year the
// agency has no budget for, and for an unknown project. OUT_OF_RANGE when a figure does not fit
// an int64. UNAVAILABLE when the read models do not reach min_position in time.
#ifndef REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_

#include <memory>

#include "grpcpp/support/message_allocator.h"
#include "projections/budget/budget_view.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class BudgetQueryService final : public api::v1::BudgetQueries::CallbackService {
 public:
  explicit BudgetQueryService(QueryEnv env);

  grpc::ServerUnaryReactor* GetBudget(grpc::CallbackServerContext* context,
                                      const api::v1::GetBudgetRequest* request,
                                      api::v1::GetBudgetResponse* response) override;
  grpc::ServerUnaryReactor* GetFinalAccounts(grpc::CallbackServerContext* context,
                                             const api::v1::GetFinalAccountsRequest* request,
                                             api::v1::GetFinalAccountsResponse* response) override;
  grpc::ServerUnaryReactor* GetPerformance(grpc::CallbackServerContext* context,
                                           const api::v1::GetPerformanceRequest* request,
                                           api::v1::GetPerformanceResponse* response) override;

 private:
  QueryEnv env_;
  projections::BudgetSummaryCache rollups_;  // GetBudget's, of the year and the year before
  // GetBudget's request and response on one arena per call (see the .cc).
  std::unique_ptr<grpc::MessageAllocator<api::v1::GetBudgetRequest, api::v1::GetBudgetResponse>>
      budget_messages_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_
