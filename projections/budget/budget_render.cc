#include "projections/budget/budget_render.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

std::string OperatorLabel(dpb::IndicatorOperator op) {
  switch (op) {
    case dpb::AT_LEAST:
      return "≥";
    case dpb::AT_MOST:
      return "≤";
    case dpb::EQUAL:
      return "=";
    default:
      return "定性";
  }
}

// A value in thousandths of its unit, as written: 2500 → "2.5", 10000 → "10".
std::string FormatMilli(int64_t milli) {
  const bool negative = milli < 0;
  const uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(milli) : static_cast<uint64_t>(milli);
  std::string out = absl::StrCat(negative ? "-" : "", magnitude / 1000);
  uint64_t fraction = magnitude % 1000;
  if (fraction == 0) return out;
  std::string digits = absl::StrFormat("%03d", fraction);
  while (digits.back() == '0') digits.pop_back();
  return absl::StrCat(out, ".", digits);
}

std::string RenderAmountsFull(const Amounts& a) {
  return absl::StrCat("拨款 ", FormatFen(a.appropriated_fen), " 调整 ", FormatFen(a.adjusted_fen),
                      " 收入 ", FormatFen(a.income_fen), " 年初结转 ", FormatFen(a.carried_in_fen),
                      " = 预算 ", FormatFen(a.budget_fen), "; 支出 ", FormatFen(a.disbursed_fen),
                      " 年末结转 ", FormatFen(a.carried_out_fen), " 余 ",
                      FormatFen(a.available_fen));
}

std::string RenderAmounts(const Amounts& a) {
  return absl::StrCat("预算 ", FormatFen(a.budget_fen), " 支出 ", FormatFen(a.disbursed_fen),
                      " 年末结转 ", FormatFen(a.carried_out_fen), " 余 ",
                      FormatFen(a.available_fen));
}

void RenderCodeRows(const std::vector<CodeRow>& rows, std::string& out) {
  for (const CodeRow& row : rows) {
    absl::StrAppend(&out, std::string(static_cast<size_t>(row.level) * 2, ' '), row.code,
                    row.undivided ? " (未细化)" : "", ": ", RenderAmounts(row.amounts), "\n");
  }
}

}  // namespace

std::string RenderBudget(const BudgetSummary& s) {
  std::string out =
      absl::StrCat("预算 ", s.agency_id, " ", s.fiscal_year, ": ", RenderAmounts(s.total),
                   "; 执行 ", FormatRatio(s.execution_rate), "; 未结转 ", s.open_lines, " 行\n");
  absl::StrAppend(&out, "行:\n");
  for (const LineAmounts& l : s.lines) {
    absl::StrAppend(&out, "  ", LineLabel(l.line), ": ", RenderAmountsFull(l.amounts), "; 执行 ",
                    FormatRatio(l.execution_rate), l.closed ? " (已结转)" : "", "\n");
  }
  absl::StrAppend(&out, "合计: ", RenderAmountsFull(s.total), "\n");
  absl::StrAppend(&out, "资金来源:\n");
  for (const FundSourceRow& row : s.by_fund_source) {
    absl::StrAppend(&out, "  ", domain::Label(row.fund_source), ": ", RenderAmounts(row.amounts),
                    "\n");
  }
  absl::StrAppend(&out, "支出功能分类:\n");
  RenderCodeRows(s.by_function, out);
  absl::StrAppend(&out, "部门预算支出经济分类:\n");
  RenderCodeRows(s.by_economic, out);
  absl::StrAppend(&out, "基本支出: ", RenderAmounts(s.basic), "\n");
  absl::StrAppend(&out, "  人员经费: ", RenderAmounts(s.personnel), "\n");
  absl::StrAppend(&out, "  公用经费: ", RenderAmounts(s.public_use), "\n");
  if (!(s.basic_other == Amounts())) {
    absl::StrAppend(&out, "  其他经济分类: ", RenderAmounts(s.basic_other), "\n");
  }
  absl::StrAppend(&out, "项目支出: ", RenderAmounts(s.project), "\n");
  for (const ProjectAmounts& p : s.by_project) {
    absl::StrAppend(&out, "  ", p.project_id, " ", p.name, ": ", RenderAmounts(p.amounts), "\n");
  }
  const ThreePublicExpenses& t = s.three_public;
  absl::StrAppend(&out, "三公经费: ", RenderAmounts(t.total), "\n");
  absl::StrAppend(&out, "  因公出国(境)费: ", RenderAmounts(t.overseas_trips), "\n");
  absl::StrAppend(&out, "  公务用车购置费: ", RenderAmounts(t.vehicle_purchase), "\n");
  absl::StrAppend(&out, "  公务用车运行维护费: ", RenderAmounts(t.vehicle_operation), "\n");
  absl::StrAppend(&out, "  公务接待费: ", RenderAmounts(t.reception), "\n");
  absl::StrAppend(&out, "机关运行经费: ",
                  s.agency_operating_applicable ? RenderAmounts(s.agency_operating) : "不适用",
                  "\n");
  return out;
}

