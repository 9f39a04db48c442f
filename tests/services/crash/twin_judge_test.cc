// JudgeRefusalBesideCommit (twin_judge.h) on logs written by hand: a twin's refusal beside its
// other copy's commit is allowed only when the state it reports stood before that commit.
#include "tests/services/crash/twin_judge.h"

#include <string>

#include "gmock/gmock.h"
#include "grpcpp/support/status.h"
#include "gtest/gtest.h"
#include "tests/services/crash/hand_log.h"
#include "tests/services/crash/oracle.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {
namespace {

constexpr auto kRefused = grpc::StatusCode::FAILED_PRECONDITION;

// The refusal of one copy, judged beside the other copy's commit; "" when it is allowed.
std::string Judge(const LogOracle& oracle, const Request& r, grpc::StatusCode code,
                  const std::string& message, uint64_t first, uint64_t last) {
  return std::string(JudgeRefusalBesideCommit(oracle, r, code, message, first, last).message());
}

TEST(ReformdCrashTwinTest, ARefusalBesideItsTwinsRegistrationMustReportAStateFromBeforeIt) {
  LogOracle oracle(kPrincipal);
  HandLog log(oracle);
  log.Establish("a");                               // 1-2: with its name
  log.Grant("a", 1);                                // 3: quota 1, in post 0
  log.Register("p1", "a");                          // 4-5: quota 1, in post 1
  log.Grant("a", 1);                                // 6: quota 2, in post 1 (a top-up)
  const Request twin = log.Register("p2", "a");     // 7-8: quota 2, in post 2
  const Request departure = log.Depart("p1", "a");  // 9-10
  ASSERT_TRUE(log.End().ok()) << log.End();
  const std::string full = "agency-a (攀枝花市西区档案馆) 事业编制: quota ";

  // Refused while the agency was full, before the top-up let the other copy through.
  EXPECT_EQ(
      Judge(oracle, twin, kRefused, full + "1, in post 1, requested +1 (no vacancy: 超编)", 7, 8),
      "");
  // Full only with the twin's own registration.
  EXPECT_EQ(
      Judge(oracle, twin, kRefused, full + "2, in post 2, requested +1 (no vacancy: 超编)", 7, 8),
      "refused as 超编 at agency-a PUBLIC_SERVICE, quota 2, in post 2, which never stood in "
      "the log before position 7 (at 6: quota 2, in post 1); its twin recorded the request "
      "at 7-8");
  EXPECT_THAT(
      Judge(oracle, twin, kRefused, full + "2, in post 1, requested +1 (no vacancy: 超编)", 7, 8),
      ::testing::HasSubstr("which leaves a vacancy"));
  EXPECT_EQ(Judge(oracle, twin, kRefused, "person-p2 is already registered", 7, 8),
            "refused as already registered, but the log registers p2 first at position 7; its "
            "twin recorded the request at 7-8");
  EXPECT_THAT(Judge(oracle, twin, kRefused,
                    full + "1, in post 1, requested +1 (no vacancy: 超编); person-p2 is already "
                           "registered",
                    7, 8),
              ::testing::HasSubstr("refused as already registered"))
      << "every problem a refusal lists must have stood before the twin's commit";
  EXPECT_EQ(Judge(oracle, twin, grpc::StatusCode::ALREADY_EXISTS,
                  "request id register-5 was already used for a different request (recorded at "
                  "position 7)",
                  7, 8),
            "refused as if its own request id held other content; its twin recorded the "
            "request at 7-8");
  EXPECT_EQ(Judge(oracle, twin, grpc::StatusCode::ABORTED, "gave up after 8 attempts", 7, 8), "");
  EXPECT_THAT(Judge(oracle, twin, kRefused, "agency-a (攀枝花市西区档案馆) is revoked", 7, 8),
              ::testing::HasSubstr("which this test cannot check against the log"));

  EXPECT_EQ(Judge(oracle, departure, grpc::StatusCode::NOT_FOUND, "no person p1", 9, 10), "");
  EXPECT_EQ(Judge(oracle, departure, kRefused, "person-p1 (人员p1) has departed", 9, 10),
            "refused as departed, but the log has p1 depart first at position 9; its twin "
            "recorded the request at 9-10");
}

TEST(ReformdCrashTwinTest, ARefusalForLackOfFundsBesideItsTwinsPaymentMustPredateIt) {
  LogOracle oracle(kPrincipal);
  HandLog log(oracle);
  log.Establish("a");                                    // 1-2: with its name
  log.Appropriate("a", 50);                              // 3: available 50 fen
  log.Appropriate("a", 50);                              // 4: available 100 fen (a top-up)
  const Request twin = log.Disburse("a", "d-twin", 80);  // 5: available 20 fen
  ASSERT_TRUE(log.End().ok()) << log.End();
  const std::string line = "budget-a-2020 一般公共预算 2013601/30101 基本支出: available ";

  EXPECT_EQ(Judge(oracle, twin, kRefused, line + "0.50 元, requested 0.80 元", 5, 5), "");
  EXPECT_EQ(Judge(oracle, twin, kRefused, line + "0.20 元, requested 0.80 元", 5, 5),
            "refused for lack of funds at budget-a-2020 line " + LineKey(Line(0)) +
                ", available 20 fen, which never stood in the log before position 5 (at 4: 100 "
                "fen); its twin recorded the request at 5-5");
  EXPECT_THAT(Judge(oracle, twin, kRefused, line + "1.00 元, requested 0.80 元", 5, 5),
              ::testing::HasSubstr("available 100 fen, requested 80 fen"));
  EXPECT_EQ(Judge(oracle, twin, grpc::StatusCode::ALREADY_EXISTS,
                  "budget-a-2020: disbursement d-twin is already recorded", 5, 5),
            "refused as already recorded, but the log records disbursement d-twin first at "
            "position 5; its twin recorded the request at 5-5");
}

}  // namespace
}  // namespace reformlog::services::crash
