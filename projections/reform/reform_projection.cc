#include "projections/reform/reform_projection.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "domain/vocabulary.h"
#include "projections/org/org_projection.h"
#include "projections/readmodel_format.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::projections {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace rm = ::reformlog::readmodel::v1;

// A kind of work done on an agency.
struct Work {
  std::string agency_id;
  pb::TaskKind kind = pb::TASK_KIND_UNSPECIFIED;
};

// The work an event does (the table in reform_projection.h), if any.
std::optional<Work> WorkOf(const AppliedEvent& e) {
  if (const auto* p = e.As<pb::MandateIssued>()) return Work{p->agency_id(), pb::MANDATE_ISSUED};
  if (const auto* p = e.As<pb::AgencyEstablished>()) {
    return Work{p->agency_id(), pb::HANG_NAMEPLATE};
  }
  if (const auto* p = e.As<pb::ExtraNameAdded>()) return Work{p->agency_id(), pb::HANG_NAMEPLATE};
  if (const auto* p = e.As<pb::AgencyRenamed>()) return Work{p->agency_id(), pb::HANG_NAMEPLATE};
  if (const auto* p = e.As<pb::LeadersChanged>(); p != nullptr && p->appointed_size() > 0) {
    return Work{p->agency_id(), pb::LEADERSHIP_IN_PLACE};
  }
  if (const auto* p = e.As<pb::PersonTransferred>()) {
    return Work{p->to_agency_id(), pb::STAFF_TRANSFER};
  }
  return std::nullopt;
}

bool EffectiveBefore(const rm::EventRef& a, const rm::EventRef& b) {
  if (a.effective_date() != b.effective_date()) return a.effective_date() < b.effective_date();
  return a.position() < b.position();
}

bool WorkBefore(const rm::PlanProgress::Work& w, const Work& key) {
  if (w.agency_id() != key.agency_id) return w.agency_id() < key.agency_id;
  return w.kind() < key.kind;
}

// The plan's entry for `work` (work_done is sorted by agency, then kind), or null.
const rm::PlanProgress::Work* FindWork(const rm::PlanProgress& plan, const Work& work) {
  auto it = std::lower_bound(plan.work_done().begin(), plan.work_done().end(), work, WorkBefore);
  if (it == plan.work_done().end() || it->agency_id() != work.agency_id ||
      it->kind() != work.kind) {
    return nullptr;
  }
  return &*it;
}

// Whether `ref` becomes the plan's earliest event of `work`.
bool Improves(const rm::PlanProgress& plan, const Work& work, const rm::EventRef& ref) {
  if (plan.closed()) return false;
  const rm::PlanProgress::Work* known = FindWork(plan, work);
  return known == nullptr || EffectiveBefore(ref, known->ref());
}

// Makes `ref` the plan's event of `work` (Improves said so).
void RecordWork(rm::PlanProgress& plan, const Work& work, const rm::EventRef& ref) {
  auto* list = plan.mutable_work_done();
  auto at = std::lower_bound(list->begin(), list->end(), work, WorkBefore);
  if (at != list->end() && at->agency_id() == work.agency_id && at->kind() == work.kind) {
    *at->mutable_ref() = ref;
    return;
  }
  const int index = static_cast<int>(at - list->begin());
  rm::PlanProgress::Work* added = list->Add();
  added->set_agency_id(work.agency_id);
  added->set_kind(work.kind);
  *added->mutable_ref() = ref;
  for (int i = list->size() - 1; i > index; --i) list->SwapElements(i, i - 1);
}

// Sets whether the task is done, and by what: the earliest of its TaskCompleted and the
// plan's doing event for its agency and kind.
void Settle(const rm::PlanProgress& plan, rm::TaskProgress& task) {
  std::optional<rm::EventRef> best;
  if (task.has_marked_done_by()) best = task.marked_done_by();
  if (task.kind() != pb::OTHER_TASK) {
    const rm::PlanProgress::Work* work = FindWork(plan, Work{task.agency_id(), task.kind()});
    if (work != nullptr && (!best.has_value() || EffectiveBefore(work->ref(), *best))) {
      best = work->ref();
    }
  }
  task.set_done(best.has_value());
  if (best.has_value()) {
    *task.mutable_completed_by() = std::move(*best);
  } else {
    task.clear_completed_by();
  }
}

rm::TaskProgress* FindTask(rm::PlanProgress& plan, const std::string& task_id) {
  for (rm::TaskProgress& task : *plan.mutable_tasks()) {
    if (task.task_id() == task_id) return &task;
  }
  return nullptr;
}

