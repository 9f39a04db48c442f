// ProjectionAdminService: the state of every read model, and rebuilding one.
#ifndef REFORMLOG_SERVICES_ADMIN_PROJECTION_ADMIN_SERVICE_H_
#define REFORMLOG_SERVICES_ADMIN_PROJECTION_ADMIN_SERVICE_H_

#include "reformlog/api/v1/admin.grpc.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

class ProjectionAdminService final : public api::v1::ProjectionAdmin::CallbackService {
 public:
  // Rebuilds run on `rebuilds`, a pool of their own, so they never hold up queries.
  // Status needs the read permission, Rebuild admin, both unscoped (security/access_rules.cc).
  ProjectionAdminService(QueryEnv env, WorkerPool& rebuilds) : env_(env), rebuilds_(rebuilds) {
    env_.service = api::v1::ProjectionAdmin::service_full_name();
  }

  grpc::ServerUnaryReactor* Status(grpc::CallbackServerContext* context,
                                   const api::v1::ProjectionStatusRequest* request,
                                   api::v1::ProjectionStatusResponse* response) override;
  grpc::ServerUnaryReactor* Rebuild(grpc::CallbackServerContext* context,
                                    const api::v1::RebuildProjectionRequest* request,
                                    api::v1::RebuildProjectionResponse* response) override;

 private:
  QueryEnv env_;
  WorkerPool& rebuilds_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_ADMIN_PROJECTION_ADMIN_SERVICE_H_
