// Reconciling a report's figures (clients/reformctl/reconcile.h): parsing the claims file, each
// kind of finding on a small report, a clean report, and the seed's own narrative against the
// demo district's ledger figures (DATA.md).
#include "clients/reformctl/reconcile.h"

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "domain/refusal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::ctl::reconcile {

// How gtest shows a finding (found by argument-dependent lookup, so beside Finding).
void PrintTo(const Finding& f, std::ostream* os) {
  *os << "{kind " << static_cast<int>(f.kind) << ", line " << f.line << ": " << f.zh << "}";
}

namespace {

using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// 万元 with two decimals → fen.
int64_t Wan(double wan) {
  return static_cast<int64_t>(wan * 100 + (wan < 0 ? -0.5 : 0.5)) * 10'000;
}

Claims Parse(const std::string& text) {
  absl::StatusOr<Claims> claims = ParseClaims(text);
  EXPECT_TRUE(claims.ok()) << claims.status();
  return claims.ok() ? *claims : Claims();
}

std::vector<std::string> Texts(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.zh);
  return out;
}

std::vector<Finding> Disagreements(const std::vector<Finding>& findings) {
  std::vector<Finding> out;
  for (const Finding& f : findings) {
    if (f.disagreement()) out.push_back(f);
  }
  return out;
}

