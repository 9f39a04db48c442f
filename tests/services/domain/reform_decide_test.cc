// Decisions of the reform context: a plan's lifecycle (drafted → approved → tasks → closed),
// each success as the exact event it records and each refusal by code and message.
#include "services/domain/reform_decide.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/org_agency_decide.h"
#include "tests/testing/fake_state_view.h"

namespace reformlog::domain {
namespace {

using testing::EventsOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kPlan[] = "xiqu-2019";

api::DraftPlanRequest Draft(const std::string& plan_id = kPlan,
                            const std::string& title = "西区机构改革方案") {
  api::DraftPlanRequest r;
  r.set_plan_id(plan_id);
  r.set_title(title);
  r.set_jurisdiction("攀枝花市西区");
  return r;
}

api::PlanRequest OnPlan(const std::string& plan_id = kPlan) {
  api::PlanRequest r;
  r.set_plan_id(plan_id);
  return r;
}

api::AddTaskRequest Task(const std::string& task_id, const std::string& agency = "jianshe",
                         pb::TaskKind kind = pb::MANDATE_ISSUED,
                         const std::string& due = "2019-03-31") {
  api::AddTaskRequest r;
  r.set_plan_id(kPlan);
  r.set_task_id(task_id);
  r.set_agency_id(agency);
  r.set_kind(kind);
  r.set_due_date(due);
  r.set_description("印发区住房城乡建设局“三定”规定");
  return r;
}

api::CompleteTaskRequest Complete(const std::string& task_id, const std::string& note = "") {
  api::CompleteTaskRequest r;
  r.set_plan_id(kPlan);
  r.set_task_id(task_id);
  r.set_note(note);
  return r;
}

void ExpectRejected(const absl::StatusOr<Decision>& d, absl::StatusCode code,
                    const std::string& message) {
  EXPECT_EQ(d.status().code(), code) << d.status();
  EXPECT_THAT(d.status().message(), HasSubstr(message));
}

class ReformDecideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    api::EstablishAgencyRequest r;
    r.mutable_agency()->set_agency_id("jianshe");
    r.mutable_agency()->set_name("区住房和城乡建设局");
    r.mutable_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
    r.mutable_agency()->set_rank(pb::SECTION_CHIEF);
    ASSERT_TRUE(view_.Record(DecideEstablishAgency(view_, r)));
  }
  void Record(const absl::StatusOr<Decision>& d) { ASSERT_TRUE(view_.Record(d)) << d.status(); }
  const PlanState& Plan(const std::string& id = kPlan) { return **view_.Plan(id); }

  testing::FakeStateView view_;
};

TEST_F(ReformDecideTest, APlanIsDraftedApprovedCarriedOutAndClosed) {
  absl::StatusOr<Decision> drafted = DecideDraftPlan(view_, Draft());
  ASSERT_TRUE(drafted.ok()) << drafted.status();
  ASSERT_THAT(drafted->events(), SizeIs(1));
  EXPECT_EQ(drafted->events()[0].stream_id, "plan-xiqu-2019");
  const pb::PlanDrafted& plan = *EventsOf<pb::PlanDrafted>(*drafted).at(0);
  EXPECT_EQ(plan.plan_id(), kPlan);
  EXPECT_EQ(plan.title(), "西区机构改革方案");
  EXPECT_EQ(plan.jurisdiction(), "攀枝花市西区");
  Record(drafted);
  EXPECT_TRUE(Plan().exists);
  EXPECT_FALSE(Plan().approved);

  absl::StatusOr<Decision> approved = DecideApprovePlan(view_, OnPlan());
  ASSERT_TRUE(approved.ok()) << approved.status();
  ASSERT_THAT(approved->events(), SizeIs(1));
  EXPECT_EQ(approved->events()[0].stream_id, "plan-xiqu-2019");
  EXPECT_EQ(EventsOf<pb::PlanApproved>(*approved).at(0)->plan_id(), kPlan);
  Record(approved);
  EXPECT_TRUE(Plan().approved);

  absl::StatusOr<Decision> added = DecideAddTask(view_, Task("sanding-jianshe"));
  ASSERT_TRUE(added.ok()) << added.status();
  ASSERT_THAT(added->events(), SizeIs(1));
  EXPECT_EQ(added->events()[0].stream_id, "plan-xiqu-2019");
  const pb::TaskAdded& task = *EventsOf<pb::TaskAdded>(*added).at(0);
  EXPECT_EQ(task.plan_id(), kPlan);
  EXPECT_EQ(task.task_id(), "sanding-jianshe");
  EXPECT_EQ(task.agency_id(), "jianshe");
  EXPECT_EQ(task.kind(), pb::MANDATE_ISSUED);
  EXPECT_EQ(task.due_date(), "2019-03-31");
  EXPECT_EQ(task.description(), "印发区住房城乡建设局“三定”规定");
  Record(added);
  Record(DecideAddTask(view_, Task("other-archive", "jianshe", pb::OTHER_TASK, "2019-06-30")));
  ASSERT_THAT(Plan().tasks, SizeIs(2));
  EXPECT_FALSE(Plan().tasks.at("other-archive").completed);

  absl::StatusOr<Decision> completed =
      DecideCompleteTask(view_, Complete("other-archive", "档案移交完毕"));
  ASSERT_TRUE(completed.ok()) << completed.status();
  ASSERT_THAT(completed->events(), SizeIs(1));
  const pb::TaskCompleted& done = *EventsOf<pb::TaskCompleted>(*completed).at(0);
  EXPECT_EQ(done.plan_id(), kPlan);
  EXPECT_EQ(done.task_id(), "other-archive");
  EXPECT_EQ(done.note(), "档案移交完毕");
  Record(completed);
  EXPECT_TRUE(Plan().tasks.at("other-archive").completed);
  EXPECT_FALSE(Plan().tasks.at("sanding-jianshe").completed);

  absl::StatusOr<Decision> closed = DecideClosePlan(view_, OnPlan());
  ASSERT_TRUE(closed.ok()) << closed.status();
  ASSERT_THAT(closed->events(), SizeIs(1));
  EXPECT_EQ(EventsOf<pb::PlanClosed>(*closed).at(0)->plan_id(), kPlan);
  Record(closed);
  EXPECT_TRUE(Plan().closed);
}

