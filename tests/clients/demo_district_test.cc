// The demo district end to end: `reformctl demo load` records clients/demo/xiqu-2019 in a real
// reformd (port 0, a temp dir), and the seed's headline facts (DOMAIN.md §7) are then read from
// the READ MODELS — org, staffing, people, powers, budget, reform — never from the data files:
// 35 departments with their 三定, 格里坪镇 with 8 offices, 5 事业单位 and 92 delegated items,
// 5 街道, 724 penalty and 174 licensing items concentrated, the 编办 with 2 divisions, 1 参公
// unit and 7 people, its 2019 final accounts and three projects against 2018. Loading again
// writes nothing.
//
// The district is loaded once for the whole suite (ctest runs each test in its own process,
// so each loads its own copy, ~1 s).
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_performance.h"
#include "projections/budget/budget_summary.h"
#include "projections/org/org_view.h"
#include "projections/power/power_view.h"
#include "projections/reform/reform_view.h"
#include "projections/staffing/staffing_view.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/run_program.h"
#include "tests/testing/temp_dir.h"

namespace reformlog {
namespace {

namespace rm = ::reformlog::readmodel::v1;
namespace dpb = ::reformlog::domain::v1;
using projections::EntityTable;
using ::testing::HasSubstr;

constexpr char kEndOf2019[] = "2019-12-31";
constexpr char kEndOf2018[] = "2018-12-31";
constexpr char kJurisdiction[] = "西区";
constexpr char kBianbanName[] = "中共攀枝花市西区区委机构编制委员会办公室";

// Money as the seed quotes it: hundredths of 万元 (12898 = 128.98 万元) in fen.
constexpr int64_t Wan(int64_t hundredths) { return hundredths * 10'000; }

bool IsDepartment(const projections::AgencyAsOf& a) {
  return a.kind == dpb::PARTY_DEPARTMENT || a.kind == dpb::GOVERNMENT_DEPARTMENT;
}

class DemoDistrictTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new testing::TempDir();
    services::ReformdOptions options;
    options.data_dir = dir_->Sub("data");
    options.listen = "127.0.0.1:0";
    auto server = services::ReformdServer::Start(options);
    if (!server.ok()) {
      setup_error_ = new std::string(server.status().ToString());
      return;
    }
    server_ = server->release();
    first_load_ = new testing::ProgramRun(Load());
    head_ = server_->store().HeadPosition();
    caught_up_ = server_->projections().WaitForAll(head_, absl::Seconds(30));
  }

  static void TearDownTestSuite() {
    if (server_ != nullptr) server_->Shutdown(absl::Seconds(1));
    delete server_;
    delete first_load_;
    delete setup_error_;
    delete dir_;
  }

  void SetUp() override {
    ASSERT_EQ(setup_error_, nullptr) << *setup_error_;
    ASSERT_EQ(first_load_->code, 0) << first_load_->out << first_load_->err;
    ASSERT_TRUE(caught_up_) << "the read models did not reach position " << head_;
  }

  static testing::ProgramRun Load(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"--server",     server_->address(),
                                     "--token-file", server_->admin_token_path(),
                                     "demo",         "load"};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<std::string> english = {"--lang", "en"};  // its checks read the English mode
    english.insert(english.end(), args.begin(), args.end());
    return testing::RunProgram(REFORMCTL_BINARY, english, dir_->path());
  }

  // Runs `read` over read model `name` as of the loaded head.
  static void Read(const char* name, const std::function<void(const EntityTable&)>& read) {
    absl::Status status = server_->projections().Read(
        name, head_, absl::Seconds(10),
        [&](const EntityTable& table, uint64_t /*position*/) { read(table); });
    ASSERT_TRUE(status.ok()) << name << ": " << status;
  }

