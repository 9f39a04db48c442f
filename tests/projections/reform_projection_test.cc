// The reform read model: plan progress on dates — tasks completed automatically by the events
// that do them (挂牌 by the establishment recorded before the task was added, 人员转隶 by a
// transfer, 班子到位 by an appointment, 三定印发 by the mandate) and not by events on other
// agencies, of other kinds, recorded before the plan was drafted or after it was closed;
// manual TaskCompleted; done vs due vs overdue as of dates; the earliest completing event wins
// whatever the order of recording — golden renderings from a log written by real commands.
#include "projections/reform/reform_projection.h"

#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/in_memory_replay.h"
#include "projections/reform/reform_view.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/reform_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::projections {
namespace {

using testing::CommandDriver;
namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

class ReformProjectionTest : public ::testing::Test {
 protected:
  ReformProjectionTest() : driver_(store_, clock_) {}

  void Establish(const std::string& date, const std::string& id, const std::string& name) {
    driver_.On(date, "西委发〔2019〕2号")
        .Must(domain::DecideEstablishAgency,
              testing::requests::EstablishAgency(id, name, pb::GOVERNMENT_DEPARTMENT));
  }
  void Draft(const std::string& date, const std::string& plan_id) {
    api::DraftPlanRequest r;
    r.set_plan_id(plan_id);
    r.set_title("西区机构改革方案");
    r.set_jurisdiction("西区");
    driver_.On(date, "西委发〔2018〕30号").Must(domain::DecideDraftPlan, r);
  }
  void Approve(const std::string& date, const std::string& plan_id) {
    api::PlanRequest r;
    r.set_plan_id(plan_id);
    driver_.On(date, "川委函〔2019〕1号").Must(domain::DecideApprovePlan, r);
  }
  void Close(const std::string& date, const std::string& plan_id) {
    api::PlanRequest r;
    r.set_plan_id(plan_id);
    driver_.On(date, "西委发〔2019〕99号").Must(domain::DecideClosePlan, r);
  }
  void AddTask(const std::string& plan_id, const std::string& task_id, const std::string& agency,
               pb::TaskKind kind, const std::string& due) {
    api::AddTaskRequest r;
    r.set_plan_id(plan_id);
    r.set_task_id(task_id);
    r.set_agency_id(agency);
    r.set_kind(kind);
    r.set_due_date(due);
    driver_.On("2019-01-25", "西委发〔2019〕3号").Must(domain::DecideAddTask, r);
  }
  void Complete(const std::string& date, const std::string& plan_id, const std::string& task_id,
                const std::string& note) {
    api::CompleteTaskRequest r;
    r.set_plan_id(plan_id);
    r.set_task_id(task_id);
    r.set_note(note);
    driver_.On(date, "西改办〔2019〕7号").Must(domain::DecideCompleteTask, r);
  }
  void AddName(const std::string& date, const std::string& agency, const std::string& name) {
    api::ExtraNameRequest r;
    r.set_agency_id(agency);
    r.set_name(name);
    driver_.On(date, "西委编〔2019〕5号").Must(domain::DecideAddExtraName, r);
  }
  void Mandate(const std::string& date, const std::string& agency) {
    api::IssueMandateRequest m;
    m.set_agency_id(agency);
    m.add_functions("自然资源管理");
    pb::QuotaCount* q = m.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(3);
    pb::LeaderPostCount* chief = m.add_leader_posts();
    chief->set_rank(pb::SECTION_CHIEF);
    chief->set_count(1);
    chief->set_title("局长");
    driver_.On(date, "西委办〔2019〕40号").Must(domain::DecideIssueMandate, m);
  }

  // Agencies before the plan: the district government, two bureaus, and the land bureau with
  // two people.
  void RecordAgencies() {
    Establish("2018-01-01", "gov", "西区人民政府");
    Establish("2018-01-01", "jxj", "区经济和信息化局");
    Establish("2018-01-01", "kjj", "区科学技术局");
    Establish("2018-01-01", "gtj", "区国土资源局");
    api::ChangeQuotaRequest grant;
    grant.set_agency_id("gtj");
    grant.set_category(pb::ADMINISTRATIVE);
    grant.set_count(3);
    driver_.On("2018-01-01").Must(domain::DecideGrantQuota, grant);
    for (const char* person : {"p1", "p2"}) {
      api::RegisterPersonRequest r;
      r.mutable_person()->set_person_id(person);
      r.mutable_person()->set_name(absl::StrCat("人员", person));
      r.mutable_person()->set_agency_id("gtj");
      r.mutable_person()->set_category(pb::ADMINISTRATIVE);
      r.mutable_person()->set_entry_reason(pb::CIVIL_SERVICE_EXAM);
      r.mutable_person()->set_post("科员");
      driver_.On("2018-03-01").Must(domain::DecideRegisterPerson, r);
    }
  }

