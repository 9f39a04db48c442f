// reformctl staffing, check (四清两对应), person show, people, budget, accounts,
// performance — the read-model queries (the organisation's are in org_cli.cc; powers and
// progress in power_query_cli.cc).
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/money.h"
#include "clients/reformctl/paging.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

void AddStaffingQueries(CLI::App& app, Cli& cli) {
  struct Args {
    std::string agency, jurisdiction;
    bool ceased = false;
    uint64_t at_position = 0;
  };
  auto a = std::make_shared<Args>();
  auto* staffing =
      app.add_subcommand("staffing", "编制 and people: quota, in post, 空编, 超编, leader posts");
  staffing->add_option("--agency", a->agency);
  staffing->add_option("--jurisdiction", a->jurisdiction,
                       "every agency of a jurisdiction, e.g. 西区");
  staffing->add_flag("--include-ceased", a->ceased);
  staffing->add_option("--at-position", a->at_position,
                       "what the system knew at this log position (audit)");
  staffing->callback([&cli, a] {
    if (a->agency.empty() == a->jurisdiction.empty()) {
      throw Exit{kExitUsage, "staffing: give --agency or --jurisdiction"};
    }
    api::GetStaffingRequest r;
    r.set_agency_id(a->agency);
    r.set_jurisdiction(a->jurisdiction);
    r.set_include_ceased(a->ceased);
    r.set_as_of_position(a->at_position);
    r.set_min_position(cli.min_position());
    api::GetStaffingResponse s =
        cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetStaffing, r);
    if (cli.json()) return cli.PrintJson(s);
    Table table({"agency", "name", "category", "quota", "in post", "空编", "超编"});
    table.AlignRight({3, 4, 5, 6});
    Table leaders({"agency", "rank", "title", "approved", "appointed", "超职数"});
    leaders.AlignRight({3, 4, 5});
    for (const api::AgencyStaffingFigures& f : s.agencies()) {
      const std::string name =
          f.ceased() ? absl::StrCat(f.name(), " (", f.ceased_how(), ")")
                     : (f.locked_by_plan().empty()
                            ? f.name()
                            : absl::StrCat(f.name(), " [锁定 ", f.locked_by_plan(), "]"));
      for (const api::QuotaFigures& q : f.quotas()) {
        table.Add({f.agency_id(), name, Label(q.category()), absl::StrCat(q.quota()),
                   absl::StrCat(q.in_post()), absl::StrCat(q.vacancies()),
                   q.over() > 0 ? absl::StrCat(q.over()) : ""});
      }
      for (const api::LeaderPostFigures& p : f.leader_posts()) {
        leaders.Add({f.agency_id(), Label(p.rank()), p.title(), absl::StrCat(p.approved()),
                     absl::StrCat(p.appointed()), p.over() > 0 ? absl::StrCat(p.over()) : ""});
      }
    }
    table.Print(std::cout);
    if (!leaders.empty()) {
      std::cout << "\n领导职数\n";
      leaders.Print(std::cout);
    }
  });

  auto* check = app.add_subcommand(
      "check", "四清两对应: every violation in a jurisdiction, with the numbers");
  auto c = std::make_shared<Args>();
  check->add_option("jurisdiction", c->jurisdiction, "e.g. 西区")->required();
  check->add_option("--at-position", c->at_position,
                    "what the system knew at this log position (audit)");
  check->callback([&cli, c] {
    api::CheckJurisdictionRequest r;
    r.set_jurisdiction(c->jurisdiction);
    r.set_as_of_position(c->at_position);
    r.set_min_position(cli.min_position());
    api::CheckJurisdictionResponse s = cli.Query(cli.client().staffing_queries(),
                                                 &api::StaffingQueries::Stub::CheckJurisdiction, r);
    if (cli.json()) return cli.PrintJson(s);
    const api::StaffingTotals& t = s.totals();
    std::cout << s.jurisdiction() << " (log position " << s.position() << "): " << t.agencies()
              << " agencies";
    if (t.ceased_agencies() > 0) std::cout << " (+" << t.ceased_agencies() << " ceased)";
    std::cout << "\n";
    Table totals({"category", "quota", "in post", "空编", "超编"});
    totals.AlignRight({1, 2, 3, 4});
    for (const api::QuotaFigures& q : t.categories()) {
      totals.Add({Label(q.category()), absl::StrCat(q.quota()), absl::StrCat(q.in_post()),
                  absl::StrCat(q.vacancies()), absl::StrCat(q.over())});
    }
    totals.Print(std::cout);
    std::cout << "领导职数: approved " << t.leader_posts_approved() << ", appointed "
              << t.leaders_appointed() << ", 超职数 " << t.leader_posts_over() << "\n\n";
    if (s.clear()) {
      std::cout << "四清两对应: clear — no violation\n";
      return;
    }
    Table violations({"violation", "agency", "", "limit", "actual", "detail"});
    violations.AlignRight({3, 4});
    for (const api::StaffingViolation& v : s.violations()) {
      const std::string what = v.rank() != pb::RANK_UNSPECIFIED ? Label(v.rank())
                               : v.category() != pb::QUOTA_CATEGORY_UNSPECIFIED
                                   ? Label(v.category())
                                   : "";
      violations.Add({v.label(), absl::StrCat(v.agency_id(), " ", v.agency_name()), what,
                      absl::StrCat(v.limit()), absl::StrCat(v.actual()), v.message()});
    }
    violations.Print(std::cout);
    throw Exit{kExitRejected, absl::StrCat(s.violations_size(), " violations of 四清两对应 in ",
                                           s.jurisdiction())};
  });

  CLI::App* person = app.get_subcommand("person");
  auto* show = person->add_subcommand("show", "a person in post and their history");
  auto id = std::make_shared<std::string>();
  show->add_option("person", *id)->required();
  show->callback([&cli, id] {
    api::GetPersonRequest r;
    r.set_person_id(*id);
    r.set_min_position(cli.min_position());
    api::GetPersonResponse p =
        cli.Query(cli.client().staffing_queries(), &api::StaffingQueries::Stub::GetPerson, r);
    if (cli.json()) return cli.PrintJson(p);
    const api::PersonSummary& s = p.person();
    std::cout << s.person_id() << "  " << s.name() << "  "
              << (s.departed()
                      ? "departed"
                      : absl::StrCat(s.agency_id(), " ", Label(s.category()), " ", s.post()));
    if (s.leader_rank() != pb::RANK_UNSPECIFIED)
      std::cout << "  " << s.leader_title() << " (" << Label(s.leader_rank()) << ")";
    std::cout << "\n";
    Table history({"effective", "document", "change"});
    for (const api::PersonHistoryEntry& h : p.history()) {
      history.Add({h.ref().effective_date(), h.ref().basis_number(), h.summary()});
    }
    history.Print(std::cout);
  });

  auto* people = app.add_subcommand("people", "the people in post at an agency (实名制)");
  auto agency = std::make_shared<std::string>();
  people->add_option("agency", *agency)->required();
  people->callback([&cli, agency] {
    api::ListPeopleResponse list = ListAllPeople(cli, *agency);
    if (cli.json()) return cli.PrintJson(list);
    Table table({"person", "name", "category", "post", "leader post"});
    for (const api::PersonSummary& s : list.people()) {
      table.Add({s.person_id(), s.name(), Label(s.category()), s.post(),
                 s.leader_rank() == pb::RANK_UNSPECIFIED
                     ? ""
                     : absl::StrCat(s.leader_title(), " (", Label(s.leader_rank()), ")")});
    }
    table.Print(std::cout);
  });
}

