// Late entries (补录) through the real command path: a command taking effect before changes
// already recorded is decided on the state of its own date and accepted only if every later
// date stays valid (services/domain/timeline.h). Randomized histories are checked against a
// brute-force replay that applies every command in effective-date order and checks the
// invariants at the end of every date.
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/reform_commands.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "services/commands/command_runner.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/reform_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::services {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;
using ::testing::HasSubstr;

constexpr char kAgency[] = "dag";
constexpr char kFounded[] = "2019-01-01";

// Runs commands through a CommandRunner, each with its effective date.
class Recorder {
 public:
  Recorder(eventstore::EventStore& store, const Clock& clock, std::string name = "late")
      : runner_(store, clock), name_(std::move(name)) {}

  template <typename Request>
  absl::StatusOr<api::CommandResult> Run(
      absl::StatusOr<domain::Decision> (*decide)(domain::StateView&, const Request&),
      Request request, const std::string& date) {
    api::CommandHeader* h = request.mutable_header();
    h->set_request_id(absl::StrCat(name_, "-", ++requests_));
    h->mutable_basis()->set_number("西编委〔2020〕1号");
    h->set_effective_date(date);
    return runner_.Run("test-operator", request, *h,
                       [&](domain::StateView& view) { return decide(view, request); });
  }

 private:
  CommandRunner runner_;
  std::string name_;
  int requests_ = 0;
};

api::ChangeQuotaRequest Quota(int count) {
  return testing::requests::ChangeQuota(kAgency, pb::ADMINISTRATIVE, count);
}

api::RegisterPersonRequest Register(const std::string& person) {
  return testing::requests::RegisterPerson(person, absl::StrCat("人员", person), kAgency,
                                           pb::ADMINISTRATIVE, "科员");
}

api::RecordDepartureRequest Depart(const std::string& person) {
  api::RecordDepartureRequest r;
  r.set_person_id(person);
  r.set_reason(pb::RETIRED);
  return r;
}

api::RenameAgencyRequest Rename(const std::string& name) {
  api::RenameAgencyRequest r;
  r.set_agency_id(kAgency);
  r.set_new_name(name);
  return r;
}

api::AbolishAgencyRequest Abolish() {
  api::AbolishAgencyRequest r;
  r.set_agency_id(kAgency);
  r.set_reason("职能划出");
  return r;
}

class LateEntryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(
        recorder_
            .Run(domain::DecideEstablishAgency,
                 testing::requests::EstablishAgency(kAgency, "区档案局", pb::GOVERNMENT_DEPARTMENT),
                 kFounded)
            .ok());
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  Recorder recorder_{store_, clock_};
};

