// ReformProjection ("reform"): every reform plan (改革方案) and the progress of its tasks —
// one PlanProgress per plan, keyed by its plan id, from the plan-{id} streams (PlanDrafted,
// PlanApproved, TaskAdded, TaskCompleted, PlanClosed) and from the events that do the work.
//
// A task is done when the event that does it is recorded (DOMAIN.md §6). The doing events, by
// the task's kind, on the task's agency:
//   HANG_NAMEPLATE (挂牌)           AgencyEstablished of the agency, ExtraNameAdded on it (加挂
//                                   牌子), or AgencyRenamed of it (it carries the new name)
//   LEADERSHIP_IN_PLACE (班子到位)   LeadersChanged on the agency appointing at least one
//                                   leader (the agency-stream side of LeaderAppointed; one per
//                                   appointment, so each appointment is counted once)
//   STAFF_TRANSFER (人员转隶)       PersonTransferred with to_agency_id = the agency — by a
//                                   transfer or with a restructure; not a RosterChanged, which
//                                   registration also writes
//   MANDATE_ISSUED (三定印发)       MandateIssued of the agency
//   OTHER_TASK                      none: only its TaskCompleted
// Any task can also be completed by hand (TaskCompleted; its note is kept).
//
// Order. A plan is usually drafted before the work, but a task is often added after it: the
// agency a 挂牌 task names must exist, i.e. be established, before the task can be added. So
// each open plan keeps, per (agency, kind), the earliest doing event recorded since it was
// drafted (PlanProgress.work_done), and a task added later is done by it. Work recorded
// before the plan was drafted never completes its tasks (an agency established in 2010 does
// not hang the nameplate of a 2019 plan); neither does work recorded after the plan was
// closed. "Earliest" is in effective order (date, then position), and a task's completing
// event is the earliest of its doing event and its TaskCompleted — so the answer does not
// depend on the order in which back-dated events were recorded.
//
// Cost: a doing event is matched against every open plan (a scan of the table; a district
// has a few plans), and changes only the plans where it is the earliest of its kind for its
// agency. An open plan keeps at most one entry per agency and kind. A plan's tasks are its
// parted field (Projection::parted_field), each persisted on its own under the position of its
// TaskAdded: completing a task rewrites that task, whatever the number of tasks of the plan;
// the plan's other fields (approval, closing, the work done) are its header.
//
// Apply is pure and deterministic.
#ifndef REFORMLOG_PROJECTIONS_REFORM_REFORM_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_REFORM_REFORM_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class ReformProjection final : public TypedProjection<readmodel::v1::PlanProgress> {
 public:
  static constexpr char kName[] = "reform";
  absl::string_view name() const override { return kName; }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override;
  // 2: tasks persisted one by one.
  uint32_t logic_version() const override { return 2; }
  // PlanProgress.tasks, keyed by the position of their TaskAdded (the order they are in).
  const google::protobuf::FieldDescriptor* parted_field() const override;
  std::string PartKey(const google::protobuf::Message& element) const override;

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::PlanProgress>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_REFORM_REFORM_PROJECTION_H_
