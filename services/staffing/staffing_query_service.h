// StaffingQueryService: the gRPC face of StaffingQueries (api/v1/staffing_queries.proto) over
// the staffing and people read models (projections/staffing/staffing_view.h). Unpack, read,
// pack: malformed requests are INVALID_ARGUMENT naming the field, unknown agencies,
// jurisdictions and people NOT_FOUND; the read model's own errors (UNAVAILABLE when it lags
// min_position past the wait, OUT_OF_RANGE for an as_of_position beyond the head) pass through.
// Thread-safe; every call runs on the query worker pool (HandleQuery).
#ifndef REFORMLOG_SERVICES_STAFFING_STAFFING_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_STAFFING_STAFFING_QUERY_SERVICE_H_

#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

// People one ListPeople page holds when the request says 0, and at most.
inline constexpr int kListPeoplePageDefault = 1'000;
inline constexpr int kListPeoplePageMax = 10'000;

class StaffingQueryService final : public api::v1::StaffingQueries::CallbackService {
 public:
  explicit StaffingQueryService(QueryEnv env) : env_(env) {
    env_.service = api::v1::StaffingQueries::service_full_name();
  }

  grpc::ServerUnaryReactor* GetStaffing(grpc::CallbackServerContext* context,
                                        const api::v1::GetStaffingRequest* request,
                                        api::v1::GetStaffingResponse* response) override;
  grpc::ServerUnaryReactor* CheckJurisdiction(
      grpc::CallbackServerContext* context, const api::v1::CheckJurisdictionRequest* request,
      api::v1::CheckJurisdictionResponse* response) override;
  grpc::ServerUnaryReactor* GetPerson(grpc::CallbackServerContext* context,
                                      const api::v1::GetPersonRequest* request,
                                      api::v1::GetPersonResponse* response) override;
  grpc::ServerUnaryReactor* ListPeople(grpc::CallbackServerContext* context,
                                       const api::v1::ListPeopleRequest* request,
                                       api::v1::ListPeopleResponse* response) override;

 private:
  QueryEnv env_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_STAFFING_STAFFING_QUERY_SERVICE_H_
