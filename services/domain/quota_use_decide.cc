#include "services/domain/quota_use_decide.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "services/domain/moves.h"
#include "services/domain/rules.h"

namespace reformlog::domain {
namespace {

absl::Status ValidateCount(absl::string_view field, int32_t count, int32_t min) {
  if (count < min || count > kQuotaUseCountMax) {
    return RefuseInvalid(absl::StrCat(field, " ", count, " is outside ", min, "–",
                                      kQuotaUseCountMax, " (kQuotaUseCountMax)"),
                         absl::StrCat(field, "（用编数）", count, " 不在 ", min, "–",
                                      kQuotaUseCountMax, " 之内（kQuotaUseCountMax）"));
  }
  return absl::OkStatus();
}

// "notice-x (用编申请 of agency-a 行政编制 2, 已核准 西编用〔2019〕12号)": how refusals name a
// notice.
std::string DescribeNotice(const QuotaUseState& n) {
  return absl::StrCat(QuotaUseStream(n.notice_id), " (", Label(n.category), " ", n.requested,
                      " for ", AgencyStream(n.agency_id), ", ",
                      QuotaUseState::StatusLabel(n.status),
                      n.notice_number.empty() ? "" : absl::StrCat(" ", n.notice_number), ")");
}
// 「用编申请 x（xq-sfj 申请行政编制2名，已核准 西编用〔2019〕12号）」.
std::string DescribeNoticeZh(const QuotaUseState& n) {
  return absl::StrCat("用编申请 ", n.notice_id, "（", n.agency_id, " 申请", Label(n.category),
                      n.requested, "名，", QuotaUseState::StatusLabel(n.status),
                      n.notice_number.empty() ? "" : absl::StrCat(" ", n.notice_number), "）");
}

// The notice `notice_id` of `agency_id`, which must exist (NOT_FOUND) and be that agency's
// (FAILED_PRECONDITION).
absl::StatusOr<const QuotaUseState*> NoticeOf(StateView& view, absl::string_view notice_id,
                                              absl::string_view agency_id) {
  RETURN_IF_ERROR(ValidateId("notice_id", notice_id));
  RETURN_IF_ERROR(ValidateId("agency_id", agency_id));
  ASSIGN_OR_RETURN(const QuotaUseState* notice, view.QuotaUse(notice_id));
  if (!notice->exists && !notice->begins_on.empty()) {
    return RefusePrecondition(
        absl::StrCat(QuotaUseStream(notice_id), " is requested on ", notice->begins_on,
                     ", after this change takes effect (", view.effective_date(),
                     "): nothing takes effect before its subject exists"),
        absl::StrCat("用编申请 ", notice_id, " 于 ", notice->begins_on,
                     " 提出，晚于本项改动的生效日期 ", view.effective_date()));
  }
  if (!notice->exists) {
    return RefuseNotFound(absl::StrCat("no notice ", notice_id),
                          absl::StrCat("没有用编申请 ", notice_id));
  }
  if (notice->agency_id != agency_id) {
    return RefusePrecondition(
        absl::StrCat(DescribeNotice(*notice), " is not ", AgencyStream(agency_id), "'s"),
        absl::StrCat(DescribeNoticeZh(*notice), "不是 ", agency_id, " 的"));
  }
  return notice;
}

// FAILED_PRECONDITION, with the numbers, unless `agency` has `count` free vacancies of
// `category` on `date` (`what`: "asked for", "to approve"; `what_zh`: 申请, 核准).
absl::Status CheckFree(const AgencyState& agency, pb::QuotaCategory category,
                       absl::string_view date, int64_t count, absl::string_view what,
                       absl::string_view what_zh) {
  const int64_t free = FreeVacancies(agency, category, date);
  if (free >= count) return absl::OkStatus();
  return RefusePrecondition(
      absl::StrCat(agency.Describe(), " ", Label(category), ": quota ", agency.Quota(category),
                   ", in post ", agency.InPost(category), ", reserved ",
                   agency.ReservedOn(category, date), " (预留编制): ", free, " free, ", count, " ",
                   what, " (no vacancy to use: 超编)"),
      absl::StrCat(agency.NameZh(), Label(category), "数", agency.Quota(category), "名，实有",
                   agency.InPost(category), "人，预留", agency.ReservedOn(category, date),
                   "名，空编", free, "名，", what_zh, "使用", count, "名将超编"));
}

}  // namespace

int64_t FreeVacancies(const AgencyState& agency, pb::QuotaCategory category,
                      absl::string_view date) {
  return std::max<int64_t>(
      0, agency.Quota(category) - agency.InPost(category) - agency.ReservedOn(category, date));
}

absl::StatusOr<Decision> DecideRequestQuotaUse(StateView& view,
                                               const api::RequestQuotaUseRequest& r) {
  RETURN_IF_ERROR(ValidateId("notice_id", r.notice_id()));
  RETURN_IF_ERROR(ValidateCategory("category", r.category()));
  RETURN_IF_ERROR(ValidateCount("count", r.count(), 1));
  RETURN_IF_ERROR(ValidateText("purpose", r.purpose(), true));
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  ASSIGN_OR_RETURN(const QuotaUseState* notice, view.QuotaUse(r.notice_id()));
  if (notice->exists || !notice->begins_on.empty()) {
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat("notice_id ", r.notice_id(), " is in use: ", DescribeNotice(*notice)),
        absl::StrCat("用编申请编号（notice_id）", r.notice_id(), " 已被使用：",
                     DescribeNoticeZh(*notice)));
  }
  RETURN_IF_ERROR(CheckCategoryAllowed(*agency, r.category()));
  RETURN_IF_ERROR(
      CheckFree(*agency, r.category(), view.effective_date(), r.count(), "asked for", "申请"));
  Decision decision;
  auto* e = decision.Emit<pb::QuotaUseRequested>(QuotaUseStream(r.notice_id()));
  e->set_notice_id(r.notice_id());
  e->set_agency_id(r.agency_id());
  e->set_category(r.category());
  e->set_count(r.count());
  e->set_purpose(r.purpose());
  return decision;
}

