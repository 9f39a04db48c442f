// What every subcommand shares (clients/reformctl/cli.h), end to end against a real reformd:
// the exit codes (0 ok, 1 rejected, 2 bad usage, 3 unreachable) with their messages, --json
// as the protobuf JSON mapping, and --dry-run.
#include <cstdint>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/staffing_queries.pb.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;

TEST_F(ReformctlTest, JsonIsTheProtobufMapping) {
  SetUpDistrict();
  CtlRun json = Ctl({"--json", "tree", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"agency_id\": \"jxj\""));
  EXPECT_THAT(json.out, HasSubstr("\"kind\": \"GOVERNMENT_DEPARTMENT\""));
  CtlRun result =
      Ctl({"--json", "quota", "grant", "jxj", "--category", "行政编制", "--count", "1"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\"position\""));
}

TEST_F(ReformctlTest, ExitCodes) {
  SetUpDistrict();
  // 1: the server refuses (no vacancy), and says why.
  MustSucceed({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "2"});
  CtlRun full = Ctl({"person", "register", "--id", "p9", "--name", "王五", "--agency", "kjj",
                     "--category", "行政编制", "--reason", "考录"});
  EXPECT_EQ(full.code, 1);
  EXPECT_THAT(full.err, HasSubstr("行政编制: quota 1, in post 1, requested +1"));
  // 2: bad usage, nothing sent.
  CtlRun no_basis = Reformctl(dir_.path(), {"--server", server_->address(), "quota", "grant", "jxj",
                                            "--category", "行政编制", "--count", "1"});
  EXPECT_EQ(no_basis.code, 2);
  EXPECT_THAT(no_basis.err, HasSubstr("--basis"));
  CtlRun bad_enum = Ctl({"quota", "grant", "jxj", "--category", "大编制", "--count", "1"});
  EXPECT_EQ(bad_enum.code, 2);
  EXPECT_THAT(bad_enum.err, HasSubstr("行政编制"));
  CtlRun missing = Ctl({"agency", "establish", "--id", "x"});
  EXPECT_EQ(missing.code, 2);
  CtlRun unknown = Ctl({"no-such-command"}, false);
  EXPECT_EQ(unknown.code, 2);
  // 3: nobody listens there.
  CtlRun unreachable =
      Reformctl(dir_.path(), {"--server", "127.0.0.1:1", "--timeout", "1", "tree"});
  EXPECT_EQ(unreachable.code, 3);
  EXPECT_THAT(unreachable.err, HasSubstr("cannot reach reformd at 127.0.0.1:1"));
}

// --dry-run: the server decides the change and says what it would record; nothing is
// recorded, and a change that does not hold is refused just the same.
// 增减员统计 over a real reformd: registrations and departures of a year by reason.
TEST_F(ReformctlTest, StaffingCountsTheYearsIncreasesAndDecreasesByReason) {
  SetUpDistrict();  // p1 at jxj and p2 at kjj, 考录, effective 2019-03-01
  MustSucceed({"person", "depart", "p2", "--reason", "调出"}, "2019-09-01");
  CtlRun table = Ctl({"staffing", "--jurisdiction", "西区", "--changes-year", "2019"}, false);
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_THAT(table.out, HasSubstr("2019 增减员 (实名制): 增员 2, 减员 1"));
  EXPECT_THAT(table.out, HasSubstr("调出"));
  CtlRun json = Ctl({"--json", "staffing", "--agency", "kjj", "--changes-year", "2019"}, false);
  ASSERT_EQ(json.code, 0) << json.err;
  const auto figures = FromJson<api::v1::GetStaffingResponse>(json.out);
  ASSERT_EQ(figures.agencies_size(), 1);
  ASSERT_EQ(figures.agencies(0).changes_size(), 2) << json.out;
  EXPECT_EQ(figures.agencies(0).changes(0).kind(), "增员");
  EXPECT_EQ(figures.agencies(0).changes(0).reason(), "考录");
  EXPECT_EQ(figures.agencies(0).changes(1).kind(), "减员");
  EXPECT_EQ(figures.agencies(0).changes(1).reason(), "调出");
  // Another year has none.
  CtlRun other = Ctl({"staffing", "--agency", "kjj", "--changes-year", "2020"}, false);
  EXPECT_THAT(other.out, HasSubstr("2020 增减员 (实名制): 增员 0, 减员 0"));
}

TEST_F(ReformctlTest, DryRunSaysWhatWouldBeRecordedAndRecordsNothing) {
  SetUpDistrict();
  const uint64_t head = server_->store().HeadPosition();
  CtlRun ok = Ctl({"--dry-run", "person", "register", "--id", "p8", "--name", "赵六", "--agency",
                   "kjj", "--category", "行政编制", "--reason", "考录"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("dry run: the change holds and would record 2 events "
                                "(PersonRegistered, RosterChanged), effective 2019-03-01; "
                                "nothing was recorded"));
  EXPECT_EQ(server_->store().HeadPosition(), head);
  EXPECT_EQ(Ctl({"person", "show", "p8"}, false).code, 1);

  MustSucceed({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "2"});
  const uint64_t after = server_->store().HeadPosition();
  CtlRun refused = Ctl({"--dry-run", "person", "register", "--id", "p9", "--name", "王五",
                        "--agency", "kjj", "--category", "行政编制", "--reason", "考录"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("行政编制: quota 1, in post 1, requested +1"));
  EXPECT_EQ(server_->store().HeadPosition(), after);

  CtlRun json = Ctl(
      {"--json", "--dry-run", "quota", "grant", "kjj", "--category", "行政编制", "--count", "1"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"dry_run\": true"));
  EXPECT_EQ(server_->store().HeadPosition(), after);

  // An import is a dry run unless --commit: asking for both is a usage error.
  CtlRun both = Ctl({"--dry-run", "import", "roster", dir_.Sub("none.csv"), "--commit"});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("contradict"));
  EXPECT_EQ(server_->store().HeadPosition(), after);
}

}  // namespace
}  // namespace reformlog::testing
