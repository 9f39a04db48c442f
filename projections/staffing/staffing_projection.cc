#include "projections/staffing/staffing_projection.h"

namespace reformlog::projections {

void StaffingProjection::ApplyTyped(const AppliedEvent& /*event*/,
                                    Table<readmodel::v1::AgencyStaffing>& /*table*/) const {}

}  // namespace reformlog::projections