TEST(ReconcileTest, WanTextRoundsHalfAwayFromZero) {
  EXPECT_EQ(WanText(1'289'800'00, 2), "128.98");
  EXPECT_EQ(WanText(1'257'000'00, 1), "125.7");
  EXPECT_EQ(WanText(-217'800'0, 2), "-2.18");
  EXPECT_EQ(WanText(5'000, 2), "0.01");
  EXPECT_EQ(WanText(-5'000, 2), "-0.01");
  EXPECT_EQ(WanText(0, 2), "0.00");
}

// "P0 + P1 + …" with `n` parts.
std::string ManyParts(int n) {
  std::vector<std::string> parts;
  for (int i = 0; i < n; ++i) parts.push_back(absl::StrCat("P", i));
  return absl::StrJoin(parts, " + ");
}

TEST(ReconcileTest, ParsesEveryFormAndRefusesWhatIsNotOneNamingTheLine) {
  const Claims claims = Parse(
      "\xEF\xBB\xBF# a comment\n[二、收入]\n收入总计 = 128.98  # 收入预算\n收入总计.上年 = 153.37\n"
      "收入总计.增减 = −24.39\n收入总计.增减率 = -15.9%\nA.占收入总计 = 88.21%\n"
      "收入总计 = A + B\n");
  ASSERT_EQ(claims.figures.size(), 5u);
  EXPECT_EQ(claims.figures[0].section, "二、收入");
  EXPECT_EQ(claims.figures[0].line, 3);
  EXPECT_EQ(claims.figures[0].value.units, 12898);
  EXPECT_EQ(claims.figures[0].value.decimals, 2);
  EXPECT_EQ(claims.figures[2].kind, Claim::Kind::kChange);
  EXPECT_EQ(claims.figures[2].value.units, -2439);
  EXPECT_EQ(claims.figures[4].kind, Claim::Kind::kShare);
  EXPECT_EQ(claims.figures[4].whole, "收入总计");
  ASSERT_EQ(claims.compositions.size(), 1u);
  EXPECT_THAT(claims.compositions[0].parts, ElementsAre("A", "B"));

  for (const auto& [text, line, en] : std::vector<std::tuple<std::string, int, std::string>>{
           {"x = 1\n收入总计 128.98\n", 2, "expected KEY = NUMBER"},
           {"收入总计 = 12.3.4\n", 1, "is not a number"},
           {"收入总计 = 1.1234567\n", 1, "is not a number"},
           {"收入总计 = 88%\n", 1, "not a percentage"},
           {"收入总计.增减率 = -8\n", 1, "end it with %"},
           {"收入总计.明年 = 1\n", 1, "after the '.'"},
           {"[一、\n", 1, "closes with ]"},
           {"收入总计 = A +\n", 1, "is not a metric's name"},
           {"收入 总计 = 1\n", 1, "is not a metric's name"},
           {"收入总计 = 999999999999\n", 1, "beyond any budget"},
           {"收入总计 = 9999999999999\n", 1, "is not a number"},
           {"A.占B = 1000001%\n", 1, "beyond any percentage"},
           {absl::StrCat("W = ", ManyParts(101), "\n"), 1, "more than 100 parts"}}) {
    absl::StatusOr<Claims> bad = ParseClaims(text);
    ASSERT_FALSE(bad.ok()) << text;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(bad.status().message(), HasSubstr(absl::StrCat("line ", line, ": "))) << text;
    EXPECT_THAT(bad.status().message(), HasSubstr(en)) << text;
    EXPECT_THAT(domain::ChineseText(bad.status()), HasSubstr(absl::StrCat("第", line, "行：")));
  }
  EXPECT_FALSE(ParseClaims("收入总计 = 1\n\xFF\n").ok());
  EXPECT_FALSE(ParseClaims(std::string(kClaimsFileBytesMax + 1, '#')).ok());
}

TEST(ReconcileTest, AConsistentReportThatMatchesTheLedgerIsClean) {
  const Claims claims = Parse(
      "收入总计 = 128.98\n收入总计.上年 = 153.37\n收入总计.增减 = -24.39\n收入总计.增减率 = "
      "-15.9%\n"
      "本年收入合计 = 113.80\n本年收入合计.占收入总计 = 88.23%\n年初结转和结余 = 15.18\n"
      "年初结转和结余.占收入总计 = 11.77%\n收入总计 = 本年收入合计 + 年初结转和结余\n");
  const Ledger ledger = {{"收入总计", Wan(128.98)},
                         {"收入总计.上年", Wan(153.37)},
                         {"本年收入合计", Wan(113.80)},
                         {"年初结转和结余", Wan(15.18)}};
  EXPECT_THAT(Reconcile(claims, ledger), IsEmpty());
}

TEST(ReconcileTest, EachKindOfDisagreementIsFound) {
  const Claims claims = Parse(
      "[一]\n收支总计 = 254.64\n收支总计.上年 = 276.42\n收支总计.增减 = -21.78\n"
      "收支总计.增减率 = -8.55%\n"
      "[二]\n收入总计 = 128.98\nA = 113.77\nA.占收入总计 = 88.21%\nB = 15.18\n"
      "B.占收入总计 = 11.77%\n收入总计 = A + B\n"
      "[三]\nC = 10.00\nC.上年 = 12.00\nC.增减 = -3.00\nD = 5\nD.占收入总计 = 50%\n"
      "[四]\nA = 113.78\n");
  const Ledger ledger = {{"收支总计", Wan(128.98)}, {"收入总计", Wan(128.98)}};
  const std::vector<Finding> findings = Reconcile(claims, ledger);
  auto kind_at = [&](Finding::Kind kind, int line, const std::string& zh) {
    return Contains(AllOf(Field(&Finding::kind, kind), Field(&Finding::line, line),
                          Field(&Finding::zh, HasSubstr(zh))));
  };
  EXPECT_THAT(findings, kind_at(Finding::Kind::kLedger, 2, "报告为 254.64 万元，账载 128.98 万元"));
  // 254.64 − 276.42 = −21.78 holds, but −21.78 / 276.42 is −7.88%: the −8.55% divides by 254.64.
  EXPECT_THAT(findings, kind_at(Finding::Kind::kRate, 5, "-21.78 ÷ 276.42 = -7.88%"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kRate, 5, "以本年数 254.64 为分母"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kSum, 12, "= 128.95（差 0.03）"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kSharesSum, 12, "88.21% + 11.77% = 99.98%"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kChange, 16, "10.00 − 12.00 = -2.00"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kShare, 18, "5 ÷ 128.98 = 3.88%"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kDuplicate, 20, "同一指标两个数"));
  EXPECT_THAT(findings, kind_at(Finding::Kind::kNotInLedger, 8, "账中无此指标"));
  // Nothing else: 收支总计.上年 and .增减 have no ledger figure of last year to differ from.
  EXPECT_EQ(Disagreements(findings).size(), 7u) << absl::StrJoin(Texts(findings), "\n");
  // In line order, each in both languages.
  for (size_t i = 1; i < findings.size(); ++i) EXPECT_LE(findings[i - 1].line, findings[i].line);
  for (const Finding& f : findings) EXPECT_FALSE(f.en.empty());
}

TEST(ReconcileTest, ExtremeFiguresAreReportedWithoutOverflow) {
  // The largest amount over the smallest, and a change from next to nothing: the ratios are far
  // beyond any percentage and are shown at the limit, not wrapped.
  const Claims claims = Parse(
      "W = 0.000001\nX = 1000000000\nX.占W = 5%\nY = 999999999.999999\nY.上年 = -0.000001\n"
      "Y.增减率 = 1%\nW = X + Y\n");
  const std::vector<Finding> findings = Reconcile(claims, {});
  EXPECT_THAT(findings, Contains(AllOf(Field(&Finding::kind, Finding::Kind::kShare),
                                       Field(&Finding::zh, HasSubstr("= 1000000.00%")))));
  EXPECT_THAT(findings, Contains(AllOf(Field(&Finding::kind, Finding::Kind::kRate),
                                       Field(&Finding::zh, HasSubstr("= -1000000.00%")))));
  EXPECT_THAT(findings, Contains(Field(&Finding::kind, Finding::Kind::kSum)));
}

TEST(ReconcileTest, ACompositionReadsTheFiguresItsSectionQuotes) {
  // 人员经费 is 113.78 in one section and 110.89 in the next, whose composition adds up with it.
  const Claims claims = Parse(
      "[五]\n人员经费 = 113.78\n公用经费 = 14.79\n[六]\n基本 = 125.68\n人员经费 = 110.89\n"
      "基本 = 人员经费 + 公用经费\n");
  const std::vector<Finding> findings = Reconcile(claims, {});
  EXPECT_THAT(Disagreements(findings),
              ElementsAre(AllOf(Field(&Finding::kind, Finding::Kind::kDuplicate),
                                Field(&Finding::line, 6))));
}

// The seed's narrative, transcribed in tests/clients/reformctl/data/, against the ledger of the
// demo district's 编办 2019 as DATA.md gives it: every contradiction DATA.md lists among the
// figures the narrative quotes is found, and nothing the ledger agrees with is.
TEST(ReconcileTest, TheSeedsNarrativeAgainstTheDemoLedger) {
  std::ifstream in(std::string(REFORMLOG_SOURCE_DIR) +
                   "/tests/clients/reformctl/data/xiqu-bianban-2019-narrative.txt");
  ASSERT_TRUE(in) << "fixture missing";
  std::stringstream text;
  text << in.rdbuf();
  const Claims claims = Parse(text.str());
  const Ledger ledger = {{"收支总计", Wan(128.98)},
                         {"收支总计.上年", Wan(153.37)},
                         {"收入总计", Wan(128.98)},
                         {"一般公共预算财政拨款收入", Wan(113.77)},
                         {"年初结转和结余", Wan(15.18)},
                         {"本年支出合计", Wan(128.57)},
                         {"基本支出", Wan(125.70)},
                         {"项目支出", Wan(2.87)},
                         {"人员经费", Wan(110.91)},
                         {"公用经费", Wan(14.79)},
                         {"机关运行经费", Wan(14.79)},
                         {"机关运行经费.上年", Wan(15.08)},
                         {"三公经费", 0},
                         {"因公出国（境）费", 0},
                         {"公务用车购置及运行维护费", 0},
                         {"公务接待费", 0},
                         {"财政拨款收支总计", Wan(128.95)},
                         {"财政拨款收支总计.上年", Wan(153.37)},
                         {"一般公共预算财政拨款支出", Wan(125.70)},
                         {"一般公共预算财政拨款支出.上年", Wan(138.19)},
                         {"一般公共预算财政拨款基本支出", Wan(125.70)},
                         {"政府性基金预算财政拨款支出", Wan(2.87)},
                         {"国有资本经营预算财政拨款支出", 0},
                         {"2013601", Wan(87.54)},
                         {"2013650", Wan(11.09)},
                         {"2080505", Wan(9.12)},
                         {"2101101", Wan(6.29)},
                         {"2101102", Wan(0.74)},
                         {"2101103", Wan(0.63)},
                         {"2210201", Wan(10.29)},
                         {"2120802", Wan(2.87)},
                         {"30101", Wan(23.19)},
                         {"30102", Wan(53.28)},
                         {"30103", Wan(5.90)},
                         {"30201", Wan(8.17)},
                         {"30211", Wan(0.96)},
                         {"30228", Wan(0.67)},
                         {"30239", Wan(5.09)},
                         {"30113", Wan(10.29)}};
  const std::vector<Finding> findings = Disagreements(Reconcile(claims, ledger));
  const std::string all = absl::StrJoin(Texts(findings), "\n");
  // What the ledger would have the report say reconciles clean against it.
  const std::string from_ledger = ClaimsOf(ledger);
  EXPECT_THAT(from_ledger, HasSubstr("收支总计.增减率 = -15.90%\n"));
  EXPECT_THAT(from_ledger, HasSubstr("2013601 = 87.54\n"));
  EXPECT_THAT(Disagreements(Reconcile(Parse(from_ledger), ledger)), IsEmpty()) << from_ledger;
  for (const std::string& expected : std::vector<std::string>{
           "收支总计：报告为 254.64 万元，账载 128.98 万元",
           "收支总计.上年：报告为 276.42 万元，账载 153.37 万元", "以本年数 254.64 为分母",
           absl::StrCat("收入总计 为 128.98，而 一般公共预算财政拨款收入 + 年初结转和结余 = ",
                        "113.77 + 15.18 = 128.95"),
           "88.21% + 11.77% = 99.98%", "2013601：报告为 87.55 万元，账载 87.54 万元",
           "财政拨款收支总计：报告为 242.34 万元，账载 128.95 万元",
           "财政拨款收支总计.增减率 为 -12.33%，而 -14.06 ÷ 256.40 = -5.48%",
           "一般公共预算财政拨款支出：报告为 125.68 万元，账载 125.70 万元",
           "一般公共预算财政拨款支出.增减：报告为 -12.51 万元，账载 -12.49 万元",
           absl::StrCat(
               "2013601：第30行（三、支出决算情况说明）为 87.55，",
               "第47行（五（二）一般公共预算财政拨款支出决算结构情况）为 110.89——同一指标两个数"),
           "30113：报告为 11.43 万元，账载 10.29 万元", "30201：报告为 7.97 万元，账载 8.17 万元",
           "2013601 为 110.89，而 30101 + 30102", "一般公共预算财政拨款支出：第41行",
           "人员经费：报告为 113.78 万元，账载 110.91 万元",
           "人员经费：第73行（五（三）一般公共预算财政拨款支出决算具体情况）为 113.78",
           "一般公共预算财政拨款基本支出：报告为 125.68 万元，账载 125.70 万元"}) {
    EXPECT_THAT(all, HasSubstr(expected));
  }
  // What agrees is not reported: 收入总计, 本年支出合计, 基本支出 125.7, the shares of 三, 三公,
  // 政府性基金, 机关运行经费 and its −1.9%.
  for (const Finding& f : findings) {
    for (const char* agreed : {"收入总计：", "本年支出合计：", "基本支出：", "三公经费",
                               "机关运行经费", "政府性基金预算财政拨款支出："}) {
      EXPECT_FALSE(absl::StartsWith(f.zh, agreed)) << f.zh;
    }
  }
}

}  // namespace
}  // namespace reformlog::ctl::reconcile
