// StaffingProjection ("staffing"): quota vs people per category and leader posts vs leaders, per
// agency.
#ifndef REFORMLOG_PROJECTIONS_STAFFING_STAFFING_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_STAFFING_STAFFING_PROJECTION_H_

#include "projections/projection.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

class StaffingProjection final : public TypedProjection<readmodel::v1::AgencyStaffing> {
 public:
  static constexpr char kName[] = "staffing";
  absl::string_view name() const override { return kName; }

 protected:
  void ApplyTyped(const AppliedEvent& event,
                  Table<readmodel::v1::AgencyStaffing>& table) const override;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_STAFFING_STAFFING_PROJECTION_H_