TEST_F(ReformDecideTest, DraftRejections) {
  Record(DecideDraftPlan(view_, Draft()));
  ExpectRejected(DecideDraftPlan(view_, Draft(kPlan, "另一个方案")),
                 absl::StatusCode::kAlreadyExists,
                 "plan-xiqu-2019 (西区机构改革方案) already exists");
  EXPECT_EQ(Plan().title, "西区机构改革方案");
  ExpectRejected(DecideDraftPlan(view_, Draft("xiqu 2019")), absl::StatusCode::kInvalidArgument,
                 "plan_id \"xiqu 2019\"");
  ExpectRejected(DecideDraftPlan(view_, Draft("")), absl::StatusCode::kInvalidArgument,
                 "plan_id is empty");
  ExpectRejected(DecideDraftPlan(view_, Draft("p2", "")), absl::StatusCode::kInvalidArgument,
                 "title is empty");
  api::DraftPlanRequest long_jurisdiction = Draft("p2");
  long_jurisdiction.set_jurisdiction(std::string(kTextBytesMax + 1, 'x'));
  ExpectRejected(DecideDraftPlan(view_, long_jurisdiction), absl::StatusCode::kInvalidArgument,
                 "jurisdiction is 1025 bytes");
  // The jurisdiction may be left out.
  api::DraftPlanRequest no_jurisdiction = Draft("p2");
  no_jurisdiction.clear_jurisdiction();
  EXPECT_TRUE(DecideDraftPlan(view_, no_jurisdiction).ok());
}

TEST_F(ReformDecideTest, ApprovalIsOnceAndOnlyWhileOpen) {
  ExpectRejected(DecideApprovePlan(view_, OnPlan()), absl::StatusCode::kNotFound,
                 "plan_id: no plan xiqu-2019");
  ExpectRejected(DecideApprovePlan(view_, OnPlan("")), absl::StatusCode::kInvalidArgument,
                 "plan_id is empty");
  Record(DecideDraftPlan(view_, Draft()));
  Record(DecideApprovePlan(view_, OnPlan()));
  ExpectRejected(DecideApprovePlan(view_, OnPlan()), absl::StatusCode::kFailedPrecondition,
                 "plan-xiqu-2019 (西区机构改革方案) is already approved");

  // A draft closed unapproved (abandoned) is not approved afterwards.
  Record(DecideDraftPlan(view_, Draft("dropped", "旧方案")));
  Record(DecideClosePlan(view_, OnPlan("dropped")));
  ExpectRejected(DecideApprovePlan(view_, OnPlan("dropped")), absl::StatusCode::kFailedPrecondition,
                 "plan-dropped (旧方案) is closed: it takes no more changes");
  EXPECT_FALSE(Plan("dropped").approved);
}

