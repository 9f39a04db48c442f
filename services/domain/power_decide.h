// Decisions of the power context (PowerCommands): the list of administrative powers (权力清单) and
// who holds each item. Pure: see decision.h.
#ifndef REFORMLOG_SERVICES_DOMAIN_POWER_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_POWER_DECIDE_H_

#include "absl/status/statusor.h"
#include "reformlog/api/v1/power_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// Items one command catalogues or moves. Each item is one stream of the commit, and the
// agencies on either side are more: 1000 items leave room under the store's 2000 streams
// a commit (eventstore kStreamsPerCommitMax) for the agencies of any realistic command.
inline constexpr int kPowerItemsPerCommandMax = 1'000;
// An error message names at most kListedItemsMax of the items it refuses, then how many more
// (domain/quote.h).

// Every decision below writes the items' facts to power-{code} and, per agency touched, one
// PowersHeldChanged to agency-{id}: counts per category and holder are derived from these,
// never typed.

// New items, each held by an active agency. ALREADY_EXISTS naming every code already
// catalogued.
absl::StatusOr<Decision> DecideCatalogPowers(StateView& view, const api::CatalogPowersRequest& r);
// 行政处罚法 §24 (in force from 2021-07-15): from then on, 行政处罚 passes to a 乡镇 or 街道
// only as 直接下放 and by a decision of the province.
inline constexpr char kPenaltyLawArticle24From[] = "2021-07-15";
// The province-level divisions (省、自治区、直辖市) whose bodies may decide under §24.
inline constexpr const char* kProvinces[] = {
    "北京市",          "天津市", "上海市",       "重庆市",         "河北省",     "山西省",
    "辽宁省",          "吉林省", "黑龙江省",     "江苏省",         "浙江省",     "安徽省",
    "福建省",          "江西省", "山东省",       "河南省",         "湖北省",     "湖南省",
    "广东省",          "海南省", "四川省",       "贵州省",         "云南省",     "陕西省",
    "甘肃省",          "青海省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区",
    "新疆维吾尔自治区"};

// 下放: items held by from_agency_id pass to a town or street (mode DIRECT, ENTRUSTED or
// SERVICE_FORWARD). FAILED_PRECONDITION naming every item someone else holds: only the
// holder can pass an item on; naming every 行政强制 item entrusted (委托: never, 行政强制法 §17);
// and, for a delegation effective from kPenaltyLawArticle24From, every 行政处罚 item (always
// every 行政强制 one) passed other than DIRECT or without `authority` from a province-level
// body (行政处罚法 §24). The authority is recorded on each PowerDelegated.
absl::StatusOr<Decision> DecideDelegatePowers(StateView& view, const api::DelegatePowersRequest& r);
// 相对集中: items pass from their holders, whoever they are, into a 综合行政执法局 (行政处罚,
// 行政强制) or a 行政审批局 (行政许可). FAILED_PRECONDITION naming every item of another category.
absl::StatusOr<Decision> DecideConcentratePowers(StateView& view,
                                                 const api::ConcentratePowersRequest& r);
// Each item goes back to the agency that last passed it on, which must be active.
// FAILED_PRECONDITION naming every item held by its own department (after a merger or split,
// the successor is that department: a restructure is not undone by a return).
absl::StatusOr<Decision> DecideReturnPowers(StateView& view, const api::ReturnPowersRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_POWER_DECIDE_H_
