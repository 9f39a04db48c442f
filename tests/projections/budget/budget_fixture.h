// The budget tests' fixture: a budget log written by real commands (budget_decide) on the
// in-memory store — the seed's 2019 部门决算 of the 编办 and its 2018, made consistent — replayed
// into the budget read model, with the checks several of the tests share and RandomBudget, a
// seeded stream of appropriations, income, adjustments, carry-overs and payments over random
// codes with the oracle of what each line holds.
#ifndef REFORMLOG_TESTS_PROJECTIONS_BUDGET_BUDGET_FIXTURE_H_
#define REFORMLOG_TESTS_PROJECTIONS_BUDGET_BUDGET_FIXTURE_H_

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "eventstore/in_memory_event_store.h"
#include "google/protobuf/text_format.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_projection.h"
#include "projections/budget/budget_summary.h"
#include "projections/in_memory_replay.h"
#include "reformlog/api/v1/budget_commands.pb.h"
#include "services/domain/budget_decide.h"
#include "services/domain/org_agency_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::projections::budget_testing {

namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

inline constexpr char kAgency[] = "xiqu-bianban";
// 1 万元 in fen.
inline constexpr int64_t kWan = 1'000'000;

using testing::requests::Line;

inline pb::BudgetLine General(const std::string& function_code, const std::string& economic_code) {
  return Line(pb::GENERAL_PUBLIC_BUDGET, function_code, economic_code);
}

inline pb::PerformanceIndicator Indicator(const std::string& text) {
  pb::PerformanceIndicator indicator;
  EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(text, &indicator)) << text;
  return indicator;
}

class BudgetFixture : public ::testing::Test {
 public:  // RandomBudget drives the commands too
  BudgetFixture() : driver_(store_, clock_) {}

  void Establish(const std::string& id, pb::AgencyKind kind, bool civil_servant_managed = false) {
    api::EstablishAgencyRequest r;
    *r.mutable_agency() = testing::requests::Agency(id, absl::StrCat("机构", id), kind);
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
  testing::CommandDriver driver_;
  int vouchers_ = 0;
};

// Σ of the rows one level below each row equals the row, for every field; Σ of the top level
// equals `total`. A row's parent is the row one level up under its code cut to that level's
// digits (a code shorter than that is its own parent: the undivided rows).
inline void ExpectRollupSumsToParts(const std::vector<CodeRow>& rows,
                                    const std::vector<size_t>& digits, const Amounts& total,
                                    const std::string& what) {
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

inline Amounts SumOf(std::initializer_list<Amounts> parts) {
  Amounts sum;
  for (const Amounts& a : parts) EXPECT_TRUE(AddAmounts(sum, a, "sum").ok());
  return sum;
}

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
  RandomBudget(BudgetFixture& test, unsigned seed) : t_(test), rng_(seed) {}

  // Codes of the 2019 政府收支分类科目 (domain/classification.h) at every level, of the budget
  // the line is paid from: the decisions refuse any other.
  std::string FunctionCode(pb::FundSource source) {
    static const char* kGeneral[] = {"201",     "20101",   "2010101", "2010102", "20136",
                                     "2013601", "2013650", "208",     "20805",   "2080505",
                                     "210",     "21011",   "2101101", "2101102", "221",
                                     "22102",   "2210201"};
    static const char* kFund[] = {"212", "21208", "2120802", "2120803", "229", "22960"};
    static const char* kCapital[] = {"223", "22301", "22302"};
    if (source == pb::GOVERNMENT_FUND) return kFund[Pick(std::size(kFund))];
    if (source == pb::STATE_CAPITAL) return kCapital[Pick(std::size(kCapital))];
    return kGeneral[Pick(std::size(kGeneral))];
  }
  std::string EconomicCode() {
    static const char* kCodes[] = {"301",   "30101", "30102", "30103", "30113", "302",
                                   "30201", "30211", "30216", "30217", "30231", "303",
                                   "30301", "30302", "310",   "31002", "31013"};
    return kCodes[Pick(std::size(kCodes))];
  }

  void MakeLines(int count) {
    static const pb::FundSource kSources[] = {pb::GENERAL_PUBLIC_BUDGET, pb::GOVERNMENT_FUND,
                                              pb::STATE_CAPITAL,         pb::SUPERIOR_SUBSIDY,
                                              pb::BUSINESS_INCOME,       pb::OPERATING_INCOME,
                                              pb::AFFILIATE_REMITTANCE,  pb::OTHER_INCOME};
    for (int i = 0; i < count; ++i) {
      const std::string project = Pick(3) == 0 ? absl::StrCat("p", Pick(3)) : "";
      ModelLine m;
      const pb::FundSource source = kSources[Pick(8)];
      m.line = Line(source, FunctionCode(source), EconomicCode(), project);
      lines_.emplace(LineLabel(m.line), m);  // a repeated line is simply the same line
    }
  }

  void Step() {
    auto it = std::next(lines_.begin(), static_cast<std::ptrdiff_t>(Pick(lines_.size())));
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

  BudgetFixture& t_;
  std::mt19937_64 rng_;
  std::map<std::string, ModelLine> lines_;
};

}  // namespace reformlog::projections::budget_testing

#endif  // REFORMLOG_TESTS_PROJECTIONS_BUDGET_BUDGET_FIXTURE_H_
