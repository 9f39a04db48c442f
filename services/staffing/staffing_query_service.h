// StaffingQueryService: the gRPC face of StaffingQueries over its read models. Unpack, read, pack.
#ifndef REFORMLOG_SERVICES_STAFFING_STAFFING_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_STAFFING_STAFFING_QUERY_SERVICE_H_

#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class StaffingQueryService final : public api::v1::StaffingQueries::CallbackService {
 public:
  explicit StaffingQueryService(QueryEnv env) : env_(env) {}

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_STAFFING_STAFFING_QUERY_SERVICE_H_
