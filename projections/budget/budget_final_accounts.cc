#include "projections/budget/budget_final_accounts.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/vocabulary.h"

namespace reformlog::projections {
namespace {

Identity MakeIdentity(std::string name, int64_t left, int64_t right, std::string note = "") {
  Identity i;
  i.name = std::move(name);
  i.left_fen = left;
  i.right_fen = right;
  i.holds = left == right;
  if (!i.holds) i.note = std::move(note);
  return i;
}

int64_t LevelSum(const std::vector<CodeRow>& rows, int level, int64_t Amounts::*field,
                 bool* overflow) {
  int64_t sum = 0;
  for (const CodeRow& row : rows) {
    if (row.level == level && __builtin_add_overflow(sum, row.amounts.*field, &sum)) {
      *overflow = true;
    }
  }
  return sum;
}

std::string OpenNote(size_t open_lines, int64_t available_fen) {
  if (open_lines == 0) return "";
  return absl::StrCat(open_lines, " line(s) not closed by 年末结转; ", FormatFen(available_fen),
                      " 元 still available");
}

absl::Status AddIdentities(const BudgetSummary& s, FinalAccounts& f) {
  std::vector<Identity>& out = f.identities;
  int64_t right = 0;
  ASSIGN_OR_RETURN(right, SumFen(f.current_income_fen, f.business_fund_offset_fen, "收入"));
  ASSIGN_OR_RETURN(right, SumFen(right, f.carried_in_fen, "收入"));
  out.push_back(MakeIdentity("收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 年初结转和结余",
                             f.income_total_fen, right));
  ASSIGN_OR_RETURN(right, SumFen(f.current_expenditure_fen, f.surplus_distribution_fen, "支出"));
  ASSIGN_OR_RETURN(right, SumFen(right, f.carried_out_fen, "支出"));
  out.push_back(MakeIdentity("支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余",
                             f.expenditure_total_fen, right));
  out.push_back(MakeIdentity("收入总计 = 支出总计", f.income_total_fen, f.expenditure_total_fen,
                             OpenNote(f.open_lines, f.open_available_fen)));
  ASSIGN_OR_RETURN(right, SumFen(f.basic_fen, f.project_fen, "基本支出 + 项目支出"));
  out.push_back(MakeIdentity("本年支出合计 = 基本支出 + 项目支出", f.current_expenditure_fen, right,
                             "lines of neither kind"));
  ASSIGN_OR_RETURN(right, SumFen(f.personnel_fen, f.public_use_fen, "人员经费 + 公用经费"));
  out.push_back(MakeIdentity(
      "基本支出 = 人员经费 + 公用经费", f.basic_fen, right,
      absl::StrCat(FormatFen(s.basic_other.disbursed_fen),
                   " 元 of 基本支出 is of economic 类 outside 301, 303 (人员经费) and 302, 310 "
                   "(公用经费)")));
  for (const FiscalKindAccount& k : f.fiscal_kinds) {
    int64_t left = 0;
    ASSIGN_OR_RETURN(left, SumFen(k.carried_in_fen, k.income_fen, "年初结转 + 本年收入"));
    ASSIGN_OR_RETURN(right, SumFen(k.expenditure_fen, k.carried_out_fen, "本年支出 + 年末结转"));
    int64_t open = 0;
    ASSIGN_OR_RETURN(open, DifferenceFen(left, right, "still available"));
    out.push_back(MakeIdentity(
        absl::StrCat(domain::Label(k.fund_source), ": 年初结转 + 本年收入 = 本年支出 + 年末结转"),
        left, right, OpenNote(k.open_lines, open)));
  }
  bool overflow = false;
  const int64_t by_function = LevelSum(s.by_function, 1, &Amounts::disbursed_fen, &overflow);
  const int64_t by_economic = LevelSum(s.by_economic, 1, &Amounts::disbursed_fen, &overflow);
  if (overflow) return absl::OutOfRangeError("Σ 类 of 本年支出 is beyond the int64 range");
  out.push_back(
      MakeIdentity("支出功能分类: Σ 类 = 本年支出合计", by_function, f.current_expenditure_fen));
  out.push_back(MakeIdentity("部门预算支出经济分类: Σ 类 = 本年支出合计", by_economic,
                             f.current_expenditure_fen));
  return absl::OkStatus();
}

}  // namespace

bool FinalAccounts::AllHold() const {
  return std::all_of(identities.begin(), identities.end(),
                     [](const Identity& i) { return i.holds; });
}

absl::StatusOr<FinalAccounts> FinalAccountsOf(const BudgetSummary& s) {
  FinalAccounts f;
  std::map<dpb::FundSource, const Amounts*> funds;
  for (const FundSourceRow& row : s.by_fund_source) funds[row.fund_source] = &row.amounts;
  for (int v = dpb::FundSource_MIN; v <= dpb::FundSource_MAX; ++v) {
    const auto source = static_cast<dpb::FundSource>(v);
    if (!dpb::FundSource_IsValid(v) || source == dpb::FUND_SOURCE_UNSPECIFIED) continue;
    auto it = funds.find(source);
    f.income_by_source.push_back({source, it == funds.end() ? 0 : it->second->current_income_fen});
    if (!domain::IsFiscalAppropriation(source)) continue;
    FiscalKindAccount k;
    k.fund_source = source;
    if (it != funds.end()) {
      k.carried_in_fen = it->second->carried_in_fen;
      k.income_fen = it->second->current_income_fen;
      k.expenditure_fen = it->second->disbursed_fen;
      k.carried_out_fen = it->second->carried_out_fen;
    }
    for (const LineAmounts& line : s.lines) {
      if (line.line.fund_source() == source && !line.closed) ++k.open_lines;
    }
    f.fiscal_kinds.push_back(k);
  }
  f.current_income_fen = s.total.current_income_fen;
  f.carried_in_fen = s.total.carried_in_fen;
  ASSIGN_OR_RETURN(f.income_total_fen, SumFen(f.current_income_fen, f.carried_in_fen, "收入总计"));
  f.basic_fen = s.basic.disbursed_fen;
  f.project_fen = s.project.disbursed_fen;
  f.current_expenditure_fen = s.total.disbursed_fen;
  f.carried_out_fen = s.total.carried_out_fen;
  ASSIGN_OR_RETURN(f.expenditure_total_fen,
                   SumFen(f.current_expenditure_fen, f.carried_out_fen, "支出总计"));
  f.personnel_fen = s.personnel.disbursed_fen;
  f.public_use_fen = s.public_use.disbursed_fen;
  f.open_lines = s.open_lines;
  for (const LineAmounts& line : s.lines) {
    if (line.closed) continue;
    ASSIGN_OR_RETURN(f.open_available_fen,
                     SumFen(f.open_available_fen, line.amounts.available_fen, "available"));
  }
  if (absl::Status status = AddIdentities(s, f); !status.ok()) return status;
  return f;
}

absl::StatusOr<std::vector<YearOverYear>> CompareYears(const BudgetSummary& this_year,
                                                       const BudgetSummary& last_year) {
  auto metrics = [](const BudgetSummary& s) {
    std::vector<std::pair<std::string, int64_t>> m = {
        {"收入总计", s.total.budget_fen},        {"本年收入合计", s.total.current_income_fen},
        {"本年支出合计", s.total.disbursed_fen}, {"基本支出", s.basic.disbursed_fen},
        {"项目支出", s.project.disbursed_fen},   {"人员经费", s.personnel.disbursed_fen},
        {"公用经费", s.public_use.disbursed_fen}};
    for (const dpb::FundSource source :
         {dpb::GENERAL_PUBLIC_BUDGET, dpb::GOVERNMENT_FUND, dpb::STATE_CAPITAL}) {
      int64_t fen = 0;
      for (const FundSourceRow& row : s.by_fund_source) {
        if (row.fund_source == source) fen = row.amounts.disbursed_fen;
      }
      m.emplace_back(absl::StrCat(domain::Label(source), "财政拨款支出"), fen);
    }
    m.emplace_back("三公经费", s.three_public.total.disbursed_fen);
    m.emplace_back("机关运行经费", s.agency_operating.disbursed_fen);
    return m;
  };
  const auto now = metrics(this_year);
  const auto before = metrics(last_year);
  std::vector<YearOverYear> out;
  for (size_t i = 0; i < now.size(); ++i) {
    YearOverYear y;
    y.metric = now[i].first;
    y.this_year_fen = now[i].second;
    y.last_year_fen = before[i].second;
    const std::string what =
        absl::StrCat(y.metric, " ", this_year.fiscal_year, " against ", last_year.fiscal_year);
    ASSIGN_OR_RETURN(y.change_fen, DifferenceFen(y.this_year_fen, y.last_year_fen, what));
    absl::StatusOr<Ratio> change = RatioOf(y.change_fen, y.last_year_fen, what);
    if (!change.ok()) return change.status();
    y.change = *change;
    out.push_back(std::move(y));
  }
  return out;
}

}  // namespace reformlog::projections

#undef BUDGET_ASSIGN_OR_RETURN
