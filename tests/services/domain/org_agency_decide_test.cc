// Decisions about agencies themselves (org_agency_decide.h): founding, names, place and rank,
// merger, split and abolition — each success and each rejection, against in-memory states.
#include "services/domain/org_agency_decide.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/timeline.h"
#include "tests/services/domain/org_decide_fixture.h"

namespace reformlog::domain {
namespace {

using ::testing::ElementsAre;
using testing::EventsOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

using OrgAgencyDecideTest = OrgDecideTest;

// A part of a split: a 政府部门 under xiqu with `admin` 行政编制 and `people`.
api::SplitPart Part(const std::string& id, const std::string& name, int admin,
                    const std::vector<std::string>& people) {
  api::SplitPart p;
  *p.mutable_agency() = Spec(id, name, pb::GOVERNMENT_DEPARTMENT, "xiqu");
  pb::QuotaCount* q = p.add_quotas();
  q->set_category(pb::ADMINISTRATIVE);
  q->set_count(admin);
  for (const std::string& person : people) p.add_person_ids(person);
  return p;
}

TEST_F(OrgAgencyDecideTest, EstablishRecordsTheAgency) {
  Establish(Spec("xiqu", "中共攀枝花市西区区委", pb::PARTY_DEPARTMENT));
  api::EstablishAgencyRequest r;
  *r.mutable_agency() = Spec("bianban", "区委编办", pb::PARTY_DEPARTMENT, "xiqu");
  absl::StatusOr<Decision> d = DecideEstablishAgency(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  auto events = EventsOf<pb::AgencyEstablished>(*d);
  ASSERT_THAT(events, SizeIs(1));
  EXPECT_EQ(events[0]->name(), "区委编办");
  EXPECT_EQ(events[0]->parent_id(), "xiqu");
  EXPECT_EQ(events[0]->origin(), pb::FOUNDED);
  EXPECT_EQ(d->events()[0].stream_id, "agency-bianban");
}

TEST_F(OrgAgencyDecideTest, EstablishRejections) {
  Establish(Spec("xiqu", "区委", pb::PARTY_DEPARTMENT));
  struct Case {
    api::AgencySpec spec;
    absl::StatusCode code;
    std::string message;
  };
  api::AgencySpec no_funding = Spec("s", "中心", pb::PUBLIC_INSTITUTION);
  no_funding.clear_funding_form();
  api::AgencySpec bad_role = Spec("r", "局", pb::PARTY_DEPARTMENT);
  bad_role.set_role(pb::COMPREHENSIVE_ENFORCEMENT);
  std::vector<Case> cases = {
      {Spec("xiqu", "again", pb::PARTY_DEPARTMENT), absl::StatusCode::kAlreadyExists,
       "already exists"},
      {Spec("bad id", "x", pb::PARTY_DEPARTMENT), absl::StatusCode::kInvalidArgument,
       "agency.agency_id"},
      {Spec("n", "", pb::PARTY_DEPARTMENT), absl::StatusCode::kInvalidArgument,
       "agency.name is empty"},
      {Spec("k", "x", pb::AGENCY_KIND_UNSPECIFIED), absl::StatusCode::kInvalidArgument,
       "agency.kind"},
      {Spec("p", "x", pb::PARTY_DEPARTMENT, "nowhere"), absl::StatusCode::kNotFound,
       "parent_id: no agency nowhere"},
      {no_funding, absl::StatusCode::kInvalidArgument, "funding_form is required"},
      {bad_role, absl::StatusCode::kInvalidArgument, "role"},
  };
  for (const Case& c : cases) {
    api::EstablishAgencyRequest r;
    *r.mutable_agency() = c.spec;
    absl::StatusOr<Decision> d = DecideEstablishAgency(view_, r);
    EXPECT_EQ(d.status().code(), c.code) << c.spec.ShortDebugString();
    EXPECT_THAT(d.status().message(), HasSubstr(c.message)) << c.spec.ShortDebugString();
  }
}

TEST_F(OrgAgencyDecideTest, RenameKeepsIdentityAndRefusesNoOps) {
  Establish(Spec("a", "区经信局", pb::GOVERNMENT_DEPARTMENT));
  api::RenameAgencyRequest r;
  r.set_agency_id("a");
  r.set_new_name("区经济和信息化局");
  ASSERT_TRUE(view_.Record(DecideRenameAgency(view_, r)));
  EXPECT_EQ(Agency("a").name, "区经济和信息化局");
  EXPECT_EQ(DecideRenameAgency(view_, r).status().code(), absl::StatusCode::kFailedPrecondition);
  r.set_agency_id("zz");
  EXPECT_EQ(DecideRenameAgency(view_, r).status().code(), absl::StatusCode::kNotFound);
}

TEST_F(OrgAgencyDecideTest, ExtraNamesAreAliases) {
  Establish(Spec("bianban", "区委编办", pb::PARTY_DEPARTMENT));
  api::ExtraNameRequest r;
  r.set_agency_id("bianban");
  r.set_name("区事业单位登记管理局");
  ASSERT_TRUE(view_.Record(DecideAddExtraName(view_, r)));
  EXPECT_THAT(Agency("bianban").extra_names, ElementsAre("区事业单位登记管理局"));
  EXPECT_THAT(DecideAddExtraName(view_, r).status().message(), HasSubstr("already carries"));
  ASSERT_TRUE(view_.Record(DecideRemoveExtraName(view_, r)));
  EXPECT_THAT(Agency("bianban").extra_names, SizeIs(0));
  EXPECT_THAT(DecideRemoveExtraName(view_, r).status().message(),
              HasSubstr("carries no extra name"));
}

// Names are unique among the active agencies of a jurisdiction: an agency's name and its
// extra names (挂牌) alike, each claimed in the register of names while it is carried.
TEST_F(OrgAgencyDecideTest, NamesAreUniqueAmongTheActiveAgenciesOfAJurisdiction) {
  Establish(Spec("mzj", "攀枝花市西区民政局", pb::GOVERNMENT_DEPARTMENT));
  api::EstablishAgencyRequest twin = testing::requests::EstablishAgency(
      Spec("mzj2", "攀枝花市西区民政局", pb::GOVERNMENT_DEPARTMENT));
  absl::StatusOr<Decision> d = DecideEstablishAgency(view_, twin);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("agency.name: agency-mzj already carries the name "
                                              "\"攀枝花市西区民政局\" in \"西区\""));
  // Another jurisdiction has its own register.
  *twin.mutable_agency() = testing::requests::Agency("mzj-dq", "攀枝花市西区民政局",
                                                     pb::GOVERNMENT_DEPARTMENT, "", "东区");
  EXPECT_TRUE(DecideEstablishAgency(view_, twin).ok());

  Establish(Spec("tyj", "区体育局", pb::GOVERNMENT_DEPARTMENT));
  api::RenameAgencyRequest rename;
  rename.set_agency_id("tyj");
  rename.set_new_name("攀枝花市西区民政局");
  EXPECT_THAT(DecideRenameAgency(view_, rename).status().message(),
              HasSubstr("new_name: agency-mzj already carries the name"));
  api::ExtraNameRequest plaque;
  plaque.set_agency_id("tyj");
  plaque.set_name("攀枝花市西区民政局");
  EXPECT_THAT(DecideAddExtraName(view_, plaque).status().message(),
              HasSubstr("name: agency-mzj already carries the name"));
  // An extra name is claimed too: no one else may take it, and removing it frees it.
  plaque.set_name("区老龄工作委员会办公室");
  ASSERT_TRUE(view_.Record(DecideAddExtraName(view_, plaque)));
  rename.set_new_name("区老龄工作委员会办公室");
  rename.set_agency_id("mzj");
  EXPECT_THAT(DecideRenameAgency(view_, rename).status().message(),
              HasSubstr("agency-tyj already carries the name"));
  ASSERT_TRUE(view_.Record(DecideRemoveExtraName(view_, plaque)));
  EXPECT_TRUE(DecideRenameAgency(view_, rename).ok());
  // A rename to one of its own extra names keeps the claim through the plaque's removal, and
  // a rename away from a name it still carries as a plaque keeps that claim too.
  Establish(Spec("daj", "区档案局", pb::GOVERNMENT_DEPARTMENT));
  api::ExtraNameRequest archive;
  archive.set_agency_id("daj");
  archive.set_name("区档案馆");
  ASSERT_TRUE(view_.Record(DecideAddExtraName(view_, archive)));
  api::RenameAgencyRequest to_plaque;
  to_plaque.set_agency_id("daj");
  to_plaque.set_new_name("区档案馆");
  ASSERT_TRUE(view_.Record(DecideRenameAgency(view_, to_plaque)));
  ASSERT_TRUE(view_.Record(DecideRemoveExtraName(view_, archive)));
  EXPECT_THAT((*view_.AgencyName("西区", "区档案馆"))->holders, ElementsAre("daj"));
  archive.set_name("区档案局");
  ASSERT_TRUE(view_.Record(DecideAddExtraName(view_, archive)));
  to_plaque.set_new_name("区档案事业中心");
  ASSERT_TRUE(view_.Record(DecideRenameAgency(view_, to_plaque)));
  EXPECT_THAT((*view_.AgencyName("西区", "区档案馆"))->holders, SizeIs(0));
  EXPECT_THAT((*view_.AgencyName("西区", "区档案局"))->holders, ElementsAre("daj"));
  // A rename frees the old name.
  rename.set_agency_id("tyj");
  rename.set_new_name("区文化广播电视和旅游局");
  ASSERT_TRUE(view_.Record(DecideRenameAgency(view_, rename)));
  Establish(Spec("tyj2", "区体育局", pb::GOVERNMENT_DEPARTMENT));
  // An abolished agency's names are free again.
  api::AbolishAgencyRequest abolish;
  abolish.set_agency_id("mzj");
  ASSERT_TRUE(view_.Record(DecideAbolishAgency(view_, abolish)));
  Establish(Spec("mzj3", "攀枝花市西区民政局", pb::GOVERNMENT_DEPARTMENT));
}

// A restructure's result may take a name its originals give up in the same decision; two
// results may not share one.
TEST_F(OrgAgencyDecideTest, ARestructuresResultMayTakeTheNameItsOriginalsGiveUp) {
  SetUpDistrict();
  api::MergeAgenciesRequest merge;
  merge.add_original_ids("a");
  merge.add_original_ids("b");
  *merge.mutable_new_agency() = Spec("c", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT, "xiqu");
  absl::StatusOr<Decision> d = DecideMergeAgencies(view_, merge);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::AgencyNameReleased>(*d), SizeIs(2));
  ASSERT_THAT(EventsOf<pb::AgencyNameClaimed>(*d), SizeIs(1));
  view_.Record(*d);
  EXPECT_THAT((*view_.AgencyName("西区", "区经济和信息化局"))->holders, ElementsAre("c"));
  EXPECT_THAT((*view_.AgencyName("西区", "区科学技术局"))->holders, SizeIs(0));

