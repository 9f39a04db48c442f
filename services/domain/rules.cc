#include "services/domain/rules.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {

absl::StatusOr<const AgencyState*> ExistingAgency(StateView& view, absl::string_view field,
                                                  absl::string_view agency_id) {
  RETURN_IF_ERROR(ValidateId(field, agency_id));
  ASSIGN_OR_RETURN(const AgencyState* agency, view.Agency(agency_id));
  if (!agency->exists && !agency->begins_on.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat(field, ": ", AgencyStream(agency_id), " is established on ", agency->begins_on,
                     ", after this change takes effect (", view.effective_date(),
                     "): nothing takes effect before its subject exists"));
  }
  if (!agency->exists) {
    return absl::NotFoundError(absl::StrCat(field, ": no agency ", agency_id));
  }
  return agency;
}

absl::StatusOr<const AgencyState*> ActiveAgency(StateView& view, absl::string_view field,
                                                absl::string_view agency_id) {
  ASSIGN_OR_RETURN(const AgencyState* agency, ExistingAgency(view, field, agency_id));
  if (agency->ceased) {
    return absl::FailedPreconditionError(
        absl::StrCat(agency->Describe(), " has ceased (", agency->ceased_how,
                     "): it takes no quota, people, powers or budget"));
  }
  return agency;
}

absl::Status CheckLocks(StateView& view, const Decision& decision, absl::string_view plan_id) {
  for (const Emitted& emitted : decision.events()) {
    if (!absl::StartsWith(emitted.stream_id, kAgencyStreamPrefix)) continue;
    if (dynamic_cast<const pb::RecordsLocked*>(emitted.event.get()) != nullptr ||
        dynamic_cast<const pb::RecordsUnlocked*>(emitted.event.get()) != nullptr) {
      continue;
    }
    absl::string_view agency_id =
        absl::string_view(emitted.stream_id).substr(sizeof(kAgencyStreamPrefix) - 1);
    // The lock as the record stands now: back-dating a change does not get past it.
    ASSIGN_OR_RETURN(const AgencyState* agency, view.LatestAgency(agency_id));
    const std::string& lock = agency->locked_by_plan;
    if (!lock.empty() && lock != plan_id) {
      return absl::FailedPreconditionError(
          absl::StrCat(agency->Describe(), " is locked by plan ", lock,
                       plan_id.empty() ? "; make the change under that plan (plan_id)"
                                       : absl::StrCat(", not by plan ", plan_id)));
    }
  }
  return absl::OkStatus();
}

}  // namespace reformlog::domain
