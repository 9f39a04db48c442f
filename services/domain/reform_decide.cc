#include "services/domain/reform_decide.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/refusal.h"
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

// The same in Chinese: "改革方案《西区机构改革方案》", "任务t-1（agency-x三定印发，2019-03-31前）".
std::string DescribeZh(const PlanState& plan) {
  return plan.title.empty() ? absl::StrCat("改革方案", plan.plan_id)
                            : absl::StrCat("改革方案《", plan.title, "》");
}

std::string DescribeZh(absl::string_view task_id, const PlanState::Task& task) {
  return absl::StrCat("任务", task_id, "（", task.agency_id, Label(task.kind), "，", task.due_date,
                      "前）");
}

// The plan `plan_id`: INVALID_ARGUMENT for a malformed id, NOT_FOUND when never drafted.
absl::StatusOr<const PlanState*> ExistingPlan(StateView& view, absl::string_view plan_id) {
  RETURN_IF_ERROR(ValidateId("plan_id", plan_id));
  ASSIGN_OR_RETURN(const PlanState* plan, view.Plan(plan_id));
  if (!plan->exists) {
    return RefuseNotFound(absl::StrCat("plan_id: no plan ", plan_id),
                          absl::StrCat("无改革方案", plan_id));
  }
  return plan;
}

// As ExistingPlan, and FAILED_PRECONDITION once the plan is closed.
absl::StatusOr<const PlanState*> OpenPlan(StateView& view, absl::string_view plan_id) {
  ASSIGN_OR_RETURN(const PlanState* plan, ExistingPlan(view, plan_id));
  if (plan->closed) {
    return RefusePrecondition(absl::StrCat(Describe(*plan), " is closed: it takes no more changes"),
                              absl::StrCat(DescribeZh(*plan), "已关闭，不再接受变更"));
  }
  return plan;
}

absl::Status ValidateTask(const api::AddTaskRequest& r) {
  RETURN_IF_ERROR(ValidateId("task_id", r.task_id()));
  RETURN_IF_ERROR(ValidateId("agency_id", r.agency_id()));
  if (!pb::TaskKind_IsValid(r.kind()) || r.kind() == pb::TASK_KIND_UNSPECIFIED) {
    return RefuseInvalid(
        absl::StrCat("kind ", static_cast<int>(r.kind()),
                     " is missing or unknown: 挂牌, 班子到位, 人员转隶, 三定印发 "
                     "or other"),
        absl::StrCat("任务类型", static_cast<int>(r.kind()),
                     "未给出或未知，应为挂牌、班子到位、人员转隶、三定印发或其他"));
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
    return Refusal(absl::StatusCode::kAlreadyExists,
                   absl::StrCat(Describe(*existing), " already exists"),
                   absl::StrCat(DescribeZh(*existing), "已存在"));
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
    return RefusePrecondition(absl::StrCat(Describe(*plan), " is already approved"),
                              absl::StrCat(DescribeZh(*plan), "已批准"));
  }
  Decision decision;
  decision.Emit<pb::PlanApproved>(PlanStream(r.plan_id()))->set_plan_id(r.plan_id());
  return decision;
}

absl::StatusOr<Decision> DecideAddTask(StateView& view, const api::AddTaskRequest& r) {
  RETURN_IF_ERROR(ValidateTask(r));
  ASSIGN_OR_RETURN(const PlanState* plan, OpenPlan(view, r.plan_id()));
  if (auto it = plan->tasks.find(r.task_id()); it != plan->tasks.end()) {
    return Refusal(absl::StatusCode::kAlreadyExists,
                   absl::StrCat(Describe(*plan), " already has ", Describe(it->first, it->second)),
                   absl::StrCat(DescribeZh(*plan), "已有", DescribeZh(it->first, it->second)));
  }
  if (plan->tasks.size() >= kPlanTasksMax) {
    return RefusePrecondition(absl::StrCat(Describe(*plan), " has ", plan->tasks.size(),
                                           " tasks; the limit kPlanTasksMax is ", kPlanTasksMax),
                              absl::StrCat(DescribeZh(*plan), "已有任务", plan->tasks.size(),
                                           "项，达到上限", kPlanTasksMax, "项"));
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
    return RefuseNotFound(absl::StrCat("task_id: ", Describe(*plan), " has no task ", r.task_id()),
                          absl::StrCat(DescribeZh(*plan), "无任务", r.task_id()));
  }
  if (it->second.completed) {
    return RefusePrecondition(
        absl::StrCat(Describe(it->first, it->second), " of ", Describe(*plan),
                     " is already completed"),
        absl::StrCat(DescribeZh(*plan), "的", DescribeZh(it->first, it->second), "已完成"));
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
    return RefusePrecondition(absl::StrCat(Describe(*plan), " is already closed"),
                              absl::StrCat(DescribeZh(*plan), "已关闭"));
  }
  Decision decision;
  decision.Emit<pb::PlanClosed>(PlanStream(r.plan_id()))->set_plan_id(r.plan_id());
  return decision;
}

}  // namespace reformlog::domain