  api::SplitAgencyRequest split;
  split.set_agency_id("c");
  *split.add_parts() = Part("c1", "区经济和信息化局", 6, {"a1", "a2", "a3"});
  *split.add_parts() = Part("c2", "区经济和信息化局", 4, {"b1", "b2"});
  split.mutable_parts(1)->add_person_ids("b3");
  pb::QuotaCount* support = split.mutable_parts(1)->add_quotas();
  support->set_category(pb::SUPPORT_STAFF);
  support->set_count(1);
  EXPECT_THAT(DecideSplitAgency(view_, split).status().message(),
              HasSubstr("parts[1].agency.name: agency-c1 already carries the name"));
  *split.mutable_parts(1)->mutable_agency() =
      Spec("c2", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "xiqu");
  d = DecideSplitAgency(view_, split);
  ASSERT_TRUE(d.ok()) << d.status();
  view_.Record(*d);
  EXPECT_THAT((*view_.AgencyName("西区", "区经济和信息化局"))->holders, ElementsAre("c1"));
  EXPECT_THAT((*view_.AgencyName("西区", "区科学技术局"))->holders, ElementsAre("c2"));
}

TEST_F(OrgAgencyDecideTest, AnAgencyCannotBeItsOwnAncestor) {
  Establish(Spec("root", "区委", pb::PARTY_DEPARTMENT));
  Establish(Spec("a", "A", pb::PARTY_DEPARTMENT, "root"));
  Establish(Spec("b", "B", pb::PARTY_DEPARTMENT, "a"));
  Establish(Spec("c", "C", pb::PARTY_DEPARTMENT, "b"));
  api::ReparentAgencyRequest r;
  r.set_agency_id("a");
  r.set_new_parent_id("c");
  absl::StatusOr<Decision> d = DecideReparentAgency(view_, r);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("cannot be its own ancestor"));
  EXPECT_THAT(d.status().message(), HasSubstr("agency-c ← agency-b ← agency-a"));
  r.set_new_parent_id("a");
  EXPECT_THAT(DecideReparentAgency(view_, r).status().message(), HasSubstr("own ancestor"));
  // A legal move records old and new parents.
  r.set_agency_id("c");
  r.set_new_parent_id("root");
  d = DecideReparentAgency(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EventsOf<pb::AgencyReparented>(*d)[0]->old_parent_id(), "b");
  view_.Record(*d);
  EXPECT_EQ(Agency("c").parent_id, "root");
}

