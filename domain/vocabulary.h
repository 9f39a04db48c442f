// The domain's small vocabulary in code, shared by the read side (projections) and the
// write side (services) from the lowest layer that needs it: stream ids, the Chinese labels users
// read in messages, and the shape checks every command shares (ids, dates, codes, money). Pure
// functions; no I/O.
#ifndef REFORMLOG_DOMAIN_VOCABULARY_H_
#define REFORMLOG_DOMAIN_VOCABULARY_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/common.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::domain {

namespace pb = ::reformlog::domain::v1;

// Entity ids: 1–kEntityIdBytesMax bytes of [A-Za-z0-9._-].
inline constexpr size_t kEntityIdBytesMax = 64;
// Names, titles, functions and notes.
inline constexpr size_t kTextBytesMax = 1024;
// Fiscal years the budget accepts.
inline constexpr int kFiscalYearMin = 1949;
inline constexpr int kFiscalYearMax = 2200;
// The largest amount one budget event may carry: 10^15 fen (10 万亿元).
inline constexpr int64_t kAmountFenMax = 1'000'000'000'000'000;
// The largest quota count one event may carry.
inline constexpr int32_t kQuotaCountMax = 1'000'000;

inline constexpr char kAgencyStreamPrefix[] = "agency-";
inline constexpr char kPersonStreamPrefix[] = "person-";
inline constexpr char kPowerStreamPrefix[] = "power-";
inline constexpr char kBudgetStreamPrefix[] = "budget-";
inline constexpr char kPlanStreamPrefix[] = "plan-";
// The register of agency names (services/domain/rules.h AgencyNameStream): the prefix and
// how many hex digits of the digest follow it.
inline constexpr char kAgencyNameStreamPrefix[] = "name-";
inline constexpr size_t kAgencyNameStreamDigestHex = 32;
// 用编 notices (用编审批): one stream each.
inline constexpr char kQuotaUseStreamPrefix[] = "notice-";
// A jurisdiction's settings (services/domain/rules.h JurisdictionStream): the prefix and how
// many hex digits of the digest follow it.
inline constexpr char kJurisdictionStreamPrefix[] = "jurisdiction-";
inline constexpr size_t kJurisdictionStreamDigestHex = 32;
// Principal ids (who records events): 1–kPrincipalIdBytesMax bytes of [a-z0-9._-].
inline constexpr size_t kPrincipalIdBytesMax = 63;
// Request ids: 1–kRequestIdBytesMax bytes. A command's commit id is "<principal>/<request id>"
// (request ids are scoped per principal), which fits the store's kIdBytesMax of 128 bytes.
inline constexpr size_t kRequestIdBytesMax = 64;
// The one stream of principals, roles and tokens (security_events.proto).
inline constexpr char kSecurityStream[] = "security";

std::string AgencyStream(absl::string_view agency_id);
std::string PersonStream(absl::string_view person_id);
std::string PowerStream(absl::string_view code);
std::string BudgetStream(absl::string_view agency_id, int fiscal_year);
std::string PlanStream(absl::string_view plan_id);
std::string QuotaUseStream(absl::string_view notice_id);

// The checks below name `field` and quote the value through QuoteValue (quote.h): a refusal
// stays short whatever the caller sent.
//
// INVALID_ARGUMENT unless `id` is a valid entity id.
absl::Status ValidateId(absl::string_view field, absl::string_view id);
// Whether `id` has the shape of a 居民身份证号码 (18 characters: 17 digits and a digit or X;
// or the old 15 digits). Person ids are pseudonymous: such an id is refused at registration.
bool LooksLikeResidentIdNumber(absl::string_view id);

// INVALID_ARGUMENT unless `id` is a valid principal id.
absl::Status ValidatePrincipalId(absl::string_view field, absl::string_view id);
// INVALID_ARGUMENT when empty, longer than kTextBytesMax (the size is named, not the text),
// or holding a character that changes how text is shown rather than what it says: a C0 or C1
// control other than tab and line feed (a terminal escape, a carriage return), DEL, or a
// bidirectional mark, embedding, override or isolate (U+061C, U+200E/F, U+202A–E,
// U+2066–9). The refusal names the code point and its byte offset.
absl::Status ValidateText(absl::string_view field, absl::string_view text, bool required);
// INVALID_ARGUMENT unless `date` is YYYY-MM-DD (or empty and !required).
absl::Status ValidateDate(absl::string_view field, absl::string_view date, bool required);
// Function codes (支出功能分类) are 3, 5 or 7 digits; economic codes 3 or 5.
absl::Status ValidateFunctionCode(absl::string_view field, absl::string_view code);
absl::Status ValidateEconomicCode(absl::string_view field, absl::string_view code);
absl::Status ValidateFiscalYear(int year);

// The (label) option of value `value` of enum `type` (how users write it); for a value without
// one (a number written by a newer version) `fallback` followed by the number.
std::string EnumLabel(const google::protobuf::EnumDescriptor* type, int value,
                      absl::string_view fallback);

// Labels as users write them: 行政编制, 正科级, 行政处罚, 一般公共预算 …
std::string Label(pb::QuotaCategory category);
std::string Label(pb::Rank rank);
std::string Label(pb::AgencyKind kind);
std::string Label(pb::PowerCategory category);
std::string Label(pb::FundSource source);
std::string Label(pb::DelegationMode mode);
std::string Label(pb::ExpenditureKind kind);
std::string Label(pb::IndicatorLevel1 level);   // 产出指标, 效益指标, 满意度指标
std::string Label(pb::IndicatorLevel2 level);   // 数量指标 … 服务对象满意度指标
std::string Label(pb::EntryReason reason);      // 考录, 调入, 军转安置 …
std::string Label(pb::DepartureReason reason);  // 退休, 调出, 辞职 …

// Money as users read it: 1234567 fen → "12345.67 元".
std::string Yuan(int64_t fen);

// 党政机关: every kind of body except a 事业单位.
bool IsPartyOrGovernmentOrgan(pb::AgencyKind kind);
// 财政拨款: the three kinds of fiscal appropriation.
bool IsFiscalAppropriation(pb::FundSource source);

// A reform task's kind as users write it: 挂牌, 班子到位, 人员转隶, 三定印发, 其他任务.
std::string Label(pb::TaskKind kind);

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_VOCABULARY_H_
