// Effective dates in decisions (services/domain/timeline.h): states folded as of a date,
// nothing taking effect before its subject exists, and a late entry replayed against the
// changes recorded after it.
#include "services/domain/timeline.h"

#include <memory>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/fake_state_view.h"
#include "tests/testing/requests.h"

namespace reformlog::domain {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
namespace requests = ::reformlog::testing::requests;

template <typename T>
std::shared_ptr<const google::protobuf::Message> Event(T event) {
  return std::make_shared<T>(std::move(event));
}

pb::AgencyEstablished Established(const std::string& id) {
  pb::AgencyEstablished e;
  e.set_agency_id(id);
  e.set_name("区档案局");
  e.set_kind(pb::GOVERNMENT_DEPARTMENT);
  return e;
}

pb::AgencyRenamed Renamed(const std::string& id, const std::string& name) {
  pb::AgencyRenamed e;
  e.set_agency_id(id);
  e.set_new_name(name);
  return e;
}

pb::QuotaGranted Granted(int count) {
  pb::QuotaGranted e;
  e.set_agency_id("dag");
  e.set_category(pb::ADMINISTRATIVE);
  e.set_count(count);
  return e;
}

pb::RosterChanged Joined(const std::string& person) {
  pb::RosterChanged e;
  e.set_agency_id("dag");
  pb::RosterEntry* joined = e.add_joined();
  joined->set_person_id(person);
  joined->set_category(pb::ADMINISTRATIVE);
  return e;
}

TEST(TimelineTest, EventsTakeEffectByDateAndThoseOfOneDateInLogOrder) {
  std::vector<DatedEvent> events = {{"2019-01-01", Event(Established("dag"))},
                                    {"2020-05-01", Event(Renamed("dag", "区档案馆"))},
                                    {"2020-03-01", Event(Renamed("dag", "区档案中心"))},
                                    {"2020-05-01", Event(Renamed("dag", "区档案服务中心"))}};
  SortByEffect(events);
  // The later-dated rename wins although the other was recorded after it; of the two on
  // 2020-05-01 the one recorded last.
  EXPECT_EQ(FoldAsOf<AgencyState>(events, "", nullptr).name, "区档案服务中心");
  EXPECT_EQ(FoldAsOf<AgencyState>(events, "2020-04-30", nullptr).name, "区档案中心");
  std::vector<DatedEvent> later;
  EXPECT_EQ(FoldAsOf<AgencyState>(events, "2019-12-31", &later).name, "区档案局");
  EXPECT_EQ(later.size(), 3u);
}

TEST(TimelineTest, AStateBeforeItsSubjectExistsSaysWhenItBegins) {
  const std::vector<DatedEvent> events = {{"2019-03-05", Event(Established("dag"))}};
  const auto before = FoldAsOf<AgencyState>(events, "2018-06-01", nullptr);
  EXPECT_FALSE(before.exists);
  EXPECT_EQ(before.begins_on, "2019-03-05");
  EXPECT_TRUE(FoldAsOf<AgencyState>(events, "2019-03-05", nullptr).exists);
}

TEST(TimelineTest, ALateEntryIsRefusedAtTheFirstLaterDateItBreaks) {
  std::vector<DatedEvent> events = {{"2019-01-01", Event(Established("dag"))},
                                    {"2019-01-01", Event(Granted(1))},
                                    {"2020-05-01", Event(Joined("p1"))},
                                    {"2020-06-01", Event(Renamed("dag", "区档案馆"))}};
  std::vector<DatedEvent> later;
  const auto as_of = FoldAsOf<AgencyState>(events, "2020-03-01", &later);
  const pb::RosterChanged p2 = Joined("p2");
  absl::StatusOr<std::shared_ptr<AgencyState>> replayed =
      ReplayLater(as_of, "2020-03-01", {&p2}, later);
  EXPECT_EQ(replayed.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(replayed.status().message(), HasSubstr("on 2020-05-01 it would leave"));
  EXPECT_THAT(replayed.status().message(), HasSubstr("2 in post on 行政编制 of 1 (超编)"));
  // A grant instead: every later date holds, and the result is the latest state.
  const pb::QuotaGranted more = Granted(1);
  replayed = ReplayLater(as_of, "2020-03-01", {&more}, later);
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  EXPECT_EQ((*replayed)->Quota(pb::ADMINISTRATIVE), 2);
  EXPECT_EQ((*replayed)->name, "区档案馆");
  EXPECT_EQ((*replayed)->InPost(pb::ADMINISTRATIVE), 1);
}

TEST(TimelineTest, AViolationTheHistoryAlreadyHadIsNotTheLateEntrysFault) {
  // 超编 from 2020-05-01 on, recorded before this rule existed.
  std::vector<DatedEvent> events = {{"2019-01-01", Event(Established("dag"))},
                                    {"2020-05-01", Event(Joined("p1"))}};
  std::vector<DatedEvent> later;
  const auto as_of = FoldAsOf<AgencyState>(events, "2020-03-01", &later);
  const pb::AgencyRenamed renamed = Renamed("dag", "区档案馆");
  EXPECT_TRUE(ReplayLater(as_of, "2020-03-01", {&renamed}, later).ok());
}

TEST(TimelineTest, ViolationsOfAValidAgencyAreNone) {
  AgencyState state;
  state.Apply(Established("dag"));
  state.Apply(Granted(2));
  state.Apply(Joined("p1"));
  EXPECT_THAT(Violations(state), IsEmpty());
  pb::AgencyAbolished abolished;
  abolished.set_agency_id("dag");
  state.Apply(abolished);
  EXPECT_THAT(
      Violations(state),
      ::testing::ElementsAre(::testing::AllOf(
          ::testing::Field(&Violation::en, HasSubstr("ceased (abolished) yet holding 1 people")),
          ::testing::Field(&Violation::zh, HasSubstr("已撤销，却仍有人员1人")))));
  state.Apply(Renamed("dag", "x"));
  EXPECT_THAT(Violations(state), ::testing::Contains(::testing::Field(
                                     &Violation::en, HasSubstr("1 change(s) it could not take"))));
}

// Nothing takes effect before its subject exists (the first case).
TEST(TimelineDecideTest, APersonCannotBeRegisteredBeforeTheAgencyIsEstablished) {
  testing::FakeStateView view;
  view.set_effective_date("2019-03-05");
  ASSERT_TRUE(view.Record(DecideEstablishAgency(
      view, requests::EstablishAgency("dag", "区档案局", pb::GOVERNMENT_DEPARTMENT))));
  ASSERT_TRUE(
      view.Record(DecideGrantQuota(view, requests::ChangeQuota("dag", pb::ADMINISTRATIVE, 2))));
  view.set_effective_date("2018-06-01");
  absl::StatusOr<Decision> refused = DecideRegisterPerson(
      view, requests::RegisterPerson("p1", "张明", "dag", pb::ADMINISTRATIVE, "科员"));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(),
              HasSubstr("agency-dag is established on 2019-03-05, after this change takes effect "
                        "(2018-06-01)"));
  // A child founded under it in 2017.
  api::AgencySpec child =
      requests::Agency("dag-zx", "区档案服务中心", pb::PUBLIC_INSTITUTION, "dag");
  child.set_funding_form(pb::FULLY_FUNDED);
  view.set_effective_date("2017-01-01");
  refused = DecideEstablishAgency(view, requests::EstablishAgency(child));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("established on 2019-03-05"));
  // From its founding on, both are fine.
  view.set_effective_date("2019-03-05");
  EXPECT_TRUE(DecideEstablishAgency(view, requests::EstablishAgency(child)).ok());
  // Its id cannot be taken again on an earlier date either.
  view.set_effective_date("2018-01-01");
  refused = DecideEstablishAgency(
      view, requests::EstablishAgency("dag", "区档案局", pb::GOVERNMENT_DEPARTMENT));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAlreadyExists);
}

