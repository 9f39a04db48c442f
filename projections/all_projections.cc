#include "projections/all_projections.h"

#include "projections/budget/budget_projection.h"
#include "projections/org/org_projection.h"
#include "projections/power/power_projection.h"
#include "projections/reform/reform_projection.h"
#include "projections/staffing/people_projection.h"
#include "projections/staffing/staffing_projection.h"

namespace reformlog::projections {

std::vector<std::unique_ptr<Projection>> AllProjections() {
  std::vector<std::unique_ptr<Projection>> all;
  all.push_back(std::make_unique<OrgProjection>());
  all.push_back(std::make_unique<StaffingProjection>());
  all.push_back(std::make_unique<PeopleProjection>());
  all.push_back(std::make_unique<PowerProjection>());
  all.push_back(std::make_unique<BudgetProjection>());
  all.push_back(std::make_unique<ReformProjection>());
  return all;
}

}  // namespace reformlog::projections
