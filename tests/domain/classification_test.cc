// The 政府收支分类科目 as shipped (domain/classification.h): the file parses (a malformed file
// aborts the first use, so parsing it here is the check), codes are valid per year and per
// budget, names follow the year, and a year without a list is refused saying so.
#include "domain/classification.h"

#include <string>

#include "absl/status/status.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::domain {
namespace {

using ::testing::HasSubstr;

MATCHER_P(RefusedWith, text, "") {
  return arg.code() == absl::StatusCode::kInvalidArgument &&
         ::testing::ExplainMatchResult(HasSubstr(text), std::string(arg.message()),
                                       result_listener);
}

TEST(ClassificationTest, TheShippedFileCoversTheYearsItDeclares) {
  const auto [first, last] = ClassificationYears();
  EXPECT_EQ(first, 2018);
  EXPECT_GE(last, 2025);
  for (int year = first; year <= last; ++year) {
    EXPECT_TRUE(ValidateClassificationYear(year).ok()) << year;
    // Every year has the codes of the seed (the 编办's 2019 final accounts).
    for (const char* code :
         {"2013601", "2013650", "2080505", "2101101", "2101102", "2101103", "2210201"}) {
      EXPECT_TRUE(ValidateLineCodes(year, pb::GENERAL_PUBLIC_BUDGET, code, "30201").ok())
          << year << " " << code;
    }
    EXPECT_TRUE(ValidateLineCodes(year, pb::GOVERNMENT_FUND, "2120802", "30227").ok()) << year;
  }
}

TEST(ClassificationTest, AYearWithoutAListIsRefusedSayingSo) {
  const auto [first, last] = ClassificationYears();
  for (int year : {first - 1, last + 1}) {
    EXPECT_THAT(ValidateLineCodes(year, pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201"),
                RefusedWith(absl::StrCat("there is no 政府收支分类科目 of ", year)));
  }
  EXPECT_THAT(ValidateClassificationYear(first - 1),
              RefusedWith("domain/classification/gov_classification.tsv (it covers 2018–"));
}

TEST(ClassificationTest, AFunctionCodeBelongsToTheBudgetItIsPaidFrom) {
  // 2013601 is 一般公共预算: not a 国有资本经营预算 or 政府性基金预算 code.
  EXPECT_THAT(ValidateLineCodes(2019, pb::STATE_CAPITAL, "2013601", "30201"),
              RefusedWith("line.function_code 2013601 行政运行 is a code of 一般公共预算 in the "
                          "2019 政府收支分类科目; a line of 国有资本经营预算 takes a code of "
                          "国有资本经营预算"));
  EXPECT_THAT(ValidateLineCodes(2019, pb::GOVERNMENT_FUND, "2013601", "30201"),
              RefusedWith("takes a code of 政府性基金预算"));
  // 2120802 土地开发支出 is 政府性基金预算.
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2120802", "30201"),
              RefusedWith("2120802 土地开发支出 is a code of 政府性基金预算"));
  EXPECT_TRUE(ValidateLineCodes(2019, pb::STATE_CAPITAL, "2230201", "31201").ok())
      << "a 项 not transcribed under the 国有资本经营预算 款 22302";
  // Other money (事业收入, 其他收入 …) pays under 一般公共预算 or 政府性基金预算 codes.
  EXPECT_TRUE(ValidateLineCodes(2019, pb::BUSINESS_INCOME, "2013650", "30101").ok());
  EXPECT_TRUE(ValidateLineCodes(2019, pb::OTHER_INCOME, "2120802", "30201").ok());
  EXPECT_THAT(ValidateLineCodes(2019, pb::OTHER_INCOME, "22302", "31201"),
              RefusedWith("is a code of 国有资本经营预算"));
}

TEST(ClassificationTest, CodesOutsideTheListAreRefusedNamingTheMissingLevel) {
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2999999", "39999"),
              RefusedWith("line.function_code \"2999999\" is not in the 2019 政府收支分类科目 "
                          "(支出功能分类): there is no 类 299"));
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2019801", "30201"),
              RefusedWith("类 201 一般公共服务支出 has no 款 20198"));
  // 20136's 项 are all listed: 2013604 is not one of them.
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2013604", "30201"),
              RefusedWith("款 20136 其他共产党事务支出 has no 项 2013604"));
  // 20101's 项 are not all transcribed: a 项 under a valid 款 is taken on trust.
  EXPECT_TRUE(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2010104", "30201").ok());
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2013601", "39998"),
              RefusedWith("line.economic_code \"39998\" is not in the 2019 政府收支分类科目 "
                          "(部门预算支出经济分类): 类 399 其他支出 has no 款 39998"));
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2013601", "398"),
              RefusedWith("there is no 类 398"));
  EXPECT_TRUE(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "201", "302").ok());
}

TEST(ClassificationTest, CodesAndNamesFollowTheYear) {
  // The 2018 reform renamed 类 210 and created 224 and 款 20138 from the 2019 list on.
  EXPECT_EQ(CodeName(2018, CodeScheme::kFunction, "210"), "医疗卫生与计划生育支出");
  EXPECT_EQ(CodeName(2019, CodeScheme::kFunction, "210"), "卫生健康支出");
  EXPECT_THAT(ValidateLineCodes(2018, pb::GENERAL_PUBLIC_BUDGET, "2013801", "30201"),
              RefusedWith("2018 政府收支分类科目"));
  EXPECT_TRUE(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2013801", "30201").ok());
  EXPECT_THAT(ValidateLineCodes(2019, pb::GENERAL_PUBLIC_BUDGET, "2011501", "30201"),
              RefusedWith("has no 款 20115"))
      << "工商行政管理事务 ended with 2018";
  EXPECT_EQ(CodeWithName(2019, CodeScheme::kFunction, "2013601"), "2013601 行政运行");
  EXPECT_EQ(CodeWithName(2019, CodeScheme::kEconomic, "30217"), "30217 公务接待费");
  EXPECT_EQ(CodeWithName(2019, CodeScheme::kFunction, "2010104"), "2010104") << "no name here";
  EXPECT_EQ(CodeName(1990, CodeScheme::kFunction, "201"), "");
}

}  // namespace
}  // namespace reformlog::domain
