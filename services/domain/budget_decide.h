// Decisions of the budget context (BudgetCommands): budget lines, disbursements, carry-overs,
// projects and performance (预算/决算). Pure: see decision.h.
//
// Every command names an agency, which must be active, a fiscal year and (except the project
// commands) a line, and writes to budget-{agency}-{year}. A line is valid when its fund source
// and kind are set, its function code has 3/5/7 digits and its economic code 3/5, and it names a
// project exactly when it is a 项目支出 line — a project defined in that budget.
//
// Money is integer fen. What is available on a line is appropriated + adjustments + income +
// carried in − disbursed − carried out; it never goes below zero, and each running total of a
// line stays within kAmountFenMax, so no sum can overflow. Money arrives on a 财政拨款 line by
// appropriation and on any other line as income. A line's 年初结转 is recorded at most once;
// its 年末结转 equals what is left and closes the line for the year, so
// 年初结转 + 本年收入 = 本年支出 + 年末结转 holds by construction.
#ifndef REFORMLOG_SERVICES_DOMAIN_BUDGET_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_BUDGET_DECIDE_H_

#include "absl/status/statusor.h"
#include "reformlog/api/v1/budget_commands.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// Performance indicators (绩效指标, level three) of one project.
inline constexpr int kIndicatorsPerProjectMax = 100;

// 预算拨款 on a 财政拨款 line; amount 1 fen – kAmountFenMax.
absl::StatusOr<Decision> DecideAppropriate(StateView& view, const api::AppropriateRequest& r);
// 预算调整 of a 财政拨款 line, ± up to kAmountFenMax, with a reason; never below what is
// available.
absl::StatusOr<Decision> DecideAdjustBudget(StateView& view, const api::AdjustBudgetRequest& r);
// A payment with a new disbursement id, a date in the fiscal year and a purpose; never more
// than what is available.
absl::StatusOr<Decision> DecideDisburse(StateView& view, const api::DisburseRequest& r);
// Income on a line whose fund source is not 财政拨款.
absl::StatusOr<Decision> DecideRecordIncome(StateView& view, const api::RecordIncomeRequest& r);
// 年初结转 (once per line and year, > 0) or 年末结转 (equal to what is available; closes the line).
// Carry-over runs on: a 年初结转 equals the line's 年末结转 of the year before (nothing, when that
// year is recorded without the line; anything, when no earlier year is recorded), and a 年末结转
// the next year's 年初结转 if recorded already — FAILED_PRECONDITION naming both figures.
absl::StatusOr<Decision> DecideRecordCarryOver(StateView& view,
                                               const api::RecordCarryOverRequest& r);
// A new project with 1–kIndicatorsPerProjectMax performance indicators (绩效目标).
absl::StatusOr<Decision> DecideDefineProject(StateView& view, const api::DefineProjectRequest& r);
// Actual values of some of a project's indicators; a later record of an indicator replaces an
// earlier one. `met` of a numeric indicator is derived from its target.
absl::StatusOr<Decision> DecideRecordPerformance(StateView& view,
                                                 const api::RecordPerformanceRequest& r);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_BUDGET_DECIDE_H_
