// reformctl as a 编办 officer meets it, in Chinese (its default): table headers, what a
// change recorded, a refusal in the words of the field, options after the subcommand, help
// that lists the change options, and events with their payloads decoded.
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ChineseOutputTest : public ReformctlTest {
 protected:
  // reformctl in Chinese, as a user gets it without --lang.
  CtlRun Zh(std::vector<std::string> args, bool change = false) {
    args.insert(args.begin(), {"--lang", "zh"});
    return Ctl(std::move(args), change);
  }
};

TEST_F(ChineseOutputTest, AChangeSaysWhatItRecordedOnWhichDocumentAndDate) {
  SetUpDistrict();
  CtlRun granted = Zh({"quota", "grant", "kjj", "--category", "行政编制", "--count", "1"}, true);
  ASSERT_EQ(granted.code, 0) << granted.err;
  EXPECT_THAT(granted.out, HasSubstr("已记录 1 条事件（位置 "));
  EXPECT_THAT(granted.out, HasSubstr("）：核增编制\n"));
  EXPECT_THAT(granted.out, HasSubstr("  生效日期：2019-03-01\n"));
  EXPECT_THAT(granted.out, HasSubstr("  依据：西委编〔2019〕1号\n"));
  EXPECT_THAT(granted.out, HasSubstr("  涉及机构：kjj 区科学技术局\n"));

  // Without --effective-date the answer says the date is today's, by default.
  CtlRun today = Zh({"--basis", "西委编〔2019〕2号", "quota", "grant", "kjj", "--category",
                     "行政编制", "--count", "1"});
  ASSERT_EQ(today.code, 0) << today.err;
  EXPECT_THAT(today.out, HasSubstr("（未给 --effective-date，按今日）"));
}

TEST_F(ChineseOutputTest, ARefusalIsInTheWordsOfTheFieldNamingTheAgency) {
  SetUpDistrict();  // kjj: 3 行政编制, 1 in post
  CtlRun refused = Zh({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "3"}, true);
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err,
              HasSubstr("reformctl: 区科学技术局行政编制数3名，实有1人，核减3名后将超编"
                        "（FAILED_PRECONDITION）"));
  CtlRun english = Ctl({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "3"});
  EXPECT_THAT(english.err, HasSubstr("FAILED_PRECONDITION: agency-kjj (区科学技术局) 行政编制: "
                                     "quota 3, in post 1, withdrawing 3 would leave 0 (超编)"));
}

TEST_F(ChineseOutputTest, TablesHaveChineseHeaders) {
  SetUpDistrict();
  CtlRun staffing = Zh({"staffing", "--jurisdiction", "西区"});
  ASSERT_EQ(staffing.code, 0) << staffing.err;
  EXPECT_THAT(staffing.out,
              HasSubstr("机构编号  机构名称          编制类别  编制数  实有  预留  空编  超编"));
  CtlRun tree = Zh({"tree", "--as-of", "2019-03-01"});
  ASSERT_EQ(tree.code, 0) << tree.err;
  EXPECT_THAT(tree.out, HasSubstr("截至 2019-03-01（日志位置 "));
  EXPECT_THAT(tree.out, HasSubstr("机构编号  机构名称"));
  CtlRun check = Zh({"check", "西区"});
  EXPECT_THAT(check.out, HasSubstr("编制类别  编制数  实有  空编  超编"));
  EXPECT_THAT(check.out, HasSubstr("四清两对应：无违规"));
}

TEST_F(ChineseOutputTest, OptionsGoBeforeOrAfterTheSubcommand) {
  SetUpDistrict();
  // Global options after the subcommand: --json, and a change's --basis and --effective-date.
  CtlRun json = Zh({"staffing", "--agency", "kjj", "--json"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"agency_id\": \"kjj\""));
  CtlRun after = Zh({"quota", "grant", "kjj", "--category", "行政编制", "--count", "1", "--basis",
                     "西委编〔2019〕3号", "--effective-date", "2019-04-01"});
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("  生效日期：2019-04-01\n  依据：西委编〔2019〕3号\n"));
  // A change's help lists its document options, in Chinese.
  CtlRun help = Zh({"person", "register", "--help"});
  EXPECT_THAT(help.out, HasSubstr("--basis"));
  EXPECT_THAT(help.out, HasSubstr("--effective-date"));
  EXPECT_THAT(help.out, HasSubstr("改动依据"));
  EXPECT_THAT(help.out, HasSubstr("增员原因"));
  // A query's does not.
  EXPECT_THAT(Zh({"tree", "--help"}).out, Not(HasSubstr("--basis")));
}

TEST_F(ChineseOutputTest, EventsShowTheirLabelsAndDecodedPayloads) {
  SetUpDistrict();
  CtlRun events = Zh({"events", "--type", "QuotaGranted", "--limit", "1"});
  ASSERT_EQ(events.code, 0) << events.err;
  EXPECT_THAT(events.out, HasSubstr("核增编制"));
  CtlRun json = Zh({"--json", "events", "--type", "QuotaGranted", "--limit", "1"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"payload\":{\"agency_id\":"));
  EXPECT_THAT(json.out, HasSubstr("\"category\":\"ADMINISTRATIVE\""));
  EXPECT_THAT(json.out, Not(HasSubstr("\"data\":")));
}

TEST_F(ChineseOutputTest, WhoAmISaysTheRolesByTheirNames) {
  const CtlRun me = Zh({"whoami"});
  ASSERT_EQ(me.code, 0) << me.err;
  EXPECT_THAT(me.out, HasSubstr("角色：系统管理员（admin）\n"));
  EXPECT_THAT(me.out, HasSubstr("权限："));
}

}  // namespace
}  // namespace reformlog::testing