std::string RenderFinalAccounts(const FinalAccounts& f) {
  std::string out = absl::StrCat("本年收入合计 ", FormatFen(f.current_income_fen), "\n");
  for (const IncomeBySource& i : f.income_by_source) {
    absl::StrAppend(&out, "  ", domain::Label(i.fund_source), " ", FormatFen(i.fen), "\n");
  }
  absl::StrAppend(
      &out, "用事业基金弥补收支差额 ", FormatFen(f.business_fund_offset_fen), "\n",
      "年初结转和结余 ", FormatFen(f.carried_in_fen), "\n", "收入总计 ",
      FormatFen(f.income_total_fen), "\n", "本年支出合计 ", FormatFen(f.current_expenditure_fen),
      "\n", "  基本支出 ", FormatFen(f.basic_fen), " (人员经费 ", FormatFen(f.personnel_fen),
      ", 公用经费 ", FormatFen(f.public_use_fen), ")\n", "  项目支出 ", FormatFen(f.project_fen),
      "\n", "结余分配 ", FormatFen(f.surplus_distribution_fen), "\n", "年末结转和结余 ",
      FormatFen(f.carried_out_fen), "\n", "支出总计 ", FormatFen(f.expenditure_total_fen), "\n");
  absl::StrAppend(&out, "财政拨款:\n");
  for (const FiscalKindAccount& k : f.fiscal_kinds) {
    absl::StrAppend(&out, "  ", domain::Label(k.fund_source), ": 年初结转 ",
                    FormatFen(k.carried_in_fen), " 本年收入 ", FormatFen(k.income_fen),
                    " 本年支出 ", FormatFen(k.expenditure_fen), " 年末结转 ",
                    FormatFen(k.carried_out_fen), "\n");
  }
  absl::StrAppend(&out, "恒等式:\n");
  for (const Identity& i : f.identities) {
    absl::StrAppend(&out, "  ", i.holds ? "✓ " : "✗ ", i.name, ": ", FormatFen(i.left_fen),
                    i.holds ? " = " : " ≠ ", FormatFen(i.right_fen));
    if (!i.note.empty()) absl::StrAppend(&out, " (", i.note, ")");
    absl::StrAppend(&out, "\n");
  }
  return out;
}

std::string RenderYearOverYear(const std::vector<YearOverYear>& entries) {
  std::string out;
  for (const YearOverYear& y : entries) {
    absl::StrAppend(&out, y.metric, ": ", FormatFen(y.this_year_fen), " (上年 ",
                    FormatFen(y.last_year_fen), ") ", y.change_fen >= 0 ? "+" : "",
                    FormatFen(y.change_fen), " ", FormatRatio(y.change), "\n");
  }
  return out;
}

std::string RenderPerformance(const std::vector<ProjectPerformance>& projects) {
  std::string out;
  for (const ProjectPerformance& p : projects) {
    absl::StrAppend(&out, p.project_id, " ", p.name, ": ", FormatCentipoints(p.score_centipoints),
                    " ", GradeLabel(p.grade), "\n");
    absl::StrAppend(&out, "  预算执行: 预算 ", FormatFen(p.amounts.budget_fen), " 支出 ",
                    FormatFen(p.amounts.disbursed_fen), " 执行 ", FormatRatio(p.execution_rate),
                    " → ", FormatCentipoints(p.execution_centipoints), "\n");
    for (const LevelScore& l : p.levels) {
      absl::StrAppend(&out, "  ", domain::Label(l.level), ": ", l.met, "/", l.indicators,
                      " 达成 → ", FormatCentipoints(l.centipoints), " (权重 ", l.weight, ")\n");
    }
    for (const IndicatorResult& r : p.indicators) {
      const dpb::PerformanceIndicator& i = r.indicator;
      const bool qualitative = i.op() == dpb::QUALITATIVE;
      const std::string target = qualitative
                                     ? absl::StrCat("定性 ", i.target_text())
                                     : absl::StrCat(OperatorLabel(i.op()), " ",
                                                    FormatMilli(i.target_milli()), " ", i.unit());
      const std::string actual =
          !r.recorded   ? "未记录"
          : qualitative ? r.actual.actual_text()
                        : absl::StrCat(FormatMilli(r.actual.actual_milli()), " ", i.unit());
      absl::StrAppend(&out, "    ", i.indicator_id(), " ", domain::Label(i.level2()), " ", i.name(),
                      " [", target, "] 实际 ", actual, r.met ? " 达成" : " 未达成", "\n");
    }
  }
  return out;
}

}  // namespace reformlog::projections