  // The plan and its work, recorded in an order that is not the effective order.
  void RecordStory() {
    RecordAgencies();
    Draft("2018-12-01", "xiqu-2019");
    Approve("2019-01-10", "xiqu-2019");
    // 挂牌 of the new bureau, recorded before its tasks are added.
    Establish("2019-01-20", "zrzyj", "区自然资源局");
    AddTask("xiqu-2019", "t1", "zrzyj", pb::HANG_NAMEPLATE, "2019-01-31");
    AddTask("xiqu-2019", "t2", "zrzyj", pb::LEADERSHIP_IN_PLACE, "2019-02-28");
    AddTask("xiqu-2019", "t3", "zrzyj", pb::STAFF_TRANSFER, "2019-03-31");
    AddTask("xiqu-2019", "t4", "zrzyj", pb::MANDATE_ISSUED, "2019-03-31");
    AddTask("xiqu-2019", "t5", "jxj", pb::MANDATE_ISSUED, "2019-06-30");
    AddTask("xiqu-2019", "t6", "jxj", pb::OTHER_TASK, "2019-05-31");
    AddTask("xiqu-2019", "t7", "kjj", pb::HANG_NAMEPLATE, "2019-04-30");
    // The government was established before the plan was drafted: that is not its 挂牌.
    AddTask("xiqu-2019", "t8", "gov", pb::HANG_NAMEPLATE, "2019-01-31");
    // 三定 of the new bureau, late (due 03-31, effective 04-15).
    Mandate("2019-04-15", "zrzyj");
    // Work on other agencies or of other kinds completes nothing of kjj, jxj or gov.
    AddName("2019-02-01", "jxj", "区中小企业局");
    Mandate("2019-02-15", "kjj");
    // 人员转隶 with the quota, and the bureau's chief: both back-dated before the mandate.
    api::TransferPersonsRequest t;
    t.set_from_agency_id("gtj");
    t.set_to_agency_id("zrzyj");
    t.add_person_ids("p1");
    t.add_person_ids("p2");
    pb::QuotaCount* q = t.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(2);
    driver_.On("2019-03-10", "西委编〔2019〕12号").Must(domain::DecideTransferPersons, t);
    // The chief's post, approved by the plan ahead of the 三定 (核定领导职数).
    driver_.On("2019-03-01", "西委发〔2019〕5号")
        .Must(domain::DecideApproveLeaderPosts,
              testing::requests::ApproveLeaderPosts("zrzyj", pb::SECTION_CHIEF, 1, "局长"));
    api::AppointLeaderRequest a;
    a.set_person_id("p1");
    a.set_agency_id("zrzyj");
    a.set_rank(pb::SECTION_CHIEF);
    a.set_title("局长");
    driver_.On("2019-03-20", "西委干〔2019〕8号").Must(domain::DecideAppointLeader, a);
    // A task no event does, completed by hand.
    Complete("2019-05-20", "xiqu-2019", "t6", "职能划转协议已签订");
    // kjj's 挂牌 confirmed by hand on 06-01; the 加挂牌子 itself, effective earlier, is
    // recorded after: it is the completing event.
    Complete("2019-06-01", "xiqu-2019", "t7", "已挂牌");
    AddName("2019-04-20", "kjj", "区知识产权局");
  }

  std::unique_ptr<EntityTable> Replay() {
    ReformProjection reform;
    auto tables = ReplayInMemory(store_, {&reform}, store_.HeadPosition());
    EXPECT_TRUE(tables.ok()) << tables.status();
    return std::move((*tables)[0]);
  }

