#include "projections/reform/reform_projection.h"

namespace reformlog::projections {

void ReformProjection::ApplyTyped(const AppliedEvent& /*event*/,
                                  Table<readmodel::v1::PlanProgress>& /*table*/) const {}

}  // namespace reformlog::projections
