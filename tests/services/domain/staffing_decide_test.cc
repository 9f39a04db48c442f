// Decisions of the staffing context: registration into vacancies, transfers with and
// without quota, leader posts, departures and reform locks.
#include "services/domain/staffing_decide.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/reform_decide.h"
#include "services/domain/rules.h"
#include "tests/testing/fake_state_view.h"
#include "tests/testing/requests.h"

namespace reformlog::domain {
namespace {

using testing::EventsOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class StaffingDecideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT);
    Establish("zzb", "区委组织部", pb::PARTY_DEPARTMENT);
    Establish("centre", "区事业单位登记服务中心", pb::PUBLIC_INSTITUTION);
    Grant("bianban", pb::ADMINISTRATIVE, 2);
    Grant("zzb", pb::ADMINISTRATIVE, 5);
  }
  void Establish(const std::string& id, const std::string& name, pb::AgencyKind kind) {
    ASSERT_TRUE(view_.Record(DecideEstablishAgency(
        view_, testing::requests::EstablishAgency(id, name, kind, "", /*jurisdiction=*/""))));
  }
  void Grant(const std::string& agency, pb::QuotaCategory category, int count) {
    ASSERT_TRUE(view_.Record(
        DecideGrantQuota(view_, testing::requests::ChangeQuota(agency, category, count))));
  }
  static api::RegisterPersonRequest Person(const std::string& id, const std::string& agency,
                                           pb::QuotaCategory category = pb::ADMINISTRATIVE) {
    return testing::requests::RegisterPerson(id, "张" + id, agency, category, "科员");
  }
  void SetPosts(const std::string& agency, pb::Rank rank, int count) {
    api::IssueMandateRequest m;
    m.set_agency_id(agency);
    const AgencyState& state = **view_.Agency(agency);
    for (const auto& [category, quota] : state.quotas) {
      pb::QuotaCount* q = m.add_quotas();
      q->set_category(category);
      q->set_count(static_cast<int32_t>(quota));
    }
    pb::LeaderPostCount* p = m.add_leader_posts();
    p->set_rank(rank);
    p->set_count(count);
    p->set_title("副主任");
    ASSERT_TRUE(view_.Record(DecideIssueMandate(view_, m)));
  }
  const AgencyState& Agency(const std::string& id) { return **view_.Agency(id); }

  testing::FakeStateView view_;
};

TEST_F(StaffingDecideTest, RegistrationFillsAVacancyAndNoMore) {
  absl::StatusOr<Decision> d = DecideRegisterPerson(view_, Person("p1", "bianban"));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_THAT(EventsOf<pb::PersonRegistered>(*d), SizeIs(1));
  ASSERT_THAT(EventsOf<pb::RosterChanged>(*d), SizeIs(1));
  EXPECT_EQ(d->events()[1].stream_id, "agency-bianban");
  view_.Record(*d);
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p2", "bianban"))));
  EXPECT_EQ(Agency("bianban").InPost(pb::ADMINISTRATIVE), 2);

  d = DecideRegisterPerson(view_, Person("p3", "bianban"));
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(),
              HasSubstr("agency-bianban (区委编办) 行政编制: quota 2, in post 2, requested +1"));
  // Another category has no quota at all.
  d = DecideRegisterPerson(view_, Person("p4", "zzb", pb::SUPPORT_STAFF));
  EXPECT_THAT(d.status().message(), HasSubstr("工勤编制: quota 0, in post 0, requested +1"));
  // 事业编制 never in a 党政机关.
  d = DecideRegisterPerson(view_, Person("p5", "zzb", pb::PUBLIC_SERVICE));
  EXPECT_THAT(d.status().message(), HasSubstr("事业编制 is never used in a 党政机关"));
  // A person is registered once.
  d = DecideRegisterPerson(view_, Person("p1", "zzb"));
  EXPECT_THAT(d.status().message(), HasSubstr("person-p1 is already registered"));
}

TEST_F(StaffingDecideTest, MalformedRegistrationNamesTheField) {
  api::RegisterPersonRequest r = Person("p1", "bianban");
  r.mutable_person()->set_category(pb::QUOTA_CATEGORY_UNSPECIFIED);
  absl::StatusOr<Decision> d = DecideRegisterPerson(view_, r);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(), HasSubstr("person.category"));
  r = Person("", "bianban");
  EXPECT_THAT(DecideRegisterPerson(view_, r).status().message(),
              HasSubstr("person.person_id is empty"));
  r = Person("p1", "nowhere");
  EXPECT_EQ(DecideRegisterPerson(view_, r).status().code(), absl::StatusCode::kNotFound);
}

