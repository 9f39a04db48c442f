// Queries over the reform read model (reform_projection.h): the progress of a plan on a date —
// each task done, due or overdue, with the event that completed it — counted per agency and
// overall, and the plans of a jurisdiction. Canonical text renderings for golden tests and the
// CLI.
//
// Pure functions of the table, which must not change while a call runs (the runner's read
// lock). Dates are YYYY-MM-DD and compare as strings; "as of a date" is effective time:
//   * a plan stands on a date once its PlanDrafted is effective; it is approved / closed on
//     it when its PlanApproved / PlanClosed is effective on or before it;
//   * a task counts once its TaskAdded is effective on or before the date (the others are
//     counted as added_later, never silently dropped);
//   * a counted task is done when its completing event is effective on or before the date;
//     else overdue when its due date is before the date, else due.
#ifndef REFORMLOG_PROJECTIONS_REFORM_REFORM_VIEW_H_
#define REFORMLOG_PROJECTIONS_REFORM_REFORM_VIEW_H_

#include <cstdint>
#include <string>
#include <vector>

#include "projections/entity_table.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;

enum class TaskState { kDone, kDue, kOverdue };

// "done", "due", "overdue".
std::string Label(TaskState state);

struct TaskAsOf {
  rm::TaskProgress task;  // completed_by is set only when done on the date
  TaskState state = TaskState::kDue;
};

struct ProgressCounts {
  int64_t tasks = 0;  // = done + due + overdue
  int64_t done = 0;
  int64_t due = 0;
  int64_t overdue = 0;
  void Add(TaskState state);
};

struct AgencyProgress {
  std::string agency_id;
  ProgressCounts counts;
};

struct PlanAsOf {
  std::string date;
  std::string plan_id;
  std::string title;
  std::string jurisdiction;
  rm::EventRef drafted_by;
  bool approved = false;
  rm::EventRef approved_by;  // set when approved on the date
  bool closed = false;
  rm::EventRef closed_by;  // set when closed on the date
  ProgressCounts overall;
  std::vector<AgencyProgress> agencies;  // by agency id; those with a counted task
  std::vector<TaskAsOf> tasks;           // counted tasks, in the order added
  int64_t added_later = 0;               // tasks whose TaskAdded is effective after the date
};

// Whether the plan stands on `date` (its PlanDrafted is effective on or before it).
bool DraftedBy(const rm::PlanProgress& plan, const std::string& date);

// The plan's progress on `date`. Call it for a plan that stands on the date (DraftedBy);
// otherwise every task counts as added later.
PlanAsOf ProgressAsOf(const rm::PlanProgress& plan, const std::string& date);

// The plans standing on `date`, by plan id: of `jurisdiction` (any when empty); the closed
// ones only when include_closed.
std::vector<PlanAsOf> PlansAsOf(const EntityTable& reform, const std::string& date,
                                const std::string& jurisdiction, bool include_closed);

// "3 tasks: 1 done, 1 due, 1 overdue".
std::string DescribeCounts(const ProgressCounts& counts);

// A plan, its agencies and its tasks, one a line:
//   plan-x 西区机构改革方案 (西区) as of 2019-04-01: approved 2019-01-20 [西委发〔2019〕1号]; 3
//   tasks: 1 done, 1 due, 1 overdue
//     agency a: 2 tasks: 1 done, 0 due, 1 overdue
//     agency b: 1 task: 0 done, 1 due, 0 overdue
//     t1 a 三定印发 due 2019-03-31: done 2019-03-01 by MandateIssued #9 [西委编〔2019〕2号]
std::string RenderProgress(const PlanAsOf& plan);
// One line per plan (the first line of RenderProgress).
std::string RenderPlans(const std::vector<PlanAsOf>& plans);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_REFORM_REFORM_VIEW_H_