  static std::string Progress(const EntityTable& reform, const std::string& plan_id,
                              const std::string& date) {
    const rm::PlanProgress* plan = ConstTable<rm::PlanProgress>(reform).Find(plan_id);
    if (plan == nullptr) return "no plan";
    return RenderProgress(ProgressAsOf(*plan, date));
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  CommandDriver driver_;
};

TEST_F(ReformProjectionTest, TasksAreDoneByTheEventsThatDoThem) {
  RecordStory();
  std::unique_ptr<EntityTable> reform = Replay();
  // 挂牌 by the establishment recorded before the task was added; 班子到位 (late), 人员转隶 by
  // events recorded after it; the 三定 is not effective yet; the government's 挂牌 was before
  // the plan; neither jxj's 加挂牌子 nor kjj's 三定 is kjj's 挂牌.
  EXPECT_EQ(Progress(*reform, "xiqu-2019", "2019-04-01"),
            "xiqu-2019 西区机构改革方案 (西区) as of 2019-04-01: approved 2019-01-10 "
            "[川委函〔2019〕1号]; 8 tasks: 3 done, 3 due, 2 overdue\n"
            "  agency gov: 1 task: 0 done, 0 due, 1 overdue\n"
            "  agency jxj: 2 tasks: 0 done, 2 due, 0 overdue\n"
            "  agency kjj: 1 task: 0 done, 1 due, 0 overdue\n"
            "  agency zrzyj: 4 tasks: 3 done, 0 due, 1 overdue\n"
            "  t1 zrzyj 挂牌 due 2019-01-31: done 2019-01-20 by AgencyEstablished #16 "
            "[西委发〔2019〕2号]\n"
            "  t2 zrzyj 班子到位 due 2019-02-28: done 2019-03-20 by LeadersChanged #38 "
            "[西委干〔2019〕8号]\n"
            "  t3 zrzyj 人员转隶 due 2019-03-31: done 2019-03-10 by PersonTransferred #34 "
            "[西委编〔2019〕12号]\n"
            "  t4 zrzyj 三定印发 due 2019-03-31: overdue\n"
            "  t5 jxj 三定印发 due 2019-06-30: due\n"
            "  t6 jxj 其他任务 due 2019-05-31: due\n"
            "  t7 kjj 挂牌 due 2019-04-30: due\n"
            "  t8 gov 挂牌 due 2019-01-31: overdue\n");
  // The 三定 done late; the manual task with its note; kjj's 挂牌 by its 加挂牌子, effective
  // before the manual confirmation recorded first.
  EXPECT_EQ(
      Progress(*reform, "xiqu-2019", "2019-07-01"),
      "xiqu-2019 西区机构改革方案 (西区) as of 2019-07-01: approved 2019-01-10 "
      "[川委函〔2019〕1号]; 8 tasks: 6 done, 0 due, 2 overdue\n"
      "  agency gov: 1 task: 0 done, 0 due, 1 overdue\n"
      "  agency jxj: 2 tasks: 1 done, 0 due, 1 overdue\n"
      "  agency kjj: 1 task: 1 done, 0 due, 0 overdue\n"
      "  agency zrzyj: 4 tasks: 4 done, 0 due, 0 overdue\n"
      "  t1 zrzyj 挂牌 due 2019-01-31: done 2019-01-20 by AgencyEstablished #16 "
      "[西委发〔2019〕2号]\n"
      "  t2 zrzyj 班子到位 due 2019-02-28: done 2019-03-20 by LeadersChanged #38 "
      "[西委干〔2019〕8号]\n"
      "  t3 zrzyj 人员转隶 due 2019-03-31: done 2019-03-10 by PersonTransferred #34 "
      "[西委编〔2019〕12号]\n"
      "  t4 zrzyj 三定印发 due 2019-03-31: done 2019-04-15 by MandateIssued #26 "
      "[西委办〔2019〕40号]\n"
      "  t5 jxj 三定印发 due 2019-06-30: overdue\n"
      "  t6 jxj 其他任务 due 2019-05-31: done 2019-05-20 by TaskCompleted #39 "
      "[西改办〔2019〕7号]: 职能划转协议已签订\n"
      "  t7 kjj 挂牌 due 2019-04-30: done 2019-04-20 by ExtraNameAdded #41 [西委编〔2019〕5号]\n"
      "  t8 gov 挂牌 due 2019-01-31: overdue\n");
}

TEST_F(ReformProjectionTest, DueAndOverdueAsOfDates) {
  RecordStory();
  std::unique_ptr<EntityTable> reform = Replay();
  // Before the tasks were added (effective 2019-01-25) none counts, none is dropped.
  EXPECT_EQ(Progress(*reform, "xiqu-2019", "2019-01-24"),
            "xiqu-2019 西区机构改革方案 (西区) as of 2019-01-24: approved 2019-01-10 "
            "[川委函〔2019〕1号]; 0 tasks: 0 done, 0 due, 0 overdue; 8 added later\n");
  // On a task's due date it is still due (t4); the day after, overdue (2019-04-01 above).
  EXPECT_EQ(Progress(*reform, "xiqu-2019", "2019-03-31"),
            "xiqu-2019 西区机构改革方案 (西区) as of 2019-03-31: approved 2019-01-10 "
            "[川委函〔2019〕1号]; 8 tasks: 3 done, 4 due, 1 overdue\n"
            "  agency gov: 1 task: 0 done, 0 due, 1 overdue\n"
            "  agency jxj: 2 tasks: 0 done, 2 due, 0 overdue\n"
            "  agency kjj: 1 task: 0 done, 1 due, 0 overdue\n"
            "  agency zrzyj: 4 tasks: 3 done, 1 due, 0 overdue\n"
            "  t1 zrzyj 挂牌 due 2019-01-31: done 2019-01-20 by AgencyEstablished #16 "
            "[西委发〔2019〕2号]\n"
            "  t2 zrzyj 班子到位 due 2019-02-28: done 2019-03-20 by LeadersChanged #38 "
            "[西委干〔2019〕8号]\n"
            "  t3 zrzyj 人员转隶 due 2019-03-31: done 2019-03-10 by PersonTransferred #34 "
            "[西委编〔2019〕12号]\n"
            "  t4 zrzyj 三定印发 due 2019-03-31: due\n"
            "  t5 jxj 三定印发 due 2019-06-30: due\n"
            "  t6 jxj 其他任务 due 2019-05-31: due\n"
            "  t7 kjj 挂牌 due 2019-04-30: due\n"
            "  t8 gov 挂牌 due 2019-01-31: overdue\n");
  EXPECT_EQ(RenderPlans(PlansAsOf(*reform, "2019-01-31", "", false)),
            "xiqu-2019 西区机构改革方案 (西区) as of 2019-01-31: approved 2019-01-10 "
            "[川委函〔2019〕1号]; 8 tasks: 1 done, 7 due, 0 overdue\n");
  // Not drafted yet; another jurisdiction.
  EXPECT_EQ(RenderPlans(PlansAsOf(*reform, "2018-11-30", "", false)), "");
  EXPECT_EQ(RenderPlans(PlansAsOf(*reform, "2019-01-31", "东区", false)), "");
}

TEST_F(ReformProjectionTest, WorkOutsideTheOpenPlanDoesNotCount) {
  RecordAgencies();
  // Work before the plan was drafted.
  Mandate("2018-10-01", "jxj");
  Draft("2018-12-01", "p-a");
  Draft("2018-12-01", "p-b");
  // Work while both plans are open, before any task: both keep it.
  Establish("2019-01-20", "zrzyj", "区自然资源局");
  Close("2019-02-01", "p-b");
  // Work after p-b closed.
  Mandate("2019-03-01", "zrzyj");
  for (const char* plan : {"p-a"}) {
    AddTask(plan, "nameplate", "zrzyj", pb::HANG_NAMEPLATE, "2019-01-31");
    AddTask(plan, "mandate", "zrzyj", pb::MANDATE_ISSUED, "2019-03-31");
    AddTask(plan, "jxj-mandate", "jxj", pb::MANDATE_ISSUED, "2019-03-31");
  }
  std::unique_ptr<EntityTable> reform = Replay();
  EXPECT_EQ(Progress(*reform, "p-a", "2019-04-01"),
            "p-a 西区机构改革方案 (西区) as of 2019-04-01: not approved; 3 tasks: 2 done, 0 due, 1 "
            "overdue\n"
            "  agency jxj: 1 task: 0 done, 0 due, 1 overdue\n"
            "  agency zrzyj: 2 tasks: 2 done, 0 due, 0 overdue\n"
            "  nameplate zrzyj 挂牌 due 2019-01-31: done 2019-01-20 by AgencyEstablished #17 "
            "[西委发〔2019〕2号]\n"
            "  mandate zrzyj 三定印发 due 2019-03-31: done 2019-03-01 by MandateIssued #20 "
            "[西委办〔2019〕40号]\n"
            "  jxj-mandate jxj 三定印发 due 2019-03-31: overdue\n");
  // A closed plan lists closed only on request.
  EXPECT_EQ(RenderPlans(PlansAsOf(*reform, "2019-04-01", "西区", false)),
            "p-a 西区机构改革方案 (西区) as of 2019-04-01: not approved; 3 tasks: 2 done, 0 due, 1 "
            "overdue\n");
  EXPECT_EQ(RenderPlans(PlansAsOf(*reform, "2019-04-01", "西区", true)),
            "p-a 西区机构改革方案 (西区) as of 2019-04-01: not approved; 3 tasks: 2 done, 0 due, 1 "
            "overdue\n"
            "p-b 西区机构改革方案 (西区) as of 2019-04-01: not approved, closed 2019-02-01; 0 "
            "tasks: 0 done, 0 due, 0 overdue\n");
  const rm::PlanProgress* closed = ConstTable<rm::PlanProgress>(*reform).Find("p-b");
  ASSERT_NE(closed, nullptr);
  EXPECT_TRUE(closed->closed());
  EXPECT_EQ(closed->work_done_size(), 0);
  const rm::PlanProgress* open = ConstTable<rm::PlanProgress>(*reform).Find("p-a");
  ASSERT_NE(open, nullptr);
  EXPECT_EQ(open->work_done_size(), 2);  // zrzyj 挂牌 and 三定; not jxj's earlier 三定
}

TEST_F(ReformProjectionTest, TheEarliestCompletionWinsAndClosingFreezesTasks) {
  RecordAgencies();
  Draft("2018-12-01", "p");
  AddTask("p", "jxj-sanding", "jxj", pb::MANDATE_ISSUED, "2019-03-31");
  AddTask("p", "kjj-sanding", "kjj", pb::MANDATE_ISSUED, "2019-03-31");
  AddTask("p", "gtj-sanding", "gtj", pb::MANDATE_ISSUED, "2019-03-31");
  // jxj: the 三定 first (03-01), then a confirmation by hand (03-05): the 三定 did it, and the
  // note is kept.
  Mandate("2019-03-01", "jxj");
  Complete("2019-03-05", "p", "jxj-sanding", "已核对");
  // kjj: by hand first (02-20), the 三定 recorded later and effective later (03-10).
  Complete("2019-02-20", "p", "kjj-sanding", "先行完成");
  Mandate("2019-03-10", "kjj");
  // gtj: the plan closes before its 三定.
  Close("2019-03-15", "p");
  Mandate("2019-03-20", "gtj");
  std::unique_ptr<EntityTable> reform = Replay();
  EXPECT_EQ(Progress(*reform, "p", "2019-04-01"),
            "p 西区机构改革方案 (西区) as of 2019-04-01: not approved, closed 2019-03-15; 3 tasks: "
            "2 done, 0 due, 1 overdue\n"
            "  agency gtj: 1 task: 0 done, 0 due, 1 overdue\n"
            "  agency jxj: 1 task: 1 done, 0 due, 0 overdue\n"
            "  agency kjj: 1 task: 1 done, 0 due, 0 overdue\n"
            "  jxj-sanding jxj 三定印发 due 2019-03-31: done 2019-03-01 by MandateIssued #18 "
            "[西委办〔2019〕40号]\n"
            "  kjj-sanding kjj 三定印发 due 2019-03-31: done 2019-02-20 by TaskCompleted #20 "
            "[西改办〔2019〕7号]: 先行完成\n"
            "  gtj-sanding gtj 三定印发 due 2019-03-31: overdue\n");
  const rm::PlanProgress* plan = ConstTable<rm::PlanProgress>(*reform).Find("p");
  ASSERT_NE(plan, nullptr);
  EXPECT_EQ(plan->tasks(0).note(), "已核对");
}

}  // namespace
}  // namespace reformlog::projections
