// Rules every context shares: finding the agency a command is about, the reform lock, and the
// register of agency names.
#ifndef REFORMLOG_SERVICES_DOMAIN_RULES_H_
#define REFORMLOG_SERVICES_DOMAIN_RULES_H_

#include <set>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

// The agency `agency_id` (named `field` in errors) as of the command's effective date:
// INVALID_ARGUMENT for a malformed id, NOT_FOUND when it was never established,
// FAILED_PRECONDITION naming the date when it is established only after the command takes
// effect (nothing takes effect before its subject exists).
absl::StatusOr<const AgencyState*> ExistingAgency(StateView& view, absl::string_view field,
                                                  absl::string_view agency_id);

// As ExistingAgency, and FAILED_PRECONDITION when it has ceased (merged, split, abolished):
// a ceased agency takes no quota, people, powers or budget.
absl::StatusOr<const AgencyState*> ActiveAgency(StateView& view, absl::string_view field,
                                                absl::string_view agency_id);

// Locked records refuse changes except through the plan that locked them: every agency a
// decision writes to must be unlocked or locked by `plan_id` as the record stands now,
// whatever date the change takes effect on. Locking and unlocking events
// themselves are judged by their own decision. FAILED_PRECONDITION naming the agency and
// the plan.
absl::Status CheckLocks(StateView& view, const Decision& decision, absl::string_view plan_id);

// The stream registering one agency name in one jurisdiction: "name-" and 32 hex digits of
// the SHA-256 of the two (length-prefixed). Stable: it names data in the log.
std::string AgencyNameStream(absl::string_view jurisdiction, absl::string_view name);

// The stream of a jurisdiction's settings (用编审批 policy): "jurisdiction-" and 32 hex digits of
// the SHA-256 of its name. Stable: it names data in the log.
std::string JurisdictionStream(absl::string_view jurisdiction);

// Names are unique among the active agencies of a jurisdiction (an agency's name and its
// extra names, 挂牌, alike). Claims `name` in `jurisdiction` for `agency_id` as of the
// command's date: FAILED_PRECONDITION (naming `field`, the name and the agency carrying it)
// unless no other agency carries it, or only agencies in `releasing` do — agencies that
// cease in the same decision, whose ReleaseAgencyNames must come before the claim.
absl::Status ClaimAgencyName(StateView& view, Decision& decision, absl::string_view field,
                             absl::string_view jurisdiction, absl::string_view name,
                             absl::string_view agency_id,
                             const std::set<std::string>& releasing = {});
// Releases `name` in `jurisdiction` if `agency_id` carries it there (a register made before
// names were registered holds no claim to release).
absl::Status ReleaseAgencyName(StateView& view, Decision& decision, absl::string_view jurisdiction,
                               absl::string_view name, absl::string_view agency_id);
// Releases every name `agency` carries (its name and extra names): it ceases.
absl::Status ReleaseAgencyNames(StateView& view, Decision& decision, const AgencyState& agency);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_RULES_H_