  // The agencies standing on `date`, each folded whole (the tree itself folds only what it
  // shows: no mandate).
  static std::vector<projections::TreeNode> Tree(const std::string& date) {
    std::vector<projections::TreeNode> nodes;
    Read("org", [&](const EntityTable& org) {
      nodes = projections::TreeAsOf(org, date, kJurisdiction, /*include_ceased=*/false);
      const projections::ConstTable<rm::AgencyHistory> histories(org);
      for (projections::TreeNode& node : nodes) {
        node.agency = projections::FoldAgency(*histories.Find(node.agency.agency_id), date);
      }
    });
    return nodes;
  }

  // The one agency standing at the end of 2019 that `match` picks.
  static projections::AgencyAsOf Find(
      const std::function<bool(const projections::AgencyAsOf&)>& match) {
    std::vector<projections::AgencyAsOf> found;
    for (const projections::TreeNode& node : Tree(kEndOf2019)) {
      if (match(node.agency)) found.push_back(node.agency);
    }
    EXPECT_EQ(found.size(), 1u);
    return found.empty() ? projections::AgencyAsOf{} : found.front();
  }

  static std::vector<projections::AgencyAsOf> ChildrenOf(const std::string& parent_id) {
    std::vector<projections::AgencyAsOf> children;
    for (const projections::TreeNode& node : Tree(kEndOf2019)) {
      if (node.agency.parent_id == parent_id) children.push_back(node.agency);
    }
    return children;
  }

  static projections::BudgetSummary Budget(const std::string& agency_id, int year) {
    rm::BudgetBook book;
    Read("budget", [&](const EntityTable& budget) {
      const auto* found =
          projections::ConstTable<rm::BudgetBook>(budget).Find(absl::StrCat(agency_id, "/", year));
      if (found != nullptr) book = *found;
    });
    EXPECT_EQ(book.fiscal_year(), year) << "no budget book " << agency_id << "/" << year;
    absl::StatusOr<projections::BudgetSummary> summary =
        projections::SummarizeBudget(book, {dpb::PARTY_DEPARTMENT, false});
    EXPECT_TRUE(summary.ok()) << summary.status();
    return summary.ok() ? *summary : projections::BudgetSummary{};
  }

  static inline testing::TempDir* dir_ = nullptr;
  static inline services::ReformdServer* server_ = nullptr;
  static inline std::string* setup_error_ = nullptr;
  static inline testing::ProgramRun* first_load_ = nullptr;
  static inline uint64_t head_ = 0;
  static inline bool caught_up_ = false;
};

TEST_F(DemoDistrictTest, ThirtyFiveDepartmentsStandWithTheir2019SanDing) {
  int departments = 0, with_mandate = 0;
  for (const projections::TreeNode& node : Tree(kEndOf2019)) {
    const projections::AgencyAsOf& a = node.agency;
    if (!IsDepartment(a) || a.parent_id.empty()) continue;  // the committee and the government
    ++departments;
    if (a.mandate_issued && absl::StartsWith(a.mandate_ref.effective_date(), "2019")) {
      ++with_mandate;
    }
  }
  EXPECT_EQ(departments, 35);
  EXPECT_EQ(with_mandate, 35);
  // Before the reform none had a 2019 三定.
  for (const projections::TreeNode& node : Tree(kEndOf2018)) {
    EXPECT_FALSE(node.agency.mandate_issued) << node.agency.agency_id;
  }
}

TEST_F(DemoDistrictTest, TheMergersOf2019AreInTheLineage) {
  const projections::AgencyAsOf market =
      Find([](const projections::AgencyAsOf& a) { return a.name == "攀枝花市西区市场监督管理局"; });
  Read("org", [&](const EntityTable& org) {
    const projections::Lineage lineage = projections::LineageOf(org, market.agency_id);
    ASSERT_EQ(lineage.predecessors.size(), 2u);
    for (const projections::LineageStep& step : lineage.predecessors) {
      EXPECT_EQ(step.kind, "merger");
      EXPECT_EQ(step.ref.effective_date(), "2019-03-05");
    }
  });
  // Its people came with the merger and their quota (编随事走): no 超编 anywhere.
  Read("staffing", [&](const EntityTable& staffing) {
    const projections::JurisdictionCheck check =
        projections::CheckJurisdiction(staffing, kJurisdiction);
    EXPECT_TRUE(check.Clear()) << projections::RenderCheck(check);
  });
}

