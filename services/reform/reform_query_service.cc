#include "services/reform/reform_query_service.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/org/org_view.h"
#include "projections/reform/reform_projection.h"
#include "projections/reform/reform_view.h"
#include "services/queries/read_models.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace rm = ::reformlog::readmodel::v1;
using services::ToApi;  // the shared overloads (read_models.h) beside the local ones

void ToApi(const projections::ProgressCounts& c, api::ProgressCounts* out) {
  out->set_tasks(c.tasks);
  out->set_done(c.done);
  out->set_due(c.due);
  out->set_overdue(c.overdue);
}

api::TaskStatus::State ToApi(projections::TaskState state) {
  switch (state) {
    case projections::TaskState::kDone:
      return api::TaskStatus::DONE;
    case projections::TaskState::kDue:
      return api::TaskStatus::DUE;
    case projections::TaskState::kOverdue:
      return api::TaskStatus::OVERDUE;
  }
  return api::TaskStatus::STATE_UNSPECIFIED;
}

void ToApi(const projections::PlanAsOf& p, api::PlanSummary* out) {
  out->set_plan_id(p.plan_id);
  out->set_title(p.title);
  out->set_jurisdiction(p.jurisdiction);
  ToApi(p.drafted_by, out->mutable_drafted());
  out->set_approved(p.approved);
  if (p.approved) ToApi(p.approved_by, out->mutable_approved_by());
  out->set_closed(p.closed);
  if (p.closed) ToApi(p.closed_by, out->mutable_closed_by());
  ToApi(p.overall, out->mutable_overall());
  out->set_tasks_added_later(p.added_later);
}

absl::Status GetPlanProgress(const QueryEnv& env, absl::Duration wait,
                             const api::GetPlanProgressRequest& r,
                             api::GetPlanProgressResponse* out) {
  RETURN_IF_ERROR(domain::ValidateId("plan_id", r.plan_id()));
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  out->set_as_of_date(date);
  std::optional<projections::PlanAsOf> plan;
  std::string drafted_on;  // when the plan exists but stands only after the date
  RETURN_IF_ERROR(ReadModel(
      env, ProjectionInstance<projections::ReformProjection>(), r.min_position(),
      r.as_of_position(), wait, [&](const projections::EntityTable& reform, uint64_t position) {
        out->set_position(position);
        const rm::PlanProgress* progress =
            projections::ConstTable<rm::PlanProgress>(reform).Find(r.plan_id());
        if (progress == nullptr) return;
        if (!projections::DraftedBy(*progress, date)) {
          drafted_on = progress->drafted_by().effective_date();
          return;
        }
        plan = projections::ProgressAsOf(*progress, date);
      }));
  if (!plan.has_value()) {
    return drafted_on.empty()
               ? domain::RefuseNotFound(
                     absl::StrCat("plan_id: no plan ", domain::PlanStream(r.plan_id())),
                     absl::StrCat("无改革方案", r.plan_id()))
               : domain::RefuseNotFound(
                     absl::StrCat("plan_id: ", domain::PlanStream(r.plan_id()), " was drafted on ",
                                  drafted_on, ", after ", date),
                     absl::StrCat("改革方案", r.plan_id(), "拟定于", drafted_on, "，晚于", date));
  }
  AgencyNames names;
  for (const projections::AgencyProgress& a : plan->agencies) names[a.agency_id];
  RETURN_IF_ERROR(NameAgencies(env, wait, out->position(), r.as_of_position(), date, names));
  ToApi(*plan, out->mutable_plan());
  for (const projections::AgencyProgress& a : plan->agencies) {
    api::AgencyProgress* agency = out->add_agencies();
    agency->set_agency_id(a.agency_id);
    agency->set_agency_name(names[a.agency_id]);
    ToApi(a.counts, agency->mutable_counts());
  }
  for (const projections::TaskAsOf& t : plan->tasks) {
    api::TaskStatus* task = out->add_tasks();
    task->set_task_id(t.task.task_id());
    task->set_agency_id(t.task.agency_id());
    task->set_agency_name(names[t.task.agency_id()]);
    task->set_kind(t.task.kind());
    task->set_due_date(t.task.due_date());
    task->set_description(t.task.description());
    task->set_state(ToApi(t.state));
    if (t.state == projections::TaskState::kDone) {
      ToApi(t.task.completed_by(), task->mutable_completed_by());
    }
    task->set_note(t.task.note());
    ToApi(t.task.added_by(), task->mutable_added_by());
  }
  return absl::OkStatus();
}

absl::Status ListPlans(const QueryEnv& env, absl::Duration wait, const api::ListPlansRequest& r,
                       api::ListPlansResponse* out) {
  ASSIGN_OR_RETURN(std::string date, DateOrToday(env, "as_of_date", r.as_of_date()));
  RETURN_IF_ERROR(domain::ValidateText("jurisdiction", r.jurisdiction(), false));
  out->set_as_of_date(date);
  return ReadModel(
      env, ProjectionInstance<projections::ReformProjection>(), r.min_position(),
      r.as_of_position(), wait, [&](const projections::EntityTable& reform, uint64_t position) {
        out->set_position(position);
        for (const projections::PlanAsOf& p :
             projections::PlansAsOf(reform, date, r.jurisdiction(), r.include_closed())) {
          ToApi(p, out->add_plans());
        }
      });
}

}  // namespace

grpc::ServerUnaryReactor* ReformQueryService::GetPlanProgress(
    grpc::CallbackServerContext* context, const api::GetPlanProgressRequest* request,
    api::GetPlanProgressResponse* response) {
  return HandleQuery<api::GetPlanProgressRequest, api::GetPlanProgressResponse>(
      env_, __func__, context, request, response, &services::GetPlanProgress);
}

grpc::ServerUnaryReactor* ReformQueryService::ListPlans(grpc::CallbackServerContext* context,
                                                        const api::ListPlansRequest* request,
                                                        api::ListPlansResponse* response) {
  return HandleQuery<api::ListPlansRequest, api::ListPlansResponse>(
      env_, __func__, context, request, response, &services::ListPlans);
}

}  // namespace reformlog::services
