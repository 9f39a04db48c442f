// Amounts, checked sums and ratios: a sum beyond the int64 range is OUT_OF_RANGE naming the figure
// (and changes nothing), basis points round half away from zero, and the canonical text of each.
#include "projections/budget/budget_amounts.h"

#include <cstdint>
#include <limits>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::projections {
namespace {

using ::testing::HasSubstr;

TEST(BudgetAmountsTest, SumsBeyondInt64AreOutOfRangeNamingTheFigure) {
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Amounts total;
  total.disbursed_fen = kMax;
  total.budget_fen = 5;
  Amounts part;
  part.disbursed_fen = 1;
  part.budget_fen = 7;
  absl::Status s = AddAmounts(total, part, "total");
  EXPECT_EQ(s.code(), absl::StatusCode::kOutOfRange);
  EXPECT_THAT(s.message(), HasSubstr("total (disbursed): 9223372036854775807 + 1 fen is beyond "
                                     "the int64 range"));
  EXPECT_EQ(total.budget_fen, 5) << "a failed AddAmounts left total changed";
  part.disbursed_fen = -1;
  ASSERT_TRUE(AddAmounts(total, part, "total").ok());
  EXPECT_EQ(total.disbursed_fen, kMax - 1);
  EXPECT_EQ(total.budget_fen, 12);

  EXPECT_EQ(*SumFen(kMax - 1, 1, "收入总计"), kMax);
  EXPECT_THAT(SumFen(kMax, 1, "收入总计").status().message(),
              HasSubstr("收入总计: 9223372036854775807 + 1 fen is beyond the int64 range"));
  EXPECT_EQ(*DifferenceFen(-5, 7, "x"), -12);
  EXPECT_EQ(DifferenceFen(std::numeric_limits<int64_t>::min(), 1, "x").status().code(),
            absl::StatusCode::kOutOfRange);
}

TEST(BudgetAmountsTest, RatiosRoundHalfAwayFromZeroAndRefuseWhatDoesNotFit) {
  // A ratio whose basis points do not fit.
  EXPECT_EQ(RatioOf(std::numeric_limits<int64_t>::max(), 1, "x").status().code(),
            absl::StatusCode::kOutOfRange);
  EXPECT_EQ(RatioOf(-5, 10'000, "x")->basis_points, -5);
  EXPECT_EQ(RatioOf(-1, 20'000, "x")->basis_points, -1);  // −0.5 bp rounds away from zero
  EXPECT_EQ(RatioOf(1, 30'000, "x")->basis_points, 0);
  EXPECT_FALSE(RatioOf(1, 0, "x")->defined());
}

TEST(BudgetAmountsTest, CanonicalText) {
  EXPECT_EQ(FormatFen(1'234'567), "12345.67");
  EXPECT_EQ(FormatFen(-5), "-0.05");
  EXPECT_EQ(FormatFen(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
  EXPECT_EQ(FormatRatio(*RatioOf(12'855, 13'195, "x")), "97.42%");
  EXPECT_EQ(FormatRatio(*RatioOf(-905, 10'000, "x")), "-9.05%");
  EXPECT_EQ(FormatRatio(*RatioOf(1, 0, "x")), "—");
}

}  // namespace
}  // namespace reformlog::projections
