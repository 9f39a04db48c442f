// The budget's view of an agency, joined from the org read model: what summing a book needs
// to know of the agency that holds it (its kind and whether it is managed as civil service,
// 参公), as it stood at the end of the fiscal year — or as first recorded, when the agency
// was established later than that year.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_AGENCY_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_AGENCY_H_

#include <optional>
#include <string>

#include "projections/budget/budget_summary.h"
#include "projections/entity_table.h"

namespace reformlog::projections {

// `org` is the org read model's table; nullopt when it does not know the agency.
std::optional<AgencyProfile> BudgetAgencyProfile(const EntityTable& org,
                                                 const std::string& agency_id, int fiscal_year);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_AGENCY_H_
