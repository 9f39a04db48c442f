// The statutory 收入支出决算总表 of an agency-year, with the identities of DOMAIN.md §4 checked
// (FinalAccountsOf), and the year-over-year comparison the 决算 narrative quotes (CompareYears):
// pure functions of budget summaries (budget_summary.h). A sum beyond the int64 range is
// OUT_OF_RANGE naming the figure (budget_amounts.h).
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_FINAL_ACCOUNTS_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_FINAL_ACCOUNTS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_summary.h"

namespace reformlog::projections {

// One identity of DOMAIN.md §4: left = right, or not.
struct Identity {
  std::string name;
  int64_t left_fen = 0;
  int64_t right_fen = 0;
  bool holds = false;
  std::string note;  // why it does not hold, when that is expected (open lines)
};

// One 财政拨款 kind in the 财政拨款收入支出决算总表.
struct FiscalKindAccount {
  dpb::FundSource fund_source = dpb::FUND_SOURCE_UNSPECIFIED;
  int64_t carried_in_fen = 0;   // 年初结转
  int64_t income_fen = 0;       // 本年收入 (appropriated + adjusted)
  int64_t expenditure_fen = 0;  // 本年支出
  int64_t carried_out_fen = 0;  // 年末结转
  size_t open_lines = 0;
};

struct IncomeBySource {
  dpb::FundSource fund_source = dpb::FUND_SOURCE_UNSPECIFIED;
  int64_t fen = 0;  // 本年收入 of the source's lines
};

// 收入支出决算总表. 用事业基金弥补收支差额 and 结余分配 are recorded by no event yet: both are 0
// and stated so the identities read as DOMAIN.md writes them.
struct FinalAccounts {
  std::vector<IncomeBySource> income_by_source;  // every source (FundSource enum order)
  int64_t current_income_fen = 0;                // 本年收入合计
  int64_t business_fund_offset_fen = 0;          // 用事业基金弥补收支差额
  int64_t carried_in_fen = 0;                    // 年初结转和结余
  int64_t income_total_fen = 0;                  // 收入总计
  int64_t basic_fen = 0;                         // 基本支出
  int64_t project_fen = 0;                       // 项目支出
  int64_t current_expenditure_fen = 0;           // 本年支出合计
  int64_t surplus_distribution_fen = 0;          // 结余分配
  int64_t carried_out_fen = 0;                   // 年末结转和结余
  int64_t expenditure_total_fen = 0;             // 支出总计
  int64_t personnel_fen = 0;                     // 人员经费
  int64_t public_use_fen = 0;                    // 公用经费
  std::vector<FiscalKindAccount> fiscal_kinds;   // the three 财政拨款 kinds, in enum order
  size_t open_lines = 0;
  int64_t open_available_fen = 0;  // still available on open lines: 收入总计 − 支出总计
  // In this order: 收入总计, 支出总计, 收入总计 = 支出总计, 本年支出合计 = 基本 + 项目,
  // 基本支出 = 人员经费 + 公用经费, one per 财政拨款 kind, then Σ 类 = 本年支出合计 by function
  // and by economic code.
  std::vector<Identity> identities;

  bool AllHold() const;
};

// 收、支 figures are those of the year's activity (本年支出 = disbursed). 收入总计 = 支出总计
// and the per-kind identities hold once every line (of the kind) is closed; before, the
// difference is what is still available, and the identity's note says so.
absl::StatusOr<FinalAccounts> FinalAccountsOf(const BudgetSummary& summary);

// One figure against the previous year's. change = (this − last) / last; undefined when
// last = 0.
struct YearOverYear {
  std::string metric;
  int64_t this_year_fen = 0;
  int64_t last_year_fen = 0;
  int64_t change_fen = 0;
  Ratio change;
};

// The figures the 决算 narrative compares, in a fixed order: 收支总计 (收入总计), 本年收入合计,
// 本年支出合计, 基本支出, 项目支出, 人员经费, 公用经费, each 财政拨款 kind's 本年支出, 三公经费
// and 机关运行经费 (executed figures).
absl::StatusOr<std::vector<YearOverYear>> CompareYears(const BudgetSummary& this_year,
                                                       const BudgetSummary& last_year);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_FINAL_ACCOUNTS_H_
