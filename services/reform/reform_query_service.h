// ReformQueryService: the gRPC face of ReformQueries over its read models. Unpack, read, pack.
#ifndef REFORMLOG_SERVICES_REFORM_REFORM_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_REFORM_REFORM_QUERY_SERVICE_H_

#include "reformlog/api/v1/reform_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class ReformQueryService final : public api::v1::ReformQueries::CallbackService {
 public:
  explicit ReformQueryService(QueryEnv env) : env_(env) {}

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_REFORM_REFORM_QUERY_SERVICE_H_