// 增员 and 减员 carry the reason 实名制 statistics count them by: required, recorded in the
// event, and a refusal lists the reasons there are.
TEST_F(StaffingDecideTest, RegistrationAndDepartureCarryTheirReason) {
  api::RegisterPersonRequest r = Person("p1", "bianban");
  r.mutable_person()->clear_entry_reason();
  absl::StatusOr<Decision> d = DecideRegisterPerson(view_, r);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(d.status().message(),
              HasSubstr("person.entry_reason is missing or unknown: say why the person comes "
                        "into post (首次登记 EXISTING_STAFF, 考录 CIVIL_SERVICE_EXAM, 调入 "
                        "TRANSFERRED_IN, 军转安置 MILITARY_RESETTLEMENT"));
  r.mutable_person()->set_entry_reason(static_cast<pb::EntryReason>(99));
  EXPECT_EQ(DecideRegisterPerson(view_, r).status().code(), absl::StatusCode::kInvalidArgument);
  r.mutable_person()->set_entry_reason(pb::MILITARY_RESETTLEMENT);
  d = DecideRegisterPerson(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EventsOf<pb::PersonRegistered>(*d)[0]->entry_reason(), pb::MILITARY_RESETTLEMENT);
  view_.Record(*d);

  api::RecordDepartureRequest departure;
  departure.set_person_id("p1");
  d = DecideRecordDeparture(view_, departure);
  EXPECT_THAT(d.status().message(), HasSubstr("reason is missing or unknown: say why the person "
                                              "leaves (退休 RETIRED, 辞职 RESIGNED"));
  EXPECT_THAT(d.status().message(), HasSubstr("调出 TRANSFERRED_OUT, 开除 EXPELLED)"));
  departure.set_reason(pb::TRANSFERRED_OUT);
  d = DecideRecordDeparture(view_, departure);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EventsOf<pb::PersonDeparted>(*d)[0]->reason(), pb::TRANSFERRED_OUT);
}

TEST_F(StaffingDecideTest, APersonIdShapedLikeAnIdCardNumberIsRefusedAndNotEchoed) {
  for (const char* id : {"51040219800101123X", "510402198001011234", "510402800101123"}) {
    SCOPED_TRACE(id);
    absl::StatusOr<Decision> d = DecideRegisterPerson(view_, Person(id, "bianban"));
    EXPECT_EQ(d.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(d.status().message(), HasSubstr("has the shape of a 居民身份证号码"));
    EXPECT_THAT(d.status().message(), ::testing::Not(HasSubstr(id)));
  }
  // Other ids of those lengths are pseudonymous numbers like any other.
  EXPECT_TRUE(DecideRegisterPerson(view_, Person("rs-0000000000012", "bianban")).ok());
  EXPECT_TRUE(DecideRegisterPerson(view_, Person("5104021980010112Y", "bianban")).ok());
}

TEST_F(StaffingDecideTest, BatchRegistrationIsAllOrNothingAndNamesEveryProblem) {
  api::RegisterPersonsRequest batch;
  for (const char* id : {"a", "b", "c"}) *batch.add_persons() = Person(id, "bianban").person();
  *batch.add_persons() = Person("d", "zzb").person();
  absl::StatusOr<Decision> d = DecideRegisterPersons(view_, batch);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("quota 2, in post 0, requested +3"));
  batch.mutable_persons(2)->set_agency_id("zzb");
  d = DecideRegisterPersons(view_, batch);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::PersonRegistered>(*d), SizeIs(4));
  EXPECT_THAT(EventsOf<pb::RosterChanged>(*d), SizeIs(2));  // one per agency
  *batch.add_persons() = batch.persons(0);
  EXPECT_THAT(DecideRegisterPersons(view_, batch).status().message(), HasSubstr("appears twice"));
}

TEST_F(StaffingDecideTest, TransferWithoutQuotaNeedsVacanciesWithQuotaFollowsIt) {
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p1", "zzb"))));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p2", "zzb"))));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p3", "zzb"))));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("b1", "bianban"))));
  api::TransferPersonsRequest t;
  t.set_from_agency_id("zzb");
  t.set_to_agency_id("bianban");
  t.add_person_ids("p1");
  t.add_person_ids("p2");
  absl::StatusOr<Decision> d = DecideTransferPersons(view_, t);
  EXPECT_THAT(d.status().message(), HasSubstr("quota 2, in post 1, requested +2"));
  // 编随事走: the quota comes too; never fewer quota than people.
  pb::QuotaCount* q = t.add_quotas();
  q->set_category(pb::ADMINISTRATIVE);
  q->set_count(1);
  d = DecideTransferPersons(view_, t);
  EXPECT_THAT(d.status().message(), HasSubstr("2 people transferred with a quota of 1"));
  q->set_count(2);
  d = DecideTransferPersons(view_, t);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::PersonTransferred>(*d), SizeIs(2));
  view_.Record(*d);
  EXPECT_EQ(Agency("bianban").Quota(pb::ADMINISTRATIVE), 4);
  EXPECT_EQ(Agency("bianban").InPost(pb::ADMINISTRATIVE), 3);
  EXPECT_EQ(Agency("zzb").Quota(pb::ADMINISTRATIVE), 3);
  EXPECT_EQ((*view_.Person("p2"))->agency_id, "bianban");
  // The source keeps no more people than its remaining quota.
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p4", "zzb"))));
  t.clear_person_ids();
  t.add_person_ids("p3");
  q->set_count(3);
  d = DecideTransferPersons(view_, t);
  EXPECT_THAT(d.status().message(), HasSubstr("agency-zzb (区委组织部) 行政编制: quota 3, "
                                              "transferring 3 leaves 0 for 1 people staying"));
  q->set_count(2);
  EXPECT_TRUE(DecideTransferPersons(view_, t).ok());
}

