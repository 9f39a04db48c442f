// reformctl budget appropriate, adjust, disburse, income, carry-over, project, performance
// (BudgetCommands) and budget show, budget accounts (决算), performance (预算绩效)
// (BudgetQueries): the budget context. Amounts are typed in 元 and shown in 万元 (money.h).
#include <array>
#include <cstdint>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/final_accounts.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/money.h"
#include "clients/reformctl/option_values.h"
#include "clients/reformctl/report_render.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

// "2013601 行政运行": a code and its name in the year's 政府收支分类科目, or the code alone.
std::string Named(const std::string& code, const std::string& name) {
  return name.empty() ? code : absl::StrCat(code, " ", name);
}

// An amount option in 元 → fen; Exit(kExitUsage) naming the option when it is not one.
int64_t Fen(const std::string& option, const std::string& yuan) {
  absl::StatusOr<int64_t> fen = ParseYuan(yuan);
  if (!fen.ok()) throw Exit{kExitUsage, absl::StrCat(option, ": ", fen.status().message())};
  return *fen;
}

// The options that name a budget line, shared by every budget change.
struct LineOptions {
  std::string agency, fund, function, economic, kind = "基本支出", project;
  int year = 0;

  void Add(CLI::App* cmd) {
    cmd->add_option("--agency", agency, Tr("机构编号", "agency id"))->required();
    cmd->add_option("--year", year, Tr("预算年度", "fiscal year"))->required();
    cmd->add_option("--fund", fund, "一般公共预算, 政府性基金预算, 事业收入, …")->required();
    cmd->add_option("--function", function, "支出功能分类 code, 3/5/7 digits (e.g. 2013601)")
        ->required();
    cmd->add_option("--economic", economic, "经济分类 code, 3/5 digits (e.g. 30201)")->required();
    cmd->add_option("--kind", kind, "基本支出 or 项目支出")->capture_default_str();
    cmd->add_option("--project", project, "project id (项目支出)");
  }
  pb::BudgetLine Line() const {
    pb::BudgetLine line;
    line.set_fund_source(ParseEnum<pb::FundSource>("--fund", fund));
    line.set_function_code(function);
    line.set_economic_code(economic);
    line.set_kind(ParseEnum<pb::ExpenditureKind>("--kind", kind));
    line.set_project_id(project);
    return line;
  }
};

// The options of a budget change beyond its line.
struct ChangeArgs {
  LineOptions line;
  std::string amount, voucher, date, purpose, note, kind, reason;
};

// The options of the budget queries.
struct QueryArgs {
  std::string agency, project;
  int year = 0;
  bool lines = false;
};

// Changes.

// budget appropriate
void AddAppropriate(CLI::App& budget, Cli& cli) {
  auto* appropriate = budget.add_subcommand(
      "appropriate", Tr("预算批复：向预算科目安排资金", "appropriate money to a budget line"));
  auto a = std::make_shared<ChangeArgs>();
  a->line.Add(appropriate);
  appropriate->add_option("--amount", a->amount, "元, e.g. 1234.56")->required();
  appropriate->callback([&cli, a] {
    api::AppropriateRequest r;
    r.set_agency_id(a->line.agency);
    r.set_fiscal_year(a->line.year);
    *r.mutable_line() = a->line.Line();
    r.set_amount_fen(Fen("--amount", a->amount));
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::Appropriate, r);
  });
}

// budget adjust
void AddAdjustBudget(CLI::App& budget, Cli& cli) {
  auto* adjust =
      budget.add_subcommand("adjust", Tr("预算调整：调增或调减一个科目", "调整 a line up or down"));
  auto j = std::make_shared<ChangeArgs>();
  j->line.Add(adjust);
  adjust->add_option("--amount", j->amount, "元, negative to reduce")->required();
  adjust->add_option("--reason", j->reason, Tr("原因", "reason"))->required();
  adjust->callback([&cli, j] {
    api::AdjustBudgetRequest r;
    r.set_agency_id(j->line.agency);
    r.set_fiscal_year(j->line.year);
    *r.mutable_line() = j->line.Line();
    r.set_delta_fen(Fen("--amount", j->amount));
    r.set_reason(j->reason);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::AdjustBudget, r);
  });
}

