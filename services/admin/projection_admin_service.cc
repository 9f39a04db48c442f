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
  out->set_rebuilds(s.rebuilds);
}

}  // namespace

grpc::ServerUnaryReactor* ProjectionAdminService::Status(
    grpc::CallbackServerContext* context, const api::v1::ProjectionStatusRequest* request,
    api::v1::ProjectionStatusResponse* response) {
  CallTracker::Call call(env_.calls);
  absl::Status allowed = AuthorizeQuery(env_, *context, __func__, *request);
  if (!allowed.ok()) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    reactor->Finish(ToGrpcStatus(allowed, *context));
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
    reactor->Finish(ToGrpcStatus(identity.status(), *context));
    return reactor;
  }
  bool known = false;
  for (const projections::ProjectionStatus& s : env_.runner.Statuses()) {
    known = known || s.name == request->name();
  }
  if (!known) {
    const absl::Status unknown =
        absl::NotFoundError(absl::StrCat("no projection \"", request->name().substr(0, 64), "\""));
    env_.guard.Audit(*context, *identity, method, *request, unknown);
    reactor->Finish(ToGrpcStatus(unknown, *context));
    return reactor;
  }
  Waiter waiter{context,  reactor,   request,
                response, *identity, std::make_shared<CallTracker::Call>(env_.calls)};
  std::lock_guard lock(mu_);
  std::vector<Waiter>& waiters = waiting_[request->name()];
  waiters.push_back(std::move(waiter));
  if (waiters.size() > 1) return reactor;  // joins the rebuild queued or running
  if (!rebuilds_.Submit([this, name = request->name()] { RunRebuild(name); })) {
    waiting_.erase(request->name());
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "too many rebuilds queued"));
  }
  return reactor;
}

void ProjectionAdminService::RunRebuild(const std::string& name) {
  const std::string method = security::MethodName(env_.service, "Rebuild");
  bool anyone_waiting = false;
  {
    std::lock_guard lock(mu_);
    for (const Waiter& w : waiting_[name])
      anyone_waiting = anyone_waiting || !w.context->IsCancelled();
  }
  absl::Status status = absl::CancelledError(
      absl::StrCat("the rebuild of ", name, " was dropped: every caller had gone"));
  if (anyone_waiting) status = env_.runner.Rebuild(name);
  std::vector<Waiter> answered;
  {
    std::lock_guard lock(mu_);
    answered = std::move(waiting_[name]);
    waiting_.erase(name);
  }
  api::v1::ProjectionState state;
  if (status.ok()) {
    for (const projections::ProjectionStatus& s : env_.runner.Statuses()) {
      if (s.name == name) ToApi(s, &state);
    }
  }
  for (Waiter& w : answered) {
    env_.guard.Audit(*w.context, w.who, method, *w.request, status);
    if (status.ok()) *w.response->mutable_projection() = state;
    w.reactor->Finish(ToGrpcStatus(status, *w.context));
  }
}

}  // namespace reformlog::services
