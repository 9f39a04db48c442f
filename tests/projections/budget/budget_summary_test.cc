// SummarizeBudget over books written by real commands: the seed's 2019 部门决算 of the 编办, every
// roll-up summing exactly to its parts; 三公经费 and 机关运行经费 by agency kind; basic lines
// outside 人员经费 and 公用经费; overflow; and a property test: random appropriations, income,
// adjustments, carry-overs and payments over random codes keep the read model equal to an oracle
// and every identity of DOMAIN.md §4 exact.
#include "projections/budget/budget_summary.h"

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_final_accounts.h"
#include "projections/budget/budget_projection.h"
#include "tests/projections/budget/budget_fixture.h"

namespace reformlog::projections {
namespace {

using budget_testing::ExpectRollupSumsToParts;
using budget_testing::General;
using budget_testing::kAgency;
using budget_testing::kWan;
using budget_testing::Line;
using budget_testing::RandomBudget;
using budget_testing::SumOf;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace pb = ::reformlog::domain::v1;

class BudgetSummaryTest : public budget_testing::BudgetFixture {};

TEST_F(BudgetSummaryTest, TheSeedsBudgetRollsUpExactly) {
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
}

// 三公经费 counts 财政拨款 lines of its four codes only; 机关运行经费 applies to 行政 and 参公
// units only.
TEST_F(BudgetSummaryTest, ThreePublicExpensesAndAgencyOperatingExpenses) {
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
TEST_F(BudgetSummaryTest, BasicLinesOfOtherEconomicClassesAreReported) {
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

TEST_F(BudgetSummaryTest, SumsBeyondInt64AreOutOfRangeNotWrapped) {
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
}

// ---- Property: random budgets keep every identity exactly ------------------------------------

class BudgetSummaryPropertyTest : public budget_testing::BudgetFixture,
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

TEST_P(BudgetSummaryPropertyTest, EveryIdentityHoldsExactlyOnRandomBudgets) {
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

INSTANTIATE_TEST_SUITE_P(Seeds, BudgetSummaryPropertyTest, ::testing::Values(1u, 2u, 3u, 4u, 5u));

}  // namespace
}  // namespace reformlog::projections