TEST_F(DemoDistrictTest, GelipingTownHasEightOfficesFiveInstitutionsAndNinetyTwoDelegatedItems) {
  const projections::AgencyAsOf town =
      Find([](const projections::AgencyAsOf& a) { return a.kind == dpb::TOWN; });
  EXPECT_THAT(town.name, HasSubstr("格里坪镇"));
  EXPECT_EQ(town.divisions.size(), 8u);
  int institutions = 0;
  for (const projections::AgencyAsOf& child : ChildrenOf(town.agency_id)) {
    institutions += child.kind == dpb::PUBLIC_INSTITUTION;
  }
  EXPECT_EQ(institutions, 5);

  Read("powers", [&](const EntityTable& powers) {
    const projections::PowerCounts counts =
        projections::CountAsOf(powers, kEndOf2019, town.agency_id);
    ASSERT_EQ(counts.holders.size(), 1u);
    EXPECT_EQ(counts.holders[0].items, 92);
    std::map<dpb::DelegationMode, int64_t> by_mode;
    for (const projections::CategoryCount& c : counts.holders[0].categories) {
      for (const auto& [mode, n] : c.by_held_as) by_mode[mode] += n;
    }
    EXPECT_GT(by_mode[dpb::DIRECT], 0);
    EXPECT_GT(by_mode[dpb::ENTRUSTED], 0);
    EXPECT_EQ(by_mode[dpb::DIRECT] + by_mode[dpb::ENTRUSTED], 92);
  });
}

TEST_F(DemoDistrictTest, FiveSubdistrictsAfterTheBoundaryChangeSixBefore) {
  auto subdistricts = [](const std::string& date) {
    int n = 0;
    for (const projections::TreeNode& node : Tree(date)) n += node.agency.kind == dpb::SUBDISTRICT;
    return n;
  };
  EXPECT_EQ(subdistricts(kEndOf2019), 5);
  EXPECT_EQ(subdistricts(kEndOf2018), 6);
}

TEST_F(DemoDistrictTest, PenaltyItemsConcentratedInTheEnforcementBureauLicensingInApprovals) {
  const projections::AgencyAsOf enforcement = Find(
      [](const projections::AgencyAsOf& a) { return a.role == dpb::COMPREHENSIVE_ENFORCEMENT; });
  const projections::AgencyAsOf approval =
      Find([](const projections::AgencyAsOf& a) { return a.role == dpb::ADMINISTRATIVE_APPROVAL; });
  // Each bureau's items, by category and how it holds them.
  auto held = [](const EntityTable& powers, const std::string& date, const std::string& holder) {
    std::map<dpb::PowerCategory, std::map<dpb::DelegationMode, int64_t>> out;
    for (const projections::HolderCount& h : projections::CountAsOf(powers, date, holder).holders) {
      for (const projections::CategoryCount& c : h.categories) out[c.category] = c.by_held_as;
    }
    return out;
  };
  Read("powers", [&](const EntityTable& powers) {
    using Modes = std::map<dpb::DelegationMode, int64_t>;
    using Held = std::map<dpb::PowerCategory, Modes>;
    EXPECT_EQ(held(powers, kEndOf2019, enforcement.agency_id),
              (Held{{dpb::PENALTY, Modes{{dpb::CONCENTRATED, 724}}}}));
    EXPECT_EQ(held(powers, kEndOf2019, approval.agency_id),
              (Held{{dpb::LICENSING, Modes{{dpb::CONCENTRATED, 174}}}}));
    // The lists took effect on 2019-12-01.
    EXPECT_TRUE(held(powers, "2019-11-30", enforcement.agency_id).empty());
  });
}

