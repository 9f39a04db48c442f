#include "projections/budget/budget_projection.h"

namespace reformlog::projections {

void BudgetProjection::ApplyTyped(const AppliedEvent& /*event*/,
                                  Table<readmodel::v1::BudgetBook>& /*table*/) const {}

}  // namespace reformlog::projections
