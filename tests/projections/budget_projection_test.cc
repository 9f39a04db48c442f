// The budget read model and its queries, from logs written by real commands: the seed's 2019
// 部门决算 of the 编办 (golden renderings of the budget, the 收入支出决算总表 and the project
// self-evaluations; every roll-up summing exactly to its parts), year-over-year against 2018,
// 三公经费 and 机关运行经费 by agency kind, a worked scoring example, overflow, and a property
// test: random appropriations, income, adjustments, carry-overs and payments over random codes
// keep every identity of DOMAIN.md §4 exactly.
#include "projections/budget/budget_projection.h"

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_view.h"
#include "projections/domain/vocabulary.h"
#include "projections/projection_runner.h"
#include "reformlog/api/v1/budget_commands.pb.h"
#include "services/domain/budget_decide.h"
#include "services/domain/org_agency_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
namespace reformlog::projections {
namespace {

using testing::CommandDriver;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;
namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

constexpr char kAgency[] = "xiqu-bianban";
// 1 万元 in fen.
constexpr int64_t kWan = 1'000'000;

pb::BudgetLine Line(pb::FundSource source, const std::string& function_code,
                    const std::string& economic_code, const std::string& project_id = "") {
  pb::BudgetLine line;
  line.set_fund_source(source);
  line.set_function_code(function_code);
  line.set_economic_code(economic_code);
  line.set_kind(project_id.empty() ? pb::BASIC : pb::PROJECT);
  line.set_project_id(project_id);
  return line;
}

pb::BudgetLine General(const std::string& function_code, const std::string& economic_code) {
  return Line(pb::GENERAL_PUBLIC_BUDGET, function_code, economic_code);
}

pb::PerformanceIndicator Indicator(const std::string& text) {
  pb::PerformanceIndicator indicator;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &indicator)) << text;
  return indicator;
}

class BudgetProjectionTest : public ::testing::Test {
 public:  // RandomBudget drives the commands too
  BudgetProjectionTest() : driver_(store_, clock_) {}

  void Establish(const std::string& id, pb::AgencyKind kind, bool civil_servant_managed = false) {
    api::EstablishAgencyRequest r;
    *r.mutable_agency() = CommandDriver::Spec(id, absl::StrCat("机构", id), kind);
    r.mutable_agency()->set_civil_servant_managed(civil_servant_managed);
    driver_.On("2018-01-01").Must(domain::DecideEstablishAgency, r);
  }

  template <typename Request>
  static Request On(const pb::BudgetLine& line, int year, const std::string& agency = kAgency) {
    Request r;
    r.set_agency_id(agency);
    r.set_fiscal_year(year);
    *r.mutable_line() = line;
    return r;
  }

  absl::StatusOr<api::CommandResult> Appropriate(const pb::BudgetLine& line, int64_t fen,
                                                 int year = 2019,
                                                 const std::string& agency = kAgency) {
    auto r = On<api::AppropriateRequest>(line, year, agency);
    r.set_amount_fen(fen);
    return driver_.On(absl::StrCat(year, "-01-15")).Run(domain::DecideAppropriate, r);
  }
  absl::StatusOr<api::CommandResult> Income(const pb::BudgetLine& line, int64_t fen,
                                            int year = 2019) {
    auto r = On<api::RecordIncomeRequest>(line, year);
    r.set_amount_fen(fen);
    r.set_note("收入");
    return driver_.On(absl::StrCat(year, "-02-01")).Run(domain::DecideRecordIncome, r);
  }
  absl::StatusOr<api::CommandResult> Adjust(const pb::BudgetLine& line, int64_t delta_fen,
                                            int year = 2019) {
    auto r = On<api::AdjustBudgetRequest>(line, year);
    r.set_delta_fen(delta_fen);
    r.set_reason("区财政局预算调整");
    return driver_.On(absl::StrCat(year, "-07-01")).Run(domain::DecideAdjustBudget, r);
  }
  absl::StatusOr<api::CommandResult> Disburse(const pb::BudgetLine& line, int64_t fen,
                                              int year = 2019,
                                              const std::string& agency = kAgency) {
    auto r = On<api::DisburseRequest>(line, year, agency);
    r.set_amount_fen(fen);
    r.set_disbursement_id(absl::StrCat("v", ++vouchers_));
    r.set_date(absl::StrCat(year, "-06-30"));
    r.set_purpose("支付");
    return driver_.On(absl::StrCat(year, "-06-30")).Run(domain::DecideDisburse, r);
  }
  absl::StatusOr<api::CommandResult> Carry(const pb::BudgetLine& line, pb::CarryOverKind kind,
                                           int64_t fen, int year = 2019,
                                           const std::string& agency = kAgency) {
    auto r = On<api::RecordCarryOverRequest>(line, year, agency);
    r.set_kind(kind);
    r.set_amount_fen(fen);
    return driver_.On(absl::StrCat(year, kind == pb::OPENING ? "-01-01" : "-12-31"))
        .Run(domain::DecideRecordCarryOver, r);
  }
  void DefineProject(const std::string& id, const std::string& name,
                     const std::vector<pb::PerformanceIndicator>& indicators, int year = 2019) {
    api::DefineProjectRequest r;
    r.set_agency_id(kAgency);
    r.set_fiscal_year(year);
    r.set_project_id(id);
    r.set_name(name);
    for (const auto& i : indicators) *r.add_indicators() = i;
    driver_.On(absl::StrCat(year, "-01-10")).Must(domain::DecideDefineProject, r);
  }
  void RecordPerformance(const std::string& project, const std::string& actuals_text) {
    api::RecordPerformanceRequest r;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(actuals_text, &r)) << actuals_text;
    r.set_agency_id(kAgency);
    r.set_fiscal_year(2019);
    r.set_project_id(project);
    driver_.On("2019-12-31").Must(domain::DecideRecordPerformance, r);
  }

  // A basic line: appropriated `appropriated`, carried in `carried_in`, spent `spent`, and closed
  // with what is left.
  void SpendAndClose(const pb::BudgetLine& line, int64_t appropriated, int64_t spent,
                     int64_t carried_in = 0, int year = 2019) {
    ASSERT_TRUE(Appropriate(line, appropriated, year).ok());
    if (carried_in > 0) {
      ASSERT_TRUE(Carry(line, pb::OPENING, carried_in, year).ok());
    }
    if (spent > 0) {
      ASSERT_TRUE(Disburse(line, spent, year).ok());
    }
    ASSERT_TRUE(Carry(line, pb::CLOSING, appropriated + carried_in - spent, year).ok());
  }

  // The seed's six indicators of a project, with `cost_milli` as its cost target (万元 × 1000).
  static std::vector<pb::PerformanceIndicator> SeedIndicators(int64_t cost_milli) {
    return {Indicator("indicator_id: 'sl' level1: OUTPUT_INDICATORS level2: QUANTITY "
                      "name: '开展业务学习培训' op: AT_LEAST target_milli: 1000 unit: '次'"),
            Indicator("indicator_id: 'zl' level1: OUTPUT_INDICATORS level2: QUALITY "
                      "name: '质量' op: QUALITATIVE target_text: '规范可查'"),
            Indicator("indicator_id: 'sx' level1: OUTPUT_INDICATORS level2: TIMELINESS "
                      "name: '完成时限' op: QUALITATIVE target_text: '2019年12月31日前'"),
            Indicator(absl::StrCat("indicator_id: 'cb' level1: OUTPUT_INDICATORS level2: COST "
                                   "name: '项目成本' op: AT_MOST unit: '万元' target_milli: ",
                                   cost_milli)),
            Indicator("indicator_id: 'sh' level1: BENEFIT_INDICATORS level2: SOCIAL "
                      "name: '社会效益' op: QUALITATIVE target_text: '有迹可循'"),
            Indicator("indicator_id: 'my' level1: SATISFACTION_INDICATORS "
                      "level2: SERVICE_RECIPIENT name: '满意度' op: AT_LEAST "
                      "target_milli: 100000 unit: '%'")};
  }

  // The seed's 2019 部门决算 of the 编办, made consistent (see RecordSeed2019 below).
  void RecordSeed2019() {
    Establish(kAgency, pb::PARTY_DEPARTMENT);
    // 基本支出, 一般公共预算 (万元): 2013601 行政运行 87.52, 2013650 事业运行 11.09 (the 参公
    // 事业单位登记服务中心), 2080505 9.12, 2101101 6.29, 2101102 0.74, 2101103 0.63,
    // 2210201 10.29 — 125.68 in all, 人员经费 110.89 + 公用经费 14.79.
    SpendAndClose(General("2013601", "30101"), 21'350'000, 21'350'000);
    // 津贴补贴: 15.18 carried in from 2018 (the seed's 年初结转和结余), 30.30 appropriated.
    SpendAndClose(General("2013601", "30102"), 30'300'000, 45'480'000, 15'180'000);
    SpendAndClose(General("2013601", "30103"), 5'900'000, 5'900'000);
    // 办公费: 12.24 appropriated, cut by 1.00, 7.97 spent, 3.27 carried out to 2020.
    const pb::BudgetLine office = General("2013601", "30201");
    ASSERT_TRUE(Appropriate(office, 12'240'000).ok());
    ASSERT_TRUE(Adjust(office, -1'000'000).ok());
    ASSERT_TRUE(Disburse(office, 7'970'000).ok());
    ASSERT_TRUE(Carry(office, pb::CLOSING, 3'270'000).ok());
    SpendAndClose(General("2013601", "30211"), 960'000, 960'000);
    SpendAndClose(General("2013601", "30228"), 670'000, 670'000);
    SpendAndClose(General("2013601", "30229"), 100'000, 100'000);
    SpendAndClose(General("2013601", "30239"), 5'090'000, 5'090'000);
    SpendAndClose(General("2013650", "30101"), 3'500'000, 3'500'000);
    SpendAndClose(General("2013650", "30107"), 7'590'000, 7'590'000);
    SpendAndClose(General("2080505", "30108"), 9'120'000, 9'120'000);
    SpendAndClose(General("2101101", "30110"), 6'290'000, 6'290'000);
    SpendAndClose(General("2101102", "30110"), 740'000, 740'000);
    SpendAndClose(General("2101103", "30111"), 630'000, 630'000);
    SpendAndClose(General("2210201", "30113"), 10'290'000, 10'290'000);
    // 项目支出, 政府性基金 2120802 (the seed gives no economic code: 类 302): budgets 0.2 / 0.3 /
    // 2.5 万元, executed 0.2 / 0.3 / 2.37.
    DefineProject("daxj", "机构编制档案规范化建设专项经费", SeedIndicators(200));
    DefineProject("hcwh", "机构编制核查及实名制系统维护专项经费", SeedIndicators(300));
    DefineProject("jggg", "机构改革业务费", SeedIndicators(2500));
    const std::tuple<const char*, int64_t, int64_t> projects[] = {
        {"daxj", 200'000, 200'000}, {"hcwh", 300'000, 300'000}, {"jggg", 2'500'000, 2'370'000}};
    for (const auto& [id, budget, spent] : projects) {
      const pb::BudgetLine line = Line(pb::GOVERNMENT_FUND, "2120802", "302", id);
      ASSERT_TRUE(Appropriate(line, budget).ok());
      ASSERT_TRUE(Disburse(line, spent).ok());
      ASSERT_TRUE(Carry(line, pb::CLOSING, budget - spent).ok());
      RecordPerformance(
          id, absl::StrCat("actuals { indicator_id: 'sl' actual_milli: 1000 } "
                           "actuals { indicator_id: 'zl' actual_text: '规范可查' met: true } "
                           "actuals { indicator_id: 'sx' actual_text: '2019年12月31日前' met: "
                           "true } actuals { indicator_id: 'cb' actual_milli: ",
                           spent / 1000,
                           " } actuals { indicator_id: 'sh' actual_text: '有迹可循' met: true } "
                           "actuals { indicator_id: 'my' actual_milli: 100000 }"));
    }
  }

  // 2018: 一般公共预算 basic 138.19 万元 spent (the seed's 2018 figure), of which 公用经费
  // (= 机关运行经费) 15.08 (the seed: 2019's 14.79 is 0.29 less); and the 15.18 carried into 2019
  // is 2018's 年末结转 of its 津贴补贴 line.
  void RecordSeed2018() {
    SpendAndClose(General("2013601", "30101"), 123'110'000, 123'110'000, 0, 2018);
    SpendAndClose(General("2013601", "30201"), 15'080'000, 15'080'000, 0, 2018);
    SpendAndClose(General("2013601", "30102"), 15'180'000, 0, 0, 2018);
  }

  std::unique_ptr<EntityTable> Replay(uint64_t up_to = 0) {
    BudgetProjection budget;
    auto tables = ReplayInMemory(store_, {&budget}, up_to == 0 ? store_.HeadPosition() : up_to);
    EXPECT_TRUE(tables.ok()) << tables.status();
    return std::move((*tables)[0]);
  }

  static const rm::BudgetBook& Book(const EntityTable& table, int year,
                                    const std::string& agency = kAgency) {
    const rm::BudgetBook* book =
        ConstTable<rm::BudgetBook>(table).Find(BudgetBookKey(agency, year));
    EXPECT_NE(book, nullptr) << agency << " " << year;
    static const rm::BudgetBook* empty = new rm::BudgetBook();
    return book == nullptr ? *empty : *book;
  }

  static BudgetSummary Summary(const rm::BudgetBook& book,
                               AgencyProfile agency = {pb::PARTY_DEPARTMENT, false}) {
    absl::StatusOr<BudgetSummary> s = SummarizeBudget(book, agency);
    EXPECT_TRUE(s.ok()) << s.status();
    return s.ok() ? *s : BudgetSummary();
  }

  static FinalAccounts Accounts(const BudgetSummary& s) {
    absl::StatusOr<FinalAccounts> f = FinalAccountsOf(s);
    EXPECT_TRUE(f.ok()) << f.status();
    return f.ok() ? *f : FinalAccounts();
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  CommandDriver driver_;
  int vouchers_ = 0;
};

