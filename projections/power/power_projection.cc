#include "projections/power/power_projection.h"

namespace reformlog::projections {

void PowerProjection::ApplyTyped(const AppliedEvent& /*event*/,
                                 Table<readmodel::v1::PowerRecord>& /*table*/) const {}

}  // namespace reformlog::projections