TEST_F(ReformDecideTest, AddTaskRejections) {
  ExpectRejected(DecideAddTask(view_, Task("t1")), absl::StatusCode::kNotFound,
                 "no plan xiqu-2019");
  Record(DecideDraftPlan(view_, Draft()));
  Record(DecideAddTask(view_, Task("t1")));
  ExpectRejected(DecideAddTask(view_, Task("t1", "jianshe", pb::HANG_NAMEPLATE)),
                 absl::StatusCode::kAlreadyExists,
                 "plan-xiqu-2019 (西区机构改革方案) already has task t1 (三定印发 of "
                 "agency-jianshe, due 2019-03-31)");
  ExpectRejected(DecideAddTask(view_, Task("t2", "nowhere")), absl::StatusCode::kNotFound,
                 "agency_id: no agency nowhere");
  struct Case {
    api::AddTaskRequest request;
    std::string message;
  };
  api::AddTaskRequest long_description = Task("t2");
  long_description.set_description(std::string(kTextBytesMax + 1, 'x'));
  std::vector<Case> cases = {
      {Task("t 2"), "task_id \"t 2\""},
      {Task(""), "task_id is empty"},
      {Task("t2", ""), "agency_id is empty"},
      {Task("t2", "jianshe", pb::TASK_KIND_UNSPECIFIED), "kind 0 is missing or unknown"},
      {Task("t2", "jianshe", static_cast<pb::TaskKind>(9)), "kind 9 is missing or unknown"},
      {Task("t2", "jianshe", pb::MANDATE_ISSUED, ""), "due_date is empty"},
      {Task("t2", "jianshe", pb::MANDATE_ISSUED, "2019-02-30"),
       "due_date \"2019-02-30\" is not a date of the form YYYY-MM-DD"},
      {Task("t2", "jianshe", pb::MANDATE_ISSUED, "2019/03/31"), "due_date \"2019/03/31\""},
      {long_description, "description is 1025 bytes"},
  };
  for (const Case& c : cases) {
    ExpectRejected(DecideAddTask(view_, c.request), absl::StatusCode::kInvalidArgument, c.message);
  }
  EXPECT_THAT(Plan().tasks, SizeIs(1));

  Record(DecideClosePlan(view_, OnPlan()));
  ExpectRejected(DecideAddTask(view_, Task("t2")), absl::StatusCode::kFailedPrecondition,
                 "plan-xiqu-2019 (西区机构改革方案) is closed");
}

TEST_F(ReformDecideTest, ATaskMayConcernAnAgencyThatHasCeased) {
  Record(DecideDraftPlan(view_, Draft()));
  api::AbolishAgencyRequest abolish;
  abolish.set_agency_id("jianshe");
  Record(DecideAbolishAgency(view_, abolish));
  absl::StatusOr<Decision> d = DecideAddTask(view_, Task("t1", "jianshe", pb::OTHER_TASK));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_EQ(EventsOf<pb::TaskAdded>(*d).at(0)->agency_id(), "jianshe");
}

TEST_F(ReformDecideTest, APlanHoldsAtMostTheLimitOfTasks) {
  Record(DecideDraftPlan(view_, Draft()));
  for (size_t i = 0; i < kPlanTasksMax; ++i)
    Record(DecideAddTask(view_, Task(absl::StrCat("t", i))));
  ExpectRejected(
      DecideAddTask(view_, Task("one-more")), absl::StatusCode::kFailedPrecondition,
      "plan-xiqu-2019 (西区机构改革方案) has 1000 tasks; the limit kPlanTasksMax is 1000");
}

TEST_F(ReformDecideTest, CompleteTaskRejections) {
  Record(DecideDraftPlan(view_, Draft()));
  Record(DecideAddTask(view_, Task("t1")));
  ExpectRejected(DecideCompleteTask(view_, Complete("t9")), absl::StatusCode::kNotFound,
                 "task_id: plan-xiqu-2019 (西区机构改革方案) has no task t9");
  ExpectRejected(DecideCompleteTask(view_, Complete("t 1")), absl::StatusCode::kInvalidArgument,
                 "task_id \"t 1\"");
  ExpectRejected(DecideCompleteTask(view_, Complete("t1", std::string(kTextBytesMax + 1, 'x'))),
                 absl::StatusCode::kInvalidArgument, "note is 1025 bytes");
  api::CompleteTaskRequest elsewhere = Complete("t1");
  elsewhere.set_plan_id("nowhere");
  ExpectRejected(DecideCompleteTask(view_, elsewhere), absl::StatusCode::kNotFound,
                 "no plan nowhere");

  Record(DecideCompleteTask(view_, Complete("t1")));
  ExpectRejected(DecideCompleteTask(view_, Complete("t1")), absl::StatusCode::kFailedPrecondition,
                 "task t1 (三定印发 of agency-jianshe, due 2019-03-31) of plan-xiqu-2019 "
                 "(西区机构改革方案) is already completed");

  Record(DecideAddTask(view_, Task("t2")));
  Record(DecideClosePlan(view_, OnPlan()));
  ExpectRejected(DecideCompleteTask(view_, Complete("t2")), absl::StatusCode::kFailedPrecondition,
                 "plan-xiqu-2019 (西区机构改革方案) is closed");
  EXPECT_FALSE(Plan().tasks.at("t2").completed);
}

TEST_F(ReformDecideTest, APlanClosesOnce) {
  ExpectRejected(DecideClosePlan(view_, OnPlan()), absl::StatusCode::kNotFound,
                 "no plan xiqu-2019");
  Record(DecideDraftPlan(view_, Draft()));
  Record(DecideClosePlan(view_, OnPlan()));
  ExpectRejected(DecideClosePlan(view_, OnPlan()), absl::StatusCode::kFailedPrecondition,
                 "plan-xiqu-2019 (西区机构改革方案) is already closed");
  ExpectRejected(DecideDraftPlan(view_, Draft()), absl::StatusCode::kAlreadyExists,
                 "already exists");  // a closed plan's id is not reused
}

}  // namespace
}  // namespace reformlog::domain
