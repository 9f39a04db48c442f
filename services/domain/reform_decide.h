// Decisions of the reform context (ReformCommands): reform plans (改革方案) and their tasks. Pure:
// see decision.h.
#ifndef REFORMLOG_SERVICES_DOMAIN_REFORM_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_REFORM_DECIDE_H_

#include <cstddef>

#include "absl/status/statusor.h"
#include "reformlog/api/v1/reform_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// Tasks one plan holds. Every command on a plan folds all of them; a district's plan has a
// few per agency (挂牌, 班子到位, 人员转隶, 三定印发), some hundreds in all.
inline constexpr size_t kPlanTasksMax = 1'000;

// A plan is drafted, approved once on a document (in the envelope's basis), carried out as
// tasks and closed; a closed plan takes no more changes (FAILED_PRECONDITION). Unknown plans
// and tasks are NOT_FOUND; a plan or task id used twice is ALREADY_EXISTS.
absl::StatusOr<Decision> DecideDraftPlan(StateView& view, const api::DraftPlanRequest& r);
absl::StatusOr<Decision> DecideApprovePlan(StateView& view, const api::PlanRequest& r);
// A task for one agency that exists (it may have ceased: a task may concern an agency the
// plan merges), due on a date. At most kPlanTasksMax per plan.
absl::StatusOr<Decision> DecideAddTask(StateView& view, const api::AddTaskRequest& r);
// Records a task as done by hand. A task done by the event that does it (the 三定 of agency X
// completes X's 三定 task) is the progress read model's matter, not this command's.
absl::StatusOr<Decision> DecideCompleteTask(StateView& view, const api::CompleteTaskRequest& r);
absl::StatusOr<Decision> DecideClosePlan(StateView& view, const api::PlanRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_REFORM_DECIDE_H_
