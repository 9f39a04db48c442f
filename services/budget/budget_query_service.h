// BudgetQueryService: the gRPC face of BudgetQueries over its read models. Unpack, read, pack.
#ifndef REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_

#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class BudgetQueryService final : public api::v1::BudgetQueries::CallbackService {
 public:
  explicit BudgetQueryService(QueryEnv env) : env_(env) {}

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_BUDGET_BUDGET_QUERY_SERVICE_H_