TEST_F(StaffingDecideTest, LeaderPostsAreNeverExceeded) {
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p1", "zzb"))));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p2", "zzb"))));
  SetPosts("zzb", pb::SECTION_DEPUTY, 1);
  api::AppointLeaderRequest a =
      testing::requests::AppointLeader("p1", "zzb", pb::SECTION_DEPUTY, "副部长");
  ASSERT_TRUE(view_.Record(DecideAppointLeader(view_, a)));
  EXPECT_EQ(Agency("zzb").LeadersAt(pb::SECTION_DEPUTY), 1);
  a.set_person_id("p2");
  absl::StatusOr<Decision> d = DecideAppointLeader(view_, a);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(),
              HasSubstr("副科级 leader posts: approved 1, appointed 1, requested +1 (超职数)"));
  a.set_agency_id("bianban");
  EXPECT_THAT(DecideAppointLeader(view_, a).status().message(),
              HasSubstr("is in post at agency-zzb"));

  api::RemoveLeaderRequest rm;
  rm.set_person_id("p1");
  rm.set_agency_id("zzb");
  ASSERT_TRUE(view_.Record(DecideRemoveLeader(view_, rm)));
  EXPECT_EQ(Agency("zzb").LeadersAt(pb::SECTION_DEPUTY), 0);
  EXPECT_THAT(DecideRemoveLeader(view_, rm).status().message(), HasSubstr("holds no leader post"));
}

TEST_F(StaffingDecideTest, DepartureFreesTheVacancy) {
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p1", "bianban"))));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p2", "bianban"))));
  api::RecordDepartureRequest r;
  r.set_person_id("p1");
  r.set_reason(pb::RETIRED);
  ASSERT_TRUE(view_.Record(DecideRecordDeparture(view_, r)));
  EXPECT_EQ(Agency("bianban").InPost(pb::ADMINISTRATIVE), 1);
  EXPECT_TRUE(view_.Record(DecideRegisterPerson(view_, Person("p3", "bianban"))));
  absl::StatusOr<Decision> d = DecideRecordDeparture(view_, r);
  EXPECT_THAT(d.status().message(), HasSubstr("has departed"));
  r.set_reason(pb::DEPARTURE_REASON_UNSPECIFIED);
  r.set_person_id("p2");
  EXPECT_EQ(DecideRecordDeparture(view_, r).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(StaffingDecideTest, LockedRecordsChangeOnlyUnderTheirPlan) {
  api::DraftPlanRequest plan;
  plan.set_plan_id("xiqu-2019");
  plan.set_title("西区机构改革方案");
  ASSERT_TRUE(view_.Record(DecideDraftPlan(view_, plan)));
  api::LockRecordsRequest lock;
  lock.mutable_header()->set_plan_id("xiqu-2019");
  lock.add_agency_ids("bianban");
  ASSERT_TRUE(view_.Record(DecideLockRecords(view_, lock)));
  EXPECT_EQ(Agency("bianban").locked_by_plan, "xiqu-2019");

  absl::StatusOr<Decision> d = DecideRegisterPerson(view_, Person("p1", "bianban"));
  ASSERT_TRUE(d.ok());  // the decision itself holds; the lock is judged for every command
  absl::Status locked = CheckLocks(view_, *d, "");
  EXPECT_EQ(locked.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(locked.message(), HasSubstr("agency-bianban (区委编办) is locked by plan xiqu-2019"));
  EXPECT_THAT(CheckLocks(view_, *d, "other").message(), HasSubstr("not by plan other"));
  EXPECT_TRUE(CheckLocks(view_, *d, "xiqu-2019").ok());

  EXPECT_THAT(DecideLockRecords(view_, lock).status().message(), HasSubstr("already locked"));
  api::LockRecordsRequest unlock = lock;
  unlock.mutable_header()->set_plan_id("other");
  EXPECT_EQ(DecideUnlockRecords(view_, unlock).status().code(), absl::StatusCode::kNotFound);
  ASSERT_TRUE(view_.Record(DecideUnlockRecords(view_, lock)));
  EXPECT_TRUE(CheckLocks(view_, *d, "").ok());
}

}  // namespace
}  // namespace reformlog::domain
