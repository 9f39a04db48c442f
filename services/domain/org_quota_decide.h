// Decisions of the organisation context (OrgCommands) about quotas (编制): granting one,
// withdrawing one, and transferring quota with the people it covers (编随事走、人随编走). Pure:
// see decision.h.
//
// The agencies must be active: NOT_FOUND when one was never established, FAILED_PRECONDITION
// when it has ceased (rules.h). A quota is of a category the agency may use (moves.h).
#ifndef REFORMLOG_SERVICES_DOMAIN_ORG_QUOTA_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_ORG_QUOTA_DECIDE_H_

#include <cstdint>
#include <map>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// QuotaGranted of 1–kQuotaCountMax; FAILED_PRECONDITION when the agency's quota of the
// category would exceed kQuotaCountMax.
absl::StatusOr<Decision> DecideGrantQuota(StateView& view, const api::ChangeQuotaRequest& r);
// QuotaWithdrawn of 1–kQuotaCountMax; FAILED_PRECONDITION when less would remain than the
// people in post (超编).
absl::StatusOr<Decision> DecideWithdrawQuota(StateView& view, const api::ChangeQuotaRequest& r);
// Quota of one category from one agency to another, with the people (person_ids: each in
// post at the source under that category, each once) it covers. FAILED_PRECONDITION when more
// people move than quota, or the source would keep more people than its remaining quota.
absl::StatusOr<Decision> DecideTransferQuota(StateView& view, const api::TransferQuotaRequest& r);

// The quota counts of a split part or a mandate: INVALID_ARGUMENT unless each (`field`[i] in
// messages) has a valid category, listed once, and a count of 0–kQuotaCountMax. Fills `out`.
absl::Status ValidateQuotaCounts(absl::string_view field,
                                 const google::protobuf::RepeatedPtrField<pb::QuotaCount>& quotas,
                                 std::map<pb::QuotaCategory, int64_t>* out);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_ORG_QUOTA_DECIDE_H_