// Σ of the rows one level below each row equals the row, for every field; Σ of the top level
// equals `total`. A row's parent is the row one level up under its code cut to that level's
// digits (a code shorter than that is its own parent: the undivided rows).
void ExpectRollupSumsToParts(const std::vector<CodeRow>& rows, const std::vector<size_t>& digits,
                             const Amounts& total, const std::string& what) {
  const int levels = static_cast<int>(digits.size());
  Amounts top;
  for (const CodeRow& row : rows) {
    if (row.level == 1) {
      ASSERT_TRUE(AddAmounts(top, row.amounts, what).ok());
    }
    if (row.level == levels) continue;
    const size_t parent_digits = digits[static_cast<size_t>(row.level) - 1];
    Amounts children;
    int count = 0;
    for (const CodeRow& child : rows) {
      if (child.level != row.level + 1) continue;
      if (child.code.substr(0, std::min(parent_digits, child.code.size())) != row.code) continue;
      ASSERT_TRUE(AddAmounts(children, child.amounts, what).ok());
      ++count;
    }
    EXPECT_GT(count, 0) << what << " " << row.code << " has no children";
    EXPECT_EQ(children, row.amounts) << what << ": Σ children of " << row.code;
  }
  EXPECT_EQ(top, total) << what << ": Σ 类 = total";
}

Amounts SumOf(std::initializer_list<Amounts> parts) {
  Amounts sum;
  for (const Amounts& a : parts) EXPECT_TRUE(AddAmounts(sum, a, "sum").ok());
  return sum;
}