absl::StatusOr<Decision> DecideApproveQuotaUse(StateView& view,
                                               const api::ApproveQuotaUseRequest& r) {
  RETURN_IF_ERROR(ValidateCount("count", r.count(), 0));
  RETURN_IF_ERROR(ValidateText("notice_number", r.notice_number(), true));
  RETURN_IF_ERROR(ValidateDate("valid_until", r.valid_until(), true));
  ASSIGN_OR_RETURN(const QuotaUseState* notice, NoticeOf(view, r.notice_id(), r.agency_id()));
  if (notice->status != QuotaUseState::Status::kRequested) {
    return RefusePrecondition(
        absl::StrCat(DescribeNotice(*notice), ": only a requested notice is approved"),
        absl::StrCat(DescribeNoticeZh(*notice), "：只有待审核的申请才能核准"));
  }
  const int32_t count = r.count() == 0 ? static_cast<int32_t>(notice->requested) : r.count();
  if (count > notice->requested) {
    return RefuseInvalid(absl::StrCat("count ", count, " is more than the ", notice->requested,
                                      " requested by ", QuotaUseStream(r.notice_id())),
                         absl::StrCat("核准数（count）", count, "名，多于用编申请 ", r.notice_id(),
                                      " 申请的", notice->requested, "名"));
  }
  if (r.valid_until() < view.effective_date()) {
    return RefuseInvalid(
        absl::StrCat("valid_until ", r.valid_until(), " is before the approval takes effect (",
                     view.effective_date(), ")"),
        absl::StrCat("有效期（valid_until）至 ", r.valid_until(), "，早于核准的生效日期 ",
                     view.effective_date()));
  }
  ASSIGN_OR_RETURN(const AgencyState* agency, ActiveAgency(view, "agency_id", r.agency_id()));
  RETURN_IF_ERROR(
      CheckFree(*agency, notice->category, view.effective_date(), count, "to approve", "核准"));
  Decision decision;
  auto* approved = decision.Emit<pb::QuotaUseApproved>(QuotaUseStream(r.notice_id()));
  approved->set_notice_id(r.notice_id());
  approved->set_agency_id(r.agency_id());
  approved->set_category(notice->category);
  approved->set_count(count);
  approved->set_notice_number(r.notice_number());
  approved->set_valid_until(r.valid_until());
  auto* reserved = decision.Emit<pb::QuotaReserved>(AgencyStream(r.agency_id()));
  reserved->set_agency_id(r.agency_id());
  reserved->set_notice_id(r.notice_id());
  reserved->set_category(notice->category);
  reserved->set_count(count);
  reserved->set_valid_until(r.valid_until());
  return decision;
}

