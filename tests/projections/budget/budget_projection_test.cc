// The budget read model (BudgetProjection), from a log written by real commands: a book's lines
// land in canonical order whatever order they first appear in. (The read model against an oracle
// of random budgets: budget_summary_test.cc.)
#include "projections/budget/budget_projection.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_summary.h"
#include "tests/projections/budget/budget_fixture.h"

namespace reformlog::projections {
namespace {

using budget_testing::General;
using budget_testing::kAgency;
using budget_testing::Line;
using ::testing::ElementsAre;
namespace pb = ::reformlog::domain::v1;

class BudgetProjectionTest : public budget_testing::BudgetFixture {};

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

}  // namespace
}  // namespace reformlog::projections
