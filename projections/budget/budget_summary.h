// A budget book rolled up every way the 部门决算 reports it: by fund source, by functional and
// economic code (类/款/项), 基本支出 and 项目支出, by project, 人员经费 and 公用经费, 三公经费 and
// 机关运行经费 (DOMAIN.md §4). A pure function of a readmodel.v1.BudgetBook (budget_projection.h);
// no clock, no I/O. Amounts, their definitions and the checking of sums: budget_amounts.h.
//
// Roll-ups are sums over lines, so Σ of the rows of one level = the total, exactly:
//   by function code, rows at 类 (3 digits), 款 (5) and 项 (7). A line coded above a level (a
//   款-coded line at the 项 level) appears there under its own code, marked `undivided`, so
//   Σ 项 of a 款 = the 款 and Σ 款 of a 类 = the 类 hold also for such lines. Same by economic
//   code at 类 (3) and 款 (5).
//   人员经费 = basic lines of economic 类 301 + 303; 公用经费 = basic lines of 302 + 310 (DOMAIN.md
//   §4); basic lines of any other 类 are `basic_other`, so 基本支出 = 人员经费 + 公用经费 holds
//   exactly when that is empty, and FinalAccountsOf reports the identity as broken otherwise.
//   三公经费 = 财政拨款 lines (basic or project) of the economic codes below.
//   机关运行经费 = 公用经费 of an agency that is a 行政单位 (any 党政机关 kind) or 参公; otherwise
//   not applicable.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_SUMMARY_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_SUMMARY_H_

#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "projections/budget/budget_amounts.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

// Digits of each level of the functional classification (支出功能分类): 类, 款, 项.
inline constexpr size_t kFunctionClassDigits = 3;
inline constexpr size_t kFunctionSegmentDigits = 5;
inline constexpr size_t kFunctionItemDigits = 7;
// Digits of each level of the economic classification (部门预算支出经济分类): 类, 款.
inline constexpr size_t kEconomicClassDigits = 3;
inline constexpr size_t kEconomicSegmentDigits = 5;

// 基本支出 by economic 类 (DOMAIN.md §4): 人员经费 = 301 工资福利支出 + 303 对个人和家庭的补助;
// 公用经费 = 302 商品和服务支出 + 310 资本性支出.
inline constexpr std::array<absl::string_view, 2> kPersonnelEconomicClasses = {"301", "303"};
inline constexpr std::array<absl::string_view, 2> kPublicUseEconomicClasses = {"302", "310"};

// 三公经费 economic 款 (部门预算支出经济分类科目; the seed's glossary, item 12: paid from
// 财政拨款): 因公出国(境)费用, 公务用车购置, 公务用车运行维护费, 公务接待费.
inline constexpr char kOverseasTripsEconomicCode[] = "30212";
inline constexpr char kVehiclePurchaseEconomicCode[] = "31013";
inline constexpr char kVehicleOperationEconomicCode[] = "30231";
inline constexpr char kReceptionEconomicCode[] = "30217";

struct LineAmounts {
  dpb::BudgetLine line;
  bool closed = false;  // its 年末结转 is recorded
  Amounts amounts;
  Ratio execution_rate;
};

// One row of a roll-up by code. level: 1 类, 2 款, 3 项.
struct CodeRow {
  std::string code;
  int level = 0;
  bool undivided = false;  // lines coded above this level, under their own (shorter) code
  Amounts amounts;
};

struct FundSourceRow {
  dpb::FundSource fund_source = dpb::FUND_SOURCE_UNSPECIFIED;
  Amounts amounts;
};

struct ProjectAmounts {
  std::string project_id;
  std::string name;  // empty when lines name a project with no ProjectDefined (never, from decide)
  Amounts amounts;
};

// 三公经费, of 财政拨款 lines.
struct ThreePublicExpenses {
  Amounts overseas_trips;     // 因公出国(境)费
  Amounts vehicle_purchase;   // 公务用车购置费
  Amounts vehicle_operation;  // 公务用车运行维护费
  Amounts reception;          // 公务接待费
  Amounts total;
};

// What the budget read model cannot know about an agency: the org read model ("org") has it.
struct AgencyProfile {
  dpb::AgencyKind kind = dpb::AGENCY_KIND_UNSPECIFIED;
  bool civil_servant_managed = false;  // 参公

  bool operator==(const AgencyProfile&) const = default;
};

// 行政单位 (a 党政机关 of any kind) or a 参照公务员法管理的事业单位: the units 机关运行经费
// is reported for.
bool ReportsAgencyOperatingExpenses(const AgencyProfile& agency);

struct BudgetSummary {
  std::string agency_id;
  int fiscal_year = 0;
  std::vector<LineAmounts> lines;  // canonical order
  Amounts total;
  Ratio execution_rate;
  size_t open_lines = 0;                      // lines whose 年末结转 is not recorded yet
  std::vector<FundSourceRow> by_fund_source;  // sources with lines, in enum order
  std::vector<CodeRow> by_function;        // depth first: each 类, then its 款, each with its 项
  std::vector<CodeRow> by_economic;        // depth first: each 类, then its 款
  Amounts basic;                           // 基本支出
  Amounts project;                         // 项目支出
  std::vector<ProjectAmounts> by_project;  // by project id: every defined project, and any
                                           // project a line names
  Amounts personnel;                       // 人员经费
  Amounts public_use;                      // 公用经费
  Amounts basic_other;                     // basic lines of other economic 类
  ThreePublicExpenses three_public;        // 三公经费
  bool agency_operating_applicable = false;
  Amounts agency_operating;  // 机关运行经费 (zero when not applicable)
};

// Whether SummarizeBudget lists the lines: kOmit leaves BudgetSummary::lines empty and every
// other member (open_lines included) as kInclude gives it, for callers that report the
// roll-ups only. Errors are the same either way.
enum class SummaryLines { kInclude, kOmit };

// The book rolled up. OUT_OF_RANGE as budget_amounts.h describes. One pass over the book's lines,
// read in place: nothing of `book` is kept, so a caller may run it under the read model's lock;
// with kOmit no line is copied (the work beyond the pass grows with the distinct codes).
absl::StatusOr<BudgetSummary> SummarizeBudget(const rm::BudgetBook& book,
                                              const AgencyProfile& agency,
                                              SummaryLines lines = SummaryLines::kInclude);

// "一般公共预算 2013601/30201 基本支出", and the project id of a project line: how a line is named
// in renderings and error messages.
std::string LineLabel(const dpb::BudgetLine& line);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_SUMMARY_H_