absl::StatusOr<Decision> DecideDeclineQuotaUse(StateView& view,
                                               const api::CloseQuotaUseRequest& r) {
  RETURN_IF_ERROR(ValidateText("reason", r.reason(), true));
  ASSIGN_OR_RETURN(const QuotaUseState* notice, NoticeOf(view, r.notice_id(), r.agency_id()));
  if (notice->status != QuotaUseState::Status::kRequested) {
    return RefusePrecondition(
        absl::StrCat(DescribeNotice(*notice), ": only a requested notice is declined"),
        absl::StrCat(DescribeNoticeZh(*notice), "：只有待审核的申请才能不予核准"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::QuotaUseDeclined>(QuotaUseStream(r.notice_id()));
  e->set_notice_id(r.notice_id());
  e->set_agency_id(r.agency_id());
  e->set_reason(r.reason());
  return decision;
}

absl::StatusOr<Decision> DecideWithdrawQuotaUse(StateView& view,
                                                const api::CloseQuotaUseRequest& r) {
  RETURN_IF_ERROR(ValidateText("reason", r.reason(), true));
  ASSIGN_OR_RETURN(const QuotaUseState* notice, NoticeOf(view, r.notice_id(), r.agency_id()));
  const bool approved = notice->status == QuotaUseState::Status::kApproved;
  if (notice->status != QuotaUseState::Status::kRequested && !approved) {
    return RefusePrecondition(absl::StrCat(DescribeNotice(*notice), ": it is closed already"),
                              absl::StrCat(DescribeNoticeZh(*notice), "已办结"));
  }
  if (approved && notice->Remaining() == 0) {
    return RefusePrecondition(
        absl::StrCat(DescribeNotice(*notice),
                     ": every vacancy it reserved is filled; nothing to withdraw"),
        absl::StrCat(DescribeNoticeZh(*notice), "预留的编制已全部使用，无可撤回"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::QuotaUseWithdrawn>(QuotaUseStream(r.notice_id()));
  e->set_notice_id(r.notice_id());
  e->set_agency_id(r.agency_id());
  e->set_reason(r.reason());
  e->set_released(static_cast<int32_t>(notice->Remaining()));
  if (approved) {
    // Released on the agency while it stands. A ceased agency holds no valid reservation (it
    // could not cease holding one: moves.h CheckNoReservations), and a change to it would be
    // one it cannot take.
    ASSIGN_OR_RETURN(const AgencyState* agency, ExistingAgency(view, "agency_id", r.agency_id()));
    if (agency->Active() && agency->reservations.contains(r.notice_id())) {
      auto* released = decision.Emit<pb::QuotaReservationReleased>(AgencyStream(r.agency_id()));
      released->set_agency_id(r.agency_id());
      released->set_notice_id(r.notice_id());
      released->set_count(static_cast<int32_t>(notice->Remaining()));
    }
  }
  return decision;
}

absl::StatusOr<Decision> DecideSetQuotaUsePolicy(StateView& view,
                                                 const api::SetQuotaUsePolicyRequest& r) {
  RETURN_IF_ERROR(ValidateText("jurisdiction", r.jurisdiction(), true));
  ASSIGN_OR_RETURN(const JurisdictionState* jurisdiction, view.Jurisdiction(r.jurisdiction()));
  if (jurisdiction->notice_required == r.notice_required()) {
    return RefusePrecondition(
        absl::StrCat(QuoteValue(r.jurisdiction()), " already ",
                     r.notice_required() ? "requires" : "does not require",
                     " a 核准使用编制通知单 (用编审批) to register a newcomer"),
        absl::StrCat(QuoteValue(r.jurisdiction()),
                     r.notice_required()
                         ? " 已实行用编审批：新进人员登记须持核准使用编制通知单"
                         : " 本未实行用编审批：新进人员登记无须持核准使用编制通知单"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::QuotaUsePolicySet>(JurisdictionStream(r.jurisdiction()));
  e->set_jurisdiction(r.jurisdiction());
  e->set_notice_required(r.notice_required());
  return decision;
}

}  // namespace reformlog::domain
