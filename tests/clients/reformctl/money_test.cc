// Money and the budget's figures (clients/reformctl/money.h): exact 元 ↔ fen, 万元 rounded half
// up, percentages and scores.
#include "clients/reformctl/money.h"

#include <cstdint>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

using ::testing::HasSubstr;

TEST(ReformctlMoneyTest, YuanParseExactlyIntoFen) {
  const struct {
    const char* text;
    int64_t fen;
  } cases[] = {
      {"0", 0},
      {"1234.56", 123456},
      {"1.5", 150},
      {"1.05", 105},
      {"-0.01", -1},
      {"-12", -1200},
      {"007.10", 710},
      {"10000000000000", kYuanMax * 100},
      {"10000000000000.99", kYuanMax * 100 + 99},
  };
  for (const auto& c : cases) {
    absl::StatusOr<int64_t> fen = ParseYuan(c.text);
    ASSERT_TRUE(fen.ok()) << c.text << ": " << fen.status();
    EXPECT_EQ(*fen, c.fen) << c.text;
  }
}

TEST(ReformctlMoneyTest, AnythingElseIsRefusedQuotingIt) {
  for (const char* text :
       {"", "1.005", "1e3", "1,000", ".5", "5.", "1.2.3", "--1", "1.-5", "元", "10000000000001"}) {
    absl::StatusOr<int64_t> fen = ParseYuan(text);
    ASSERT_FALSE(fen.ok()) << text << " parsed as " << *fen;
    EXPECT_EQ(fen.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(fen.status().message(),
                HasSubstr(std::string("\"") + text +
                          "\" is not an amount in 元 with at most two decimals"));
  }
}

TEST(ReformctlMoneyTest, FenFormatAsYuanWithTwoDecimals) {
  EXPECT_EQ(FormatYuan(0), "0.00");
  EXPECT_EQ(FormatYuan(5), "0.05");
  EXPECT_EQ(FormatYuan(123456), "1234.56");
  EXPECT_EQ(FormatYuan(-1), "-0.01");
  EXPECT_EQ(FormatYuan(std::numeric_limits<int64_t>::min()), "-92233720368547758.08");
  for (const char* text : {"0.00", "1234.56", "-0.01", "100000000.10"}) {
    EXPECT_EQ(FormatYuan(*ParseYuan(text)), text) << "round trip";
  }
}

TEST(ReformctlMoneyTest, WanRoundHalfUpAwayFromZero) {
  EXPECT_EQ(FormatWan(0), "0.00");
  EXPECT_EQ(FormatWan(128'980'000), "128.98");  // 1,289,800.00 元
  EXPECT_EQ(FormatWan(1'234'567), "1.23");
  EXPECT_EQ(FormatWan(4'999), "0.00");
  EXPECT_EQ(FormatWan(5'000), "0.01");
  EXPECT_EQ(FormatWan(-5'000), "-0.01");
  EXPECT_EQ(FormatWan(-4'999), "0.00") << "never -0.00";
}

TEST(ReformctlMoneyTest, RatiosAndScores) {
  api::BudgetRatio undefined;
  EXPECT_EQ(FormatPercent(undefined), "—");
  api::BudgetRatio ratio;
  ratio.set_defined(true);
  ratio.set_basis_points(9'480);
  EXPECT_EQ(FormatPercent(ratio), "94.80%");
  ratio.set_basis_points(0);
  EXPECT_EQ(FormatPercent(ratio), "0.00%");
  ratio.set_basis_points(-5);
  EXPECT_EQ(FormatPercent(ratio), "-0.05%");
  EXPECT_EQ(FormatCentipoints(9'948), "99.48");
  EXPECT_EQ(FormatCentipoints(10'000), "100.00");
  EXPECT_EQ(FormatCentipoints(-5), "-0.05");
}

}  // namespace
}  // namespace reformlog::ctl