// budget disburse
void AddDisburse(CLI::App& budget, Cli& cli) {
  auto* disburse =
      budget.add_subcommand("disburse", Tr("资金支付：从科目支出（不超过可用额度）",
                                           "pay from a line (never more than is available)"));
  auto p = std::make_shared<ChangeArgs>();
  p->line.Add(disburse);
  disburse->add_option("--amount", p->amount, "元")->required();
  disburse->add_option("--voucher", p->voucher, Tr("支付凭证号", "disbursement id"))->required();
  disburse->add_option("--date", p->date, Tr("支付日期 YYYY-MM-DD", "payment date, YYYY-MM-DD"))
      ->required();
  disburse->add_option("--purpose", p->purpose, Tr("用途", "purpose"))->required();
  disburse->callback([&cli, p] {
    api::DisburseRequest r;
    r.set_agency_id(p->line.agency);
    r.set_fiscal_year(p->line.year);
    *r.mutable_line() = p->line.Line();
    r.set_amount_fen(Fen("--amount", p->amount));
    r.set_disbursement_id(p->voucher);
    r.set_date(p->date);
    r.set_purpose(p->purpose);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::Disburse, r);
  });
}

// budget income
void AddRecordIncome(CLI::App& budget, Cli& cli) {
  auto* income =
      budget.add_subcommand("income", Tr("登记财政拨款以外的收入（事业收入、经营收入……）",
                                         "non-fiscal income (事业收入, 经营收入, …) on a line"));
  auto i = std::make_shared<ChangeArgs>();
  i->line.Add(income);
  income->add_option("--amount", i->amount, "元")->required();
  income->add_option("--note", i->note, Tr("备注", "note"));
  income->callback([&cli, i] {
    api::RecordIncomeRequest r;
    r.set_agency_id(i->line.agency);
    r.set_fiscal_year(i->line.year);
    *r.mutable_line() = i->line.Line();
    r.set_amount_fen(Fen("--amount", i->amount));
    r.set_note(i->note);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::RecordIncome, r);
  });
}

// budget carry-over
void AddRecordCarryOver(CLI::App& budget, Cli& cli) {
  auto* carry = budget.add_subcommand(
      "carry-over",
      Tr("科目的年初结转或年末结转", "年初结转 (opening) or 年末结转 (closing) of a line"));
  auto c = std::make_shared<ChangeArgs>();
  c->line.Add(carry);
  carry->add_option("--type", c->kind, "年初结转和结余/opening or 年末结转和结余/closing")
      ->required();
  carry->add_option("--amount", c->amount, "元")->required();
  carry->callback([&cli, c] {
    api::RecordCarryOverRequest r;
    r.set_agency_id(c->line.agency);
    r.set_fiscal_year(c->line.year);
    *r.mutable_line() = c->line.Line();
    r.set_kind(ParseEnum<pb::CarryOverKind>("--type", c->kind));
    r.set_amount_fen(Fen("--amount", c->amount));
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::RecordCarryOver, r);
  });
}

// budget project
void AddDefineProject(CLI::App& budget, Cli& cli) {
  auto* project = budget.add_subcommand(
      "project", Tr("设立项目及其绩效目标（JSON 文件）",
                    "define a project with its performance targets (JSON file)"));
  auto pj = std::make_shared<std::array<std::string, 4>>();
  auto pj_year = std::make_shared<int>(0);
  project->add_option("--agency", (*pj)[0], Tr("机构编号", "agency id"))->required();
  project->add_option("--year", *pj_year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))
      ->required();
  project->add_option("--id", (*pj)[1], Tr("项目编号", "project id"))->required();
  project->add_option("--name", (*pj)[2], Tr("项目名称", "project name"))->required();
  project
      ->add_option("--indicators", (*pj)[3],
                   Tr("JSON 文件：{\"indicators\": [PerformanceIndicator, …]}"
                      "（见 proto/reformlog/domain/v1/budget_events.proto）",
                      "JSON file: {\"indicators\": [PerformanceIndicator, …]} "
                      "(proto/reformlog/domain/v1/budget_events.proto)"))
      ->required();
  project->callback([&cli, pj, pj_year] {
    auto r = ReadJsonFile<api::DefineProjectRequest>("--indicators", (*pj)[3]);
    r.set_agency_id((*pj)[0]);
    r.set_fiscal_year(*pj_year);
    r.set_project_id((*pj)[1]);
    r.set_name((*pj)[2]);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::DefineProject, r);
  });
}

