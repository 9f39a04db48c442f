// Rules every context shares: finding the agency a command is about, and the reform lock.
#ifndef REFORMLOG_SERVICES_DOMAIN_RULES_H_
#define REFORMLOG_SERVICES_DOMAIN_RULES_H_

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

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_RULES_H_