TEST_F(OrgAgencyDecideTest, MergerIntoANewBodyMovesEverything) {
  SetUpDistrict();
  api::MergeAgenciesRequest r;
  r.add_original_ids("a");
  r.add_original_ids("b");
  *r.mutable_new_agency() =
      Spec("c", "区经济信息化和科学技术局", pb::GOVERNMENT_DEPARTMENT, "xiqu");
  absl::StatusOr<Decision> d = DecideMergeAgencies(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  auto established = EventsOf<pb::AgencyEstablished>(*d);
  ASSERT_THAT(established, SizeIs(1));
  EXPECT_EQ(established[0]->origin(), pb::MERGER);
  EXPECT_THAT(established[0]->predecessor_ids(), ElementsAre("a", "b"));
  EXPECT_THAT(EventsOf<pb::PersonTransferred>(*d), SizeIs(6));
  EXPECT_THAT(EventsOf<pb::AgencyMerged>(*d), SizeIs(2));
  view_.Record(*d);
  const AgencyState& c = Agency("c");
  EXPECT_EQ(c.Quota(pb::ADMINISTRATIVE), 10);
  EXPECT_EQ(c.Quota(pb::SUPPORT_STAFF), 1);
  EXPECT_EQ(c.InPost(pb::ADMINISTRATIVE), 5);
  EXPECT_EQ(c.InPost(pb::SUPPORT_STAFF), 1);
  EXPECT_TRUE(Agency("a").ceased);
  EXPECT_EQ(Agency("a").Quota(pb::ADMINISTRATIVE), 0);
  EXPECT_THAT(Agency("a").roster, SizeIs(0));
  EXPECT_EQ((*view_.Person("b3"))->agency_id, "c");
  // A ceased agency takes nothing.
  api::ChangeQuotaRequest grant;
  grant.set_agency_id("a");
  grant.set_category(pb::ADMINISTRATIVE);
  grant.set_count(1);
  absl::StatusOr<Decision> refused = DecideGrantQuota(view_, grant);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("has ceased (merged into agency-c)"));
}