// budget performance
void AddRecordPerformance(CLI::App& budget, Cli& cli) {
  auto* performance =
      budget.add_subcommand("performance", Tr("登记项目绩效实际完成情况（JSON 文件）",
                                              "record a project's actual performance (JSON file)"));
  auto pf = std::make_shared<std::array<std::string, 3>>();
  auto pf_year = std::make_shared<int>(0);
  performance->add_option("--agency", (*pf)[0], Tr("机构编号", "agency id"))->required();
  performance->add_option("--year", *pf_year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))
      ->required();
  performance->add_option("--project", (*pf)[1], Tr("项目编号", "project id"))->required();
  performance
      ->add_option("--actuals", (*pf)[2],
                   Tr("JSON 文件：{\"actuals\": [IndicatorActual, …]}",
                      "JSON file: {\"actuals\": [IndicatorActual, …]}"))
      ->required();
  performance->callback([&cli, pf, pf_year] {
    auto r = ReadJsonFile<api::RecordPerformanceRequest>("--actuals", (*pf)[2]);
    r.set_agency_id((*pf)[0]);
    r.set_fiscal_year(*pf_year);
    r.set_project_id((*pf)[1]);
    cli.Command(cli.client().budget(), &api::BudgetCommands::Stub::RecordPerformance, r);
  });
}

// Queries.

