// StaffingProjection ("staffing"): per agency, quota vs people in post per category and leader
// posts vs leaders per rank (实名制, 领导职数) — the read model behind 空编/超编/超职数 and the
// 四清两对应 check (staffing_view.h).
//
// Entities are readmodel.v1.AgencyStaffing keyed by agency id, folded from the agency-{id}
// streams in log order exactly as the write side's AgencyState folds them: the figures are what
// the system has recorded (an audit at an earlier position replays the log up to there);
// effective dates are not consulted. Events of other streams are ignored.
//
//   AgencyEstablished, AgencyRenamed             name, kind, jurisdiction
//   AgencyMerged (non-result), AgencySplit,
//   AgencyAbolished                              ceased, ceased_how
//   QuotaGranted/Withdrawn/Cancelled/
//   TransferredIn/Out                            quota per category (±)
//   QuotaConverted                               quota and people in post (its person_ids)
//                                                from one category to another (转换)
//   QuotaReserved, QuotaReservationReleased      reservations (预留编制) per 用编 notice
//   MandateIssued                                replaces quotas and approved leader posts
//   RosterChanged                                people in post per category, +1 per joined
//                                                entry and −1 per left entry (as AgencyState
//                                                counts them); a person leaving also leaves
//                                                any leader post
//   LeadersChanged                               leaders per rank
//   RecordsLocked/Unlocked                       locked_by_plan
//
// Apply is pure and deterministic; repeated fields stay sorted (category, rank, person id).
// Cost of an event: bounded by the agency's categories and leader posts, whatever its number
// of people — an entity keeps counts, not rosters (who is in post is PeopleProjection's). A
// log not written by the decisions may leave a count that is not the roster's size (a left
// entry for someone never in post counts −1); the 四清两对应 check shows the figure as recorded.
#ifndef REFORMLOG_PROJECTIONS_STAFFING_STAFFING_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_STAFFING_STAFFING_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class StaffingProjection final : public TypedProjection<readmodel::v1::AgencyStaffing> {
 public:
  static constexpr char kName[] = "staffing";
  absl::string_view name() const override { return kName; }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override;
  // 2: counts in post instead of rosters of person ids. 3: leader transitions (消化).
  // 4: how an agency ceased, in Chinese with the names of the agencies it went to.
  uint32_t logic_version() const override { return 4; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::AgencyStaffing>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_STAFFING_STAFFING_PROJECTION_H_
