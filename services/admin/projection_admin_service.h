// ProjectionAdminService: the state of every read model, and rebuilding one.
//
// Rebuilds are coalesced per projection: a request for a projection whose rebuild is queued
// or running joins it and gets its outcome; a queued rebuild whose callers have all gone
// (deadline passed, cancelled) is dropped before it starts. So a burst of requests costs one
// rebuild, however many callers gave up (fifty 0.5-second calls ran fifty rebuilds in a row
// before).
#ifndef REFORMLOG_SERVICES_ADMIN_PROJECTION_ADMIN_SERVICE_H_
#define REFORMLOG_SERVICES_ADMIN_PROJECTION_ADMIN_SERVICE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
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
  // One caller waiting for a projection's rebuild.
  struct Waiter {
    grpc::CallbackServerContext* context;
    grpc::ServerUnaryReactor* reactor;
    const api::v1::RebuildProjectionRequest* request;
    api::v1::RebuildProjectionResponse* response;
    security::Identity who;
    std::shared_ptr<CallTracker::Call> call;
  };
  // Runs (or drops) the rebuild of `name` and answers everyone waiting for it.
  void RunRebuild(const std::string& name);

  QueryEnv env_;
  WorkerPool& rebuilds_;
  std::mutex mu_;
  // Callers of each projection whose rebuild is queued or running.
  absl::flat_hash_map<std::string, std::vector<Waiter>> waiting_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_ADMIN_PROJECTION_ADMIN_SERVICE_H_