TEST_F(DemoDistrictTest, TheBianbanHasTwoDivisionsOneCivilServantManagedUnitAndSevenPeople) {
  const projections::AgencyAsOf bianban =
      Find([](const projections::AgencyAsOf& a) { return a.name == kBianbanName; });
  EXPECT_EQ(bianban.kind, dpb::PARTY_DEPARTMENT);
  ASSERT_EQ(bianban.divisions.size(), 2u);
  std::map<std::string, std::vector<std::string>> divisions;
  for (const auto& [id, division] : bianban.divisions) divisions[division.first] = division.second;
  EXPECT_EQ(divisions["综合股"], std::vector<std::string>{"区事业单位登记管理局"});
  EXPECT_EQ(divisions["机构编制管理股"], std::vector<std::string>{"督查调研股"});
  EXPECT_EQ(bianban.functions.size(), 10u) << "the seed's ten functions";

  std::vector<projections::AgencyAsOf> units;
  for (const projections::AgencyAsOf& child : ChildrenOf(bianban.agency_id)) {
    if (child.kind == dpb::PUBLIC_INSTITUTION && child.civil_servant_managed)
      units.push_back(child);
  }
  ASSERT_EQ(units.size(), 1u);
  EXPECT_THAT(units[0].name, HasSubstr("西区事业单位登记服务中心"));

  // 7 people in post: 行政编制 in the 编办, 事业编制 in the 中心.
  Read("staffing", [&](const EntityTable& staffing) {
    const projections::ConstTable<rm::AgencyStaffing> table(staffing);
    const projections::AgencyFigures office =
        projections::FiguresOf(*table.Find(bianban.agency_id));
    const projections::AgencyFigures centre =
        projections::FiguresOf(*table.Find(units[0].agency_id));
    EXPECT_EQ(office.total.in_post + centre.total.in_post, 7);
    ASSERT_EQ(office.quotas.size(), 1u);
    EXPECT_EQ(office.quotas[0].category, dpb::ADMINISTRATIVE);
    ASSERT_EQ(centre.quotas.size(), 1u);
    EXPECT_EQ(centre.quotas[0].category, dpb::PUBLIC_SERVICE);
  });
  Read("people", [&](const EntityTable& people) {
    EXPECT_EQ(projections::PeopleInPost(people, bianban.agency_id).size() +
                  projections::PeopleInPost(people, units[0].agency_id).size(),
              7u);
  });
}

// 用编审批 (08-recruitment-2019.jsonl): the 司法局's notice reserves 2 行政编制 until
// 2020-06-30; one is filled in December 2019, the other stays reserved.
TEST_F(DemoDistrictTest, TheJusticeBureausNoticeStillReservesOneVacancy) {
  Read("staffing", [&](const EntityTable& staffing) {
    const rm::AgencyStaffing* sfj =
        projections::ConstTable<rm::AgencyStaffing>(staffing).Find("xq-sfj");
    ASSERT_NE(sfj, nullptr);
    for (const auto& [date, reserved] : std::vector<std::pair<std::string, int64_t>>{
             {kEndOf2019, 1}, {"2020-06-30", 1}, {"2020-07-01", 0}}) {
      const projections::AgencyFigures f = projections::FiguresOf(*sfj, date);
      int64_t held = -1;
      for (const projections::QuotaFigures& q : f.quotas) {
        if (q.category == dpb::ADMINISTRATIVE) held = q.reserved;
      }
      EXPECT_EQ(held, reserved) << date;
    }
  });
}

