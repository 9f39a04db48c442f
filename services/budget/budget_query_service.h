// BudgetQueryService: the gRPC face of BudgetQueries over the budget read model
// (projections/budget/: budget_summary.h, budget_final_accounts.h, budget_performance.h), with the
// agency's kind and 参公 flag from the org read model (for 机关运行经费). Unpack, read, pack. The
// books are read in place under the read model's lock; GetBudget's roll-ups are kept and maintained
// per book (BudgetSummaryCache): a budget read again is not summed again, only brought up to date
// with the lines that moved.
//
// GetBudget is served as bytes (a raw gRPC method; the wire format is GetBudgetResponse's): with
// omit_lines, the answer is the year's roll-ups, packed once per roll-up summary and shared by
// every call that reads the same summary, followed by the fields of the call (year-over-year,
// position). A budget of 20,000 lines has some 10,000 roll-up rows, and packing them on every call
// cost more than everything else the call does.
//
// Validation: agency_id must be an entity id, fiscal_year within kFiscalYearMin–kFiscalYearMax,
// project_id (when given) an entity id, weights (when given) valid — else INVALID_ARGUMENT
// naming the field. NOT_FOUND for an agency the org read model does not know, for a year the
// agency has no budget for, and for an unknown project. OUT_OF_RANGE when a figure does not fit
// an int64. UNAVAILABLE when the read models do not reach min_position in time.
#ifndef REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_

#include <memory>

#include "grpcpp/support/byte_buffer.h"
#include "projections/budget/budget_summary_cache.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

// Packed roll-ups per book (the .cc).
class PackedRollUps;

class BudgetQueryService final : public api::v1::BudgetQueries::WithRawCallbackMethod_GetBudget<
                                     api::v1::BudgetQueries::WithCallbackMethod_GetFinalAccounts<
                                         api::v1::BudgetQueries::WithCallbackMethod_GetPerformance<
                                             api::v1::BudgetQueries::Service>>> {
 public:
  explicit BudgetQueryService(QueryEnv env);
  ~BudgetQueryService() override;

  // `request` holds a GetBudgetRequest (INVALID_ARGUMENT if it does not parse); `response` is
  // given a GetBudgetResponse.
  grpc::ServerUnaryReactor* GetBudget(grpc::CallbackServerContext* context,
                                      const grpc::ByteBuffer* request,
                                      grpc::ByteBuffer* response) override;
  grpc::ServerUnaryReactor* GetFinalAccounts(grpc::CallbackServerContext* context,
                                             const api::v1::GetFinalAccountsRequest* request,
                                             api::v1::GetFinalAccountsResponse* response) override;
  grpc::ServerUnaryReactor* GetPerformance(grpc::CallbackServerContext* context,
                                           const api::v1::GetPerformanceRequest* request,
                                           api::v1::GetPerformanceResponse* response) override;

 private:
  QueryEnv env_;
  projections::BudgetSummaryCache rollups_;  // GetBudget's, of the year and the year before
  std::unique_ptr<PackedRollUps> packed_;    // GetBudget's answers without lines
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_
