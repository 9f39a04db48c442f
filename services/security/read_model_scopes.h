// ReadModelScopes: the ScopeResolver of reformd — agencies' places from the org read model,
// people's agencies from the people read model, power holders from the powers read model,
// plans' jurisdictions from the first event of their stream. A thing the read model does not
// know yet (recorded a moment ago) is looked up again once the read model has caught up
// with the log's head (waiting at most kScopeLookupWaitMax). Cost: one read-model lookup per
// step up an agency's ancestry (at most kAncestryDepthMax), independent of the log's size.
// Thread-safe.
#ifndef REFORMLOG_SERVICES_SECURITY_READ_MODEL_SCOPES_H_
#define REFORMLOG_SERVICES_SECURITY_READ_MODEL_SCOPES_H_

#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "projections/projection_runner.h"
#include "services/security/scope_resolver.h"

namespace reformlog::services::security {

// The longest a scope lookup waits for a read model to catch up with the log's head.
inline constexpr absl::Duration kScopeLookupWaitMax = absl::Seconds(5);

class ReadModelScopes final : public ScopeResolver {
 public:
  // Both must outlive this.
  ReadModelScopes(projections::ProjectionRunner& runner, eventstore::EventStore& store)
      : runner_(runner), store_(store) {}

  absl::StatusOr<AgencyPlace> Agency(absl::string_view agency_id) override;
  absl::StatusOr<std::string> PersonAgency(absl::string_view person_id) override;
  absl::StatusOr<std::string> PowerHolder(absl::string_view code) override;
  absl::StatusOr<std::string> PlanJurisdiction(absl::string_view plan_id) override;

 private:
  projections::ProjectionRunner& runner_;
  eventstore::EventStore& store_;
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_READ_MODEL_SCOPES_H_