TEST_F(DemoDistrictTest, TheBianbansFinalAccountsFor2019HoldEveryIdentity) {
  const projections::BudgetSummary summary = Budget("xq-bianban", 2019);
  absl::StatusOr<projections::FinalAccounts> accounts = projections::FinalAccountsOf(summary);
  ASSERT_TRUE(accounts.ok()) << accounts.status();
  for (const projections::Identity& identity : accounts->identities) {
    EXPECT_TRUE(identity.holds) << identity.name << ": " << identity.left_fen << " ≠ "
                                << identity.right_fen << " " << identity.note;
  }
  EXPECT_EQ(accounts->income_total_fen, Wan(12898));  // 收、支总计
  EXPECT_EQ(accounts->expenditure_total_fen, Wan(12898));
  EXPECT_EQ(accounts->current_income_fen, Wan(11380));
  EXPECT_EQ(accounts->carried_in_fen, Wan(1518));
  EXPECT_EQ(accounts->current_expenditure_fen, Wan(12857));
  EXPECT_EQ(accounts->basic_fen, Wan(12570));
  EXPECT_EQ(accounts->project_fen, Wan(287));
  EXPECT_EQ(accounts->personnel_fen, Wan(11091));
  EXPECT_EQ(accounts->public_use_fen, Wan(1479));
  EXPECT_EQ(accounts->carried_out_fen, Wan(41));
  std::map<dpb::FundSource, projections::FiscalKindAccount> kinds;
  for (const projections::FiscalKindAccount& k : accounts->fiscal_kinds) kinds[k.fund_source] = k;
  EXPECT_EQ(kinds[dpb::GENERAL_PUBLIC_BUDGET].income_fen, Wan(11377));
  EXPECT_EQ(kinds[dpb::GENERAL_PUBLIC_BUDGET].expenditure_fen, Wan(12570));
  EXPECT_EQ(kinds[dpb::GOVERNMENT_FUND].expenditure_fen, Wan(287));
  EXPECT_EQ(summary.three_public.total.disbursed_fen, 0);
  EXPECT_EQ(summary.agency_operating.disbursed_fen, Wan(1479));  // 机关运行经费
}

TEST_F(DemoDistrictTest, TheThreeProjectsBudgetsExecutionAndPerformance) {
  const projections::BudgetSummary summary = Budget("xq-bianban", 2019);
  std::map<std::string, projections::Amounts> projects;
  for (const projections::ProjectAmounts& p : summary.by_project) projects[p.name] = p.amounts;
  ASSERT_EQ(projects.size(), 3u);
  const projections::Amounts& archives = projects["机构编制档案规范化建设专项经费"];
  const projections::Amounts& checks = projects["机构编制核查及实名制系统维护专项经费"];
  const projections::Amounts& reform = projects["机构改革业务费"];
  EXPECT_EQ(archives.budget_fen, Wan(20));
  EXPECT_EQ(archives.disbursed_fen, Wan(20));
  EXPECT_EQ(checks.budget_fen, Wan(30));
  EXPECT_EQ(checks.disbursed_fen, Wan(30));
  EXPECT_EQ(reform.budget_fen, Wan(250));
  EXPECT_EQ(reform.disbursed_fen, Wan(237));

  rm::BudgetBook book;
  Read("budget", [&](const EntityTable& budget) {
    book = *projections::ConstTable<rm::BudgetBook>(budget).Find("xq-bianban/2019");
  });
  absl::StatusOr<std::vector<projections::ProjectPerformance>> performance =
      projections::EvaluatePerformance(book, projections::PerformanceWeights{});
  ASSERT_TRUE(performance.ok()) << performance.status();
  ASSERT_EQ(performance->size(), 3u);
  for (const projections::ProjectPerformance& p : *performance) {
    for (const projections::IndicatorResult& r : p.indicators) {
      EXPECT_TRUE(r.recorded && r.met) << p.name << " " << r.indicator.name();
    }
    EXPECT_EQ(p.execution_rate.basis_points, p.name == "机构改革业务费" ? 9480 : 10000) << p.name;
  }
}

