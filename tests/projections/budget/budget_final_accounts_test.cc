// FinalAccountsOf and CompareYears over books written by real commands: the seed's 2019 决算总表
// satisfies every identity of DOMAIN.md §4; open lines break only the closing identities and say
// by how much; year-over-year against the seed's 2018, and exactly against random previous years.
#include "projections/budget/budget_final_accounts.h"

#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/numeric/int128.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_summary.h"
#include "tests/projections/budget/budget_fixture.h"

namespace reformlog::projections {
namespace {

using budget_testing::General;
using budget_testing::kAgency;
using budget_testing::kWan;
using ::testing::ElementsAre;
namespace pb = ::reformlog::domain::v1;

class BudgetFinalAccountsTest : public budget_testing::BudgetFixture {};

TEST_F(BudgetFinalAccountsTest, TheSeedsFinalAccountsSatisfyEveryIdentity) {
  RecordSeed2019();
  std::unique_ptr<EntityTable> table = Replay();
  const FinalAccounts f = Accounts(Summary(Book(*table, 2019)));
  EXPECT_TRUE(f.AllHold());
  EXPECT_EQ(f.income_total_fen, 13'195 * kWan / 100);  // 收、支总计 131.95 万元
  EXPECT_EQ(f.expenditure_total_fen, f.income_total_fen);
}

TEST_F(BudgetFinalAccountsTest, OpenLinesBreakOnlyTheClosingIdentitiesAndSaySo) {
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

TEST_F(BudgetFinalAccountsTest, YearOverYearAgainstTheSeeds2018) {
  RecordSeed2019();
  RecordSeed2018();
  std::unique_ptr<EntityTable> table = Replay();
  const BudgetSummary y2019 = Summary(Book(*table, 2019));
  const BudgetSummary y2018 = Summary(Book(*table, 2018));
  absl::StatusOr<std::vector<YearOverYear>> changes = CompareYears(y2019, y2018);
  ASSERT_TRUE(changes.ok()) << changes.status();
  // The seed: 一般公共预算财政拨款支出 12.51 万元 less than 138.19; 机关运行经费 0.29 less, 1.9%.
  for (const YearOverYear& y : *changes) {
    if (y.metric != "机关运行经费") continue;
    EXPECT_EQ(y.change.numerator, -290'000);
    EXPECT_EQ(y.change.denominator, 15'080'000);
    EXPECT_EQ(y.change.basis_points, -192);
  }
}

class BudgetFinalAccountsPropertyTest : public budget_testing::BudgetFixture,
                                        public ::testing::WithParamInterface<unsigned> {};

// The previous year's book gives the year-over-year figures; a year with no money has no
// percentage change.
TEST_P(BudgetFinalAccountsPropertyTest, YearOverYearIsExactAgainstAPreviousYear) {
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

INSTANTIATE_TEST_SUITE_P(Seeds, BudgetFinalAccountsPropertyTest,
                         ::testing::Values(1u, 2u, 3u, 4u, 5u));

}  // namespace
}  // namespace reformlog::projections
