// The budget views (projections/budget/) as the API carries them: one function per message,
// field for field, nothing computed here.
#ifndef REFORMLOG_SERVICES_BUDGET_BUDGET_TO_API_H_
#define REFORMLOG_SERVICES_BUDGET_BUDGET_TO_API_H_

#include "domain/classification.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_performance.h"
#include "projections/budget/budget_summary.h"
#include "reformlog/api/v1/budget_queries.pb.h"

namespace reformlog::services {

void ToApi(const projections::Amounts& a, api::v1::BudgetAmounts* out);
void ToApi(const projections::Ratio& r, api::v1::BudgetRatio* out);
// A roll-up row of `fiscal_year`, with the code's name in that year's 政府收支分类科目.
void ToApi(const projections::CodeRow& row, int fiscal_year, domain::CodeScheme scheme,
           api::v1::CodeAmounts* out);
// The year's figures of a GetBudget answer; the lines only unless `omit_lines`.
void ToApi(const projections::BudgetSummary& s, bool omit_lines, api::v1::GetBudgetResponse* out);
void ToApi(const projections::FinalAccounts& f, api::v1::GetFinalAccountsResponse* out);
projections::PerformanceWeights FromApi(const api::v1::PerformanceWeights& w);
void ToApi(const projections::PerformanceWeights& w, api::v1::PerformanceWeights* out);
void ToApi(const projections::ProjectPerformance& p, api::v1::ProjectPerformance* out);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_BUDGET_BUDGET_TO_API_H_
