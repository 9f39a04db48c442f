// reformctl events and status (clients/reformctl/feed_cli.cc) after a change of every
// context: the log lists each event with its type and payload.
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ReformctlTest, EveryContextsChangesAndTheEventLog) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "town", "--name", "格里坪镇", "--kind", "乡镇",
               "--rank", "正科级"});
  MustSucceed({"power", "catalog", "--code", "QR-1", "--name", "确认事项", "--category", "行政确认",
               "--holder", "jxj"});
  MustSucceed({"power", "delegate", "--codes", "QR-1", "--from", "jxj", "--to", "town", "--mode",
               "委托下放"});
  MustSucceed({"power", "return", "--codes", "QR-1"});
  MustSucceed({"budget", "appropriate", "--agency", "jxj", "--year", "2019", "--fund",
               "一般公共预算", "--function", "2013601", "--economic", "30201", "--amount",
               "1000.50"});
  MustSucceed({"budget",     "disburse", "--agency",     "jxj",        "--year",
               "2019",       "--fund",   "一般公共预算", "--function", "2013601",
               "--economic", "30201",    "--amount",     "1000.50",    "--voucher",
               "v1",         "--date",   "2019-06-30",   "--purpose",  "办公费"});
  CtlRun overspent = Ctl({"budget",     "disburse", "--agency",     "jxj",        "--year",
                          "2019",       "--fund",   "一般公共预算", "--function", "2013601",
                          "--economic", "30201",    "--amount",     "0.01",       "--voucher",
                          "v2",         "--date",   "2019-06-30",   "--purpose",  "办公费"});
  EXPECT_EQ(overspent.code, 1);
  EXPECT_THAT(overspent.err, HasSubstr("available 0.00 元"));
  CtlRun bad_amount =
      Ctl({"budget", "appropriate", "--agency", "jxj", "--year", "2019", "--fund", "一般公共预算",
           "--function", "2013601", "--economic", "30201", "--amount", "1.005"});
  EXPECT_EQ(bad_amount.code, 2);
  MustSucceed({"plan", "draft", "--id", "xiqu-2019", "--title", "西区机构改革方案"});
  MustSucceed({"plan", "task", "add", "--plan", "xiqu-2019", "--id", "t1", "--agency", "jxj",
               "--kind", "三定印发", "--due", "2019-06-30"});
  MustSucceed({"agency", "mandate", "jxj", "--function", "工业运行监测", "--division",
               "office:办公室", "--quota", "行政编制=5", "--leader-posts", "正科级=1:局长"});
  MustSucceed(
      {"person", "appoint", "p1", "--agency", "jxj", "--rank", "正科级", "--title", "局长"});
  MustSucceed({"person", "depart", "p2", "--reason", "退休"});
  MustSucceed({"--plan", "xiqu-2019", "records", "lock", "--agencies", "jxj"});

  CtlRun events = Ctl({"events", "--type", "PowerDelegated"}, false);
  ASSERT_EQ(events.code, 0) << events.err;
  EXPECT_THAT(events.out, HasSubstr("power-QR-1  PowerDelegated"));
  EXPECT_THAT(events.out, HasSubstr("ENTRUSTED"));
  CtlRun status = Ctl({"status"}, false);
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("org"));
}

}  // namespace
}  // namespace reformlog::testing
