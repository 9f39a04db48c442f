// Decisions of the organisation context (OrgCommands) about an agency's 三定 (职能、内设机构、
// 人员编制): its divisions (内设机构), the mandate that sets functions, divisions, quotas and
// leader posts at once, and transfers of functions between agencies. Pure: see decision.h.
//
// The agency must be active: NOT_FOUND when it was never established, FAILED_PRECONDITION when
// it has ceased (rules.h).
#ifndef REFORMLOG_SERVICES_DOMAIN_ORG_MANDATE_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_ORG_MANDATE_DECIDE_H_

#include "absl/status/statusor.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// Functions, divisions and leader ranks of one mandate.
inline constexpr int kMandateItemsMax = 500;

// DivisionCreated; ALREADY_EXISTS when the agency has that division already.
absl::StatusOr<Decision> DecideCreateDivision(StateView& view, const api::CreateDivisionRequest& r);
// DivisionAbolished; NOT_FOUND when the agency has no such division.
absl::StatusOr<Decision> DecideAbolishDivision(StateView& view,
                                               const api::AbolishDivisionRequest& r);
// The 三定: up to kMandateItemsMax functions, divisions and leader ranks; a division, a rank and
// a quota category are each listed once. Its quotas and leader posts replace the agency's (a
// category or rank it does not list has none): FAILED_PRECONDITION when people in post would exceed
// a quota (超编), appointed leaders a rank's posts (超职数), or a quota is of a category the agency
// may not use. Divisions it does not list are abolished and new or changed ones created before
// MandateIssued.
absl::StatusOr<Decision> DecideIssueMandate(StateView& view, const api::IssueMandateRequest& r);
// 核定领导职数 outside a 三定 (LeaderPostsApproved): up to kMandateItemsMax ranks, each once,
// replacing the agency's leader posts; FAILED_PRECONDITION when appointed leaders would exceed a
// rank's posts (超职数).
absl::StatusOr<Decision> DecideApproveLeaderPosts(StateView& view,
                                                  const api::ApproveLeaderPostsRequest& r);
// 职能划转 between two different active agencies. Once the source has a mandate, only
// functions it lists can leave: FAILED_PRECONDITION naming the others.
absl::StatusOr<Decision> DecideTransferFunctions(StateView& view,
                                                 const api::TransferFunctionsRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_ORG_MANDATE_DECIDE_H_
