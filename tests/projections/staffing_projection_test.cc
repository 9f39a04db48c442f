// The staffing and people read models: quota vs people per category, leader posts vs leaders,
// people's histories and the 四清两对应 check — golden renderings from a log written by real
// commands (grant, register, 三定 with leader posts, appoint, transfer with quota, merger,
// departure, lock), a check that lists every violation with its numbers from raw events the
// write side would refuse, and the write side's own fold (AgencyState, PersonState) as an
// oracle over random command sequences.
#include "projections/staffing/staffing_projection.h"

#include <map>

#include "domain/event_codec.h"
#include "domain/vocabulary.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/in_memory_replay.h"
#include "projections/staffing/people_projection.h"
#include "projections/staffing/staffing_view.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/reform_decide.h"
#include "services/domain/staffing_decide.h"
#include "services/domain/states.h"
#include "services/domain/timeline.h"
#include "tests/projections/random_commands.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::projections {
namespace {

using testing::CommandDriver;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

class StaffingProjectionTest : public ::testing::Test {
 protected:
  StaffingProjectionTest() : driver_(store_, clock_) {}

  void Establish(const std::string& id, const std::string& name, pb::AgencyKind kind,
                 const std::string& jurisdiction = "西区") {
    driver_.On("2018-01-01")
        .Must(domain::DecideEstablishAgency,
              testing::requests::EstablishAgency(id, name, kind, "", jurisdiction));
  }
  void Grant(const std::string& agency, pb::QuotaCategory category, int count) {
    driver_.On("2018-01-01")
        .Must(domain::DecideGrantQuota, testing::requests::ChangeQuota(agency, category, count));
  }
  uint64_t Register(const std::string& person, const std::string& name, const std::string& agency,
                    pb::QuotaCategory category, const std::string& post = "科员") {
    return driver_.On("2018-03-01", "西委编〔2018〕3号")
        .Must(domain::DecideRegisterPerson,
              testing::requests::RegisterPerson(person, name, agency, category, post));
  }
  void Appoint(const std::string& person, const std::string& agency, pb::Rank rank,
               const std::string& title, const std::string& date = "2019-04-10") {
    api::AppointLeaderRequest r;
    r.set_person_id(person);
    r.set_agency_id(agency);
    r.set_rank(rank);
    r.set_title(title);
    driver_.On(date, "西委干〔2019〕8号").Must(domain::DecideAppointLeader, r);
  }