TEST_F(BudgetProjectionTest, TheSeedsBudgetRollsUpExactly) {
  RecordSeed2019();
  std::unique_ptr<EntityTable> table = Replay();
  const BudgetSummary s = Summary(Book(*table, 2019));
  EXPECT_EQ(s.total.disbursed_fen, 12'855 * kWan / 100);      // 128.55 万元
  EXPECT_EQ(s.basic.disbursed_fen, 12'568 * kWan / 100);      // 125.68
  EXPECT_EQ(s.project.disbursed_fen, 287 * kWan / 100);       // 2.87
  EXPECT_EQ(s.personnel.disbursed_fen, 11'089 * kWan / 100);  // 110.89
  EXPECT_EQ(s.public_use.disbursed_fen, 1'479 * kWan / 100);  // 14.79
  EXPECT_EQ(s.agency_operating.disbursed_fen, 1'479 * kWan / 100);
  EXPECT_EQ(s.three_public.total, Amounts());
  EXPECT_EQ(s.open_lines, 0u);
  EXPECT_EQ(s.execution_rate.basis_points, 9742);  // 128.55 / 131.95
  EXPECT_EQ(SumOf({s.basic, s.project}), s.total);
  EXPECT_EQ(SumOf({s.personnel, s.public_use}), s.basic);
  Amounts funds;
  for (const FundSourceRow& row : s.by_fund_source) funds = SumOf({funds, row.amounts});
  EXPECT_EQ(funds, s.total);
  Amounts projects;
  for (const ProjectAmounts& p : s.by_project) projects = SumOf({projects, p.amounts});
  EXPECT_EQ(projects, s.project);
  ExpectRollupSumsToParts(s.by_function, {3, 5, 7}, s.total, "function");
  ExpectRollupSumsToParts(s.by_economic, {3, 5}, s.total, "economic");
  EXPECT_EQ(
      RenderBudget(s),
      R"(预算 xiqu-bianban 2019: 预算 1319500.00 支出 1285500.00 年末结转 34000.00 余 0.00; 执行 97.42%; 未结转 0 行
行:
  一般公共预算 2013601/30101 基本支出: 拨款 213500.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 213500.00; 支出 213500.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013601/30102 基本支出: 拨款 303000.00 调整 0.00 收入 0.00 年初结转 151800.00 = 预算 454800.00; 支出 454800.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013601/30103 基本支出: 拨款 59000.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 59000.00; 支出 59000.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013601/30201 基本支出: 拨款 122400.00 调整 -10000.00 收入 0.00 年初结转 0.00 = 预算 112400.00; 支出 79700.00 年末结转 32700.00 余 0.00; 执行 70.91% (已结转)
  一般公共预算 2013601/30211 基本支出: 拨款 9600.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 9600.00; 支出 9600.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013601/30228 基本支出: 拨款 6700.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 6700.00; 支出 6700.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013601/30229 基本支出: 拨款 1000.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 1000.00; 支出 1000.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013601/30239 基本支出: 拨款 50900.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 50900.00; 支出 50900.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013650/30101 基本支出: 拨款 35000.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 35000.00; 支出 35000.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2013650/30107 基本支出: 拨款 75900.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 75900.00; 支出 75900.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2080505/30108 基本支出: 拨款 91200.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 91200.00; 支出 91200.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2101101/30110 基本支出: 拨款 62900.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 62900.00; 支出 62900.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2101102/30110 基本支出: 拨款 7400.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 7400.00; 支出 7400.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2101103/30111 基本支出: 拨款 6300.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 6300.00; 支出 6300.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  一般公共预算 2210201/30113 基本支出: 拨款 102900.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 102900.00; 支出 102900.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  政府性基金预算 2120802/302 项目支出 daxj: 拨款 2000.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 2000.00; 支出 2000.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  政府性基金预算 2120802/302 项目支出 hcwh: 拨款 3000.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 3000.00; 支出 3000.00 年末结转 0.00 余 0.00; 执行 100.00% (已结转)
  政府性基金预算 2120802/302 项目支出 jggg: 拨款 25000.00 调整 0.00 收入 0.00 年初结转 0.00 = 预算 25000.00; 支出 23700.00 年末结转 1300.00 余 0.00; 执行 94.80% (已结转)
合计: 拨款 1177700.00 调整 -10000.00 收入 0.00 年初结转 151800.00 = 预算 1319500.00; 支出 1285500.00 年末结转 34000.00 余 0.00
资金来源:
  一般公共预算: 预算 1289500.00 支出 1256800.00 年末结转 32700.00 余 0.00
  政府性基金预算: 预算 30000.00 支出 28700.00 年末结转 1300.00 余 0.00
支出功能分类:
  201: 预算 1018800.00 支出 986100.00 年末结转 32700.00 余 0.00
    20136: 预算 1018800.00 支出 986100.00 年末结转 32700.00 余 0.00
      2013601: 预算 907900.00 支出 875200.00 年末结转 32700.00 余 0.00
      2013650: 预算 110900.00 支出 110900.00 年末结转 0.00 余 0.00
  208: 预算 91200.00 支出 91200.00 年末结转 0.00 余 0.00
    20805: 预算 91200.00 支出 91200.00 年末结转 0.00 余 0.00
      2080505: 预算 91200.00 支出 91200.00 年末结转 0.00 余 0.00
  210: 预算 76600.00 支出 76600.00 年末结转 0.00 余 0.00
    21011: 预算 76600.00 支出 76600.00 年末结转 0.00 余 0.00
      2101101: 预算 62900.00 支出 62900.00 年末结转 0.00 余 0.00
      2101102: 预算 7400.00 支出 7400.00 年末结转 0.00 余 0.00
      2101103: 预算 6300.00 支出 6300.00 年末结转 0.00 余 0.00
  212: 预算 30000.00 支出 28700.00 年末结转 1300.00 余 0.00
    21208: 预算 30000.00 支出 28700.00 年末结转 1300.00 余 0.00
      2120802: 预算 30000.00 支出 28700.00 年末结转 1300.00 余 0.00
  221: 预算 102900.00 支出 102900.00 年末结转 0.00 余 0.00
    22102: 预算 102900.00 支出 102900.00 年末结转 0.00 余 0.00
      2210201: 预算 102900.00 支出 102900.00 年末结转 0.00 余 0.00
部门预算支出经济分类:
  301: 预算 1108900.00 支出 1108900.00 年末结转 0.00 余 0.00
    30101: 预算 248500.00 支出 248500.00 年末结转 0.00 余 0.00
    30102: 预算 454800.00 支出 454800.00 年末结转 0.00 余 0.00
    30103: 预算 59000.00 支出 59000.00 年末结转 0.00 余 0.00
    30107: 预算 75900.00 支出 75900.00 年末结转 0.00 余 0.00
    30108: 预算 91200.00 支出 91200.00 年末结转 0.00 余 0.00
    30110: 预算 70300.00 支出 70300.00 年末结转 0.00 余 0.00
    30111: 预算 6300.00 支出 6300.00 年末结转 0.00 余 0.00
    30113: 预算 102900.00 支出 102900.00 年末结转 0.00 余 0.00
  302: 预算 210600.00 支出 176600.00 年末结转 34000.00 余 0.00
    302 (未细化): 预算 30000.00 支出 28700.00 年末结转 1300.00 余 0.00
    30201: 预算 112400.00 支出 79700.00 年末结转 32700.00 余 0.00
    30211: 预算 9600.00 支出 9600.00 年末结转 0.00 余 0.00
    30228: 预算 6700.00 支出 6700.00 年末结转 0.00 余 0.00
    30229: 预算 1000.00 支出 1000.00 年末结转 0.00 余 0.00
    30239: 预算 50900.00 支出 50900.00 年末结转 0.00 余 0.00
基本支出: 预算 1289500.00 支出 1256800.00 年末结转 32700.00 余 0.00
  人员经费: 预算 1108900.00 支出 1108900.00 年末结转 0.00 余 0.00
  公用经费: 预算 180600.00 支出 147900.00 年末结转 32700.00 余 0.00
项目支出: 预算 30000.00 支出 28700.00 年末结转 1300.00 余 0.00
  daxj 机构编制档案规范化建设专项经费: 预算 2000.00 支出 2000.00 年末结转 0.00 余 0.00
  hcwh 机构编制核查及实名制系统维护专项经费: 预算 3000.00 支出 3000.00 年末结转 0.00 余 0.00
  jggg 机构改革业务费: 预算 25000.00 支出 23700.00 年末结转 1300.00 余 0.00
三公经费: 预算 0.00 支出 0.00 年末结转 0.00 余 0.00
  因公出国(境)费: 预算 0.00 支出 0.00 年末结转 0.00 余 0.00
  公务用车购置费: 预算 0.00 支出 0.00 年末结转 0.00 余 0.00
  公务用车运行维护费: 预算 0.00 支出 0.00 年末结转 0.00 余 0.00
  公务接待费: 预算 0.00 支出 0.00 年末结转 0.00 余 0.00
机关运行经费: 预算 180600.00 支出 147900.00 年末结转 32700.00 余 0.00
)");
}

TEST_F(BudgetProjectionTest, TheSeedsFinalAccountsSatisfyEveryIdentity) {
  RecordSeed2019();
  std::unique_ptr<EntityTable> table = Replay();
  const FinalAccounts f = Accounts(Summary(Book(*table, 2019)));
  EXPECT_TRUE(f.AllHold());
  EXPECT_EQ(f.income_total_fen, 13'195 * kWan / 100);  // 收、支总计 131.95 万元
  EXPECT_EQ(f.expenditure_total_fen, f.income_total_fen);
  EXPECT_EQ(RenderFinalAccounts(f), R"(本年收入合计 1167700.00
  一般公共预算 1137700.00
  政府性基金预算 30000.00
  国有资本经营预算 0.00
  上级补助收入 0.00
  事业收入 0.00
  经营收入 0.00
  附属单位上缴收入 0.00
  其他收入 0.00
用事业基金弥补收支差额 0.00
年初结转和结余 151800.00
收入总计 1319500.00
本年支出合计 1285500.00
  基本支出 1256800.00 (人员经费 1108900.00, 公用经费 147900.00)
  项目支出 28700.00
结余分配 0.00
年末结转和结余 34000.00
支出总计 1319500.00
财政拨款:
  一般公共预算: 年初结转 151800.00 本年收入 1137700.00 本年支出 1256800.00 年末结转 32700.00
  政府性基金预算: 年初结转 0.00 本年收入 30000.00 本年支出 28700.00 年末结转 1300.00
  国有资本经营预算: 年初结转 0.00 本年收入 0.00 本年支出 0.00 年末结转 0.00
恒等式:
  ✓ 收入总计 = 本年收入合计 + 用事业基金弥补收支差额 + 年初结转和结余: 1319500.00 = 1319500.00
  ✓ 支出总计 = 本年支出合计 + 结余分配 + 年末结转和结余: 1319500.00 = 1319500.00
  ✓ 收入总计 = 支出总计: 1319500.00 = 1319500.00
  ✓ 本年支出合计 = 基本支出 + 项目支出: 1285500.00 = 1285500.00
  ✓ 基本支出 = 人员经费 + 公用经费: 1256800.00 = 1256800.00
  ✓ 一般公共预算: 年初结转 + 本年收入 = 本年支出 + 年末结转: 1289500.00 = 1289500.00
  ✓ 政府性基金预算: 年初结转 + 本年收入 = 本年支出 + 年末结转: 30000.00 = 30000.00
  ✓ 国有资本经营预算: 年初结转 + 本年收入 = 本年支出 + 年末结转: 0.00 = 0.00
  ✓ 支出功能分类: Σ 类 = 本年支出合计: 1285500.00 = 1285500.00
  ✓ 部门预算支出经济分类: Σ 类 = 本年支出合计: 1285500.00 = 1285500.00
)");
}

TEST_F(BudgetProjectionTest, OpenLinesBreakOnlyTheClosingIdentitiesAndSaySo) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  const pb::BudgetLine office = General("2013601", "30201");
  ASSERT_TRUE(Appropriate(office, 500'000).ok());
  ASSERT_TRUE(Disburse(office, 120'000).ok());
  std::unique_ptr<EntityTable> table = Replay();
  FinalAccounts f = Accounts(Summary(Book(*table, 2019)));
  EXPECT_FALSE(f.AllHold());
  std::vector<std::string> broken;
  for (const Identity& i : f.identities) {
    if (!i.holds)
      broken.push_back(
          absl::StrCat(i.name, ": ", i.left_fen, " ≠ ", i.right_fen, " (", i.note, ")"));
  }
  EXPECT_THAT(
      broken,
      ElementsAre("收入总计 = 支出总计: 500000 ≠ 120000 (1 line(s) not closed by 年末结转; "
                  "3800.00 元 still available)",
                  "一般公共预算: 年初结转 + 本年收入 = 本年支出 + 年末结转: 500000 ≠ 120000 "
                  "(1 line(s) not closed by 年末结转; 3800.00 元 still available)"));
  EXPECT_EQ(f.open_available_fen, 380'000);
  ASSERT_TRUE(Carry(office, pb::CLOSING, 380'000).ok());
  table = Replay();
  EXPECT_TRUE(Accounts(Summary(Book(*table, 2019))).AllHold());
}

TEST_F(BudgetProjectionTest, YearOverYearAgainstTheSeeds2018) {
  RecordSeed2019();
  RecordSeed2018();
  std::unique_ptr<EntityTable> table = Replay();
  const BudgetSummary y2019 = Summary(Book(*table, 2019));
  const BudgetSummary y2018 = Summary(Book(*table, 2018));
  absl::StatusOr<std::vector<YearOverYear>> changes = CompareYears(y2019, y2018);
  ASSERT_TRUE(changes.ok()) << changes.status();
  // The seed: 一般公共预算财政拨款支出 12.51 万元 less than 138.19; 机关运行经费 0.29 less, 1.9%.
  EXPECT_EQ(RenderYearOverYear(*changes),
            R"(收入总计: 1319500.00 (上年 1533700.00) -214200.00 -13.97%
本年收入合计: 1167700.00 (上年 1533700.00) -366000.00 -23.86%
本年支出合计: 1285500.00 (上年 1381900.00) -96400.00 -6.98%
基本支出: 1256800.00 (上年 1381900.00) -125100.00 -9.05%
项目支出: 28700.00 (上年 0.00) +28700.00 —
人员经费: 1108900.00 (上年 1231100.00) -122200.00 -9.93%
公用经费: 147900.00 (上年 150800.00) -2900.00 -1.92%
一般公共预算财政拨款支出: 1256800.00 (上年 1381900.00) -125100.00 -9.05%
政府性基金预算财政拨款支出: 28700.00 (上年 0.00) +28700.00 —
国有资本经营预算财政拨款支出: 0.00 (上年 0.00) +0.00 —
三公经费: 0.00 (上年 0.00) +0.00 —
机关运行经费: 147900.00 (上年 150800.00) -2900.00 -1.92%
)");
  for (const YearOverYear& y : *changes) {
    if (y.metric != "机关运行经费") continue;
    EXPECT_EQ(y.change.numerator, -290'000);
    EXPECT_EQ(y.change.denominator, 15'080'000);
    EXPECT_EQ(y.change.basis_points, -192);
  }
}

TEST_F(BudgetProjectionTest, TheSeedsProjectsScore) {
  RecordSeed2019();
  std::unique_ptr<EntityTable> table = Replay();
  absl::StatusOr<std::vector<ProjectPerformance>> projects =
      EvaluatePerformance(Book(*table, 2019), PerformanceWeights());
  ASSERT_TRUE(projects.ok()) << projects.status();
  ASSERT_THAT(*projects, SizeIs(3));
  EXPECT_EQ((*projects)[2].execution_rate.basis_points, 9480);  // 2.37 / 2.5 = 94.8%
  EXPECT_EQ((*projects)[2].score_centipoints, 9948);
  EXPECT_EQ(RenderPerformance(*projects), R"(daxj 机构编制档案规范化建设专项经费: 100.00 优
  预算执行: 预算 2000.00 支出 2000.00 执行 100.00% → 10.00
  产出指标: 4/4 达成 → 50.00 (权重 50)
  效益指标: 1/1 达成 → 30.00 (权重 30)
  满意度指标: 1/1 达成 → 10.00 (权重 10)
    sl 数量指标 开展业务学习培训 [≥ 1 次] 实际 1 次 达成
    zl 质量指标 质量 [定性 规范可查] 实际 规范可查 达成
    sx 时效指标 完成时限 [定性 2019年12月31日前] 实际 2019年12月31日前 达成
    cb 成本指标 项目成本 [≤ 0.2 万元] 实际 0.2 万元 达成
    sh 社会效益指标 社会效益 [定性 有迹可循] 实际 有迹可循 达成
    my 服务对象满意度指标 满意度 [≥ 100 %] 实际 100 % 达成
hcwh 机构编制核查及实名制系统维护专项经费: 100.00 优
  预算执行: 预算 3000.00 支出 3000.00 执行 100.00% → 10.00
  产出指标: 4/4 达成 → 50.00 (权重 50)
  效益指标: 1/1 达成 → 30.00 (权重 30)
  满意度指标: 1/1 达成 → 10.00 (权重 10)
    sl 数量指标 开展业务学习培训 [≥ 1 次] 实际 1 次 达成
    zl 质量指标 质量 [定性 规范可查] 实际 规范可查 达成
    sx 时效指标 完成时限 [定性 2019年12月31日前] 实际 2019年12月31日前 达成
    cb 成本指标 项目成本 [≤ 0.3 万元] 实际 0.3 万元 达成
    sh 社会效益指标 社会效益 [定性 有迹可循] 实际 有迹可循 达成
    my 服务对象满意度指标 满意度 [≥ 100 %] 实际 100 % 达成
jggg 机构改革业务费: 99.48 优
  预算执行: 预算 25000.00 支出 23700.00 执行 94.80% → 9.48
  产出指标: 4/4 达成 → 50.00 (权重 50)
  效益指标: 1/1 达成 → 30.00 (权重 30)
  满意度指标: 1/1 达成 → 10.00 (权重 10)
    sl 数量指标 开展业务学习培训 [≥ 1 次] 实际 1 次 达成
    zl 质量指标 质量 [定性 规范可查] 实际 规范可查 达成
    sx 时效指标 完成时限 [定性 2019年12月31日前] 实际 2019年12月31日前 达成
    cb 成本指标 项目成本 [≤ 2.5 万元] 实际 2.37 万元 达成
    sh 社会效益指标 社会效益 [定性 有迹可循] 实际 有迹可循 达成
    my 服务对象满意度指标 满意度 [≥ 100 %] 实际 100 % 达成
)");
}

// A worked example: 1 万元 budget, 0.333333 executed; outputs 3 of 4 met, benefits 1 of 2 (one
// never recorded), satisfaction 0 of 1.
TEST_F(BudgetProjectionTest, AWorkedScoringExample) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  DefineProject(
      "wx", "网络维护",
      {Indicator("indicator_id: 'o1' level1: OUTPUT_INDICATORS level2: QUANTITY name: '巡检' "
                 "op: AT_LEAST target_milli: 12000 unit: '次'"),
       Indicator("indicator_id: 'o2' level1: OUTPUT_INDICATORS level2: QUALITY name: '可用率' "
                 "op: AT_LEAST target_milli: 99000 unit: '%'"),
       Indicator("indicator_id: 'o3' level1: OUTPUT_INDICATORS level2: TIMELINESS "
                 "name: '时限' op: QUALITATIVE target_text: '年底前'"),
       Indicator("indicator_id: 'o4' level1: OUTPUT_INDICATORS level2: COST name: '成本' "
                 "op: AT_MOST target_milli: 1000 unit: '万元'"),
       Indicator("indicator_id: 'b1' level1: BENEFIT_INDICATORS level2: SOCIAL name: '效益' "
                 "op: QUALITATIVE target_text: '运转高效'"),
       Indicator("indicator_id: 'b2' level1: BENEFIT_INDICATORS level2: SUSTAINABLE "
                 "name: '可持续' op: QUALITATIVE target_text: '长期可用'"),
       Indicator("indicator_id: 's1' level1: SATISFACTION_INDICATORS level2: SERVICE_RECIPIENT "
                 "name: '满意度' op: AT_LEAST target_milli: 90000 unit: '%'")});
  const pb::BudgetLine line = Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201", "wx");
  ASSERT_TRUE(Appropriate(line, kWan).ok());
  ASSERT_TRUE(Disburse(line, 333'333).ok());
  RecordPerformance("wx",
                    "actuals { indicator_id: 'o1' actual_milli: 12000 } "
                    "actuals { indicator_id: 'o2' actual_milli: 98500 } "
                    "actuals { indicator_id: 'o3' actual_text: '年底前完成' met: true } "
                    "actuals { indicator_id: 'o4' actual_milli: 333 } "
                    "actuals { indicator_id: 'b1' actual_text: '运转高效' met: true } "
                    "actuals { indicator_id: 's1' actual_milli: 85000 }");
  // A later record replaces the earlier one: 可用率 reaches its target after all.
  RecordPerformance("wx", "actuals { indicator_id: 'o2' actual_milli: 99000 }");
  RecordPerformance("wx", "actuals { indicator_id: 'o1' actual_milli: 11000 }");
  std::unique_ptr<EntityTable> table = Replay();
  absl::StatusOr<std::vector<ProjectPerformance>> projects =
      EvaluatePerformance(Book(*table, 2019), PerformanceWeights());
  ASSERT_TRUE(projects.ok()) << projects.status();
  ASSERT_THAT(*projects, SizeIs(1));
  // 10 × 0.333333 = 3.33; 50 × 3/4 = 37.50; 30 × 1/2 = 15.00; 10 × 0/1 = 0 → 55.83 差.
  EXPECT_EQ(RenderPerformance(*projects), R"(wx 网络维护: 55.83 差
  预算执行: 预算 10000.00 支出 3333.33 执行 33.33% → 3.33
  产出指标: 3/4 达成 → 37.50 (权重 50)
  效益指标: 1/2 达成 → 15.00 (权重 30)
  满意度指标: 0/1 达成 → 0.00 (权重 10)
    o1 数量指标 巡检 [≥ 12 次] 实际 11 次 未达成
    o2 质量指标 可用率 [≥ 99 %] 实际 99 % 达成
    o3 时效指标 时限 [定性 年底前] 实际 年底前完成 达成
    o4 成本指标 成本 [≤ 1 万元] 实际 0.333 万元 达成
    b1 社会效益指标 效益 [定性 运转高效] 实际 运转高效 达成
    b2 可持续影响指标 可持续 [定性 长期可用] 实际 未记录 未达成
    s1 服务对象满意度指标 满意度 [≥ 90 %] 实际 85 % 未达成
)");
  // The same with a locality's weights: execution 20, outputs 40; 中 from 50 points.
  PerformanceWeights local;
  local.budget_execution = 20;
  local.outputs = 40;
  local.pass_min = 50;
  projects = EvaluatePerformance(Book(*table, 2019), local);
  ASSERT_TRUE(projects.ok()) << projects.status();
  EXPECT_EQ((*projects)[0].execution_centipoints, 666);  // 20 × 0.333333 = 6.66
  EXPECT_EQ((*projects)[0].score_centipoints, 666 + 3000 + 1500);
  EXPECT_EQ((*projects)[0].grade, Grade::kPass);
}

TEST_F(BudgetProjectionTest, WeightsAreValidatedNamingTheField) {
  PerformanceWeights w;
  w.outputs = 60;
  EXPECT_THAT(ValidateWeights(w, "weights").message(),
              HasSubstr("weights: budget_execution 10 + outputs 60 + benefits 30 + satisfaction "
                        "10 = 110 points; the weights sum to 100"));
  w = PerformanceWeights();
  w.satisfaction = -1;
  EXPECT_EQ(ValidateWeights(w, "weights").code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(ValidateWeights(w, "weights").message(), HasSubstr("weights.satisfaction -1"));
  w = PerformanceWeights();
  w.good_min = 95;
  EXPECT_THAT(ValidateWeights(w, "weights").message(),
              HasSubstr("weights.excellent_min 90 is outside 95–100"));
  EXPECT_TRUE(ValidateWeights(PerformanceWeights(), "weights").ok());
}

// 三公经费 counts 财政拨款 lines of its four codes only; 机关运行经费 applies to 行政 and 参公
// units only.
TEST_F(BudgetProjectionTest, ThreePublicExpensesAndAgencyOperatingExpenses) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  SpendAndClose(General("2013601", "30217"), 300'000, 250'000);        // 公务接待费
  SpendAndClose(General("2013601", "30231"), 800'000, 800'000);        // 公务用车运行维护
  SpendAndClose(General("2013601", "31013"), 20'000'000, 19'000'000);  // 公务用车购置
  SpendAndClose(General("2013601", "30212"), 100'000, 0);              // 因公出国(境)
  SpendAndClose(General("2013601", "30201"), 100'000, 100'000);        // 办公费: not 三公
  const pb::BudgetLine other = Line(pb::OTHER_INCOME, "2013601", "30217");  // not 财政拨款
  ASSERT_TRUE(Income(other, 50'000).ok());
  ASSERT_TRUE(Disburse(other, 50'000).ok());
  std::unique_ptr<EntityTable> table = Replay();
  const rm::BudgetBook& book = Book(*table, 2019);
  const BudgetSummary s = Summary(book);
  EXPECT_EQ(s.three_public.reception.disbursed_fen, 250'000);
  EXPECT_EQ(s.three_public.vehicle_operation.disbursed_fen, 800'000);
  EXPECT_EQ(s.three_public.vehicle_purchase.disbursed_fen, 19'000'000);
  EXPECT_EQ(s.three_public.overseas_trips.budget_fen, 100'000);
  EXPECT_EQ(s.three_public.overseas_trips.disbursed_fen, 0);
  EXPECT_EQ(s.three_public.total,
            SumOf({s.three_public.reception, s.three_public.vehicle_operation,
                   s.three_public.vehicle_purchase, s.three_public.overseas_trips}));
  EXPECT_EQ(s.three_public.total.disbursed_fen, 20'050'000);
  EXPECT_TRUE(s.agency_operating_applicable);
  EXPECT_EQ(s.agency_operating, s.public_use);
  const BudgetSummary institution = Summary(book, {pb::PUBLIC_INSTITUTION, false});
  EXPECT_FALSE(institution.agency_operating_applicable);
  EXPECT_EQ(institution.agency_operating, Amounts());
  const BudgetSummary civil_servant = Summary(book, {pb::PUBLIC_INSTITUTION, true});
  EXPECT_TRUE(civil_servant.agency_operating_applicable);
  EXPECT_EQ(civil_servant.agency_operating, s.public_use);
  // 公用经费 counts every fund source: 30217 + 30231 + 31013 + 30212 + 30201 + the 其他收入 30217.
  EXPECT_EQ(s.public_use.disbursed_fen, 250'000 + 800'000 + 19'000'000 + 0 + 100'000 + 50'000);
}

// A basic line of an economic 类 outside 人员经费 and 公用经费 is reported, and breaks the
// identity 基本支出 = 人员经费 + 公用经费 visibly rather than silently.
TEST_F(BudgetProjectionTest, BasicLinesOfOtherEconomicClassesAreReported) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  SpendAndClose(General("2013601", "30101"), 100'000, 100'000);
  SpendAndClose(General("2013601", "399"), 70'000, 70'000);
  std::unique_ptr<EntityTable> table = Replay();
  const BudgetSummary s = Summary(Book(*table, 2019));
  EXPECT_EQ(s.basic_other.disbursed_fen, 70'000);
  EXPECT_EQ(SumOf({s.personnel, s.public_use, s.basic_other}), s.basic);
  const FinalAccounts f = Accounts(s);
  std::vector<std::string> broken;
  for (const Identity& i : f.identities) {
    if (!i.holds) broken.push_back(absl::StrCat(i.name, " (", i.note, ")"));
  }
  EXPECT_THAT(broken,
              ElementsAre("基本支出 = 人员经费 + 公用经费 (700.00 元 of 基本支出 is of "
                          "economic 类 outside 301, 303 (人员经费) and 302, 310 (公用经费))"));
}

// Lines land in canonical order whatever order they first appear in.
TEST_F(BudgetProjectionTest, LinesAreInCanonicalOrder) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  DefineProject("p", "项目", SeedIndicators(100));
  ASSERT_TRUE(Appropriate(Line(pb::GOVERNMENT_FUND, "2120802", "302", "p"), 1).ok());
  ASSERT_TRUE(Appropriate(General("2210201", "30113"), 1).ok());
  ASSERT_TRUE(Appropriate(General("2013601", "30201"), 1).ok());
  ASSERT_TRUE(Appropriate(General("2013601", "30101"), 1).ok());
  ASSERT_TRUE(Appropriate(Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30101", "p"), 1).ok());
  std::unique_ptr<EntityTable> table = Replay();
  std::vector<std::string> order;
  for (const rm::LineTotals& l : Book(*table, 2019).lines()) order.push_back(LineLabel(l.line()));
  EXPECT_THAT(
      order,
      ElementsAre("一般公共预算 2013601/30101 基本支出", "一般公共预算 2013601/30101 项目支出 p",
                  "一般公共预算 2013601/30201 基本支出", "一般公共预算 2210201/30113 基本支出",
                  "政府性基金预算 2120802/302 项目支出 p"));
}

TEST_F(BudgetProjectionTest, SumsBeyondInt64AreOutOfRangeNotWrapped) {
  rm::BudgetBook book;
  book.set_agency_id("big");
  book.set_fiscal_year(2019);
  // 9 224 lines at the write side's limit of 10^15 fen each exceed the int64 range.
  constexpr int kLines = 9'224;
  for (int i = 0; i < kLines; ++i) {
    rm::LineTotals* line = book.add_lines();
    *line->mutable_line() = General("2013601", absl::StrCat(30'000 + i % 10'000));
    line->set_appropriated_fen(domain::kAmountFenMax);
  }
  absl::StatusOr<BudgetSummary> s = SummarizeBudget(book, AgencyProfile());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(s.status().message(), HasSubstr("is beyond the int64 range"));
  // One line beyond the write side's limit is refused, naming it.
  book.mutable_lines()->DeleteSubrange(1, kLines - 1);
  book.mutable_lines(0)->set_disbursed_fen(domain::kAmountFenMax + 1);
  s = SummarizeBudget(book, AgencyProfile());
  EXPECT_EQ(s.status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(s.status().message(),
              HasSubstr("big/2019 一般公共预算 2013601/30000 基本支出: disbursed "
                        "1000000000000001 fen is beyond ±kAmountFenMax"));
  // A ratio whose basis points do not fit.
  EXPECT_EQ(RatioOf(std::numeric_limits<int64_t>::max(), 1, "x").status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(RatioOf(-5, 10'000, "x")->basis_points, -5);
  EXPECT_EQ(RatioOf(-1, 20'000, "x")->basis_points, -1);  // −0.5 bp rounds away from zero
  EXPECT_EQ(RatioOf(1, 30'000, "x")->basis_points, 0);
  EXPECT_FALSE(RatioOf(1, 0, "x")->defined());
}

// The cache hands back the roll-ups it keeps only for the same book read at the same position
// for the same agency; it keeps at most books_max books, dropping the least recently used; and it
// keeps no errors.
TEST_F(BudgetProjectionTest, TheSummaryCacheKeepsRollUpsPerBookAndPosition) {
  RecordSeed2019();
  RecordSeed2018();
  const AgencyProfile organ = {pb::PARTY_DEPARTMENT, false};
  const uint64_t position = store_.HeadPosition();
  std::unique_ptr<EntityTable> table = Replay();
  BudgetSummaryCache cache(/*books_max=*/2);

  absl::StatusOr<std::shared_ptr<const BudgetSummary>> first =
      cache.RollUps(Book(*table, 2019), position, organ);
  ASSERT_TRUE(first.ok()) << first.status();
  absl::StatusOr<BudgetSummary> fresh =
      SummarizeBudget(Book(*table, 2019), organ, SummaryLines::kOmit);
  ASSERT_TRUE(fresh.ok()) << fresh.status();
  EXPECT_EQ(RenderBudget(**first), RenderBudget(*fresh));
  EXPECT_THAT((*first)->lines, SizeIs(0));
  EXPECT_EQ((*first)->open_lines, fresh->open_lines);
  EXPECT_EQ(*cache.RollUps(Book(*table, 2019), position, organ), *first);  // kept

  // Another agency profile, or a later position, is summed again.
  const AgencyProfile institution = {pb::PUBLIC_INSTITUTION, false};
  absl::StatusOr<std::shared_ptr<const BudgetSummary>> other =
      cache.RollUps(Book(*table, 2019), position, institution);
  ASSERT_TRUE(other.ok()) << other.status();
  EXPECT_NE(*other, *first);
  EXPECT_FALSE((*other)->agency_operating_applicable);
  ASSERT_TRUE(Appropriate(General("2080505", "30199"), 1'000'000).ok());  // a new line
  table = Replay();
  absl::StatusOr<std::shared_ptr<const BudgetSummary>> later =
      cache.RollUps(Book(*table, 2019), store_.HeadPosition(), organ);
  ASSERT_TRUE(later.ok()) << later.status();
  EXPECT_EQ((*later)->total.appropriated_fen, (*first)->total.appropriated_fen + 1'000'000);
  EXPECT_EQ(cache.books(), 1u);  // one entry per book: the latest position read

  // Bounded: a third book drops the least recently used of the two kept.
  const uint64_t head = store_.HeadPosition();
  const auto b2018 = cache.RollUps(Book(*table, 2018), head, organ);
  ASSERT_TRUE(b2018.ok()) << b2018.status();
  EXPECT_EQ(*cache.RollUps(Book(*table, 2019), head, organ), *later);  // 2019 used last
  rm::BudgetBook third = Book(*table, 2019);
  third.set_agency_id("other-agency");
  ASSERT_TRUE(cache.RollUps(third, head, organ).ok());
  EXPECT_EQ(cache.books(), 2u);
  EXPECT_EQ(*cache.RollUps(Book(*table, 2019), head, organ), *later);
  EXPECT_NE(*cache.RollUps(Book(*table, 2018), head, organ), *b2018);  // was dropped

  // Errors are returned, not kept.
  rm::BudgetBook broken = Book(*table, 2019);
  broken.set_agency_id("broken");
  broken.mutable_lines(0)->set_disbursed_fen(domain::kAmountFenMax + 1);
  EXPECT_EQ(cache.RollUps(broken, head, organ).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(cache.books(), 2u);
}

// ---- Property: random budgets keep every identity exactly ------------------------------------

// What the test believes a line holds: the oracle the read model is checked against.
struct ModelLine {
  pb::BudgetLine line;
  int64_t appropriated = 0, adjusted = 0, income = 0, carried_in = 0, disbursed = 0,
          carried_out = 0;
  bool opened = false, closed = false;
  bool touched = false;  // some command on it succeeded: it is in the book
  int64_t Available() const {
    return appropriated + adjusted + income + carried_in - disbursed - carried_out;
  }
};

class RandomBudget {
 public:
  RandomBudget(BudgetProjectionTest& test, unsigned seed) : t_(test), rng_(seed) {}

  std::string FunctionCode() {
    static const char* kClasses[] = {"201", "208", "210", "212", "221"};
    std::string code = kClasses[Pick(5)];
    const int digits = std::array<int, 3>{3, 5, 7}[Pick(3)];
    while (code.size() < static_cast<size_t>(digits)) code += static_cast<char>('0' + Pick(3));
    return code;
  }
  std::string EconomicCode() {
    static const char* kClasses[] = {"301", "302", "303", "310"};
    std::string code = kClasses[Pick(4)];
    if (Pick(3) > 0) code += absl::StrCat(Pick(2), Pick(4));
    return code;
  }

  void MakeLines(int count) {
    static const pb::FundSource kSources[] = {pb::GENERAL_PUBLIC_BUDGET, pb::GOVERNMENT_FUND,
                                              pb::STATE_CAPITAL,         pb::SUPERIOR_SUBSIDY,
                                              pb::BUSINESS_INCOME,       pb::OPERATING_INCOME,
                                              pb::AFFILIATE_REMITTANCE,  pb::OTHER_INCOME};
    for (int i = 0; i < count; ++i) {
      const std::string project = Pick(3) == 0 ? absl::StrCat("p", Pick(3)) : "";
      ModelLine m;
      m.line = Line(kSources[Pick(8)], FunctionCode(), EconomicCode(), project);
      lines_.emplace(LineLabel(m.line), m);  // a repeated line is simply the same line
    }
  }

  void Step() {
    auto it = std::next(lines_.begin(), static_cast<long>(Pick(lines_.size())));
    ModelLine& m = it->second;
    if (m.closed) return;
    const bool fiscal = domain::IsFiscalAppropriation(m.line.fund_source());
    switch (Pick(5)) {
      case 0:
      case 1: {
        const int64_t fen = 1 + static_cast<int64_t>(Pick(10'000'000));
        if (fiscal && t_.Appropriate(m.line, fen).ok()) {
          m.appropriated += fen;
          m.touched = true;
        }
        if (!fiscal && t_.Income(m.line, fen).ok()) {
          m.income += fen;
          m.touched = true;
        }
        return;
      }
      case 2: {
        const int64_t fen =
            1 +
            static_cast<int64_t>(Pick(static_cast<uint64_t>(std::max<int64_t>(m.Available(), 1))));
        if (t_.Disburse(m.line, fen).ok()) {
          m.disbursed += fen;
          m.touched = true;
        }
        return;
      }
      case 3: {
        if (!fiscal) return;
        const int64_t delta = static_cast<int64_t>(Pick(2'000'000)) - 1'000'000;
        if (delta != 0 && t_.Adjust(m.line, delta).ok()) {
          m.adjusted += delta;
          m.touched = true;
        }
        return;
      }
      default: {
        if (m.opened) return;
        const int64_t fen = 1 + static_cast<int64_t>(Pick(5'000'000));
        if (t_.Carry(m.line, pb::OPENING, fen).ok()) {
          m.carried_in += fen;
          m.opened = true;
          m.touched = true;
        }
        return;
      }
    }
  }

  // Money into every line: the book then holds them all, and later steps only move them.
  void TouchAll() {
    for (auto& [label, m] : lines_) {
      const int64_t fen = 1 + static_cast<int64_t>(Pick(10'000'000));
      if (domain::IsFiscalAppropriation(m.line.fund_source())) {
        ASSERT_TRUE(t_.Appropriate(m.line, fen).ok()) << label;
        m.appropriated += fen;
      } else {
        ASSERT_TRUE(t_.Income(m.line, fen).ok()) << label;
        m.income += fen;
      }
      m.touched = true;
    }
  }

  void CloseAll() {
    for (auto& [label, m] : lines_) {
      if (m.closed || !m.touched) continue;
      ASSERT_TRUE(t_.Carry(m.line, pb::CLOSING, m.Available()).ok()) << label;
      m.carried_out = m.Available();
      m.closed = true;
    }
  }

  const std::map<std::string, ModelLine>& lines() const { return lines_; }

 private:
  uint64_t Pick(uint64_t n) { return std::uniform_int_distribution<uint64_t>(0, n - 1)(rng_); }

  BudgetProjectionTest& t_;
  std::mt19937_64 rng_;
  std::map<std::string, ModelLine> lines_;
};

class BudgetPropertyTest : public BudgetProjectionTest,
                           public ::testing::WithParamInterface<unsigned> {};

void ExpectEveryRollupIdentity(const BudgetSummary& s) {
  ExpectRollupSumsToParts(s.by_function, {3, 5, 7}, s.total, "function");
  ExpectRollupSumsToParts(s.by_economic, {3, 5}, s.total, "economic");
  EXPECT_EQ(SumOf({s.basic, s.project}), s.total);
  EXPECT_EQ(SumOf({s.personnel, s.public_use}), s.basic);
  EXPECT_EQ(s.basic_other, Amounts());
  Amounts funds;
  for (const FundSourceRow& row : s.by_fund_source) funds = SumOf({funds, row.amounts});
  EXPECT_EQ(funds, s.total);
  Amounts projects;
  for (const ProjectAmounts& p : s.by_project) projects = SumOf({projects, p.amounts});
  EXPECT_EQ(projects, s.project);
  Amounts lines;
  for (const LineAmounts& l : s.lines) lines = SumOf({lines, l.amounts});
  EXPECT_EQ(lines, s.total);
  EXPECT_EQ(s.total.budget_fen - s.total.disbursed_fen - s.total.carried_out_fen,
            s.total.available_fen);
}

TEST_P(BudgetPropertyTest, EveryIdentityHoldsExactlyOnRandomBudgets) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  for (int p = 0; p < 3; ++p) DefineProject(absl::StrCat("p", p), "项目", SeedIndicators(100));
  RandomBudget random(*this, GetParam());
  random.MakeLines(60);
  for (int i = 0; i < 1'500; ++i) random.Step();
  const uint64_t before_closing = store_.HeadPosition();
  random.CloseAll();

  // Before the year is closed: every identity but the closing ones holds, and the gap of
  // 收入总计 = 支出总计 is exactly what is still available.
  {
    std::unique_ptr<EntityTable> table = Replay(before_closing);
    const BudgetSummary s = Summary(Book(*table, 2019));
    ExpectEveryRollupIdentity(s);
    const FinalAccounts f = Accounts(s);
    for (const Identity& i : f.identities) {
      if (i.holds) continue;
      EXPECT_THAT(i.note, HasSubstr("not closed by 年末结转")) << i.name;
    }
    EXPECT_EQ(f.income_total_fen - f.expenditure_total_fen, f.open_available_fen);
  }

  std::unique_ptr<EntityTable> table = Replay();
  const rm::BudgetBook& book = Book(*table, 2019);
  // The read model agrees with the oracle, line by line.
  std::map<std::string, const rm::LineTotals*> recorded;
  for (const rm::LineTotals& l : book.lines()) recorded[LineLabel(l.line())] = &l;
  size_t touched = 0;
  for (const auto& [label, m] : random.lines()) {
    auto it = recorded.find(label);
    if (it == recorded.end()) continue;  // every command on it was refused
    ++touched;
    const rm::LineTotals& l = *it->second;
    EXPECT_EQ(l.appropriated_fen(), m.appropriated) << label;
    EXPECT_EQ(l.adjusted_fen(), m.adjusted) << label;
    EXPECT_EQ(l.income_fen(), m.income) << label;
    EXPECT_EQ(l.carried_in_fen(), m.carried_in) << label;
    EXPECT_EQ(l.disbursed_fen(), m.disbursed) << label;
    EXPECT_EQ(l.carried_out_fen(), m.carried_out) << label;
    EXPECT_EQ(l.closed(), m.closed) << label;
  }
  EXPECT_EQ(touched, recorded.size());
  EXPECT_GT(touched, 30u);

  const BudgetSummary s = Summary(book);
  ExpectEveryRollupIdentity(s);
  EXPECT_EQ(s.open_lines, 0u);
  const FinalAccounts f = Accounts(s);
  for (const Identity& i : f.identities) {
    EXPECT_TRUE(i.holds) << i.name << ": " << i.left_fen << " ≠ " << i.right_fen << " " << i.note;
  }
  EXPECT_EQ(f.income_total_fen, f.expenditure_total_fen);
  for (const FiscalKindAccount& k : f.fiscal_kinds) {
    EXPECT_EQ(k.carried_in_fen + k.income_fen, k.expenditure_fen + k.carried_out_fen)
        << domain::Label(k.fund_source);
  }
  // Summing is order-free: the same lines in reverse give the same summary.
  rm::BudgetBook reversed = book;
  std::reverse(reversed.mutable_lines()->begin(), reversed.mutable_lines()->end());
  const BudgetSummary again = Summary(reversed);
  EXPECT_EQ(again.total, s.total);
  EXPECT_EQ(again.by_function.size(), s.by_function.size());
  for (size_t i = 0; i < s.by_function.size(); ++i) {
    EXPECT_EQ(again.by_function[i].amounts, s.by_function[i].amounts);
  }
}

INSTANTIATE_TEST_SUITE_P(Seeds, BudgetPropertyTest, ::testing::Values(1u, 2u, 3u, 4u, 5u));

// The previous year's book gives the year-over-year figures; a year with no money has no
// percentage change.
TEST_P(BudgetPropertyTest, YearOverYearIsExactAgainstAPreviousYear) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  std::mt19937_64 rng(GetParam());
  int64_t last = 0, now = 0;
  for (int year : {2018, 2019}) {
    const int64_t fen = 1 + static_cast<int64_t>(rng() % 100'000'000);
    SpendAndClose(General("2013601", "30201"), fen, fen, 0, year);
    (year == 2018 ? last : now) = fen;
  }
  std::unique_ptr<EntityTable> table = Replay();
  absl::StatusOr<std::vector<YearOverYear>> changes =
      CompareYears(Summary(Book(*table, 2019)), Summary(Book(*table, 2018)));
  ASSERT_TRUE(changes.ok()) << changes.status();
  for (const YearOverYear& y : *changes) {
    EXPECT_EQ(y.change_fen, y.this_year_fen - y.last_year_fen) << y.metric;
    EXPECT_EQ(y.change.numerator, y.change_fen) << y.metric;
    EXPECT_EQ(y.change.denominator, y.last_year_fen) << y.metric;
    if (y.metric == "公用经费") {
      EXPECT_EQ(y.this_year_fen, now);
      EXPECT_EQ(y.last_year_fen, last);
      // Rounded half away from zero: |bp − 10 000 × change / last| ≤ ½.
      const absl::int128 exact = absl::int128(now - last) * 20'000;
      const absl::int128 shown = absl::int128(y.change.basis_points) * 2 * last;
      EXPECT_LE(shown - exact <= 0 ? exact - shown : shown - exact, absl::int128(last));
    }
    if (y.metric == "项目支出") {
      EXPECT_FALSE(y.change.defined());
    }
  }
}

void ExpectSameAmounts(const Amounts& a, const Amounts& b, const std::string& what) {
  EXPECT_EQ(a, b) << what;
}

// Every member of two summaries without lines, figure by figure.
void ExpectSameRollUps(const BudgetSummary& kept, const BudgetSummary& fresh,
                       const std::string& what) {
  EXPECT_EQ(kept.agency_id, fresh.agency_id) << what;
  EXPECT_EQ(kept.fiscal_year, fresh.fiscal_year) << what;
  EXPECT_THAT(kept.lines, SizeIs(0)) << what;
  ExpectSameAmounts(kept.total, fresh.total, what + " total");
  EXPECT_EQ(kept.execution_rate.numerator, fresh.execution_rate.numerator) << what;
  EXPECT_EQ(kept.execution_rate.denominator, fresh.execution_rate.denominator) << what;
  EXPECT_EQ(kept.execution_rate.basis_points, fresh.execution_rate.basis_points) << what;
  EXPECT_EQ(kept.open_lines, fresh.open_lines) << what;
  ASSERT_EQ(kept.by_fund_source.size(), fresh.by_fund_source.size()) << what;
  for (size_t i = 0; i < kept.by_fund_source.size(); ++i) {
    EXPECT_EQ(kept.by_fund_source[i].fund_source, fresh.by_fund_source[i].fund_source) << what;
    ExpectSameAmounts(kept.by_fund_source[i].amounts, fresh.by_fund_source[i].amounts,
                      what + " fund source");
  }
  for (const auto& [rows, fresh_rows] : {std::pair(&kept.by_function, &fresh.by_function),
                                         std::pair(&kept.by_economic, &fresh.by_economic)}) {
    ASSERT_EQ(rows->size(), fresh_rows->size()) << what;
    for (size_t i = 0; i < rows->size(); ++i) {
      const CodeRow& a = (*rows)[i];
      const CodeRow& b = (*fresh_rows)[i];
      EXPECT_EQ(std::tie(a.code, a.level, a.undivided), std::tie(b.code, b.level, b.undivided))
          << what;
      ExpectSameAmounts(a.amounts, b.amounts, absl::StrCat(what, " code ", a.code));
    }
  }
  ExpectSameAmounts(kept.basic, fresh.basic, what + " 基本支出");
  ExpectSameAmounts(kept.project, fresh.project, what + " 项目支出");
  ASSERT_EQ(kept.by_project.size(), fresh.by_project.size()) << what;
  for (size_t i = 0; i < kept.by_project.size(); ++i) {
    EXPECT_EQ(kept.by_project[i].project_id, fresh.by_project[i].project_id) << what;
    EXPECT_EQ(kept.by_project[i].name, fresh.by_project[i].name) << what;
    ExpectSameAmounts(kept.by_project[i].amounts, fresh.by_project[i].amounts,
                      what + " project " + kept.by_project[i].project_id);
  }
  ExpectSameAmounts(kept.personnel, fresh.personnel, what + " 人员经费");
  ExpectSameAmounts(kept.public_use, fresh.public_use, what + " 公用经费");
  ExpectSameAmounts(kept.basic_other, fresh.basic_other, what + " basic_other");
  ExpectSameAmounts(kept.three_public.overseas_trips, fresh.three_public.overseas_trips, what);
  ExpectSameAmounts(kept.three_public.vehicle_purchase, fresh.three_public.vehicle_purchase, what);
  ExpectSameAmounts(kept.three_public.vehicle_operation, fresh.three_public.vehicle_operation,
                    what);
  ExpectSameAmounts(kept.three_public.reception, fresh.three_public.reception, what);
  ExpectSameAmounts(kept.three_public.total, fresh.three_public.total, what + " 三公经费");
  EXPECT_EQ(kept.agency_operating_applicable, fresh.agency_operating_applicable) << what;
  ExpectSameAmounts(kept.agency_operating, fresh.agency_operating, what + " 机关运行经费");
  EXPECT_EQ(RenderBudget(kept), RenderBudget(fresh)) << what;
}

// The cache's maintained roll-ups equal a summary from scratch at every position of random
// appropriations, income, adjustments, payments and carry-overs: read forwards (maintained from
// the position before), and as of earlier positions again (summed afresh).
TEST_P(BudgetPropertyTest, MaintainedRollUpsEqualASummaryFromScratch) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  for (int p = 0; p < 3; ++p) DefineProject(absl::StrCat("p", p), "项目", SeedIndicators(100));
  RandomBudget random(*this, GetParam());
  random.MakeLines(40);
  random.TouchAll();
  std::vector<uint64_t> positions = {store_.HeadPosition()};
  for (int i = 0; i < 400; ++i) {
    random.Step();
    if (i % 7 == 0) positions.push_back(store_.HeadPosition());
  }
  random.CloseAll();
  positions.push_back(store_.HeadPosition());
  RecordSeed2018();  // another book moves; 2019's does not
  positions.push_back(store_.HeadPosition());

  const AgencyProfile organ = {pb::PARTY_DEPARTMENT, false};
  BudgetSummaryCache cache(/*books_max=*/4, /*maintained_lines_min=*/1);
  auto check = [&](uint64_t position) {
    std::unique_ptr<EntityTable> table = Replay(position);
    const rm::BudgetBook& book = Book(*table, 2019);
    absl::StatusOr<std::shared_ptr<const BudgetSummary>> kept =
        cache.RollUps(book, position, organ);
    ASSERT_TRUE(kept.ok()) << kept.status();
    absl::StatusOr<BudgetSummary> fresh = SummarizeBudget(book, organ, SummaryLines::kOmit);
    ASSERT_TRUE(fresh.ok()) << fresh.status();
    ExpectSameRollUps(**kept, *fresh, absl::StrCat("at position ", position));
  };
  for (uint64_t position : positions) check(position);
  const BudgetSummaryCache::Stats forwards = cache.stats();
  EXPECT_EQ(forwards.summarized, 1u);  // the first read; every later one maintained
  EXPECT_GT(forwards.updated, positions.size() / 2);
  EXPECT_GE(forwards.unchanged, 1u);  // the 2018 book's events
  for (auto it = positions.rbegin(); it != positions.rend(); ++it) check(*it);
  EXPECT_GT(cache.stats().summarized, forwards.summarized);  // as of earlier: afresh
}

}  // namespace
}  // namespace reformlog::projections
