#include "services/admin/projection_admin_service.h"

#include "absl/strings/str_cat.h"

namespace reformlog::services {
namespace {

void ToApi(const projections::ProjectionStatus& s, api::v1::ProjectionState* out) {
  out->set_name(s.name);
  out->set_version(s.version);
  out->set_position(s.position);
  out->set_head(s.head);
  out->set_lag(s.lag);
  out->set_entities(s.entities);
  out->set_applied_since_start(s.applied_since_start);
  out->set_rebuilding(s.rebuilding);
}

}  // namespace

grpc::ServerUnaryReactor* ProjectionAdminService::Status(
    grpc::CallbackServerContext* context, const api::v1::ProjectionStatusRequest* request,
    api::v1::ProjectionStatusResponse* response) {
  CallTracker::Call call(env_.calls);
  absl::Status allowed = AuthorizeQuery(env_, *context, __func__, *request);
  if (!allowed.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(allowed));
    return reactor;
  }
  for (const projections::ProjectionStatus& s : env_.runner.Statuses())
    ToApi(s, response->add_projections());
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(grpc::Status::OK);
  return reactor;
}

grpc::ServerUnaryReactor* ProjectionAdminService::Rebuild(
    grpc::CallbackServerContext* context, const api::v1::RebuildProjectionRequest* request,
    api::v1::RebuildProjectionResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  const std::string method = security::MethodName(env_.service, __func__);
  absl::StatusOr<security::Identity> identity = env_.guard.Check(*context, method, *request);
  if (!identity.ok()) {
    reactor->Finish(ToGrpcStatus(identity.status()));
    return reactor;
  }
  auto call = std::make_shared<CallTracker::Call>(env_.calls);
  const bool queued =
      rebuilds_.Submit([this, context, method, who = *identity, reactor, request, response, call] {
        absl::Status status = env_.runner.Rebuild(request->name());
        env_.guard.Audit(*context, who, method, *request, status);
        if (status.ok()) {
          for (const projections::ProjectionStatus& s : env_.runner.Statuses()) {
            if (s.name == request->name()) ToApi(s, response->mutable_projection());
          }
        }
        reactor->Finish(ToGrpcStatus(status));
      });
  if (!queued) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many rebuilds queued"));
  }
  return reactor;
}

}  // namespace reformlog::services