// budget show
void AddGetBudget(CLI::App& budget, Cli& cli) {
  auto b = std::make_shared<QueryArgs>();
  auto* show = budget.add_subcommand(
      "show", Tr("一个单位一个年度的预算：汇总、执行率、同比（万元）",
                 "an agency's budget year: roll-ups, execution, year over year (万元)"));
  show->add_option("--agency", b->agency, Tr("机构编号", "agency id"))->required();
  show->add_option("--year", b->year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))
      ->required();
  show->add_flag("--lines", b->lines, Tr("同时列出每个科目", "also every line"));
  show->callback([&cli, b] {
    api::GetBudgetRequest r;
    r.set_agency_id(b->agency);
    r.set_fiscal_year(b->year);
    r.set_omit_lines(!b->lines && !cli.json());
    r.set_min_position(cli.min_position());
    api::GetBudgetResponse s =
        cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetBudget, r);
    if (cli.json()) return Cli::PrintJson(s);
    auto row = [](Table& t, const std::string& name, const api::BudgetAmounts& a) {
      t.Add({name, FormatWan(a.budget_fen()), FormatWan(a.disbursed_fen()),
             FormatWan(a.available_fen())});
    };
    std::cout << s.agency_id() << " " << s.fiscal_year()
              << Tr("年（万元；执行率 ", " (万元; execution ") << FormatPercent(s.execution_rate())
              << Tr("）\n", ")\n");
    Table t(TrEach(
        {{"", ""}, {"预算数", "budget"}, {"支出数", "executed"}, {"可用余额", "available"}}));
    t.AlignRight({1, 2, 3});
    row(t, Tr("合计", "total"), s.total());
    for (const auto& f : s.by_fund_source())
      row(t, absl::StrCat("  ", Label(f.fund_source())), f.amounts());
    row(t, "基本支出", s.basic());
    row(t, "  人员经费", s.personnel());
    row(t, "  公用经费", s.public_use());
    row(t, "项目支出", s.project());
    for (const auto& p : s.by_project())
      row(t, absl::StrCat("  ", p.name().empty() ? p.project_id() : p.name()), p.amounts());
    row(t, "三公经费", s.three_public().total());
    if (s.agency_operating_applicable()) row(t, "机关运行经费", s.agency_operating());
    t.Print(std::cout);
    std::cout << "\n支出功能分类\n";
    Table f(TrEach(
        {{"事项编码", "code"}, {"名称", "name"}, {"预算数", "budget"}, {"支出数", "executed"}}));
    f.AlignRight({2, 3});
    for (const auto& c : s.by_function()) {
      f.Add({std::string(static_cast<size_t>(c.level() - 1) * 2, ' ') + c.code(), c.name(),
             FormatWan(c.amounts().budget_fen()), FormatWan(c.amounts().disbursed_fen())});
    }
    f.Print(std::cout);
    std::cout << "\n部门预算支出经济分类\n";
    Table e(TrEach(
        {{"事项编码", "code"}, {"名称", "name"}, {"预算数", "budget"}, {"支出数", "executed"}}));
    e.AlignRight({2, 3});
    for (const auto& c : s.by_economic()) {
      e.Add({std::string(static_cast<size_t>(c.level() - 1) * 2, ' ') + c.code(), c.name(),
             FormatWan(c.amounts().budget_fen()), FormatWan(c.amounts().disbursed_fen())});
    }
    e.Print(std::cout);
    if (s.previous_year_found()) {
      std::cout << "\n与上年相比\n";
      Table y({"", s.fiscal_year() > 0 ? absl::StrCat(s.fiscal_year()) : "",
               absl::StrCat(s.fiscal_year() - 1), "change"});
      y.AlignRight({1, 2, 3});
      for (const auto& c : s.year_over_year()) {
        y.Add({c.metric(), FormatWan(c.this_year_fen()), FormatWan(c.last_year_fen()),
               FormatPercent(c.change())});
      }
      y.Print(std::cout);
    }
    if (b->lines) {
      std::cout << Tr("\n预算科目\n", "\nlines\n");
      Table l(TrEach({{"资金来源", "fund"},
                      {"功能分类", "function"},
                      {"经济分类", "economic"},
                      {"类型", "kind"},
                      {"预算数", "budget"},
                      {"支出数", "executed"},
                      {"可用余额", "available"}}));
      l.AlignRight({4, 5, 6});
      for (const auto& line : s.lines()) {
        l.Add({Label(line.line().fund_source()),
               Named(line.line().function_code(), line.function_name()),
               Named(line.line().economic_code(), line.economic_name()),
               line.line().kind() == pb::PROJECT ? line.line().project_id()
                                                 : Label(line.line().kind()),
               FormatYuan(line.amounts().budget_fen()), FormatYuan(line.amounts().disbursed_fen()),
               FormatYuan(line.amounts().available_fen())});
      }
      l.Print(std::cout);
    }
  });
}

// budget accounts (收入支出决算总表)
void AddGetFinalAccounts(CLI::App& budget, Cli& cli) {
  auto a = std::make_shared<QueryArgs>();
  auto* accounts =
      budget.add_subcommand("accounts", Tr("收入支出决算总表，逐项核对勾稽关系（万元）",
                                           "收入支出决算总表 with every identity checked (万元)"));
  accounts->add_option("--agency", a->agency, Tr("机构编号", "agency id"))->required();
  accounts->add_option("--year", a->year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))
      ->required();
  accounts->callback([&cli, a] {
    api::GetFinalAccountsRequest r;
    r.set_agency_id(a->agency);
    r.set_fiscal_year(a->year);
    r.set_min_position(cli.min_position());
    api::GetFinalAccountsResponse s =
        cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetFinalAccounts, r);
    if (cli.json()) return Cli::PrintJson(s);
    Table t({"收入", "", "支出", ""});
    t.AlignRight({1, 3});
    t.Add({"本年收入合计", FormatWan(s.current_income_fen()), "本年支出合计",
           FormatWan(s.current_expenditure_fen())});
    t.Add({"用事业基金弥补收支差额", FormatWan(s.business_fund_offset_fen()), "  基本支出",
           FormatWan(s.basic_fen())});
    t.Add({"年初结转和结余", FormatWan(s.carried_in_fen()), "  项目支出",
           FormatWan(s.project_fen())});
    t.Add({"", "", "结余分配", FormatWan(s.surplus_distribution_fen())});
    t.Add({"", "", "年末结转和结余", FormatWan(s.carried_out_fen())});
    t.Add({"收入总计", FormatWan(s.income_total_fen()), "支出总计",
           FormatWan(s.expenditure_total_fen())});
    t.Print(std::cout);
    std::cout << "\n";
    Table ids(TrEach({{"勾稽关系", "identity"},
                      {"左边", "left"},
                      {"右边", "right"},
                      {"", ""},
                      {"说明", "note"}}));
    ids.AlignRight({1, 2});
    int broken = 0;
    for (const auto& i : s.identities()) {
      // An identity with a note does not hold yet for a reason the note gives (the year is
      // still open); one without is broken.
      broken += !i.holds() && i.note().empty() ? 1 : 0;
      ids.Add({i.name(), FormatWan(i.left_fen()), FormatWan(i.right_fen()),
               i.holds() ? Tr("相符", "holds")
                         : (i.note().empty() ? Tr("不符", "BROKEN") : Tr("尚未", "not yet")),
               i.note()});
    }
    ids.Print(std::cout);
    if (broken > 0) {
      throw Exit{kExitRejected, Tr(absl::StrCat(broken, "项勾稽关系不符"),
                                   absl::StrCat(broken, " identities are broken"))};
    }
  });
}

