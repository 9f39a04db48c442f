#include "projections/budget/budget_agency.h"

#include "absl/strings/str_cat.h"
#include "projections/org/org_view.h"

namespace reformlog::projections {

std::optional<AgencyProfile> BudgetAgencyProfile(const EntityTable& org,
                                                 const std::string& agency_id, int fiscal_year) {
  const auto* history = ConstTable<readmodel::v1::AgencyHistory>(org).Find(agency_id);
  if (history == nullptr) return std::nullopt;
  AgencyAsOf a = FoldAgency(*history, absl::StrCat(fiscal_year, "-12-31"));
  if (!a.exists) a = FoldAgency(*history, kEndOfTime);
  if (!a.exists) return std::nullopt;
  AgencyProfile profile;
  profile.kind = a.kind;
  profile.civil_servant_managed = a.civil_servant_managed;
  return profile;
}

}  // namespace reformlog::projections