void AddBudgetQueries(CLI::App& app, Cli& cli) {
  struct Args {
    std::string agency, project;
    int year = 0;
    bool lines = false;
  };
  CLI::App* budget = app.get_subcommand("budget");
  auto b = std::make_shared<Args>();
  auto* show = budget->add_subcommand(
      "show", "an agency's budget year: roll-ups, execution, year over year (万元)");
  show->add_option("--agency", b->agency)->required();
  show->add_option("--year", b->year)->required();
  show->add_flag("--lines", b->lines, "also every line");
  show->callback([&cli, b] {
    api::GetBudgetRequest r;
    r.set_agency_id(b->agency);
    r.set_fiscal_year(b->year);
    r.set_omit_lines(!b->lines && !cli.json());
    r.set_min_position(cli.min_position());
    api::GetBudgetResponse s =
        cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetBudget, r);
    if (cli.json()) return cli.PrintJson(s);
    auto row = [](Table& t, const std::string& name, const api::BudgetAmounts& a) {
      t.Add({name, FormatWan(a.budget_fen()), FormatWan(a.disbursed_fen()),
             FormatWan(a.available_fen())});
    };
    std::cout << s.agency_id() << " " << s.fiscal_year() << " (万元; execution "
              << FormatPercent(s.execution_rate()) << ")\n";
    Table t({"", "budget", "executed", "available"});
    t.AlignRight({1, 2, 3});
    row(t, "total", s.total());
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
    Table f({"code", "budget", "executed"});
    f.AlignRight({1, 2});
    for (const auto& c : s.by_function()) {
      f.Add({std::string(static_cast<size_t>(c.level() - 1) * 2, ' ') + c.code(),
             FormatWan(c.amounts().budget_fen()), FormatWan(c.amounts().disbursed_fen())});
    }
    f.Print(std::cout);
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
      std::cout << "\nlines\n";
      Table l({"fund", "function", "economic", "kind", "budget", "executed", "available"});
      l.AlignRight({4, 5, 6});
      for (const auto& line : s.lines()) {
        l.Add({Label(line.line().fund_source()), line.line().function_code(),
               line.line().economic_code(),
               line.line().kind() == pb::PROJECT ? line.line().project_id()
                                                 : Label(line.line().kind()),
               FormatYuan(line.amounts().budget_fen()), FormatYuan(line.amounts().disbursed_fen()),
               FormatYuan(line.amounts().available_fen())});
      }
      l.Print(std::cout);
    }
  });

  auto a = std::make_shared<Args>();
  auto* accounts =
      budget->add_subcommand("accounts", "收入支出决算总表 with every identity checked (万元)");
  accounts->add_option("--agency", a->agency)->required();
  accounts->add_option("--year", a->year)->required();
  accounts->callback([&cli, a] {
    api::GetFinalAccountsRequest r;
    r.set_agency_id(a->agency);
    r.set_fiscal_year(a->year);
    r.set_min_position(cli.min_position());
    api::GetFinalAccountsResponse s =
        cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetFinalAccounts, r);
    if (cli.json()) return cli.PrintJson(s);
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
    Table ids({"identity", "left", "right", "", "note"});
    ids.AlignRight({1, 2});
    int broken = 0;
    for (const auto& i : s.identities()) {
      // An identity with a note does not hold yet for a reason the note gives (the year is
      // still open); one without is broken.
      broken += !i.holds() && i.note().empty() ? 1 : 0;
      ids.Add({i.name(), FormatWan(i.left_fen()), FormatWan(i.right_fen()),
               i.holds() ? "holds" : (i.note().empty() ? "BROKEN" : "not yet"), i.note()});
    }
    ids.Print(std::cout);
    if (broken > 0) throw Exit{kExitRejected, absl::StrCat(broken, " identities are broken")};
  });

  auto p = std::make_shared<Args>();
  auto* performance = app.add_subcommand(
      "performance", "预算绩效: each project's targets vs actuals, score and grade");
  performance->add_option("--agency", p->agency)->required();
  performance->add_option("--year", p->year)->required();
  performance->add_option("--project", p->project);
  performance->callback([&cli, p] {
    api::GetPerformanceRequest r;
    r.set_agency_id(p->agency);
    r.set_fiscal_year(p->year);
    r.set_project_id(p->project);
    r.set_min_position(cli.min_position());
    api::GetPerformanceResponse s =
        cli.Query(cli.client().budget_queries(), &api::BudgetQueries::Stub::GetPerformance, r);
    if (cli.json()) return cli.PrintJson(s);
    Table t({"project", "budget", "executed", "rate", "score", "grade"});
    t.AlignRight({1, 2, 3, 4});
    for (const auto& project : s.projects()) {
      t.Add({project.name().empty() ? project.project_id() : project.name(),
             FormatWan(project.amounts().budget_fen()),
             FormatWan(project.amounts().disbursed_fen()), FormatPercent(project.execution_rate()),
             FormatCentipoints(project.score_centipoints()), project.grade()});
    }
    t.Print(std::cout);
  });
}

}  // namespace

void AddReadModelQueries(CLI::App& app, Cli& cli) {
  AddStaffingQueries(app, cli);
  AddBudgetQueries(app, cli);
  AddPowerAndProgressQueries(app, cli);
}

}  // namespace reformlog::ctl
