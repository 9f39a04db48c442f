// BudgetSummaryCache: roll-ups kept per book, position and agency profile, bounded, no errors kept;
// and a property test: the roll-ups it maintains as random budgets move equal a summary from
// scratch at every position.
#include "projections/budget/budget_summary_cache.h"

#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/budget/budget_amounts.h"
#include "projections/budget/budget_render.h"
#include "projections/budget/budget_summary.h"
#include "tests/projections/budget/budget_fixture.h"

namespace reformlog::projections {
namespace {

using budget_testing::General;
using budget_testing::kAgency;
using budget_testing::RandomBudget;
using ::testing::SizeIs;
namespace pb = ::reformlog::domain::v1;

class BudgetSummaryCacheTest : public budget_testing::BudgetFixture {};

// The cache hands back the roll-ups it keeps only for the same book read at the same position
// for the same agency; it keeps at most books_max books, dropping the least recently used; and it
// keeps no errors.
TEST_F(BudgetSummaryCacheTest, TheSummaryCacheKeepsRollUpsPerBookAndPosition) {
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

class BudgetSummaryCachePropertyTest : public budget_testing::BudgetFixture,
                                       public ::testing::WithParamInterface<unsigned> {};

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
TEST_P(BudgetSummaryCachePropertyTest, MaintainedRollUpsEqualASummaryFromScratch) {
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

INSTANTIATE_TEST_SUITE_P(Seeds, BudgetSummaryCachePropertyTest,
                         ::testing::Values(1u, 2u, 3u, 4u, 5u));

}  // namespace
}  // namespace reformlog::projections
