#include "projections/staffing/people_projection.h"

namespace reformlog::projections {

void PeopleProjection::ApplyTyped(const AppliedEvent& /*event*/,
                                  Table<readmodel::v1::PersonRecord>& /*table*/) const {}

}  // namespace reformlog::projections
