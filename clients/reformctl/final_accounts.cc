#include "clients/reformctl/final_accounts.h"

#include <array>
#include <functional>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/money.h"

namespace reformlog::ctl::report {
namespace {

namespace pb = ::reformlog::domain::v1;

// The lengths of a 支出功能分类 code's levels: 类, 款, 项.
constexpr std::array<size_t, 3> kFunctionLevels = {3, 5, 7};
// The note of a table the agency has nothing for, as published tables say it.
constexpr char kEmptyNote[] = "本部门本年度无此项收支，故本表为空表。";

const char* Ordinal(size_t i) {
  static constexpr std::array<const char*, 20> kOrdinals = {
      "一",   "二",   "三",   "四",   "五",   "六",   "七",   "八",   "九",   "十",
      "十一", "十二", "十三", "十四", "十五", "十六", "十七", "十八", "十九", "二十"};
  return i < kOrdinals.size() ? kOrdinals[i] : "";
}

bool IsFiscal(pb::FundSource s) {
  return s == pb::GENERAL_PUBLIC_BUDGET || s == pb::GOVERNMENT_FUND || s == pb::STATE_CAPITAL;
}

enum class Scheme { kFunction, kEconomic };

// Code → name, for every code of `scheme` the budget names (its roll-ups and its lines).
std::map<std::string, std::string> CodeNames(const api::GetBudgetResponse& b, Scheme scheme) {
  const bool function = scheme == Scheme::kFunction;
  std::map<std::string, std::string> names;
  for (const api::CodeAmounts& row : function ? b.by_function() : b.by_economic()) {
    if (!row.name().empty()) names[row.code()] = row.name();
  }
  for (const api::BudgetLineAmounts& l : b.lines()) {
    const std::string& name = function ? l.function_name() : l.economic_name();
    if (!name.empty()) {
      names.emplace(function ? l.line().function_code() : l.line().economic_code(), name);
    }
  }
  return names;
}

std::map<std::string, std::string> FunctionNames(const api::GetBudgetResponse& b) {
  return CodeNames(b, Scheme::kFunction);
}

using Select = std::function<bool(const api::BudgetLineAmounts&)>;
using Values = std::function<std::vector<int64_t>(const api::BudgetLineAmounts&)>;

// Sums of `values` over the selected lines by every level of their codes (`code_of`), cut at
// `levels`; a map sorts a code's parts right after it (a prefix sorts first), depth first.
std::map<std::string, std::vector<int64_t>> RollUp(const api::GetBudgetResponse& b,
                                                   const Select& select, const Values& values,
                                                   size_t width,
                                                   std::string (*code_of)(const pb::BudgetLine&),
                                                   const std::vector<size_t>& levels) {
  std::map<std::string, std::vector<int64_t>> sums;
  for (const api::BudgetLineAmounts& l : b.lines()) {
    if (!select(l)) continue;
    const std::vector<int64_t> v = values(l);
    const std::string code = code_of(l.line());
    for (size_t level : levels) {
      if (level > code.size()) break;
      std::vector<int64_t>& sum = sums[code.substr(0, level)];
      sum.resize(width, 0);
      for (size_t i = 0; i < width; ++i) sum[i] += v[i];
    }
  }
  return sums;
}

std::string FunctionCode(const pb::BudgetLine& l) { return l.function_code(); }
std::string EconomicCode(const pb::BudgetLine& l) { return l.economic_code(); }

// A table by 支出功能分类: a 合计 row, then 类, 款 and 项 rows with their names.
Table ByFunction(std::string number, std::string title, std::vector<std::string> columns,
                 const api::GetBudgetResponse& b, const Select& select, const Values& values) {
  Table t;
  t.number = std::move(number);
  t.title = std::move(title);
  t.header = {"科目编码", "科目名称"};
  t.header.insert(t.header.end(), columns.begin(), columns.end());
  const size_t width = columns.size();
  const auto sums = RollUp(b, select, values, width, &FunctionCode,
                           {kFunctionLevels.begin(), kFunctionLevels.end()});
  const std::map<std::string, std::string> names = FunctionNames(b);
  std::vector<int64_t> total(width, 0);
  for (const auto& [code, v] : sums) {
    if (code.size() != kFunctionLevels[0]) continue;
    for (size_t i = 0; i < width; ++i) total[i] += v[i];
  }
  std::vector<Cell> row = {Cell::Text(""), Cell::Text("合计")};
  for (int64_t fen : total) row.push_back(Cell::Money(fen));
  t.rows.push_back(std::move(row));
  for (const auto& [code, v] : sums) {
    auto name = names.find(code);
    std::vector<Cell> r = {Cell::Text(code),
                           Cell::Text(name == names.end() ? std::string() : name->second)};
    for (int64_t fen : v) r.push_back(Cell::Money(fen));
    t.rows.push_back(std::move(r));
  }
  if (sums.empty()) t.note = kEmptyNote;
  return t;
}

// A two-sided 总表: income rows beside expenditure rows, the totals of both sides aligned.
struct Side {
  std::vector<std::vector<Cell>> body;    // above the totals
  std::vector<std::vector<Cell>> totals;  // 本年…合计 and what follows it
};

void Join(const Side& income, const Side& spending, size_t income_width, size_t spending_width,
          Table& t) {
  auto blank = [](size_t n) { return std::vector<Cell>(n, Cell::Text("")); };
  auto join = [&](const std::vector<std::vector<Cell>>& left,
                  const std::vector<std::vector<Cell>>& right) {
    for (size_t i = 0; i < std::max(left.size(), right.size()); ++i) {
      std::vector<Cell> row = i < left.size() ? left[i] : blank(income_width);
      const std::vector<Cell> r = i < right.size() ? right[i] : blank(spending_width);
      row.insert(row.end(), r.begin(), r.end());
      t.rows.push_back(std::move(row));
    }
  };
  join(income.body, spending.body);
  join(income.totals, spending.totals);
}

std::string IncomeLabel(pb::FundSource s) {
  switch (s) {
    case pb::GENERAL_PUBLIC_BUDGET:
      return "一般公共预算财政拨款收入";
    case pb::GOVERNMENT_FUND:
      return "政府性基金预算财政拨款收入";
    case pb::STATE_CAPITAL:
      return "国有资本经营预算财政拨款收入";
    default:
      return Label(s);
  }
}

// 表1 收入支出决算总表.
Table Overview(const api::GetFinalAccountsResponse& a, const api::GetBudgetResponse& b) {
  Table t{"表1", "收入支出决算总表", {"收入项目", "决算数", "支出项目", "决算数"}, {}, ""};
  Side income, spending;
  size_t i = 0;
  for (const api::IncomeBySource& s : a.income_by_source()) {
    income.body.push_back(
        {Cell::Text(absl::StrCat(Ordinal(i++), "、", IncomeLabel(s.fund_source()))),
         Cell::Money(s.fen())});
  }
  income.totals = {
      {Cell::Text("本年收入合计"), Cell::Money(a.current_income_fen())},
      {Cell::Text("用事业基金弥补收支差额"), Cell::Money(a.business_fund_offset_fen())},
      {Cell::Text("年初结转和结余"), Cell::Money(a.carried_in_fen())},
      {Cell::Text("收入总计"), Cell::Money(a.income_total_fen())}};
  const auto classes = RollUp(
      b, [](const api::BudgetLineAmounts&) { return true; },
      [](const api::BudgetLineAmounts& l) {
        return std::vector<int64_t>{l.amounts().disbursed_fen()};
      },
      1, &FunctionCode, {kFunctionLevels[0]});
  const std::map<std::string, std::string> names = FunctionNames(b);
  i = 0;
  for (const auto& [code, v] : classes) {
    auto name = names.find(code);
    spending.body.push_back(
        {Cell::Text(absl::StrCat(Ordinal(i++), "、", name == names.end() ? code : name->second)),
         Cell::Money(v[0])});
  }
  spending.totals = {{Cell::Text("本年支出合计"), Cell::Money(a.current_expenditure_fen())},
                     {Cell::Text("结余分配"), Cell::Money(a.surplus_distribution_fen())},
                     {Cell::Text("年末结转和结余"), Cell::Money(a.carried_out_fen())},
                     {Cell::Text("支出总计"), Cell::Money(a.expenditure_total_fen())}};
  Join(income, spending, 2, 2, t);
  return t;
}

// 表4 财政拨款收入支出决算总表.
Table FiscalOverview(const api::GetFinalAccountsResponse& a, const api::GetBudgetResponse& b) {
  Table t{"表4",
          "财政拨款收入支出决算总表",
          {"收入项目", "决算数", "支出项目", "合计", "一般公共预算财政拨款",
           "政府性基金预算财政拨款", "国有资本经营预算财政拨款"},
          {},
          ""};
  static constexpr std::array<pb::FundSource, 3> kKinds = {pb::GENERAL_PUBLIC_BUDGET,
                                                           pb::GOVERNMENT_FUND, pb::STATE_CAPITAL};
  std::array<const api::FiscalKindAccount*, 3> kind{};
  for (const api::FiscalKindAccount& k : a.fiscal_kinds()) {
    for (size_t i = 0; i < kKinds.size(); ++i) {
      if (k.fund_source() == kKinds[i]) kind[i] = &k;
    }
  }
  auto field = [&](size_t i, int64_t (api::FiscalKindAccount::*get)() const) {
    return kind[i] == nullptr ? 0 : (kind[i]->*get)();
  };
  Side income, spending;
  int64_t income_total = 0, carried_in = 0;
  for (size_t i = 0; i < kKinds.size(); ++i) {
    const int64_t in = field(i, &api::FiscalKindAccount::income_fen);
    income.body.push_back(
        {Cell::Text(absl::StrCat(Ordinal(i), "、", IncomeLabel(kKinds[i]))), Cell::Money(in)});
    income_total += in;
    carried_in += field(i, &api::FiscalKindAccount::carried_in_fen);
  }
  const auto classes = RollUp(
      b, [](const api::BudgetLineAmounts& l) { return IsFiscal(l.line().fund_source()); },
      [](const api::BudgetLineAmounts& l) {
        std::vector<int64_t> v(4, 0);
        v[0] = l.amounts().disbursed_fen();
        for (size_t i = 0; i < kKinds.size(); ++i) {
          if (l.line().fund_source() == kKinds[i]) v[i + 1] = l.amounts().disbursed_fen();
        }
        return v;
      },
      4, &FunctionCode, {kFunctionLevels[0]});
  const std::map<std::string, std::string> names = FunctionNames(b);
  size_t i = 0;
  for (const auto& [code, v] : classes) {
    auto name = names.find(code);
    std::vector<Cell> row = {
        Cell::Text(absl::StrCat(Ordinal(i++), "、", name == names.end() ? code : name->second))};
    for (int64_t fen : v) row.push_back(Cell::Money(fen));
    spending.body.push_back(std::move(row));
  }
  auto by_kind = [&](const char* label, int64_t (api::FiscalKindAccount::*get)() const) {
    std::vector<Cell> row = {Cell::Text(label)};
    int64_t sum = 0;
    for (size_t k = 0; k < kKinds.size(); ++k) sum += field(k, get);
    row.push_back(Cell::Money(sum));
    for (size_t k = 0; k < kKinds.size(); ++k) row.push_back(Cell::Money(field(k, get)));
    return row;
  };
  income.totals = {{Cell::Text("本年收入合计"), Cell::Money(income_total)},
                   {Cell::Text("年初财政拨款结转和结余"), Cell::Money(carried_in)},
                   {Cell::Text("收入总计"), Cell::Money(income_total + carried_in)}};
  std::vector<Cell> total = {Cell::Text("支出总计")};
  std::array<int64_t, kKinds.size()> per_kind{};
  int64_t all = 0;
  for (size_t k = 0; k < kKinds.size(); ++k) {
    per_kind[k] = field(k, &api::FiscalKindAccount::expenditure_fen) +
                  field(k, &api::FiscalKindAccount::carried_out_fen);
    all += per_kind[k];
  }
  total.push_back(Cell::Money(all));
  for (int64_t fen : per_kind) total.push_back(Cell::Money(fen));
  spending.totals = {by_kind("本年支出合计", &api::FiscalKindAccount::expenditure_fen),
                     by_kind("年末财政拨款结转和结余", &api::FiscalKindAccount::carried_out_fen),
                     std::move(total)};
  Join(income, spending, 2, 5, t);
  return t;
}

// 表6 一般公共预算财政拨款基本支出决算表: by economic 类 and 款, 人员经费 then 公用经费.
Table BasicByEconomic(const api::GetBudgetResponse& b) {
  Table t{"表6", "一般公共预算财政拨款基本支出决算表", {"科目编码", "科目名称", "决算数"}, {}, ""};
  const auto sums = RollUp(
      b,
      [](const api::BudgetLineAmounts& l) {
        return l.line().fund_source() == pb::GENERAL_PUBLIC_BUDGET && l.line().kind() == pb::BASIC;
      },
      [](const api::BudgetLineAmounts& l) {
        return std::vector<int64_t>{l.amounts().disbursed_fen()};
      },
      1, &EconomicCode, {3, 5});
  const std::map<std::string, std::string> names = CodeNames(b, Scheme::kEconomic);
  auto personnel = [](const std::string& code) {
    return code.substr(0, 3) == "301" || code.substr(0, 3) == "303";
  };
  int64_t total = 0, personnel_total = 0;
  for (const auto& [code, v] : sums) {
    if (code.size() != 3) continue;
    total += v[0];
    if (personnel(code)) personnel_total += v[0];
  }
  t.rows.push_back({Cell::Text(""), Cell::Text("合计"), Cell::Money(total)});
  for (const bool persons : {true, false}) {
    t.rows.push_back({Cell::Text(""), Cell::Text(persons ? "人员经费" : "公用经费"),
                      Cell::Money(persons ? personnel_total : total - personnel_total)});
    for (const auto& [code, v] : sums) {
      if (personnel(code) != persons) continue;
      auto name = names.find(code);
      t.rows.push_back({Cell::Text(code),
                        Cell::Text(name == names.end() ? std::string() : name->second),
                        Cell::Money(v[0])});
    }
  }
  if (sums.empty()) t.note = kEmptyNote;
  return t;
}

// 表7 "三公"经费: one row of 决算数.
Table ThreePublic(const api::GetBudgetResponse& b) {
  const api::ThreePublicExpenses& e = b.three_public();
  Table t{"表7",
          "一般公共预算财政拨款“三公”经费支出决算表",
          {"项目", "合计", "因公出国（境）费", "公务用车购置及运行维护费小计", "公务用车购置费",
           "公务用车运行维护费", "公务接待费"},
          {},
          ""};
  t.rows.push_back(
      {Cell::Text("决算数"), Cell::Money(e.total().disbursed_fen()),
       Cell::Money(e.overseas_trips().disbursed_fen()),
       Cell::Money(e.vehicle_purchase().disbursed_fen() + e.vehicle_operation().disbursed_fen()),
       Cell::Money(e.vehicle_purchase().disbursed_fen()),
       Cell::Money(e.vehicle_operation().disbursed_fen()),
       Cell::Money(e.reception().disbursed_fen())});
  if (e.total().disbursed_fen() == 0) t.note = "本部门本年度无“三公”经费支出。";
  return t;
}

Select OfSource(pb::FundSource source) {
  return [source](const api::BudgetLineAmounts& l) { return l.line().fund_source() == source; };
}

std::vector<int64_t> TotalBasicProject(const api::BudgetLineAmounts& l) {
  const int64_t spent = l.amounts().disbursed_fen();
  return {spent, l.line().kind() == pb::BASIC ? spent : 0,
          l.line().kind() == pb::PROJECT ? spent : 0};
}

// 200 thousandths → "0.2", 100000 → "100": a value in thousandths of its unit, without trailing
// zeros.
std::string Milli(int64_t milli) {
  const int64_t magnitude = milli < 0 ? -milli : milli;
  std::string out = absl::StrCat(milli < 0 ? "-" : "", magnitude / 1000);
  int64_t fraction = magnitude % 1000;
  if (fraction == 0) return out;
  std::string digits = absl::StrCat(fraction + 1000).substr(1);
  while (!digits.empty() && digits.back() == '0') digits.pop_back();
  return absl::StrCat(out, ".", digits);
}

}  // namespace

std::vector<Table> PerformanceTables(const api::GetPerformanceResponse& performance) {
  std::vector<Table> tables;
  int n = 0;
  for (const api::ProjectPerformance& p : performance.projects()) {
    Table t{absl::StrCat("表10-", ++n),
            absl::StrCat("项目绩效目标完成情况表（", p.name().empty() ? p.project_id() : p.name(),
                         "）"),
            {"一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "是否达成"},
            {},
            "",
            "单位：见各指标"};
    for (const api::IndicatorResult& r : p.indicators()) {
      const pb::PerformanceIndicator& i = r.indicator();
      const bool text = i.op() == pb::QUALITATIVE;
      const std::string target =
          text ? i.target_text() : absl::StrCat(Label(i.op()), Milli(i.target_milli()), i.unit());
      const std::string actual = !r.recorded() ? "未登记"
                                 : text        ? r.actual().actual_text()
                                        : absl::StrCat(Milli(r.actual().actual_milli()), i.unit());
      t.rows.push_back({Cell::Text(Label(i.level1())), Cell::Text(Label(i.level2())),
                        Cell::Text(i.name()), Cell::Text(target), Cell::Text(actual),
                        Cell::Text(r.met() ? "是" : "否")});
    }
    t.note = absl::StrCat("预算数 ", FormatWan(p.amounts().budget_fen()), " 万元，执行数 ",
                          FormatWan(p.amounts().disbursed_fen()), " 万元，执行率 ",
                          FormatPercent(p.execution_rate()), "；自评得分 ",
                          FormatCentipoints(p.score_centipoints()), "，等级：", p.grade(), "。");
    tables.push_back(std::move(t));
  }
  return tables;
}

std::vector<Table> FinalAccountsTables(const api::GetFinalAccountsResponse& accounts,
                                       const api::GetBudgetResponse& budget) {
  std::vector<Table> tables;
  tables.push_back(Overview(accounts, budget));
  tables.push_back(ByFunction(
      "表2", "收入决算表",
      {"本年收入合计", "财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入",
       "其他收入"},
      budget, [](const api::BudgetLineAmounts& l) { return l.amounts().current_income_fen() != 0; },
      [](const api::BudgetLineAmounts& l) {
        std::vector<int64_t> v(7, 0);
        const int64_t in = l.amounts().current_income_fen();
        v[0] = in;
        switch (l.line().fund_source()) {
          case pb::GENERAL_PUBLIC_BUDGET:
          case pb::GOVERNMENT_FUND:
          case pb::STATE_CAPITAL:
            v[1] = in;
            break;
          case pb::SUPERIOR_SUBSIDY:
            v[2] = in;
            break;
          case pb::BUSINESS_INCOME:
            v[3] = in;
            break;
          case pb::OPERATING_INCOME:
            v[4] = in;
            break;
          case pb::AFFILIATE_REMITTANCE:
            v[5] = in;
            break;
          default:
            v[6] = in;
        }
        return v;
      }));
  tables.push_back(ByFunction(
      "表3", "支出决算表",
      {"本年支出合计", "基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出"},
      budget, [](const api::BudgetLineAmounts& l) { return l.amounts().disbursed_fen() != 0; },
      [](const api::BudgetLineAmounts& l) {
        std::vector<int64_t> v = TotalBasicProject(l);
        v.resize(6, 0);
        return v;
      }));
  tables.push_back(FiscalOverview(accounts, budget));
  tables.push_back(ByFunction("表5", "一般公共预算财政拨款支出决算表",
                              {"合计", "基本支出", "项目支出"}, budget,
                              OfSource(pb::GENERAL_PUBLIC_BUDGET), &TotalBasicProject));
  tables.push_back(BasicByEconomic(budget));
  tables.push_back(ThreePublic(budget));
  tables.push_back(ByFunction(
      "表8", "政府性基金预算财政拨款收入支出决算表",
      {"年初结转和结余", "本年收入", "本年支出合计", "基本支出", "项目支出", "年末结转和结余"},
      budget, OfSource(pb::GOVERNMENT_FUND), [](const api::BudgetLineAmounts& l) {
        const std::vector<int64_t> spent = TotalBasicProject(l);
        return std::vector<int64_t>{l.amounts().carried_in_fen(),
                                    l.amounts().current_income_fen(),
                                    spent[0],
                                    spent[1],
                                    spent[2],
                                    l.amounts().carried_out_fen()};
      }));
  tables.push_back(ByFunction("表9", "国有资本经营预算财政拨款支出决算表",
                              {"合计", "基本支出", "项目支出"}, budget, OfSource(pb::STATE_CAPITAL),
                              &TotalBasicProject));
  return tables;
}

}  // namespace reformlog::ctl::report
