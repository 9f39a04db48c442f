#include "services/domain/reform_decide.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/vocabulary.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

// How messages name a plan: "plan-xiqu-2019 (西区机构改革方案)".
std::string Describe(const PlanState& plan) {
  return plan.title.empty() ? PlanStream(plan.plan_id)
                            : absl::StrCat(PlanStream(plan.plan_id), " (", plan.title, ")");
}

// "task t-1 (三定印发 of agency-x, due 2019-03-31)".
std::string Describe(absl::string_view task_id, const PlanState::Task& task) {
  return absl::StrCat("task ", task_id, " (", Label(task.kind), " of ",
                      AgencyStream(task.agency_id), ", due ", task.due_date, ")");
}

// The plan `plan_id`: INVALID_ARGUMENT for a malformed id, NOT_FOUND when never drafted.
absl::StatusOr<const PlanState*> ExistingPlan(StateView& view, absl::string_view plan_id) {
  RETURN_IF_ERROR(ValidateId("plan_id", plan_id));
  ASSIGN_OR_RETURN(const PlanState* plan, view.Plan(plan_id));
  if (!plan->exists) {
    return absl::NotFoundError(absl::StrCat("plan_id: no plan ", plan_id));
  }
  return plan;
}

// As ExistingPlan, and FAILED_PRECONDITION once the plan is closed.
absl::StatusOr<const PlanState*> OpenPlan(StateView& view, absl::string_view plan_id) {
  ASSIGN_OR_RETURN(const PlanState* plan, ExistingPlan(view, plan_id));
  if (plan->closed) {
    return absl::FailedPreconditionError(
        absl::StrCat(Describe(*plan), " is closed: it takes no more changes"));
  }
  return plan;
}

absl::Status ValidateTask(const api::AddTaskRequest& r) {
  RETURN_IF_ERROR(ValidateId("task_id", r.task_id()));
  RETURN_IF_ERROR(ValidateId("agency_id", r.agency_id()));
  if (!pb::TaskKind_IsValid(r.kind()) || r.kind() == pb::TASK_KIND_UNSPECIFIED) {
    return absl::InvalidArgumentError(
        absl::StrCat("kind ", static_cast<int>(r.kind()),
                     " is missing or unknown: 挂牌, 班子到位, 人员转隶, 三定印发 or other"));
  }
  RETURN_IF_ERROR(ValidateDate("due_date", r.due_date(), true));
  return ValidateText("description", r.description(), false);
}

}  // namespace

absl::StatusOr<Decision> DecideDraftPlan(StateView& view, const api::DraftPlanRequest& r) {
  RETURN_IF_ERROR(ValidateId("plan_id", r.plan_id()));
  RETURN_IF_ERROR(ValidateText("title", r.title(), true));
  RETURN_IF_ERROR(ValidateText("jurisdiction", r.jurisdiction(), false));
  ASSIGN_OR_RETURN(const PlanState* existing, view.Plan(r.plan_id()));
  if (existing->exists) {
    return absl::AlreadyExistsError(absl::StrCat(Describe(*existing), " already exists"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::PlanDrafted>(PlanStream(r.plan_id()));
  e->set_plan_id(r.plan_id());
  e->set_title(r.title());
  e->set_jurisdiction(r.jurisdiction());
  return decision;
}

absl::StatusOr<Decision> DecideApprovePlan(StateView& view, const api::PlanRequest& r) {
  ASSIGN_OR_RETURN(const PlanState* plan, OpenPlan(view, r.plan_id()));
  if (plan->approved) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(*plan), " is already approved"));
  }
  Decision decision;
  decision.Emit<pb::PlanApproved>(PlanStream(r.plan_id()))->set_plan_id(r.plan_id());
  return decision;
}

absl::StatusOr<Decision> DecideAddTask(StateView& view, const api::AddTaskRequest& r) {
  RETURN_IF_ERROR(ValidateTask(r));
  ASSIGN_OR_RETURN(const PlanState* plan, OpenPlan(view, r.plan_id()));
  if (auto it = plan->tasks.find(r.task_id()); it != plan->tasks.end()) {
    return absl::AlreadyExistsError(
        absl::StrCat(Describe(*plan), " already has ", Describe(it->first, it->second)));
  }
  if (plan->tasks.size() >= kPlanTasksMax) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(*plan), " has ", plan->tasks.size(),
                                                      " tasks; the limit kPlanTasksMax is ",
                                                      kPlanTasksMax));
  }
  RETURN_IF_ERROR(ExistingAgency(view, "agency_id", r.agency_id()).status());
  Decision decision;
  auto* e = decision.Emit<pb::TaskAdded>(PlanStream(r.plan_id()));
  e->set_plan_id(r.plan_id());
  e->set_task_id(r.task_id());
  e->set_agency_id(r.agency_id());
  e->set_kind(r.kind());
  e->set_due_date(r.due_date());
  e->set_description(r.description());
  return decision;
}

absl::StatusOr<Decision> DecideCompleteTask(StateView& view, const api::CompleteTaskRequest& r) {
  RETURN_IF_ERROR(ValidateId("task_id", r.task_id()));
  RETURN_IF_ERROR(ValidateText("note", r.note(), false));
  ASSIGN_OR_RETURN(const PlanState* plan, OpenPlan(view, r.plan_id()));
  auto it = plan->tasks.find(r.task_id());
  if (it == plan->tasks.end()) {
    return absl::NotFoundError(
        absl::StrCat("task_id: ", Describe(*plan), " has no task ", r.task_id()));
  }
  if (it->second.completed) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(it->first, it->second), " of ",
                                                      Describe(*plan), " is already completed"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::TaskCompleted>(PlanStream(r.plan_id()));
  e->set_plan_id(r.plan_id());
  e->set_task_id(r.task_id());
  e->set_note(r.note());
  return decision;
}

absl::StatusOr<Decision> DecideClosePlan(StateView& view, const api::PlanRequest& r) {
  ASSIGN_OR_RETURN(const PlanState* plan, ExistingPlan(view, r.plan_id()));
  if (plan->closed) {
    return absl::FailedPreconditionError(absl::StrCat(Describe(*plan), " is already closed"));
  }
  Decision decision;
  decision.Emit<pb::PlanClosed>(PlanStream(r.plan_id()))->set_plan_id(r.plan_id());
  return decision;
}

}  // namespace reformlog::domain
