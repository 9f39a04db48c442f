// Decisions of the organisation context (OrgCommands): agencies, restructures, mandates
// (三定) and quotas (编制). Pure: see decision.h.
#ifndef REFORMLOG_SERVICES_DOMAIN_ORG_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_ORG_DECIDE_H_

#include "absl/status/statusor.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// How far up the parent chain a reparenting looks for a cycle before giving up.
inline constexpr int kAncestryDepthMax = 64;
// Originals of one merger; parts of one split; functions, divisions and leader ranks of one
// mandate.
inline constexpr int kMergeOriginalsMax = 32;
inline constexpr int kSplitPartsMax = 32;
inline constexpr int kMandateItemsMax = 500;

absl::StatusOr<Decision> DecideEstablishAgency(StateView& view,
                                               const api::EstablishAgencyRequest& r);
absl::StatusOr<Decision> DecideRenameAgency(StateView& view, const api::RenameAgencyRequest& r);
absl::StatusOr<Decision> DecideAddExtraName(StateView& view, const api::ExtraNameRequest& r);
absl::StatusOr<Decision> DecideRemoveExtraName(StateView& view, const api::ExtraNameRequest& r);
absl::StatusOr<Decision> DecideReparentAgency(StateView& view, const api::ReparentAgencyRequest& r);
absl::StatusOr<Decision> DecideRerankAgency(StateView& view, const api::RerankAgencyRequest& r);
absl::StatusOr<Decision> DecideMergeAgencies(StateView& view, const api::MergeAgenciesRequest& r);
absl::StatusOr<Decision> DecideSplitAgency(StateView& view, const api::SplitAgencyRequest& r);
absl::StatusOr<Decision> DecideAbolishAgency(StateView& view, const api::AbolishAgencyRequest& r);
absl::StatusOr<Decision> DecideCreateDivision(StateView& view, const api::CreateDivisionRequest& r);
absl::StatusOr<Decision> DecideAbolishDivision(StateView& view,
                                               const api::AbolishDivisionRequest& r);
absl::StatusOr<Decision> DecideIssueMandate(StateView& view, const api::IssueMandateRequest& r);
absl::StatusOr<Decision> DecideTransferFunctions(StateView& view,
                                                 const api::TransferFunctionsRequest& r);
absl::StatusOr<Decision> DecideGrantQuota(StateView& view, const api::ChangeQuotaRequest& r);
absl::StatusOr<Decision> DecideWithdrawQuota(StateView& view, const api::ChangeQuotaRequest& r);
absl::StatusOr<Decision> DecideTransferQuota(StateView& view, const api::TransferQuotaRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_ORG_DECIDE_H_