// The doing event `ref` of `work`, matched against every open plan.
void ApplyWork(const Work& work, const rm::EventRef& ref, Table<rm::PlanProgress>& table) {
  std::vector<std::string> improved;
  table.ForEach([&](const std::string& plan_id, const rm::PlanProgress& plan) {
    if (Improves(plan, work, ref)) improved.push_back(plan_id);
  });
  for (const std::string& plan_id : improved) {
    Table<rm::PlanProgress>::Parts plan = table.MutableParts(plan_id);
    RecordWork(plan.entity(), work, ref);
    plan.HeaderChanged();
    for (rm::TaskProgress& task : *plan.entity().mutable_tasks()) {
      if (task.agency_id() == work.agency_id && task.kind() == work.kind) {
        Settle(plan.entity(), task);
        plan.PartChanged(task);
      }
    }
  }
}

void ApplyPlanEvent(const AppliedEvent& e, const rm::EventRef& ref, const std::string& plan_id,
                    Table<rm::PlanProgress>& table) {
  if (const auto* p = e.As<pb::PlanDrafted>()) {
    Table<rm::PlanProgress>::Parts plan = table.MutableParts(plan_id);
    plan.entity().set_plan_id(plan_id);
    plan.entity().set_title(p->title());
    plan.entity().set_jurisdiction(p->jurisdiction());
    *plan.entity().mutable_drafted_by() = ref;
    plan.HeaderChanged();
  } else if (e.As<pb::PlanApproved>() != nullptr) {
    Table<rm::PlanProgress>::Parts plan = table.MutableParts(plan_id);
    plan.entity().set_approved(true);
    *plan.entity().mutable_approved_by() = ref;
    plan.HeaderChanged();
  } else if (const auto* p = e.As<pb::TaskAdded>()) {
    Table<rm::PlanProgress>::Parts plan = table.MutableParts(plan_id);
    rm::TaskProgress* task = plan.entity().add_tasks();
    task->set_task_id(p->task_id());
    task->set_agency_id(p->agency_id());
    task->set_kind(p->kind());
    task->set_due_date(p->due_date());
    task->set_description(p->description());
    *task->mutable_added_by() = ref;
    Settle(plan.entity(), *task);
    plan.PartChanged(*task);
  } else if (const auto* p = e.As<pb::TaskCompleted>()) {
    Table<rm::PlanProgress>::Parts plan = table.MutableParts(plan_id);
    rm::TaskProgress* task = FindTask(plan.entity(), p->task_id());
    if (task == nullptr) return;  // the write side completes only tasks it has
    *task->mutable_marked_done_by() = ref;
    task->set_note(p->note());
    Settle(plan.entity(), *task);
    plan.PartChanged(*task);
  } else if (e.As<pb::PlanClosed>() != nullptr) {
    Table<rm::PlanProgress>::Parts plan = table.MutableParts(plan_id);
    plan.entity().set_closed(true);
    *plan.entity().mutable_closed_by() = ref;
    plan.entity().clear_work_done();  // kept only for tasks still to be added
    plan.HeaderChanged();
  }
}

}  // namespace

void ReformProjection::ApplyTyped(const AppliedEvent& event, Table<rm::PlanProgress>& table) const {
  if (std::optional<Work> work = WorkOf(event); work.has_value()) {
    ApplyWork(*work, RefOf(event.envelope), table);
    return;
  }
  const std::string& stream = event.envelope.stream_id;
  if (!absl::StartsWith(stream, domain::kPlanStreamPrefix)) return;
  ApplyPlanEvent(event, RefOf(event.envelope), stream.substr(sizeof(domain::kPlanStreamPrefix) - 1),
                 table);
}

const google::protobuf::FieldDescriptor* ReformProjection::parted_field() const {
  return rm::PlanProgress::descriptor()->FindFieldByNumber(rm::PlanProgress::kTasksFieldNumber);
}

std::string ReformProjection::PartKey(const google::protobuf::Message& element) const {
  // Tasks are only ever appended, as their TaskAdded events come in log order.
  std::string key;
  format::AppendOrderedUint64(static_cast<const rm::TaskProgress&>(element).added_by().position(),
                              key);
  return key;
}

std::vector<const google::protobuf::Descriptor*> ReformProjection::EventTypes() const {
  // The doing events of WorkOf and the plan events of ApplyPlanEvent.
  return EventSet<pb::MandateIssued, pb::AgencyEstablished, pb::ExtraNameAdded, pb::AgencyRenamed,
                  pb::LeadersChanged, pb::PersonTransferred, pb::PlanDrafted, pb::PlanApproved,
                  pb::TaskAdded, pb::TaskCompleted, pb::PlanClosed>::Descriptors();
}

}  // namespace reformlog::projections
