// reformctl report reconcile against the demo district: the seed's own narrative (its figures
// transcribed in data/) disagrees with the ledger and with itself where DATA.md says it does;
// figures taken from the ledger agree; a claims file that is not one is a usage error.
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;

const std::string kSeedNarrative = std::string(REFORMLOG_SOURCE_DIR) +
                                   "/tests/clients/reformctl/data/xiqu-bianban-2019-narrative.txt";

std::string WriteClaims(const TempDir& dir, const std::string& name, const std::string& text) {
  const std::string path = dir.Sub(name);
  std::ofstream(path) << text;
  return path;
}

TEST_F(DemoDistrictCtlTest, ReconcilingTheSeedsNarrativeFindsWhereItContradictsTheLedgerAndItself) {
  const CtlRun run = Ctl({"--lang", "zh", "report", "reconcile", "--agency", kBianban, "--year",
                          "2019", "--claims", kSeedNarrative},
                         false);
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("发现 23 处不一致"));
  for (const char* finding : {
           "收支总计：报告为 254.64 万元，账载 128.98 万元",
           "收支总计.上年：报告为 276.42 万元，账载 153.37 万元",
           "-21.78 ÷ 276.42 = -7.88%（所报增减率是以本年数 254.64 为分母算出的）",
           "= 113.77 + 15.18 = 128.95（差 0.03）",
           "88.21% + 11.77% = 99.98%，不是 100%",
           "2013601：报告为 87.55 万元，账载 87.54 万元",
           "财政拨款收支总计：报告为 242.34 万元，账载 128.95 万元",
           "一般公共预算财政拨款支出.增减：报告为 -12.51 万元，账载 -12.49 万元",
           "人员经费：报告为 113.78 万元，账载 110.91 万元",
           "——同一指标两个数",
       }) {
    EXPECT_THAT(run.out, HasSubstr(finding));
  }
  EXPECT_THAT(run.out, HasSubstr("核对 61 个数字（xq-bianban 2019年度，账至日志位置"));
}

TEST_F(DemoDistrictCtlTest, FiguresThatFollowTheLedgerAgree) {
  const std::string claims = WriteClaims(dir_, "clean.txt",
                                         "[一]\n收支总计 = 128.98\n收支总计.上年 = 153.37\n"
                                         "收支总计.增减 = -24.39\n收支总计.增减率 = -15.90%\n"
                                         "[二]\n本年支出合计 = 128.57\n基本支出 = 125.70\n"
                                         "项目支出 = 2.87\n本年支出合计 = 基本支出 + 项目支出\n"
                                         "机关运行经费 = 14.79\n机关运行经费.增减率 = -1.92%\n");
  const CtlRun run = Ctl(
      {"report", "reconcile", "--agency", kBianban, "--year", "2019", "--claims", claims}, false);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("checked 10 figures (xq-bianban 2019"));
  EXPECT_THAT(run.out, HasSubstr("all agree"));
}

TEST_F(DemoDistrictCtlTest, AClaimsFileThatIsNotOneIsAUsageErrorNamingTheLine) {
  const std::string claims = WriteClaims(dir_, "bad.txt", "收支总计 = 128.98\n收支总计 128.98\n");
  const CtlRun run = Ctl({"--lang", "zh", "report", "reconcile", "--agency", kBianban, "--year",
                          "2019", "--claims", claims},
                         false);
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("第2行：应为“指标 = 数值”"));
  const CtlRun missing = Ctl({"report", "reconcile", "--agency", kBianban, "--year", "2019",
                              "--claims", dir_.Sub("none.txt")},
                             false);
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--claims"));
}

}  // namespace
}  // namespace reformlog::testing