TEST_F(OrgAgencyDecideTest, AbsorptionKeepsTheAbsorbingBody) {
  SetUpDistrict();
  api::MergeAgenciesRequest r;
  r.add_original_ids("a");
  r.add_original_ids("b");
  r.set_absorbing_id("b");
  absl::StatusOr<Decision> d = DecideMergeAgencies(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::AgencyEstablished>(*d), SizeIs(0));
  ASSERT_THAT(EventsOf<pb::AgencyAbsorbed>(*d), SizeIs(1));
  view_.Record(*d);
  EXPECT_FALSE(Agency("b").ceased);
  EXPECT_TRUE(Agency("a").ceased);
  EXPECT_EQ(Agency("b").Quota(pb::ADMINISTRATIVE), 10);
  EXPECT_EQ(Agency("b").InPost(pb::ADMINISTRATIVE), 5);

  r.set_absorbing_id("xiqu");
  EXPECT_EQ(DecideMergeAgencies(view_, r).status().code(), absl::StatusCode::kInvalidArgument);
}

// The case: 信访局 absorbed into 政府办. Its 局长 and 副局长 keep their rank (保留原职级)
// as leaders of 政府办; the one 正科级 beyond 政府办's posts is a transition to absorb (消化),
// which stands, lets no one new in at that rank, and shrinks as leaders leave.
TEST_F(OrgAgencyDecideTest, AbsorptionCarriesLeadersOverAndRecordsTheExcessAsATransition) {
  Establish(Spec("gov", "西区人民政府", pb::GOVERNMENT_DEPARTMENT));
  Establish(Spec("zfb", "区政府办公室", pb::GOVERNMENT_DEPARTMENT, "gov"));
  Establish(Spec("xfj", "区信访局", pb::GOVERNMENT_DEPARTMENT, "gov"));
  Grant("zfb", pb::ADMINISTRATIVE, 6);
  Grant("xfj", pb::ADMINISTRATIVE, 3);
  auto posts = [&](const std::string& agency, int chiefs, int deputies, const std::string& title) {
    api::ApproveLeaderPostsRequest r =
        testing::requests::ApproveLeaderPosts(agency, pb::SECTION_CHIEF, chiefs, title);
    pb::LeaderPostCount* d = r.add_leader_posts();
    d->set_rank(pb::SECTION_DEPUTY);
    d->set_count(deputies);
    d->set_title(absl::StrCat("副", title));
    ASSERT_TRUE(view_.Record(DecideApproveLeaderPosts(view_, r)));
  };
  posts("zfb", 1, 2, "主任");
  posts("xfj", 1, 1, "局长");
  auto appoint = [&](const std::string& person, const std::string& agency, pb::Rank rank,
                     const std::string& title) {
    return DecideAppointLeader(view_,
                               testing::requests::AppointLeader(person, agency, rank, title));
  };
  for (const char* p : {"z1", "z2", "z3"}) Register(p, "zfb", pb::ADMINISTRATIVE);
  for (const char* p : {"x1", "x2", "x3"}) Register(p, "xfj", pb::ADMINISTRATIVE);
  ASSERT_TRUE(view_.Record(appoint("z1", "zfb", pb::SECTION_CHIEF, "主任")));
  ASSERT_TRUE(view_.Record(appoint("z2", "zfb", pb::SECTION_DEPUTY, "副主任")));
  ASSERT_TRUE(view_.Record(appoint("x1", "xfj", pb::SECTION_CHIEF, "局长")));
  ASSERT_TRUE(view_.Record(appoint("x2", "xfj", pb::SECTION_DEPUTY, "副局长")));

  api::MergeAgenciesRequest r;
  r.add_original_ids("xfj");
  r.add_original_ids("zfb");
  r.set_absorbing_id("zfb");
  absl::StatusOr<Decision> d = DecideMergeAgencies(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  auto opened = EventsOf<pb::LeaderTransitionOpened>(*d);
  ASSERT_THAT(opened, SizeIs(1));
  EXPECT_EQ(opened[0]->rank(), pb::SECTION_CHIEF);
  EXPECT_EQ(opened[0]->excess(), 1);
  EXPECT_THAT(opened[0]->from_agency_ids(), ElementsAre("xfj"));
  view_.Record(*d);
  const AgencyState& zfb = Agency("zfb");
  EXPECT_EQ(zfb.LeadersAt(pb::SECTION_CHIEF), 2);
  EXPECT_EQ(zfb.LeadersAt(pb::SECTION_DEPUTY), 2);  // 副主任 and 原区信访局副局长 on 2 posts
  EXPECT_EQ(zfb.leaders.at("x1").title, "原区信访局局长");
  EXPECT_EQ(zfb.LeaderTransitionAt(pb::SECTION_CHIEF), 1);
  EXPECT_THAT(Violations(zfb), SizeIs(0));
  const PersonState& x1 = **view_.Person("x1");
  EXPECT_EQ(x1.agency_id, "zfb");
  EXPECT_TRUE(x1.is_leader);
  EXPECT_EQ(x1.leader_rank, pb::SECTION_CHIEF);

  // No one new at the rank while the excess is absorbed, and the refusal says why.
  Register("z4", "zfb", pb::ADMINISTRATIVE);
  EXPECT_THAT(appoint("z4", "zfb", pb::SECTION_DEPUTY, "副主任").status().message(),
              HasSubstr("approved 2, appointed 2, requested +1 (超职数)"));
  EXPECT_THAT(appoint("z3", "zfb", pb::SECTION_CHIEF, "主任").status().message(),
              HasSubstr("1 carried over by a restructure are still being absorbed (消化)"));
  // The former 局长 retires: the transition is absorbed, and it does not come back.
  api::RecordDepartureRequest retire;
  retire.set_person_id("x1");
  retire.set_reason(pb::RETIRED);
  ASSERT_TRUE(view_.Record(DecideRecordDeparture(view_, retire)));
  EXPECT_EQ(Agency("zfb").LeaderTransitionAt(pb::SECTION_CHIEF), 0);
  EXPECT_THAT(appoint("z3", "zfb", pb::SECTION_CHIEF, "主任").status().message(),
              HasSubstr("approved 1, appointed 1, requested +1 (超职数)"));
}

// A split carries a leader into the part that receives the person, at the same rank; the new
// part has no posts yet, so the leader stands in a transition to absorb.
TEST_F(OrgAgencyDecideTest, ASplitCarriesLeadersIntoTheirParts) {
  SetUpDistrict();
  ASSERT_TRUE(view_.Record(DecideApproveLeaderPosts(
      view_, testing::requests::ApproveLeaderPosts("a", pb::SECTION_CHIEF, 1, "局长"))));
  ASSERT_TRUE(view_.Record(DecideAppointLeader(
      view_, testing::requests::AppointLeader("a1", "a", pb::SECTION_CHIEF, "局长"))));
  api::SplitAgencyRequest r;
  r.set_agency_id("a");
  *r.add_parts() = Part("a-east", "区经济局", 4, {"a1", "a2"});
  *r.add_parts() = Part("a-west", "区信息化局", 2, {"a3"});
  absl::StatusOr<Decision> d = DecideSplitAgency(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  view_.Record(*d);
  const AgencyState& east = Agency("a-east");
  ASSERT_TRUE(east.leaders.contains("a1"));
  EXPECT_EQ(east.leaders.at("a1").title, "原区经济和信息化局局长");
  EXPECT_EQ(east.LeaderTransitionAt(pb::SECTION_CHIEF), 1);
  EXPECT_THAT(Violations(east), SizeIs(0));
  EXPECT_THAT(Agency("a-west").leaders, SizeIs(0));
  EXPECT_TRUE((*view_.Person("a1"))->is_leader);
}

TEST_F(OrgAgencyDecideTest, MergerRefusesPublicServiceQuotaIntoAnOrgan) {
  SetUpDistrict();
  Establish(Spec("centre", "区事业单位登记服务中心", pb::PUBLIC_INSTITUTION, "xiqu"));
  Grant("centre", pb::PUBLIC_SERVICE, 3);
  api::MergeAgenciesRequest r;
  r.add_original_ids("a");
  r.add_original_ids("centre");
  r.set_absorbing_id("a");
  absl::StatusOr<Decision> d = DecideMergeAgencies(view_, r);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("事业编制 is never used in a 党政机关"));
}

// 转换 and 核销: a 事业单位 absorbed into a 党政机关 brings its 事业编制 only once the 编办 says
// what becomes of them — converted into 行政编制 with the people in post, the rest cancelled.
class QuotaDispositionTest : public OrgAgencyDecideTest {
 protected:
  void SetUp() override {
    SetUpDistrict();
    Establish(Spec("centre", "区事业单位登记服务中心", pb::PUBLIC_INSTITUTION, "xiqu"));
    Grant("centre", pb::PUBLIC_SERVICE, 5);
    Register("c1", "centre", pb::PUBLIC_SERVICE);
    Register("c2", "centre", pb::PUBLIC_SERVICE);
  }
  static api::QuotaDisposition Dispose(const std::string& agency, pb::QuotaCategory category,
                                       int convert, int cancel,
                                       pb::QuotaCategory to = pb::ADMINISTRATIVE) {
    api::QuotaDisposition d;
    d.set_agency_id(agency);
    d.set_category(category);
    if (convert > 0) d.set_convert_to(to);
    d.set_convert_count(convert);
    d.set_cancel_count(cancel);
    return d;
  }
  static api::MergeAgenciesRequest Absorb(const std::vector<api::QuotaDisposition>& dispositions) {
    api::MergeAgenciesRequest r;
    r.add_original_ids("a");
    r.add_original_ids("centre");
    r.set_absorbing_id("a");
    for (const api::QuotaDisposition& d : dispositions) *r.add_quota_dispositions() = d;
    return r;
  }
};

TEST_F(QuotaDispositionTest, AMergerConvertsWithThePeopleAndCancelsTheVacantRest) {
  absl::StatusOr<Decision> d =
      DecideMergeAgencies(view_, Absorb({Dispose("centre", pb::PUBLIC_SERVICE, 3, 2)}));
  ASSERT_TRUE(d.ok()) << d.status();
  auto converted = EventsOf<pb::QuotaConverted>(*d);
  ASSERT_THAT(converted, SizeIs(1));
  EXPECT_EQ(converted[0]->from_category(), pb::PUBLIC_SERVICE);
  EXPECT_EQ(converted[0]->to_category(), pb::ADMINISTRATIVE);
  EXPECT_EQ(converted[0]->count(), 3);
  EXPECT_THAT(converted[0]->person_ids(), ElementsAre("c1", "c2"));
  ASSERT_THAT(EventsOf<pb::QuotaCancelled>(*d), SizeIs(1));
  EXPECT_EQ(EventsOf<pb::QuotaCancelled>(*d)[0]->count(), 2);
  EXPECT_THAT(EventsOf<pb::PersonRecategorised>(*d), SizeIs(2));
  view_.Record(*d);
  const AgencyState& a = Agency("a");
  EXPECT_EQ(a.Quota(pb::ADMINISTRATIVE), 6 + 3);
  EXPECT_EQ(a.InPost(pb::ADMINISTRATIVE), 3 + 2);
  EXPECT_EQ(a.Quota(pb::PUBLIC_SERVICE), 0);
  EXPECT_EQ(a.InPost(pb::PUBLIC_SERVICE), 0);
  EXPECT_THAT(Violations(a), SizeIs(0));
  const PersonState& c1 = **view_.Person("c1");
  EXPECT_EQ(c1.agency_id, "a");
  EXPECT_EQ(c1.category, pb::ADMINISTRATIVE);
  EXPECT_FALSE(Agency("centre").Active());
}

TEST_F(QuotaDispositionTest, AnAbolitionWithASuccessorDisposesTheSameWay) {
  api::AbolishAgencyRequest r;
  r.set_agency_id("centre");
  r.set_successor_id("b");
  *r.add_quota_dispositions() = Dispose("centre", pb::PUBLIC_SERVICE, 2, 3);
  absl::StatusOr<Decision> d = DecideAbolishAgency(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  view_.Record(*d);
  EXPECT_EQ(Agency("b").Quota(pb::ADMINISTRATIVE), 4 + 2);
  EXPECT_EQ(Agency("b").InPost(pb::ADMINISTRATIVE), 2 + 2);
  r.set_successor_id("");
  EXPECT_THAT(DecideAbolishAgency(view_, r).status().message(),
              HasSubstr("quota_dispositions without a successor_id"));
}

TEST_F(QuotaDispositionTest, DispositionsThatDoNotAddUpAreRefusedNamingTheNumbers) {
  struct Case {
    std::vector<api::QuotaDisposition> dispositions;
    absl::StatusCode code;
    std::string message;
  };
  const std::vector<Case> cases = {
      {{},
       absl::StatusCode::kFailedPrecondition,
       "事业编制 is never used in a 党政机关; convert (转换) or cancel (核销) it with a "
       "quota_disposition"},
      {{Dispose("centre", pb::PUBLIC_SERVICE, 3, 1)},
       absl::StatusCode::kFailedPrecondition,
       "holds 事业编制 5; the disposition converts (转换) 3 and cancels (核销) 1: together they "
       "dispose of all it holds"},
      {{Dispose("centre", pb::PUBLIC_SERVICE, 1, 4)},
       absl::StatusCode::kFailedPrecondition,
       "has 2 in post in 事业编制 and converts 1: only vacant 编制 can be cancelled (核销)"},
      {{Dispose("centre", pb::PUBLIC_SERVICE, 5, 0, pb::PUBLIC_SERVICE)},
       absl::StatusCode::kFailedPrecondition,
       "quota_dispositions[0].convert_to: "},
      {{Dispose("b", pb::PUBLIC_SERVICE, 5, 0)},
       absl::StatusCode::kInvalidArgument,
       "quota_dispositions[0].agency_id \"b\" is not a body that ceases into agency-a"},
      {{Dispose("centre", pb::SUPPORT_STAFF, 0, 0)},
       absl::StatusCode::kInvalidArgument,
       "may hold 工勤编制: it moves as it is"},
      {{Dispose("centre", pb::PUBLIC_SERVICE, 5, 0), Dispose("centre", pb::PUBLIC_SERVICE, 5, 0)},
       absl::StatusCode::kInvalidArgument,
       "quota_dispositions[1]: agency-centre"},
      {{Dispose("centre", pb::PUBLIC_SERVICE, -1, 6)},
       absl::StatusCode::kInvalidArgument,
       "convert_count -1 is outside 0–"},
  };
  for (const Case& c : cases) {
    absl::StatusOr<Decision> d = DecideMergeAgencies(view_, Absorb(c.dispositions));
    EXPECT_EQ(d.status().code(), c.code) << c.message << "\n" << d.status();
    EXPECT_THAT(d.status().message(), HasSubstr(c.message));
  }
}

TEST_F(OrgAgencyDecideTest, SplitAllocatesEverythingAndPeopleFollowQuota) {
  SetUpDistrict();
  auto part = [](const std::string& id, int admin, const std::vector<std::string>& people) {
    return Part(id, id, admin, people);
  };
  api::SplitAgencyRequest r;
  r.set_agency_id("a");
  *r.add_parts() = part("a-east", 4, {"a1", "a2"});
  *r.add_parts() = part("a-west", 2, {"a3"});
  absl::StatusOr<Decision> d = DecideSplitAgency(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  view_.Record(*d);
  EXPECT_TRUE(Agency("a").ceased);
  EXPECT_EQ(Agency("a-east").InPost(pb::ADMINISTRATIVE), 2);
  EXPECT_EQ(Agency("a-west").Quota(pb::ADMINISTRATIVE), 2);

  // 人随编走: more people than quota in a part.
  view_ = testing::FakeStateView();
  SetUpDistrict();
  api::SplitAgencyRequest bad;
  bad.set_agency_id("a");
  *bad.add_parts() = part("x", 5, {"a1"});
  *bad.add_parts() = part("y", 1, {"a2", "a3"});
  d = DecideSplitAgency(view_, bad);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("行政编制: quota 1, people transferred 2"));
  // Quota left behind.
  bad.mutable_parts(0)->mutable_quotas(0)->set_count(3);
  bad.mutable_parts(1)->mutable_quotas(0)->set_count(2);
  d = DecideSplitAgency(view_, bad);
  EXPECT_THAT(d.status().message(), HasSubstr("has 行政编制 6 but the parts receive 5"));
  // A person left behind.
  bad.mutable_parts(0)->mutable_quotas(0)->set_count(4);
  bad.mutable_parts(1)->clear_person_ids();
  bad.mutable_parts(1)->add_person_ids("a2");
  d = DecideSplitAgency(view_, bad);
  EXPECT_THAT(d.status().message(), HasSubstr("person-a3"));
}

TEST_F(OrgAgencyDecideTest, AbolitionNeedsNothingLeftOrASuccessor) {
  SetUpDistrict();
  api::AbolishAgencyRequest r;
  r.set_agency_id("b");
  absl::StatusOr<Decision> d = DecideAbolishAgency(view_, r);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(),
              HasSubstr("still holds 行政编制 4, 工勤编制 1, 3 people in post"));
  r.set_successor_id("a");
  d = DecideAbolishAgency(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  view_.Record(*d);
  EXPECT_TRUE(Agency("b").ceased);
  EXPECT_EQ(Agency("a").InPost(pb::ADMINISTRATIVE), 5);
  EXPECT_EQ(Agency("a").Quota(pb::SUPPORT_STAFF), 1);
  // An empty agency goes without a successor.
  Establish(Spec("empty", "空机构", pb::GOVERNMENT_DEPARTMENT));
  api::AbolishAgencyRequest empty;
  empty.set_agency_id("empty");
  EXPECT_TRUE(DecideAbolishAgency(view_, empty).ok());
}

// Messages echo what the caller sent through QuoteValue (domain/quote.h): short,
// whatever the caller sent, and ids are checked before they are named.
TEST_F(OrgAgencyDecideTest, RefusalsQuoteWhatTheCallerSentShortly) {
  SetUpDistrict();
  const std::string huge(8192, 'x');
  const std::string quoted = absl::StrCat("\"", std::string(32, 'x'), "…\" (8192 bytes)");

  api::MergeAgenciesRequest merge;
  merge.add_original_ids(huge);
  merge.add_original_ids(huge);
  merge.set_absorbing_id("a");
  EXPECT_EQ(DecideMergeAgencies(view_, merge).status().message(),
            absl::StrCat("original_ids: ", quoted, " appears twice"));
  merge.set_original_ids(1, "b");
  merge.set_absorbing_id(huge + "y");
  EXPECT_EQ(DecideMergeAgencies(view_, merge).status().message(),
            absl::StrCat("absorbing_id \"", std::string(32, 'x'),
                         "…\" (8193 bytes) is not one of original_ids"));

  api::SplitAgencyRequest split;
  split.set_agency_id("a");
  for (const char* id : {"a-east", "a-west"}) {
    *split.add_parts()->mutable_agency() = Spec(id, id, pb::GOVERNMENT_DEPARTMENT, "xiqu");
  }
  split.mutable_parts(1)->add_person_ids(huge);
  absl::Status s = DecideSplitAgency(view_, split).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("parts[1].person_ids ", quoted)));

  // A name up to kTextBytesMax is valid, and quoted short when the refusal names it.
  std::string long_name;
  for (int i = 0; i < 300; ++i) long_name += "局";
  api::ExtraNameRequest extra;
  extra.set_agency_id("a");
  extra.set_name(long_name);
  EXPECT_THAT(DecideRemoveExtraName(view_, extra).status().message(),
              HasSubstr("carries no extra name \"局局局局局局局局局局…\" (900 bytes)"));
}

}  // namespace
}  // namespace reformlog::domain
