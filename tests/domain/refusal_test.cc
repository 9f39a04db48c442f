// Refusals in two languages: the English message for code and logs, the Chinese text riding
// as a payload through copies, context and gathered problems.
#include "domain/refusal.h"

#include <string>

#include "absl/status/statusor.h"
#include "gtest/gtest.h"

namespace reformlog::domain {
namespace {

TEST(RefusalTest, CarriesBothTextsAndTheCode) {
  const absl::Status s = RefuseNotFound("no agency x", "没有机构 x");
  EXPECT_EQ(s.code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(s.message(), "no agency x");
  EXPECT_EQ(ChineseText(s), "没有机构 x");
  const absl::StatusOr<int> carried = s;  // through a StatusOr, as decisions return them
  EXPECT_EQ(ChineseText(carried.status()), "没有机构 x");
}

TEST(RefusalTest, AStatusWithoutChineseReadsAsItsMessage) {
  EXPECT_EQ(ChineseText(absl::InternalError("disk full")), "disk full");
}

TEST(RefusalTest, ContextIsAddedInEachLanguage) {
  const absl::Status s =
      WithContext(RefuseInvalid("count 0 is outside 1–100", "编制数 0 不在 1–100 之内"),
                  "quotas[2]: ", "第 3 项：");
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "quotas[2]: count 0 is outside 1–100");
  EXPECT_EQ(ChineseText(s), "第 3 项：编制数 0 不在 1–100 之内");
  EXPECT_EQ(ChineseText(WithContext(absl::InternalError("x"), "a: ", "甲：")), "甲：x");
}

TEST(ProblemsTest, NamesEveryProblemInBothLanguages) {
  Problems problems;
  EXPECT_TRUE(problems.empty());
  problems.Add("person-a is already registered", "人员 a已登记");
  problems.Add(RefusePrecondition("agency-b has ceased", "乙已撤销"));
  const absl::Status s = problems.Refusal();
  EXPECT_EQ(s.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(), "person-a is already registered; agency-b has ceased");
  EXPECT_EQ(ChineseText(s), "人员 a已登记；乙已撤销");
}

TEST(ProblemsTest, ManyProblemsAreCutWithAChineseTail) {
  Problems problems;
  for (int i = 0; i < 15; ++i) problems.Add("p" + std::to_string(i), "问题" + std::to_string(i));
  const std::string zh = ChineseText(problems.Refusal());
  EXPECT_NE(zh.find("问题9"), std::string::npos);
  EXPECT_EQ(zh.find("问题10"), std::string::npos);
  EXPECT_NE(zh.find("……另有5项（共15项）"), std::string::npos) << zh;
}

}  // namespace
}  // namespace reformlog::domain