// performance (预算绩效)
void AddGetPerformance(CLI::App& app, Cli& cli) {
  auto p = std::make_shared<QueryArgs>();
  auto* performance = app.add_subcommand(
      "performance", Tr("预算绩效：各项目目标值与实际值、得分和等级",
                        "预算绩效: each project's targets vs actuals, score and grade"));
  performance->add_option("--agency", p->agency, Tr("机构编号", "agency id"))->required();
  performance->add_option("--year", p->year, Tr("预算年度，如 2019", "fiscal year, e.g. 2019"))
      ->required();
  performance->add_option("--project", p->project, Tr("项目编号", "project id"));
  performance->callback([&cli, p] {
    api::GetPerformanceRequest r;
    r.set_agency_id(p->agency);
    r.set_fiscal_year(p->year);
    r.set_project_id(p->project);
    r.set_min_position(cli.min_position());
    api::GetPerformanceResponse s =
        cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetPerformance, r);
    if (cli.json()) return Cli::PrintJson(s);
    Table t(TrEach({{"项目", "project"},
                    {"预算数", "budget"},
                    {"支出数", "executed"},
                    {"执行率", "rate"},
                    {"得分", "score"},
                    {"等级", "grade"}}));
    t.AlignRight({1, 2, 3, 4});
    for (const auto& project : s.projects()) {
      t.Add({project.name().empty() ? project.project_id() : project.name(),
             FormatWan(project.amounts().budget_fen()),
             FormatWan(project.amounts().disbursed_fen()), FormatPercent(project.execution_rate()),
             FormatCentipoints(project.score_centipoints()), project.grade()});
    }
    t.Print(std::cout);
    // Then each project's indicators: target against actual (项目绩效目标完成情况表).
    std::cout << "\n"
              << report::Text({Tr("各项目绩效目标完成情况", "each project's targets and actuals"),
                               p->agency, p->year, s.position()},
                              report::PerformanceTables(s));
  });
}

}  // namespace

void AddBudgetCommands(CLI::App& app, Cli& cli) {
  CLI::App& budget =
      *app.add_subcommand("budget",
                          Tr("预算：批复、调整、支付、收入、结转、项目",
                             "预算: appropriate, adjust, disburse, income, carry-over, projects"))
           ->require_subcommand(1);
  AddAppropriate(budget, cli);
  AddAdjustBudget(budget, cli);
  AddDisburse(budget, cli);
  AddRecordIncome(budget, cli);
  AddRecordCarryOver(budget, cli);
  AddDefineProject(budget, cli);
  AddRecordPerformance(budget, cli);
}

void AddBudgetQueries(CLI::App& app, Cli& cli) {
  AddGetBudget(*app.get_subcommand("budget"), cli);
  AddGetFinalAccounts(*app.get_subcommand("budget"), cli);
  AddGetPerformance(app, cli);
}

}  // namespace reformlog::ctl
