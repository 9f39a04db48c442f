// Decisions of the organisation context (OrgCommands) about agencies themselves: founding one,
// its names, its place in the tree and its rank, and the restructures that end one — merger,
// split, abolition. Pure: see decision.h. An agency's 三定 is decided in org_mandate_decide.h,
// its quotas (编制) in org_quota_decide.h.
//
// An agency a command changes or names as parent, original or successor must be active:
// NOT_FOUND when it was never established, FAILED_PRECONDITION when it has ceased (rules.h).
#ifndef REFORMLOG_SERVICES_DOMAIN_ORG_AGENCY_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_ORG_AGENCY_DECIDE_H_

#include "absl/status/statusor.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// How far up the parent chain a reparenting looks for a cycle before giving up.
inline constexpr int kAncestryDepthMax = 64;
// Originals of one merger; parts of one split.
inline constexpr int kMergeOriginalsMax = 32;
inline constexpr int kSplitPartsMax = 32;

// AgencyEstablished (origin FOUNDED) under an active parent, or at the top with none.
// INVALID_ARGUMENT for a malformed spec (a 事业单位 needs its funding form; 参公 applies only to
// a 事业单位, a role only to a 政府部门); ALREADY_EXISTS when the id was ever used.
absl::StatusOr<Decision> DecideEstablishAgency(StateView& view,
                                               const api::EstablishAgencyRequest& r);
// AgencyRenamed; FAILED_PRECONDITION when the agency has that name already.
absl::StatusOr<Decision> DecideRenameAgency(StateView& view, const api::RenameAgencyRequest& r);
// ExtraNameAdded (a second name, 一个机构两块牌子); FAILED_PRECONDITION when the agency carries
// the name already. Removing: FAILED_PRECONDITION when it carries no such extra name.
absl::StatusOr<Decision> DecideAddExtraName(StateView& view, const api::ExtraNameRequest& r);
absl::StatusOr<Decision> DecideRemoveExtraName(StateView& view, const api::ExtraNameRequest& r);
// AgencyReparented under an active new parent, or to the top with none. FAILED_PRECONDITION when
// that is its parent already, when the agency would become its own ancestor, or when the chain
// above the new parent is deeper than kAncestryDepthMax. Every ancestor read is checked at commit.
absl::StatusOr<Decision> DecideReparentAgency(StateView& view, const api::ReparentAgencyRequest& r);
// AgencyReranked; FAILED_PRECONDITION when the agency has that rank already.
absl::StatusOr<Decision> DecideRerankAgency(StateView& view, const api::RerankAgencyRequest& r);
// 2–kMergeOriginalsMax originals, each named once, merge into a new agency (new_agency:
// A + B → C) or into one of them (absorbing_id: A + B → B). Everything the others hold —
// quota, people, power items, functions — moves to the result; each original records
// AgencyMerged and an absorbing one AgencyAbsorbed. A category the result may not hold (事业编制
// into a 党政机关) is converted (转换) or cancelled (核销) first, as quota_dispositions say
// (moves.h DisposeQuotas); FAILED_PRECONDITION when one is held and not disposed of.
absl::StatusOr<Decision> DecideMergeAgencies(StateView& view, const api::MergeAgenciesRequest& r);
// An agency splits into 2–kSplitPartsMax new ones. Every quota unit, person and power item of
// the original goes to exactly one part, and no part receives more people of a category than
// quota (人随编走): FAILED_PRECONDITION otherwise, naming what is left without a part.
absl::StatusOr<Decision> DecideSplitAgency(StateView& view, const api::SplitAgencyRequest& r);
// AgencyAbolished. Without successor_id the agency must hold no quota, people or power items
// (FAILED_PRECONDITION naming them); with one, everything moves to that active successor first,
// after quota_dispositions convert or cancel what the successor may not hold (as a merger).
absl::StatusOr<Decision> DecideAbolishAgency(StateView& view, const api::AbolishAgencyRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_ORG_AGENCY_DECIDE_H_