// The case: a unit abolished on 2020-08-01, and changes effective 2020-07-01 recorded
// after the abolition.
TEST_F(LateEntryTest, AChangeBeforeAnAbolitionIsAcceptedIfEveryLaterDateStaysValid) {
  ASSERT_TRUE(recorder_.Run(domain::DecideGrantQuota, Quota(3), "2020-01-01").ok());
  ASSERT_TRUE(recorder_.Run(domain::DecideWithdrawQuota, Quota(3), "2020-07-31").ok());
  ASSERT_TRUE(recorder_.Run(domain::DecideAbolishAgency, Abolish(), "2020-08-01").ok());

  // A rename on 2020-07-01: consistent then, and nothing later depends on the name.
  EXPECT_TRUE(recorder_.Run(domain::DecideRenameAgency, Rename("区档案馆"), "2020-07-01").ok());
  // A registration on 2020-07-01: a vacancy then, but the person would still be in post
  // when the quota goes on 2020-07-31 — refused, naming that date.
  absl::StatusOr<api::CommandResult> refused =
      recorder_.Run(domain::DecideRegisterPerson, Register("p1"), "2020-07-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("late entry"));
  EXPECT_THAT(refused.status().message(), HasSubstr("on 2020-07-31"));
  EXPECT_THAT(refused.status().message(), HasSubstr("超编"));
  // A grant on 2020-06-01 would leave the abolished unit holding quota on 2020-08-01.
  refused = recorder_.Run(domain::DecideGrantQuota, Quota(1), "2020-06-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("on 2020-08-01"));
  EXPECT_THAT(refused.status().message(), HasSubstr("ceased (abolished) yet holding 0 people, 1"));
  // Nothing on or after the abolition.
  refused = recorder_.Run(domain::DecideRenameAgency, Rename("区档案中心"), "2020-08-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("has ceased"));
  // Nothing before the agency exists.
  refused = recorder_.Run(domain::DecideRenameAgency, Rename("区档案中心"), "2018-12-31");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("is established on 2019-01-01"));
}

TEST_F(LateEntryTest, ALateEntryIsJudgedOnItsDateAndOnEveryLaterOne) {
  ASSERT_TRUE(recorder_.Run(domain::DecideGrantQuota, Quota(1), "2020-01-01").ok());
  // p1 in post from 2020-03-01 to 2020-06-30; the post withdrawn on 2020-09-01.
  ASSERT_TRUE(recorder_.Run(domain::DecideRegisterPerson, Register("p1"), "2020-03-01").ok());
  ASSERT_TRUE(recorder_.Run(domain::DecideRecordDeparture, Depart("p1"), "2020-06-30").ok());
  ASSERT_TRUE(recorder_.Run(domain::DecideWithdrawQuota, Quota(1), "2020-09-01").ok());
  // On 2020-04-01 the one post is p1's: no vacancy on the entry's own date.
  absl::StatusOr<api::CommandResult> refused =
      recorder_.Run(domain::DecideRegisterPerson, Register("p2"), "2020-04-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("超编"));
  // On 2020-07-01 the post is free, but p2 would still be in post when it goes.
  refused = recorder_.Run(domain::DecideRegisterPerson, Register("p2"), "2020-07-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("on 2020-09-01"));
  // A departure dated before the registration.
  refused = recorder_.Run(domain::DecideRecordDeparture, Depart("p1"), "2020-02-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("is registered on 2020-03-01"));
  // A second post granted from 2020-02-01 (a late entry every later date takes) leaves one
  // after the withdrawal: now p2 from 2020-07-01 fits.
  ASSERT_TRUE(recorder_.Run(domain::DecideGrantQuota, Quota(1), "2020-02-01").ok());
  EXPECT_TRUE(recorder_.Run(domain::DecideRegisterPerson, Register("p2"), "2020-07-01").ok());
  // The state the next command meets is the latest one: one post, p2 in it.
  refused = recorder_.Run(domain::DecideRegisterPerson, Register("p3"), "2020-12-01");
  EXPECT_THAT(refused.status().message(), HasSubstr("quota 1, in post 1"));
}

// The register of names is judged on every date too: an agency founded earlier under a name
// another agency takes later is refused, naming the date the two would carry it at once.
TEST_F(LateEntryTest, ANameTakenLaterCannotBeGivenEarlierToAnother) {
  ASSERT_TRUE(recorder_.Run(domain::DecideRenameAgency, Rename("区档案馆"), "2020-03-01").ok());
  absl::StatusOr<api::CommandResult> refused = recorder_.Run(
      domain::DecideEstablishAgency,
      testing::requests::EstablishAgency("dag2", "区档案馆", pb::PUBLIC_INSTITUTION), "2020-01-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("late entry"));
  EXPECT_THAT(refused.status().message(), HasSubstr("on 2020-03-01"));
  EXPECT_THAT(refused.status().message(),
              HasSubstr("the name \"区档案馆\" carried by agency-dag and agency-dag2 at once"));
  // The name the agency gave up on 2020-03-01 is free from then on, not before.
  refused = recorder_.Run(
      domain::DecideEstablishAgency,
      testing::requests::EstablishAgency("dag3", "区档案局", pb::GOVERNMENT_DEPARTMENT),
      "2020-02-01");
  EXPECT_THAT(refused.status().message(), HasSubstr("agency-dag already carries the name"));
  EXPECT_TRUE(
      recorder_
          .Run(domain::DecideEstablishAgency,
               testing::requests::EstablishAgency("dag3", "区档案局", pb::GOVERNMENT_DEPARTMENT),
               "2020-03-01")
          .ok());
}

// A lock (锁定) is about the record as it stands: a change dated before the lock is still a
// change to a locked record, and needs the locking plan.
TEST_F(LateEntryTest, BackDatingDoesNotGetPastALock) {
  ASSERT_TRUE(recorder_.Run(domain::DecideGrantQuota, Quota(2), "2020-01-01").ok());
  api::DraftPlanRequest plan;
  plan.set_plan_id("xq-2020");
  plan.set_title("西区2020年事业单位改革方案");
  plan.set_jurisdiction("西区");
  ASSERT_TRUE(recorder_.Run(domain::DecideDraftPlan, plan, "2020-05-01").ok());
  api::LockRecordsRequest lock;
  lock.add_agency_ids(kAgency);
  lock.mutable_header()->set_plan_id("xq-2020");
  ASSERT_TRUE(recorder_.Run(domain::DecideLockRecords, lock, "2020-06-01").ok());
  absl::StatusOr<api::CommandResult> refused =
      recorder_.Run(domain::DecideRenameAgency, Rename("区档案馆"), "2020-03-01");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("is locked by plan xq-2020"));
  // Under the plan the late entry is made.
  api::RenameAgencyRequest under_plan = Rename("区档案馆");
  under_plan.mutable_header()->set_plan_id("xq-2020");
  EXPECT_TRUE(recorder_.Run(domain::DecideRenameAgency, under_plan, "2020-03-01").ok());
  // An unlock back-dated before the lock would leave the record locked after all: refused.
  refused = recorder_.Run(domain::DecideUnlockRecords, lock, "2020-05-31");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("last locked or unlocked with effect from 2020-06-01"));
  ASSERT_TRUE(recorder_.Run(domain::DecideUnlockRecords, lock, "2020-07-01").ok());
  EXPECT_TRUE(recorder_.Run(domain::DecideRenameAgency, Rename("区档案中心"), "2020-03-02").ok());
}

// The brute-force oracle: the whole history in effective-date order (a command recorded later
// comes after those of its date recorded earlier), with the invariants checked at the end of
// every date.
struct Op {
  enum Kind { kGrant, kWithdraw, kRegister, kDepart, kRename, kAbolish } kind;
  std::string date;
  int count = 0;
  std::string person;
};

bool HistoryValid(std::vector<Op> ops) {
  std::stable_sort(ops.begin(), ops.end(),
                   [](const Op& a, const Op& b) { return a.date < b.date; });
  bool ceased = false;
  int64_t quota = 0;
  int stray = 0;
  std::set<std::string> roster;
  std::set<std::string> registered;
  auto valid = [&] {
    return stray == 0 && quota >= 0 && static_cast<int64_t>(roster.size()) <= quota &&
           (!ceased || (roster.empty() && quota == 0));
  };
  for (size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    const bool active = op.date >= kFounded && !ceased;
    if (!active) ++stray;
    switch (op.kind) {
      case Op::kGrant:
        quota += op.count;
        break;
      case Op::kWithdraw:
        quota -= op.count;
        break;
      case Op::kRegister:
        if (!registered.insert(op.person).second) ++stray;
        roster.insert(op.person);
        break;
      case Op::kDepart:
        if (roster.erase(op.person) == 0) ++stray;
        break;
      case Op::kRename:
        break;
      case Op::kAbolish:
        ceased = true;
        break;
    }
    const bool date_ends = i + 1 == ops.size() || ops[i + 1].date != op.date;
    if (date_ends && !valid()) return false;
  }
  return true;
}

TEST(LateEntryRandomTest, AcceptsExactlyWhatABruteForceReplayFindsValid) {
  const std::vector<std::string> dates = {"2018-12-01", "2019-03-01", "2019-06-01",
                                          "2019-09-01", "2019-12-01", "2020-03-01",
                                          "2020-06-01", "2020-09-01", "2020-12-01"};
  int accepted_late = 0;
  int refused = 0;
  for (const unsigned seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
    testing::FakeClock clock;
    eventstore::InMemoryEventStore store{clock};
    // Two runners on one store: each its own state cache, so states go stale behind one
    // runner's back and are read again, and late entries are replayed from both.
    Recorder a(store, clock, "a");
    Recorder b(store, clock, "b");
    ASSERT_TRUE(
        a.Run(domain::DecideEstablishAgency,
              testing::requests::EstablishAgency(kAgency, "区档案局", pb::GOVERNMENT_DEPARTMENT),
              kFounded)
            .ok());
    std::mt19937 rng(seed);
    auto pick = [&](int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); };
    std::vector<Op> history;
    std::string latest = kFounded;
    for (int i = 0; i < 150; ++i) {
      Op op;
      op.date = dates[static_cast<size_t>(pick(static_cast<int>(dates.size())))];
      const int roll = pick(100);
      op.kind = roll < 30   ? Op::kGrant
                : roll < 45 ? Op::kWithdraw
                : roll < 70 ? Op::kRegister
                : roll < 85 ? Op::kDepart
                : roll < 97 ? Op::kRename
                            : Op::kAbolish;
      op.count = 1 + pick(3);
      op.person = absl::StrCat("p", pick(8));
      Recorder& runner = pick(2) == 0 ? a : b;
      absl::StatusOr<api::CommandResult> result;
      switch (op.kind) {
        case Op::kGrant:
          result = runner.Run(domain::DecideGrantQuota, Quota(op.count), op.date);
          break;
        case Op::kWithdraw:
          result = runner.Run(domain::DecideWithdrawQuota, Quota(op.count), op.date);
          break;
        case Op::kRegister:
          result = runner.Run(domain::DecideRegisterPerson, Register(op.person), op.date);
          break;
        case Op::kDepart:
          result = runner.Run(domain::DecideRecordDeparture, Depart(op.person), op.date);
          break;
        case Op::kRename:
          result = runner.Run(domain::DecideRenameAgency, Rename(absl::StrCat("名称", i)), op.date);
          break;
        case Op::kAbolish:
          result = runner.Run(domain::DecideAbolishAgency, Abolish(), op.date);
          break;
      }
      std::vector<Op> with = history;
      with.push_back(op);
      const bool expected = HistoryValid(with);
      ASSERT_TRUE(result.ok() || result.status().code() == absl::StatusCode::kFailedPrecondition ||
                  result.status().code() == absl::StatusCode::kNotFound)
          << result.status();
      ASSERT_EQ(result.ok(), expected)
          << "seed " << seed << " command " << i << " (kind " << op.kind << ", " << op.date << ", "
          << op.person << " count " << op.count << "): " << result.status();
      if (result.ok()) {
        if (op.date < latest) ++accepted_late;
        latest = std::max(latest, op.date);
        history.push_back(op);
      } else {
        ++refused;
      }
    }
  }
  // Both answers were exercised.
  EXPECT_GT(accepted_late, 50);
  EXPECT_GT(refused, 50);
}

}  // namespace
}  // namespace reformlog::services
