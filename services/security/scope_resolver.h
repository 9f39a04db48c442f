// ScopeResolver: where the things a request names sit in the structure — what the guard
// needs to decide whether a scoped grant (a jurisdiction, an agency subtree) covers them.
// Implementations read the current state (read_model_scopes.h); a scope check is made
// against the structure as it stands, also for queries of the past.
#ifndef REFORMLOG_SERVICES_SECURITY_SCOPE_RESOLVER_H_
#define REFORMLOG_SERVICES_SECURITY_SCOPE_RESOLVER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reformlog::services::security {

struct AgencyPlace {
  std::string jurisdiction;
  std::vector<std::string> lineage;  // the agency, its parent, … up to its root
};

class ScopeResolver {
 public:
  virtual ~ScopeResolver() = default;
  // Each: NOT_FOUND when the thing is unknown (or, for a person, no longer in post).
  virtual absl::StatusOr<AgencyPlace> Agency(absl::string_view agency_id) = 0;
  virtual absl::StatusOr<std::string> PersonAgency(absl::string_view person_id) = 0;
  virtual absl::StatusOr<std::string> PowerHolder(absl::string_view code) = 0;
  virtual absl::StatusOr<std::string> PlanJurisdiction(absl::string_view plan_id) = 0;
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_SCOPE_RESOLVER_H_
