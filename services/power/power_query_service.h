// PowerQueryService: the gRPC face of PowerQueries (proto/reformlog/api/v1/power_queries.proto)
// over the powers read model (projections/power/power_view.h), with holder names from the org
// read model. Unpack, validate, read, pack: INVALID_ARGUMENT naming the field for a malformed
// request, NOT_FOUND for an item never catalogued, UNAVAILABLE when the read model does not
// reach min_position in time.
#ifndef REFORMLOG_SERVICES_POWER_POWER_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_POWER_POWER_QUERY_SERVICE_H_

#include <cstdint>

#include "reformlog/api/v1/power_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

// ListPowers pages: page_size 0 means the default; more than the max is INVALID_ARGUMENT.
inline constexpr int32_t kPowerPageSizeDefault = 200;
inline constexpr int32_t kPowerPageSizeMax = 1000;

class PowerQueryService final : public api::v1::PowerQueries::CallbackService {
 public:
  explicit PowerQueryService(QueryEnv env) : env_(env) {
    env_.service = api::v1::PowerQueries::service_full_name();
  }

  grpc::ServerUnaryReactor* ListPowers(grpc::CallbackServerContext* context,
                                       const api::v1::ListPowersRequest* request,
                                       api::v1::ListPowersResponse* response) override;
  grpc::ServerUnaryReactor* CountPowers(grpc::CallbackServerContext* context,
                                        const api::v1::CountPowersRequest* request,
                                        api::v1::CountPowersResponse* response) override;
  grpc::ServerUnaryReactor* GetPowerHistory(grpc::CallbackServerContext* context,
                                            const api::v1::GetPowerHistoryRequest* request,
                                            api::v1::GetPowerHistoryResponse* response) override;

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_POWER_POWER_QUERY_SERVICE_H_
