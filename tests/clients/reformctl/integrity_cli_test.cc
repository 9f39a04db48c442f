// reformctl admin verify and admin checkpoint sign|list|check against a real reformd: what an
// administrator and an auditor run, and what they see when the log was rewritten.
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ReformctlTest, AnAuditorKeepsACheckpointAndChecksItLater) {
  SetUpDistrict();
  const std::string kept = dir_.Sub("kept.checkpoint");
  const std::string key = dir_.Sub("data") + "/keys/checkpoint.pub.pem";
  CtlRun sign = Ctl({"admin", "checkpoint", "sign", "--out", kept}, false);
  ASSERT_EQ(sign.code, 0) << sign.err;
  EXPECT_THAT(sign.out, HasSubstr("reformlog checkpoint v1\nlog main\n"));
  EXPECT_EQ(ReadFile(kept), sign.out);

  MustSucceed({"agency", "establish", "--id", "wjw", "--name", "区卫生健康局", "--kind", "政府部门",
               "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
              "2019-03-01");
  CtlRun check = Ctl({"admin", "checkpoint", "check", kept, "--public-key", key}, false);
  EXPECT_EQ(check.code, 0) << check.err;
  EXPECT_THAT(check.out, HasSubstr("检查点有效"));
  EXPECT_THAT(check.out, HasSubstr("只增未改"));

  CtlRun list = Ctl({"admin", "checkpoint", "list"}, false);
  EXPECT_EQ(list.code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("sm3/sm2"));

  CtlRun verify = Ctl({"admin", "verify", "--full"}, false);
  EXPECT_EQ(verify.code, 0) << verify.err;
  EXPECT_THAT(verify.out, HasSubstr("主日志 (main)：完整"));
  EXPECT_THAT(verify.out, HasSubstr("安全日志 (security)：完整"));

  // A kept checkpoint edited by hand is refused by its signature.
  std::string edited = ReadFile(kept);
  const size_t digit = edited.find("size ") + 5;
  edited[digit] = edited[digit] == '9' ? '8' : '9';
  const std::string forged = dir_.Sub("forged.checkpoint");
  {
    std::ofstream out(forged);
    out << edited;
  }
  CtlRun refused = Ctl({"admin", "checkpoint", "check", forged, "--public-key", key}, false);
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("检查点签名无效"));
  CtlRun missing = Ctl({"admin", "checkpoint", "check", dir_.Sub("nothing")}, false);
  EXPECT_EQ(missing.code, 2);
}

}  // namespace
}  // namespace reformlog::testing
