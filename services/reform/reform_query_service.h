// ReformQueryService: the gRPC face of ReformQueries
// (proto/reformlog/api/v1/reform_queries.proto) over the reform read model
// (projections/reform/reform_view.h), with agency names from the org read model. Unpack,
// validate, read, pack: INVALID_ARGUMENT naming the field for a malformed request, NOT_FOUND
// for a plan never drafted or not standing on the date asked, UNAVAILABLE when the read model
// does not reach min_position in time. "Today" (an empty as_of_date, which decides due vs
// overdue) is the date in China by the server's clock.
#ifndef REFORMLOG_SERVICES_REFORM_REFORM_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_REFORM_REFORM_QUERY_SERVICE_H_

#include "reformlog/api/v1/reform_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class ReformQueryService final : public api::v1::ReformQueries::CallbackService {
 public:
  explicit ReformQueryService(QueryEnv env) : env_(env) {
    env_.service = api::v1::ReformQueries::service_full_name();
  }

  grpc::ServerUnaryReactor* GetPlanProgress(grpc::CallbackServerContext* context,
                                            const api::v1::GetPlanProgressRequest* request,
                                            api::v1::GetPlanProgressResponse* response) override;
  grpc::ServerUnaryReactor* ListPlans(grpc::CallbackServerContext* context,
                                      const api::v1::ListPlansRequest* request,
                                      api::v1::ListPlansResponse* response) override;

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_REFORM_REFORM_QUERY_SERVICE_H_