TEST(TimelineDecideTest, LeaderPostsApprovedAheadOfTheMandateLetLeadersBeAppointed) {
  testing::FakeStateView view;
  view.set_effective_date("2019-03-05");
  ASSERT_TRUE(view.Record(DecideEstablishAgency(
      view, requests::EstablishAgency("zrzyj", "区自然资源局", pb::GOVERNMENT_DEPARTMENT))));
  ASSERT_TRUE(
      view.Record(DecideGrantQuota(view, requests::ChangeQuota("zrzyj", pb::ADMINISTRATIVE, 3))));
  ASSERT_TRUE(view.Record(DecideRegisterPerson(
      view, requests::RegisterPerson("p1", "张明", "zrzyj", pb::ADMINISTRATIVE, "科员"))));
  api::AppointLeaderRequest appoint;
  appoint.set_person_id("p1");
  appoint.set_agency_id("zrzyj");
  appoint.set_rank(pb::SECTION_CHIEF);
  appoint.set_title("局长");
  EXPECT_THAT(DecideAppointLeader(view, appoint).status().message(), HasSubstr("超职数"));
  api::ApproveLeaderPostsRequest posts =
      requests::ApproveLeaderPosts("zrzyj", pb::SECTION_CHIEF, 1, "局长");
  const pb::LeaderPostCount chief = posts.leader_posts(0);
  ASSERT_TRUE(view.Record(DecideApproveLeaderPosts(view, posts)));
  ASSERT_TRUE(view.Record(DecideAppointLeader(view, appoint)));
  // Approving no 正科级 post now would leave the 局长 without one.
  posts.clear_leader_posts();
  absl::StatusOr<Decision> refused = DecideApproveLeaderPosts(view, posts);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("the approval sets 0, appointed 1 (超职数)"));
  // A rank listed twice is malformed.
  *posts.add_leader_posts() = chief;
  *posts.add_leader_posts() = chief;
  EXPECT_EQ(DecideApproveLeaderPosts(view, posts).status().code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace reformlog::domain