TEST_F(DemoDistrictTest, The2018FiguresAreThereForTheYearOverYearComparison) {
  const projections::BudgetSummary this_year = Budget("xq-bianban", 2019);
  const projections::BudgetSummary last_year = Budget("xq-bianban", 2018);
  absl::StatusOr<std::vector<projections::YearOverYear>> compared =
      projections::CompareYears(this_year, last_year);
  ASSERT_TRUE(compared.ok()) << compared.status();
  std::map<std::string, projections::YearOverYear> by_metric;
  for (const projections::YearOverYear& y : *compared) by_metric[y.metric] = y;
  EXPECT_EQ(by_metric["本年支出合计"].last_year_fen, Wan(13819));
  EXPECT_EQ(by_metric["公用经费"].last_year_fen, Wan(1508));
  EXPECT_EQ(by_metric["机关运行经费"].this_year_fen, Wan(1479));
  EXPECT_EQ(by_metric["机关运行经费"].last_year_fen, Wan(1508));
  EXPECT_EQ(by_metric["机关运行经费"].change.basis_points, -192);  // the seed: 下降1.9%
}

TEST_F(DemoDistrictTest, TheReformPlanIsCarriedOutTaskByTask) {
  Read("reform", [&](const EntityTable& reform) {
    const std::vector<projections::PlanAsOf> plans =
        projections::PlansAsOf(reform, kEndOf2019, kJurisdiction, /*include_closed=*/true);
    ASSERT_EQ(plans.size(), 1u);
    const projections::PlanAsOf& plan = plans[0];
    EXPECT_EQ(plan.title, "西区机构改革方案");
    EXPECT_TRUE(plan.approved);
    int mandates = 0;
    for (const projections::TaskAsOf& t : plan.tasks) {
      mandates += t.task.kind() == dpb::MANDATE_ISSUED;
      EXPECT_EQ(t.state, projections::TaskState::kDone) << t.task.task_id();
    }
    EXPECT_EQ(mandates, 35);
    EXPECT_EQ(plan.overall.done, plan.overall.tasks);
    EXPECT_EQ(plan.overall.overdue, 0);
  });
}

TEST_F(DemoDistrictTest, LoadingAgainWritesNothing) {
  const testing::ProgramRun again = Load();
  ASSERT_EQ(again.code, 0) << again.out << again.err;
  EXPECT_THAT(again.out, HasSubstr(" 0 recorded (0 events)"));
  EXPECT_EQ(server_->store().HeadPosition(), head_);
}

TEST_F(DemoDistrictTest, ARefusedCommandStopsTheLoadNamingItsFileAndLine) {
  const std::string data = dir_->Sub("refused");
  std::filesystem::create_directories(data);
  // Line 1 is refused (the 编办 exists); line 2 would be recorded if the load went on.
  const std::string header =
      R"("header":{"basis":{"number":"西编委〔2019〕99号"},"effective_date":"2019-12-31"})";
  std::ofstream(data + "/01-bad.jsonl")
      << R"({"service":"reformlog.api.v1.OrgCommands","method":"EstablishAgency","request":{)"
      << header
      << R"(,"agency":{"agency_id":"xq-bianban","name":"重复","kind":"PARTY_DEPARTMENT","rank":"SECTION_CHIEF"}}})"
      << "\n"
      << R"({"service":"reformlog.api.v1.OrgCommands","method":"EstablishAgency","request":{)"
      << header
      << R"(,"agency":{"agency_id":"xq-never","name":"不会设立","kind":"PARTY_DEPARTMENT","rank":"SECTION_CHIEF"}}})"
      << "\n";
  const testing::ProgramRun refused = Load({"--data", data});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("01-bad.jsonl:1 OrgCommands.EstablishAgency: ALREADY_EXISTS"));
  EXPECT_EQ(server_->store().HeadPosition(), head_);

  // A line that is not a command is refused before anything is sent (exit 2).
  std::ofstream(data + "/02-typo.jsonl")
      << R"({"service":"reformlog.api.v1.OrgCommands","method":"EstablishAgencies","request":{}})"
      << "\n";
  const testing::ProgramRun typo = Load({"--data", data});
  EXPECT_EQ(typo.code, 2);
  EXPECT_THAT(typo.err, HasSubstr("02-typo.jsonl:1: no method \"EstablishAgencies\""));
}

}  // namespace
}  // namespace reformlog
