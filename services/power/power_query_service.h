// PowerQueryService: the gRPC face of PowerQueries over its read models. Unpack, read, pack.
#ifndef REFORMLOG_SERVICES_POWER_POWER_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_POWER_POWER_QUERY_SERVICE_H_

#include "reformlog/api/v1/power_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class PowerQueryService final : public api::v1::PowerQueries::CallbackService {
 public:
  explicit PowerQueryService(QueryEnv env) : env_(env) {}

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_POWER_POWER_QUERY_SERVICE_H_
