#include "projections/reform/reform_view.h"

#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

// The short name of an event type: "reformlog.domain.v1.MandateIssued" → "MandateIssued".
std::string ShortType(const std::string& type) {
  const size_t dot = type.rfind('.');
  return dot == std::string::npos ? type : type.substr(dot + 1);
}

bool EffectiveBy(const rm::EventRef& ref, const std::string& date) {
  return ref.effective_date() <= date;
}

std::string Headline(const PlanAsOf& p) {
  std::string out = absl::StrCat(p.plan_id, " ", p.title);
  if (!p.jurisdiction.empty()) absl::StrAppend(&out, " (", p.jurisdiction, ")");
  absl::StrAppend(&out, " as of ", p.date, ": ");
  if (p.approved) {
    absl::StrAppend(&out, "approved ", p.approved_by.effective_date(), " [",
                    p.approved_by.basis_number(), "]");
  } else {
    absl::StrAppend(&out, "not approved");
  }
  if (p.closed) absl::StrAppend(&out, ", closed ", p.closed_by.effective_date());
  absl::StrAppend(&out, "; ", DescribeCounts(p.overall));
  if (p.added_later > 0) absl::StrAppend(&out, "; ", p.added_later, " added later");
  return out;
}

}  // namespace

std::string Label(TaskState state) {
  switch (state) {
    case TaskState::kDone:
      return "done";
    case TaskState::kDue:
      return "due";
    case TaskState::kOverdue:
      return "overdue";
  }
  return "";
}

void ProgressCounts::Add(TaskState state) {
  ++tasks;
  switch (state) {
    case TaskState::kDone:
      ++done;
      break;
    case TaskState::kDue:
      ++due;
      break;
    case TaskState::kOverdue:
      ++overdue;
      break;
  }
}

bool DraftedBy(const rm::PlanProgress& plan, const std::string& date) {
  return EffectiveBy(plan.drafted_by(), date);
}

PlanAsOf ProgressAsOf(const rm::PlanProgress& plan, const std::string& date) {
  PlanAsOf p;
  p.date = date;
  p.plan_id = plan.plan_id();
  p.title = plan.title();
  p.jurisdiction = plan.jurisdiction();
  p.drafted_by = plan.drafted_by();
  p.approved = plan.approved() && EffectiveBy(plan.approved_by(), date);
  if (p.approved) p.approved_by = plan.approved_by();
  p.closed = plan.closed() && EffectiveBy(plan.closed_by(), date);
  if (p.closed) p.closed_by = plan.closed_by();
  std::map<std::string, ProgressCounts> by_agency;
  for (const rm::TaskProgress& task : plan.tasks()) {
    if (!EffectiveBy(task.added_by(), date)) {
      ++p.added_later;
      continue;
    }
    TaskAsOf t{task, TaskState::kDue};
    if (task.done() && EffectiveBy(task.completed_by(), date)) {
      t.state = TaskState::kDone;
    } else {
      t.task.set_done(false);
      t.task.clear_completed_by();
      t.state = task.due_date() < date ? TaskState::kOverdue : TaskState::kDue;
    }
    p.overall.Add(t.state);
    by_agency[task.agency_id()].Add(t.state);
    p.tasks.push_back(std::move(t));
  }
  for (auto& [agency_id, counts] : by_agency) p.agencies.push_back({agency_id, counts});
  return p;
}

std::vector<PlanAsOf> PlansAsOf(const EntityTable& reform, const std::string& date,
                                const std::string& jurisdiction, bool include_closed) {
  std::vector<PlanAsOf> out;
  ConstTable<rm::PlanProgress>(reform).ForEach(
      [&](const std::string&, const rm::PlanProgress& plan) {
        if (!DraftedBy(plan, date)) return;
        if (!jurisdiction.empty() && plan.jurisdiction() != jurisdiction) return;
        PlanAsOf p = ProgressAsOf(plan, date);
        if (p.closed && !include_closed) return;
        out.push_back(std::move(p));
      });
  return out;
}

std::string DescribeCounts(const ProgressCounts& c) {
  return absl::StrCat(c.tasks, c.tasks == 1 ? " task: " : " tasks: ", c.done, " done, ", c.due,
                      " due, ", c.overdue, " overdue");
}

std::string RenderProgress(const PlanAsOf& p) {
  std::string out = absl::StrCat(Headline(p), "\n");
  for (const AgencyProgress& a : p.agencies) {
    absl::StrAppend(&out, "  agency ", a.agency_id, ": ", DescribeCounts(a.counts), "\n");
  }
  for (const TaskAsOf& t : p.tasks) {
    absl::StrAppend(&out, "  ", t.task.task_id(), " ", t.task.agency_id(), " ",
                    domain::Label(t.task.kind()), " due ", t.task.due_date(), ": ", Label(t.state));
    if (t.state == TaskState::kDone) {
      const rm::EventRef& by = t.task.completed_by();
      absl::StrAppend(&out, " ", by.effective_date(), " by ", ShortType(by.event_type()), " #",
                      by.position(), " [", by.basis_number(), "]");
      if (!t.task.note().empty() && by.position() == t.task.marked_done_by().position()) {
        absl::StrAppend(&out, ": ", t.task.note());
      }
    }
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string RenderPlans(const std::vector<PlanAsOf>& plans) {
  std::string out;
  for (const PlanAsOf& p : plans) absl::StrAppend(&out, Headline(p), "\n");
  return out;
}

}  // namespace reformlog::projections