  // The 2019 reform of a small district, through the real decisions.
  void RecordStory() {
    Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT);
    Establish("djzx", "区事业单位登记服务中心", pb::PUBLIC_INSTITUTION);
    Establish("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT);
    Establish("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT);
    Establish("dongqu-bb", "东区编办", pb::PARTY_DEPARTMENT, "东区");
    Grant("bianban", pb::ADMINISTRATIVE, 4);
    Grant("djzx", pb::PUBLIC_SERVICE, 2);
    Grant("jxj", pb::ADMINISTRATIVE, 3);
    Grant("kjj", pb::ADMINISTRATIVE, 2);
    Grant("kjj", pb::SUPPORT_STAFF, 1);
    Grant("dongqu-bb", pb::ADMINISTRATIVE, 1);
    Register("p1", "张明", "bianban", pb::ADMINISTRATIVE);
    Register("p2", "李华", "bianban", pb::ADMINISTRATIVE);
    Register("p3", "王芳", "jxj", pb::ADMINISTRATIVE);
    Register("p4", "赵强", "kjj", pb::ADMINISTRATIVE);
    Register("p5", "钱进", "kjj", pb::SUPPORT_STAFF, "驾驶员");
    Register("p6", "孙丽", "djzx", pb::PUBLIC_SERVICE, "");
    // 三定 of the 编办: its quota becomes 行政编制 5 + 工勤编制 1 and it gets leader posts.
    api::IssueMandateRequest m;
    m.set_agency_id("bianban");
    m.add_functions("机构编制管理");
    pb::QuotaCount* q = m.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(5);
    q = m.add_quotas();
    q->set_category(pb::SUPPORT_STAFF);
    q->set_count(1);
    pb::LeaderPostCount* deputy = m.add_leader_posts();
    deputy->set_rank(pb::SECTION_DEPUTY);
    deputy->set_count(2);
    deputy->set_title("副主任");
    pb::LeaderPostCount* chief = m.add_leader_posts();
    chief->set_rank(pb::SECTION_CHIEF);
    chief->set_count(1);
    chief->set_title("主任");
    driver_.On("2019-04-01", "西委办〔2019〕30号").Must(domain::DecideIssueMandate, m);
    Appoint("p1", "bianban", pb::SECTION_CHIEF, "主任");
    Appoint("p2", "bianban", pb::SECTION_DEPUTY, "副主任");
    // 转隶 with quota (编随事走): the deputy leaves for the bureau, and leaves the post.
    api::TransferPersonsRequest t;
    t.set_from_agency_id("bianban");
    t.set_to_agency_id("jxj");
    t.add_person_ids("p2");
    pb::QuotaCount* moved = t.add_quotas();
    moved->set_category(pb::ADMINISTRATIVE);
    moved->set_count(1);
    driver_.On("2019-05-01", "西委编〔2019〕12号").Must(domain::DecideTransferPersons, t);
    // The merger: jxj + kjj → jxkj, everything moves.
    api::MergeAgenciesRequest merge;
    merge.add_original_ids("jxj");
    merge.add_original_ids("kjj");
    *merge.mutable_new_agency() =
        testing::requests::Agency("jxkj", "区经济信息化和科学技术局", pb::GOVERNMENT_DEPARTMENT);
    before_merger_ = store_.HeadPosition();
    driver_.On("2019-06-01", "西委发〔2019〕5号").Must(domain::DecideMergeAgencies, merge);
    api::RecordDepartureRequest departure;
    departure.set_person_id("p4");
    departure.set_reason(pb::RETIRED);
    departed_at_ = driver_.On("2019-06-30", "西人社〔2019〕40号")
                       .Must(domain::DecideRecordDeparture, departure);
    // The next round of reform locks the 编办's records.
    api::DraftPlanRequest plan;
    plan.set_plan_id("reform2020");
    plan.set_title("西区深化机构改革方案");
    plan.set_jurisdiction("西区");
    driver_.On("2019-12-01").Must(domain::DecideDraftPlan, plan);
    api::LockRecordsRequest lock;
    lock.add_agency_ids("bianban");
    driver_.UnderPlan("reform2020").On("2019-12-01").Must(domain::DecideLockRecords, lock);
    driver_.UnderPlan("");
  }

  std::vector<std::unique_ptr<EntityTable>> Replay(uint64_t up_to = 0) {
    StaffingProjection staffing;
    PeopleProjection people;
    auto tables =
        ReplayInMemory(store_, {&staffing, &people}, up_to == 0 ? store_.HeadPosition() : up_to);
    EXPECT_TRUE(tables.ok()) << tables.status();
    return std::move(*tables);
  }

  static std::string Person(const EntityTable& people, const std::string& id) {
    const auto* p = ConstTable<rm::PersonRecord>(people).Find(id);
    return p == nullptr ? "(none)" : RenderPerson(*p);
  }

  // Appends `events` (stream, payload) as one commit, as a buggy or foreign writer might:
  // without any decision.
  void AppendRaw(
      const std::string& commit_id,
      const std::vector<std::pair<std::string, const google::protobuf::Message*>>& events) {
    eventstore::Commit commit;
    commit.commit_id = commit_id;
    commit.principal = "raw-writer";
    std::map<std::string, size_t> index;
    for (const auto& [stream, payload] : events) {
      auto [it, added] = index.emplace(stream, commit.writes.size());
      if (added) commit.writes.push_back({stream, eventstore::ExpectedVersion::Any(), {}});
      eventstore::NewEvent e;
      e.type = domain::EventType(*payload);
      e.data = payload->SerializeAsString();
      e.effective_date = "2019-09-01";
      e.basis.number = "raw";
      commit.writes[it->second].events.push_back(std::move(e));
    }
    auto result = store_.Append(commit);
    ASSERT_TRUE(result.ok()) << result.status();
  }

  // The decoded events of one stream, in order.
  // The stream's events in log order (`effect_order` false) or in the order they take effect,
  // as the write side folds them (services/domain/timeline.h).
  std::vector<std::shared_ptr<const google::protobuf::Message>> ReadStream(
      const std::string& stream, bool effect_order) {
    std::vector<domain::DatedEvent> dated;
    auto slice = store_.ReadStream(stream, 0, eventstore::ReadDirection::kForward,
                                   eventstore::kReadCountMax);
    EXPECT_TRUE(slice.ok()) << slice.status();
    if (!slice.ok()) return {};
    EXPECT_LT(slice->events.size(), eventstore::kReadCountMax) << stream;
    for (const eventstore::RecordedEvent& e : slice->events) {
      auto decoded = domain::DecodeEvent(e.type, e.data);
      EXPECT_TRUE(decoded.ok()) << decoded.status();
      if (decoded.ok()) dated.push_back({e.effective_date, std::move(*decoded)});
    }
    if (effect_order) domain::SortByEffect(dated);
    std::vector<std::shared_ptr<const google::protobuf::Message>> out;
    for (domain::DatedEvent& d : dated) out.push_back(std::move(d.event));
    return out;
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  CommandDriver driver_;
  uint64_t before_merger_ = 0;
  uint64_t departed_at_ = 0;
};

TEST_F(StaffingProjectionTest, QuotaPeopleAndLeaderPostsThroughAReform) {
  RecordStory();
  auto tables = Replay();
  const EntityTable& staffing = *tables[0];
  // The 三定 set the 编办's quota to 5 + 1, the transfer took one 行政编制 with the deputy
  // (who left the post); the merger moved everything of jxj and kjj into jxkj; p4 retired.
  EXPECT_EQ(RenderStaffing(StaffingOf(staffing, "西区", /*include_ceased=*/true)),
            "bianban 区委编办 [党委部门] 西区 locked by reform2020\n"
            "  行政编制: quota 4, in post 1, 空编 3\n"
            "  工勤编制: quota 1, in post 0, 空编 1\n"
            "  正科级 主任: approved 1, appointed 1 (p1 主任)\n"
            "  副科级 副主任: approved 2, appointed 0\n"
            "jxj 区经济和信息化局 [政府部门] 西区 (ceased: 并入区经济信息化和科学技术局)\n"
            "jxkj 区经济信息化和科学技术局 [政府部门] 西区\n"
            "  行政编制: quota 6, in post 2, 空编 4\n"
            "  工勤编制: quota 1, in post 1\n"
            "kjj 区科学技术局 [政府部门] 西区 (ceased: 并入区经济信息化和科学技术局)\n"
            "djzx 区事业单位登记服务中心 [事业单位] 西区\n"
            "  事业编制: quota 2, in post 1, 空编 1\n");
  EXPECT_EQ(RenderStaffing(StaffingOf(staffing, "东区", /*include_ceased=*/false)),
            "dongqu-bb 东区编办 [党委部门] 东区\n"
            "  行政编制: quota 1, in post 0, 空编 1\n");
  // The staffing model counts; who is in post (实名制) is the people model's, and the two agree
  // on every agency and category.
  std::map<std::pair<std::string, pb::QuotaCategory>, int64_t> counted;
  ConstTable<rm::AgencyStaffing>(staffing).ForEach(
      [&](const std::string& id, const rm::AgencyStaffing& s) {
        for (const rm::QuotaLine& l : s.quotas()) {
          if (l.in_post() != 0) counted[{id, l.category()}] = l.in_post();
        }
      });
  std::map<std::pair<std::string, pb::QuotaCategory>, int64_t> named;
  ConstTable<rm::PersonRecord>(*tables[1])
      .ForEach([&](const std::string&, const rm::PersonRecord& p) {
        if (!p.departed()) ++named[{p.agency_id(), p.category()}];
      });
  EXPECT_EQ(counted, named);
  EXPECT_EQ(counted.size(), 4u);  // bianban, djzx, and jxkj on two categories
  const auto* jxkj = ConstTable<rm::AgencyStaffing>(staffing).Find("jxkj");
  ASSERT_NE(jxkj, nullptr);
  EXPECT_EQ(jxkj->last_position(), departed_at_);  // p4's departure
}

// An agency's entity holds counts, not its people: registering 300 more people into it changes
// the figures, not the size of what is stored and rewritten with every roster change.
TEST_F(StaffingProjectionTest, AnAgencysEntityDoesNotGrowWithItsPeople) {
  Establish("zfj", "区综合执法局", pb::GOVERNMENT_DEPARTMENT);
  Grant("zfj", pb::ADMINISTRATIVE, 400);
  auto entity_bytes = [&] {
    auto tables = Replay();
    const auto* zfj = ConstTable<rm::AgencyStaffing>(*tables[0]).Find("zfj");
    EXPECT_NE(zfj, nullptr);
    return zfj == nullptr ? std::string() : EntityTable::Serialize(*zfj);
  };
  for (int p = 0; p < 3; ++p) Register(absl::StrCat("z", p), "执法队员", "zfj", pb::ADMINISTRATIVE);
  const std::string three = entity_bytes();
  api::RegisterPersonsRequest r;
  for (int p = 3; p < 303; ++p) {
    api::PersonToRegister* person = r.add_persons();
    person->set_person_id(absl::StrCat("z", p));
    person->set_name("执法队员");
    person->set_agency_id("zfj");
    person->set_category(pb::ADMINISTRATIVE);
    person->set_entry_reason(pb::CIVIL_SERVICE_EXAM);
  }
  // The year and reason of the first three: their one 增员 line counts on.
  driver_.On("2018-03-01").Must(domain::DecideRegisterPersons, r);
  const std::string three_hundred_three = entity_bytes();
  auto tables = Replay();
  EXPECT_EQ(RenderStaffing(StaffingOf(*tables[0], "", false)),
            "zfj 区综合执法局 [政府部门] 西区\n"
            "  行政编制: quota 400, in post 303, 空编 97\n");
  // The varints of the counts and of the last position grow by a byte each; nothing else does.
  EXPECT_LE(three_hundred_three.size(), three.size() + 3);
}

// 实名制 year-end statistics: 增员 and 减员 per agency, year and reason, counted from the
// registrations and departures by the year they take effect.
TEST_F(StaffingProjectionTest, IncreasesAndDecreasesAreCountedByYearAndReason) {
  RecordStory();
  auto tables = Replay();
  auto changes = [&](const std::string& agency) {
    std::vector<std::string> out;
    const auto* s = ConstTable<rm::AgencyStaffing>(*tables[0]).Find(agency);
    EXPECT_NE(s, nullptr) << agency;
    if (s == nullptr) return out;
    for (const StaffChangeFigures& c : FiguresOf(*s).changes) {
      out.push_back(
          absl::StrCat(c.year, c.departure ? " 减员 " : " 增员 ", c.reason, " ", c.count));
    }
    return out;
  };
  EXPECT_THAT(changes("bianban"), ElementsAre("2018 增员 考录 2"));
  // p4 and p5 were registered at kjj in 2018; p4 moved to jxkj with the merger (a transfer:
  // neither 增员 nor 减员) and retired from jxkj in 2019.
  EXPECT_THAT(changes("kjj"), ElementsAre("2018 增员 考录 2"));
  EXPECT_THAT(changes("djzx"), ElementsAre("2018 增员 公开招聘 1"));
  EXPECT_THAT(changes("jxkj"), ElementsAre("2019 减员 退休 1"));
}

TEST_F(StaffingProjectionTest, AnAuditAtAnEarlierPositionSeesTheStateBeforeTheMerger) {
  RecordStory();
  auto tables = Replay(before_merger_);
  EXPECT_EQ(RenderStaffing(StaffingOf(*tables[0], "西区", /*include_ceased=*/false)),
            "bianban 区委编办 [党委部门] 西区\n"
            "  行政编制: quota 4, in post 1, 空编 3\n"
            "  工勤编制: quota 1, in post 0, 空编 1\n"
            "  正科级 主任: approved 1, appointed 1 (p1 主任)\n"
            "  副科级 副主任: approved 2, appointed 0\n"
            "jxj 区经济和信息化局 [政府部门] 西区\n"
            "  行政编制: quota 4, in post 2, 空编 2\n"
            "kjj 区科学技术局 [政府部门] 西区\n"
            "  行政编制: quota 2, in post 1, 空编 1\n"
            "  工勤编制: quota 1, in post 1\n"
            "djzx 区事业单位登记服务中心 [事业单位] 西区\n"
            "  事业编制: quota 2, in post 1, 空编 1\n");
  EXPECT_EQ(Person(*tables[1], "p4"),
            "p4 赵强 in kjj on 行政编制 (科员)\n"
            "  #23 2018-03-01 西委编〔2018〕3号: 进入kjj（行政编制，科员），考录\n");
}

TEST_F(StaffingProjectionTest, PeopleAndTheirHistories) {
  RecordStory();
  auto tables = Replay();
  const EntityTable& people = *tables[1];
  EXPECT_EQ(Person(people, "p1"),
            "p1 张明 in bianban on 行政编制 (科员), 主任 (正科级)\n"
            "  #17 2018-03-01 西委编〔2018〕3号: 进入bianban（行政编制，科员），考录\n"
            "  #30 2019-04-10 西委干〔2019〕8号: 任主任（正科级）\n");
  EXPECT_EQ(Person(people, "p2"),
            "p2 李华 in jxkj on 行政编制 (科员)\n"
            "  #19 2018-03-01 西委编〔2018〕3号: 进入bianban（行政编制，科员），考录\n"
            "  #32 2019-04-10 西委干〔2019〕8号: 任副主任（副科级）\n"
            "  #38 2019-05-01 西委编〔2019〕12号: 调动：bianban → jxj；不再担任"
            "副主任（副科级）\n"
            "  #48 2019-06-01 西委发〔2019〕5号: 调动：jxj → jxkj\n");
  EXPECT_EQ(Person(people, "p4"),
            "p4 赵强 departed\n"
            "  #23 2018-03-01 西委编〔2018〕3号: 进入kjj（行政编制，科员），考录\n"
            "  #54 2019-06-01 西委发〔2019〕5号: 调动：kjj → jxkj\n"
            "  #59 2019-06-30 西人社〔2019〕40号: 减员（退休）\n");
  EXPECT_EQ(Person(people, "p6"),
            "p6 孙丽 in djzx on 事业编制\n"
            "  #27 2018-03-01 西委编〔2018〕3号: 进入djzx（事业编制），公开招聘\n");
  const auto* p4 = ConstTable<rm::PersonRecord>(people).Find("p4");
  ASSERT_NE(p4, nullptr);
  EXPECT_EQ(p4->history(2).agency_id(), "jxkj");
  EXPECT_EQ(p4->history(2).ref().event_type(), "reformlog.domain.v1.PersonDeparted");
  std::vector<std::string> in_post;
  for (const rm::PersonRecord* p : PeopleInPost(people, "jxkj")) in_post.push_back(p->person_id());
  EXPECT_THAT(in_post, ElementsAre("p2", "p3", "p5"));
  EXPECT_THAT(PeopleInPost(people, "jxj"), IsEmpty());
}

TEST_F(StaffingProjectionTest, JurisdictionCheckOfAConsistentLogIsClear) {
  RecordStory();
  auto tables = Replay();
  EXPECT_EQ(RenderCheck(CheckJurisdiction(*tables[0], "西区")),
            "四清两对应 西区: 3 agencies (+2 ceased); quota 14, in post 5, 空编 9; leader posts "
            "3, leaders 1\n"
            "  行政编制: quota 10, in post 3, 空编 7\n"
            "  事业编制: quota 2, in post 1, 空编 1\n"
            "  工勤编制: quota 2, in post 1, 空编 1\n"
            "clear: no violations\n");
}

// The write side refuses all of these; a foreign or buggy writer appending straight to the
// store is what the check is for.
TEST_F(StaffingProjectionTest, JurisdictionCheckListsEveryViolationWithItsNumbers) {
  Establish("over", "区综合执法局", pb::GOVERNMENT_DEPARTMENT);
  Grant("over", pb::ADMINISTRATIVE, 1);
  Establish("gone", "区旧局", pb::GOVERNMENT_DEPARTMENT);
  Grant("gone", pb::ADMINISTRATIVE, 1);
  Register("q1", "周一", "gone", pb::ADMINISTRATIVE);
  Establish("center", "区服务中心", pb::PUBLIC_INSTITUTION);

  pb::RosterChanged roster;  // three people on one 行政编制, one on 事业编制
  roster.set_agency_id("over");
  for (const char* id : {"x1", "x2", "x3"}) {
    pb::RosterEntry* e = roster.add_joined();
    e->set_person_id(id);
    e->set_category(pb::ADMINISTRATIVE);
  }
  pb::RosterEntry* mixed = roster.add_joined();
  mixed->set_person_id("x4");
  mixed->set_category(pb::PUBLIC_SERVICE);
  pb::QuotaGranted public_service;  // 事业编制 for a 政府部门
  public_service.set_agency_id("over");
  public_service.set_category(pb::PUBLIC_SERVICE);
  public_service.set_count(2);
  pb::LeadersChanged leaders;  // two 局长 where no post is approved
  leaders.set_agency_id("over");
  for (const char* id : {"x1", "x2"}) {
    pb::LeaderEntry* e = leaders.add_appointed();
    e->set_person_id(id);
    e->set_rank(pb::SECTION_CHIEF);
    e->set_title("局长");
  }
  AppendRaw(
      "raw-over",
      {{"agency-over", &roster}, {"agency-over", &public_service}, {"agency-over", &leaders}});
  pb::AgencyAbolished abolished;  // with someone still in post
  abolished.set_agency_id("gone");
  AppendRaw("raw-gone", {{"agency-gone", &abolished}});
  pb::QuotaGranted administrative;  // 行政编制 for a 事业单位
  administrative.set_agency_id("center");
  administrative.set_category(pb::ADMINISTRATIVE);
  administrative.set_count(3);
  AppendRaw("raw-center", {{"agency-center", &administrative}});

  auto tables = Replay();
  const JurisdictionCheck check = CheckJurisdiction(*tables[0], "西区");
  EXPECT_FALSE(check.Clear());
  EXPECT_EQ(RenderCheck(check),
            "四清两对应 西区: 2 agencies (+1 ceased); quota 7, in post 5, 空编 4, 超编 2; leader "
            "posts 0, leaders 2, 超职数 2\n"
            "  行政编制: quota 5, in post 4, 空编 3, 超编 2\n"
            "  事业编制: quota 2, in post 1, 空编 1\n"
            "6 violations:\n"
            "  编制类别不符 agency-center (区服务中心) is a 事业单位: 行政编制 quota 3, which is "
            "used only in 党政机关\n"
            "  撤并机构仍有人员 agency-gone (区旧局) has ceased (撤销); in post 1\n"
            "  超编 agency-over (区综合执法局) 行政编制: quota 1, in post 3 (超编 2)\n"
            "  编制类别不符 agency-over (区综合执法局) is a 政府部门: 事业编制 quota 2, which is "
            "never used in a 党政机关\n"
            "  混编混岗 agency-over (区综合执法局) is a 政府部门: 事业编制 in post 1, which is "
            "never used in a 党政机关\n"
            "  超职数 agency-over (区综合执法局) 正科级 leader posts: approved 0, appointed 2 "
            "(超职数 2)\n");
  // The structured form carries the numbers too.
  const StaffingViolation& over = check.violations[2];
  EXPECT_EQ(over.kind, ViolationKind::kOverQuota);
  EXPECT_EQ(over.agency_id, "over");
  EXPECT_EQ(over.category, pb::ADMINISTRATIVE);
  EXPECT_EQ(over.limit, 1);
  EXPECT_EQ(over.actual, 3);
  const StaffingViolation& leaders_over = check.violations[5];
  EXPECT_EQ(leaders_over.kind, ViolationKind::kOverLeaderPosts);
  EXPECT_EQ(leaders_over.rank, pb::SECTION_CHIEF);
  EXPECT_EQ(leaders_over.limit, 0);
  EXPECT_EQ(leaders_over.actual, 2);
}

// A 三定 replaces quotas and approved posts but moves nobody; a person leaving the roster
// leaves their leader post; lines with nothing in them disappear.
TEST_F(StaffingProjectionTest, MandateReplacesQuotaAndPostsButKeepsPeople) {
  Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT);
  Grant("bianban", pb::ADMINISTRATIVE, 2);
  Grant("bianban", pb::SUPPORT_STAFF, 1);
  Register("p1", "张明", "bianban", pb::ADMINISTRATIVE);
  api::IssueMandateRequest m;
  m.set_agency_id("bianban");
  pb::QuotaCount* q = m.add_quotas();
  q->set_category(pb::ADMINISTRATIVE);
  q->set_count(3);
  pb::LeaderPostCount* chief = m.add_leader_posts();
  chief->set_rank(pb::SECTION_CHIEF);
  chief->set_count(1);
  chief->set_title("主任");
  driver_.On("2019-04-01").Must(domain::DecideIssueMandate, m);
  Appoint("p1", "bianban", pb::SECTION_CHIEF, "主任");
  auto tables = Replay();
  EXPECT_EQ(RenderStaffing(StaffingOf(*tables[0], "", false)),
            "bianban 区委编办 [党委部门] 西区\n"
            "  行政编制: quota 3, in post 1, 空编 2\n"
            "  正科级 主任: approved 1, appointed 1 (p1 主任)\n");
  api::RemoveLeaderRequest removal;
  removal.set_person_id("p1");
  removal.set_agency_id("bianban");
  driver_.On("2019-05-01").Must(domain::DecideRemoveLeader, removal);
  Appoint("p1", "bianban", pb::SECTION_CHIEF, "主任", "2019-06-01");
  api::RecordDepartureRequest departure;
  departure.set_person_id("p1");
  departure.set_reason(pb::RESIGNED);
  departure.set_note("调往市级机关");
  driver_.On("2019-08-01").Must(domain::DecideRecordDeparture, departure);
  tables = Replay();
  EXPECT_EQ(RenderStaffing(StaffingOf(*tables[0], "", false)),
            "bianban 区委编办 [党委部门] 西区\n"
            "  行政编制: quota 3, in post 0, 空编 3\n"
            "  正科级 主任: approved 1, appointed 0\n");
  const auto* p1 = ConstTable<rm::PersonRecord>(*tables[1]).Find("p1");
  ASSERT_NE(p1, nullptr);
  std::vector<std::string> summaries;
  for (const rm::PersonChange& c : p1->history()) summaries.push_back(c.summary());
  EXPECT_THAT(summaries,
              ElementsAre("进入bianban（行政编制，科员），考录", "任主任（正科级）",
                          "免去主任（正科级）", "任主任（正科级）", "减员（辞职：调往市级机关）"));
  EXPECT_EQ(p1->leader_rank(), pb::RANK_UNSPECIFIED);
}

// The read models fold the streams as the write side's states do: for every agency and person
// a random command sequence touched, the figures equal AgencyState's and PersonState's.
//
// Known gap: the staffing read model folds each agency in log order, while the write side
// folds in effective-date order (timeline.h). They differ only where late entries reorder
// changes that do not commute (two renames; a grant effective before a 三定 that sets the quota
// outright), so this compares with the log-order fold. Folding the read model by effective date
// comes with its as-of-date views (issue 12).
TEST_F(StaffingProjectionTest, AgreesWithTheWriteSidesOwnFold) {
  RecordStory();
  // One command in five is a late entry (random_commands.h), and many are refused.
  for (const unsigned seed : {5u, 6u, 7u}) testing::RandomCommands(driver_, seed).Run(1'500);
  auto tables = Replay();
  size_t agencies = 0;
  ConstTable<rm::AgencyStaffing>(*tables[0])
      .ForEach([&](const std::string& id, const rm::AgencyStaffing& s) {
        domain::AgencyState state;
        for (const auto& e : ReadStream(domain::AgencyStream(id), false)) state.Apply(*e);
        ++agencies;
        EXPECT_EQ(s.name(), state.name) << id;
        EXPECT_EQ(s.ceased(), state.ceased) << id;
        EXPECT_EQ(s.locked_by_plan(), state.locked_by_plan) << id;
        std::map<pb::QuotaCategory, std::pair<int64_t, int64_t>> mine;
        std::map<pb::QuotaCategory, std::pair<int64_t, int64_t>> theirs;
        for (const rm::QuotaLine& l : s.quotas()) mine[l.category()] = {l.quota(), l.in_post()};
        for (const auto& [c, n] : state.quotas) {
          if (n != 0 || state.InPost(c) != 0) theirs[c] = {n, state.InPost(c)};
        }
        for (const auto& [c, n] : state.in_post) {
          if (n != 0) theirs[c] = {state.Quota(c), n};
        }
        EXPECT_EQ(mine, theirs) << id;
        std::map<std::string, std::pair<pb::Rank, std::string>> my_leaders;
        std::map<std::string, std::pair<pb::Rank, std::string>> their_leaders;
        for (const rm::LeaderPostLine& l : s.leader_posts()) {
          EXPECT_EQ(l.approved(), state.LeaderPostsAt(l.rank())) << id;
          for (const auto& leader : l.leaders()) {
            my_leaders[leader.person_id()] = {l.rank(), leader.title()};
          }
        }
        for (const auto& [person, post] : state.leaders) {
          their_leaders[person] = {post.rank, post.title};
        }
        EXPECT_EQ(my_leaders, their_leaders) << id;
      });
  size_t people = 0;
  ConstTable<rm::PersonRecord>(*tables[1])
      .ForEach([&](const std::string& id, const rm::PersonRecord& p) {
        domain::PersonState state;
        for (const auto& e : ReadStream(domain::PersonStream(id), false)) state.Apply(*e);
        ++people;
        EXPECT_EQ(p.agency_id(), state.agency_id) << id;
        EXPECT_EQ(p.category(), state.category) << id;
        EXPECT_EQ(p.departed(), state.departed) << id;
        EXPECT_EQ(p.leader_rank(), state.is_leader ? state.leader_rank : pb::RANK_UNSPECIFIED)
            << id;
      });
  EXPECT_GT(agencies, 20u);
  EXPECT_GT(people, 10u);  // the random mix registers some; the comparison is the point
}

}  // namespace
}  // namespace reformlog::projections
