// 用编审批 (approval to use vacancies), decided. An agency applies to fill vacancies of one
// quota category (用编申请, RequestQuotaUse); the 编办 approves with a 核准使用编制通知单 — a
// number and the last date it may be used — possibly for fewer than asked (ApproveQuotaUse), or
// declines (DeclineQuotaUse). An approved notice reserves its vacancies in the agency
// (预留编制: QuotaReserved on the agency stream), and a reservation counts in every 空编 check
// (FreeVacancies) until people are registered into it citing the notice (入编,
// staffing_decide.h), it lapses after its last date, or it is withdrawn (WithdrawQuotaUse),
// which releases what is left. Whether a jurisdiction requires a notice for every newcomer is
// its own setting, recorded as an event (SetQuotaUsePolicy): some districts do not use it.
//
// Each notice is a stream, notice-{id} (QuotaUseStream), that other agencies' systems (人社,
// 财政) follow through the feed. Pure: see decision.h.
#ifndef REFORMLOG_SERVICES_DOMAIN_QUOTA_USE_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_QUOTA_USE_DECIDE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// The most vacancies one notice may ask for or reserve.
inline constexpr int32_t kQuotaUseCountMax = 10'000;

// The vacancies of `category` in `agency` that a registration citing no notice may fill on
// `date`: quota − in post − reserved by notices still valid on `date` (never below zero).
int64_t FreeVacancies(const AgencyState& agency, pb::QuotaCategory category,
                      absl::string_view date);

// QuotaUseRequested on notice-{notice_id}: ALREADY_EXISTS for a notice id in use;
// INVALID_ARGUMENT for a malformed request (count 1–kQuotaUseCountMax, purpose required);
// FAILED_PRECONDITION when the agency is not active, may not hold the category, or has fewer
// free vacancies than asked for on the command's date.
absl::StatusOr<Decision> DecideRequestQuotaUse(StateView& view,
                                               const api::RequestQuotaUseRequest& r);
// QuotaUseApproved on the notice and QuotaReserved on the agency: the notice must be requested
// (not yet decided or withdrawn) by `agency_id`; count (0: as requested) no more than requested
// and no more than the agency's free vacancies on the command's date; valid_until on or after it.
absl::StatusOr<Decision> DecideApproveQuotaUse(StateView& view,
                                               const api::ApproveQuotaUseRequest& r);
// QuotaUseDeclined: a requested notice not yet decided; reason required.
absl::StatusOr<Decision> DecideDeclineQuotaUse(StateView& view, const api::CloseQuotaUseRequest& r);
// QuotaUseWithdrawn (and, for an approved notice with vacancies left, QuotaReservationReleased
// on the agency): a requested or approved notice not withdrawn, declined or used up.
absl::StatusOr<Decision> DecideWithdrawQuotaUse(StateView& view,
                                                const api::CloseQuotaUseRequest& r);
// QuotaUsePolicySet on the jurisdiction's stream; FAILED_PRECONDITION when it already says so.
absl::StatusOr<Decision> DecideSetQuotaUsePolicy(StateView& view,
                                                 const api::SetQuotaUsePolicyRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_QUOTA_USE_DECIDE_H_
