// reformd_crash_test's oracle (oracle.h) on logs written by hand: each check fires on a log
// that breaks it, and names the position, the stream and the request.
#include "tests/services/crash/oracle.h"

#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/crash/hand_log.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {
namespace {

// An agency with a quota of one, and two people registered into it: the second commit
// breaks the quota, and the oracle says where.
TEST(ReformdCrashOracleTest, PeopleOverQuotaAtAnyPrefixNameThePositionStreamAndRequest) {
  LogOracle oracle(kPrincipal);
  LogBuilder log(oracle);
  const pb::AgencyEstablished established = Established("a");
  const pb::AgencyNameClaimed claimed = NameClaimed("a");
  ASSERT_TRUE(
      log.Commit(Establish("a"), {{"agency-a", &established}, {NameStreamOf(), &claimed}}).ok());
  api::ChangeQuotaRequest grant;
  *grant.mutable_header() = Header("grant", 2, 1, 3);
  grant.set_agency_id("a");
  grant.set_category(pb::PUBLIC_SERVICE);
  grant.set_count(1);
  pb::QuotaGranted granted;
  granted.set_agency_id("a");
  granted.set_category(pb::PUBLIC_SERVICE);
  granted.set_count(1);
  ASSERT_TRUE(log.Commit(Pack(Op::kGrantQuota, grant), {{"agency-a", &granted}}).ok());
  absl::Status last;
  for (const std::string person : {"p1", "p2"}) {
    api::RegisterPersonRequest r;
    *r.mutable_header() = Header("register-" + person, 3, 1, 4);
    r.mutable_person()->set_person_id(person);
    r.mutable_person()->set_name("人员" + person);
    r.mutable_person()->set_agency_id("a");
    r.mutable_person()->set_category(pb::PUBLIC_SERVICE);
    r.mutable_person()->set_entry_reason(pb::OPEN_RECRUITMENT);
    pb::PersonRegistered registered;
    registered.set_person_id(person);
    registered.set_name("人员" + person);
    registered.set_agency_id("a");
    registered.set_category(pb::PUBLIC_SERVICE);
    pb::RosterChanged roster;
    roster.set_agency_id("a");
    roster.add_joined()->set_person_id(person);
    roster.mutable_joined(0)->set_category(pb::PUBLIC_SERVICE);
    last = log.Commit(Pack(Op::kRegister, r),
                      {{"person-" + person, &registered}, {"agency-a", &roster}});
    if (person == "p1") {
      ASSERT_TRUE(last.ok()) << last;
    }
  }
  ASSERT_TRUE(last.ok()) << "the break shows once the commit is read whole";
  last = log.End();
  EXPECT_EQ(last.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(last.message()),
              ::testing::AllOf(::testing::HasSubstr("at position 7"),
                               ::testing::HasSubstr("stream agency-a"),
                               ::testing::HasSubstr("request register-p2"),
                               ::testing::HasSubstr("in post 2 > quota 1 (超编)")));
}

TEST(ReformdCrashOracleTest, ALineOverdrawnAtAnyPrefixIsNamed) {
  LogOracle oracle(kPrincipal);
  LogBuilder log(oracle);
  const pb::AgencyEstablished established = Established("a");
  const pb::AgencyNameClaimed claimed = NameClaimed("a");
  ASSERT_TRUE(
      log.Commit(Establish("a"), {{"agency-a", &established}, {NameStreamOf(), &claimed}}).ok());
  api::AppropriateRequest give;
  *give.mutable_header() = Header("appropriate", 2, 1, 3);
  give.set_agency_id("a");
  give.set_fiscal_year(kFiscalYear);
  *give.mutable_line() = Line(0);
  give.set_amount_fen(100);
  pb::BudgetAppropriated given;
  given.set_agency_id("a");
  given.set_fiscal_year(kFiscalYear);
  *given.mutable_line() = Line(0);
  given.set_amount_fen(100);
  ASSERT_TRUE(log.Commit(Pack(Op::kAppropriate, give), {{BudgetStreamOf("a"), &given}}).ok());
  absl::Status status;
  for (const int64_t amount : {80, 30}) {
    api::DisburseRequest pay;
    *pay.mutable_header() = Header(absl::StrCat("pay-", amount), 3, 2, 1);
    pay.set_agency_id("a");
    pay.set_fiscal_year(kFiscalYear);
    *pay.mutable_line() = Line(0);
    pay.set_amount_fen(amount);
    pay.set_disbursement_id(absl::StrCat("d", amount));
    pay.set_date("2020-02-01");
    pb::FundsDisbursed paid;
    paid.set_agency_id("a");
    paid.set_fiscal_year(kFiscalYear);
    *paid.mutable_line() = Line(0);
    paid.set_amount_fen(amount);
    paid.set_disbursement_id(absl::StrCat("d", amount));
    paid.set_date("2020-02-01");
    status = log.Commit(Pack(Op::kDisburse, pay), {{BudgetStreamOf("a"), &paid}});
    if (status.ok()) status = log.End();
  }
  EXPECT_THAT(std::string(status.message()),
              ::testing::AllOf(::testing::HasSubstr("at position 5"),
                               ::testing::HasSubstr("stream budget-a-2020"),
                               ::testing::HasSubstr("request pay-30"),
                               ::testing::HasSubstr("disbursed 110 fen of 100 appropriated")));
}

TEST(ReformdCrashOracleTest, GapsRepeatsAndStrangersInTheLogAreNamed) {
  const pb::AgencyEstablished a = Established("a");
  const pb::AgencyEstablished b = Established("b");
  const pb::AgencyNameClaimed a_name = NameClaimed("a");
  const pb::AgencyNameClaimed b_name = NameClaimed("b");
  {
    LogOracle oracle(kPrincipal);
    LogBuilder log(oracle);
    ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &a}, {NameStreamOf(), &a_name}}).ok());
    log.SkipPosition();
    EXPECT_THAT(
        std::string(
            log.Commit(Establish("b"), {{"agency-b", &b}, {NameStreamOf(), &b_name}}).message()),
        ::testing::HasSubstr("expected position 3, read 4"));
  }
  {
    LogOracle oracle(kPrincipal);
    LogBuilder log(oracle);
    ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &a}, {NameStreamOf(), &a_name}}).ok());
    ASSERT_TRUE(log.Commit(Establish("b"), {{"agency-b", &b}, {NameStreamOf(), &b_name}}).ok());
    Request again = Establish("a");
    again.id = "establish-a";
    ASSERT_TRUE(log.Commit(again, {{"agency-x", &a}}).ok());
    EXPECT_THAT(std::string(log.End().message()),
                ::testing::HasSubstr("commit establish-a at positions 5-5: the request is in "
                                     "the log a second time (first at 1)"));
  }
  {
    LogOracle oracle(kPrincipal);
    LogBuilder log(oracle);
    ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &a}, {NameStreamOf(), &a_name}}).ok());
    oracle.Refused("establish-b", Op::kEstablish, 9);
    ASSERT_TRUE(log.Commit(Establish("b"), {{"agency-b", &b}, {NameStreamOf(), &b_name}}).ok());
    EXPECT_THAT(std::string(log.End().message()),
                ::testing::HasSubstr("commit establish-b at positions 3-4: the request "
                                     "(EstablishAgency) was refused with code 9, yet here it "
                                     "is"));
  }
}

TEST(ReformdCrashOracleTest, AHistoryTellsWhatStoodAtEachPrefix) {
  History<int64_t> h;
  h.Set(3, 5);
  h.Set(7, 2);
  h.Set(9, 5);
  EXPECT_EQ(h.At(0), 0);
  EXPECT_EQ(h.At(2), 0);
  EXPECT_EQ(h.At(3), 5);
  EXPECT_EQ(h.At(8), 2);
  EXPECT_EQ(h.At(100), 5);
  EXPECT_EQ(h.LastPrefixBefore(9, 5), 6u);
  EXPECT_EQ(h.LastPrefixBefore(5, 5), 4u);
  EXPECT_EQ(h.LastPrefixBefore(3, 5), std::nullopt) << "5 first stands at prefix 3";
  EXPECT_EQ(h.LastPrefixBefore(10, 2), 8u);
  EXPECT_EQ(h.LastPrefixBefore(7, 2), std::nullopt);
  EXPECT_EQ(h.LastPrefixBefore(100, 0), 2u);
  EXPECT_EQ(h.LastPrefixBefore(0, 0), std::nullopt) << "no prefix ends before position 0";
}

}  // namespace
}  // namespace reformlog::services::crash
