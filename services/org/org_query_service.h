// OrgQueryService: the gRPC face of OrgQueries over the org read model
// (projections/org/org_view.h). Unpack, read, pack.
//
// GetOrgTree reads the live read model through an OrgSummaryCache (every agency's latest
// summary, kept between calls and refolded only where a history grew), holds the read
// model's lock only to pick the tree, and packs the response after releasing it, into the
// messages of an earlier call. Audits (as_of_position) fold a replayed table from scratch.
#ifndef REFORMLOG_SERVICES_ORG_ORG_QUERY_SERVICE_H_
#define REFORMLOG_SERVICES_ORG_ORG_QUERY_SERVICE_H_

#include <memory>

#include "projections/org/org_view.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class OrgQueryService final : public api::v1::OrgQueries::CallbackService {
 public:
  explicit OrgQueryService(QueryEnv env);
  ~OrgQueryService() override;

  grpc::ServerUnaryReactor* GetOrgTree(grpc::CallbackServerContext* context,
                                       const api::v1::GetOrgTreeRequest* request,
                                       api::v1::GetOrgTreeResponse* response) override;
  grpc::ServerUnaryReactor* GetAgency(grpc::CallbackServerContext* context,
                                      const api::v1::GetAgencyRequest* request,
                                      api::v1::GetAgencyResponse* response) override;
  grpc::ServerUnaryReactor* DiffOrg(grpc::CallbackServerContext* context,
                                    const api::v1::DiffOrgRequest* request,
                                    api::v1::DiffOrgResponse* response) override;
  grpc::ServerUnaryReactor* GetLineage(grpc::CallbackServerContext* context,
                                       const api::v1::GetLineageRequest* request,
                                       api::v1::GetLineageResponse* response) override;

 private:
  QueryEnv env_;
  projections::OrgSummaryCache summaries_;
  std::unique_ptr<grpc::MessageAllocator<api::v1::GetOrgTreeRequest, api::v1::GetOrgTreeResponse>>
      tree_messages_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_ORG_ORG_QUERY_SERVICE_H_
