// Canonical text renderings of the budget views, for golden tests and the CLI: a budget summary
// line by line and every roll-up (budget_summary.h), the 收入支出决算总表 with its identities and
// the year-over-year figures (budget_final_accounts.h), and project performance
// (budget_performance.h). Amounts in 元 with two decimals (FormatFen), ratios as percentages
// (FormatRatio); labels in Chinese, as the 部门决算 prints them. Pure functions.
#ifndef REFORMLOG_PROJECTIONS_BUDGET_BUDGET_RENDER_H_
#define REFORMLOG_PROJECTIONS_BUDGET_BUDGET_RENDER_H_

#include <string>
#include <vector>

#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_performance.h"
#include "projections/budget/budget_summary.h"

namespace reformlog::projections {

std::string RenderBudget(const BudgetSummary& summary);
std::string RenderFinalAccounts(const FinalAccounts& f);
std::string RenderYearOverYear(const std::vector<YearOverYear>& entries);
std::string RenderPerformance(const std::vector<ProjectPerformance>& projects);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_BUDGET_BUDGET_RENDER_H_
