// ReformQueries over a real reformd on port 0: commands through the gRPC command stubs, then
// queries with min_position = the command's position (read-your-writes) — a plan's progress
// today and on other dates, per agency and overall, with the event that completed each task
// (挂牌 by the establishment, 三定 by the mandate, a task by hand), agency names; "today" moving
// a task from due to overdue; the list of plans; the recorded-time audit (as_of_position); and
// errors.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/reform_commands.grpc.pb.h"
#include "reformlog/api/v1/reform_queries.grpc.pb.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::ElementsAre;

class ReformQueriesTest : public testing::ReformdFixture {
 protected:
  ReformQueriesTest() { basis_ = "西委发〔2019〕1号"; }

  void SetUp() override {
    ReformdFixture::SetUp();
    if (HasFatalFailure()) return;
    const auto& channel = Channel();
    org_ = api::OrgCommands::NewStub(channel);
    reform_ = api::ReformCommands::NewStub(channel);
    queries_ = api::ReformQueries::NewStub(channel);
  }

  uint64_t Establish(const std::string& id, const std::string& name, const std::string& date) {
    return Must([&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); },
                testing::requests::EstablishAgency(id, name, pb::GOVERNMENT_DEPARTMENT), date,
                "西委发〔2019〕2号");
  }
  uint64_t AddTask(const std::string& task_id, const std::string& agency, pb::TaskKind kind,
                   const std::string& due) {
    api::AddTaskRequest r;
    r.set_plan_id("xiqu-2019");
    r.set_task_id(task_id);
    r.set_agency_id(agency);
    r.set_kind(kind);
    r.set_due_date(due);
    r.set_description(absl::StrCat(agency, " ", pb::TaskKind_Name(kind)));
    return Must([&](auto* c, const auto& q, auto* a) { return reform_->AddTask(c, q, a); }, r,
                "2019-01-25");
  }
  uint64_t Mandate(const std::string& agency, const std::string& date) {
    api::IssueMandateRequest m;
    m.set_agency_id(agency);
    m.add_functions("自然资源管理");
    return Must([&](auto* c, const auto& q, auto* a) { return org_->IssueMandate(c, q, a); }, m,
                date, "西委办〔2019〕40号");
  }

  // The plan; the new bureau's 挂牌 recorded before its tasks; its 三定 after; jxj's task done
  // by hand. Returns the positions of the last task added and of the last command.
  std::pair<uint64_t, uint64_t> RecordStory() {
    Establish("jxj", "区经济和信息化局", "2018-01-01");
    api::DraftPlanRequest draft;
    draft.set_plan_id("xiqu-2019");
    draft.set_title("西区机构改革方案");
    draft.set_jurisdiction("西区");
    Must([&](auto* c, const auto& q, auto* a) { return reform_->DraftPlan(c, q, a); }, draft,
         "2018-12-01", "西委发〔2018〕30号");
    api::PlanRequest approve;
    approve.set_plan_id("xiqu-2019");
    Must([&](auto* c, const auto& q, auto* a) { return reform_->ApprovePlan(c, q, a); }, approve,
         "2019-01-10", "川委函〔2019〕1号");
    Establish("zrzyj", "区自然资源局", "2019-01-20");
    AddTask("t1", "zrzyj", pb::HANG_NAMEPLATE, "2019-01-31");
    AddTask("t2", "zrzyj", pb::MANDATE_ISSUED, "2019-03-31");
    AddTask("t3", "jxj", pb::MANDATE_ISSUED, "2019-07-15");
    const uint64_t tasks = AddTask("t4", "jxj", pb::OTHER_TASK, "2019-05-31");
    Mandate("zrzyj", "2019-04-15");
    api::CompleteTaskRequest done;
    done.set_plan_id("xiqu-2019");
    done.set_task_id("t4");
    done.set_note("职能划转协议已签订");
    const uint64_t last =
        Must([&](auto* c, const auto& q, auto* a) { return reform_->CompleteTask(c, q, a); }, done,
             "2019-05-20", "西改办〔2019〕7号");
    return {tasks, last};
  }

  api::GetPlanProgressResponse Progress(const std::string& date, uint64_t min_position,
                                        uint64_t as_of_position = 0) {
    api::GetPlanProgressRequest r;
    r.set_plan_id("xiqu-2019");
    r.set_as_of_date(date);
    r.set_min_position(min_position);
    r.set_as_of_position(as_of_position);
    api::GetPlanProgressResponse response;
    grpc::Status s = queries_->GetPlanProgress(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  static std::string Counts(const api::ProgressCounts& c) {
    return absl::StrCat(c.tasks(), " tasks: ", c.done(), " done, ", c.due(), " due, ", c.overdue(),
                        " overdue");
  }

  // One line per agency, then per task.
  static std::vector<std::string> Lines(const api::GetPlanProgressResponse& r) {
    std::vector<std::string> out = {absl::StrCat("overall ", Counts(r.plan().overall()))};
    for (const api::AgencyProgress& a : r.agencies()) {
      out.push_back(absl::StrCat(a.agency_id(), " ", a.agency_name(), ": ", Counts(a.counts())));
    }
    for (const api::TaskStatus& t : r.tasks()) {
      std::string line = absl::StrCat(t.task_id(), " ", t.agency_name(), " ",
                                      api::TaskStatus::State_Name(t.state()));
      if (t.has_completed_by()) {
        absl::StrAppend(&line, " by ", t.completed_by().event_type(), " ",
                        t.completed_by().effective_date(), " [", t.completed_by().basis_number(),
                        "]");
      }
      if (!t.note().empty()) absl::StrAppend(&line, ": ", t.note());
      out.push_back(line);
    }
    return out;
  }

  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::ReformCommands::Stub> reform_;
  std::unique_ptr<api::ReformQueries::Stub> queries_;
};

TEST_F(ReformQueriesTest, ProgressTodayAndOnOtherDatesWithTheEventsThatDidEachTask) {
  const uint64_t last = RecordStory().second;
  const api::GetPlanProgressResponse today = Progress("", last);
  EXPECT_EQ(today.as_of_date(), "2019-07-01");
  EXPECT_GE(today.position(), last);
  EXPECT_EQ(today.plan().title(), "西区机构改革方案");
  EXPECT_TRUE(today.plan().approved());
  EXPECT_EQ(today.plan().approved_by().basis_number(), "川委函〔2019〕1号");
  EXPECT_THAT(Lines(today),
              ElementsAre("overall 4 tasks: 3 done, 1 due, 0 overdue",
                          "jxj 区经济和信息化局: 2 tasks: 1 done, 1 due, 0 overdue",
                          "zrzyj 区自然资源局: 2 tasks: 2 done, 0 due, 0 overdue",
                          "t1 区自然资源局 DONE by reformlog.domain.v1.AgencyEstablished "
                          "2019-01-20 [西委发〔2019〕2号]",
                          "t2 区自然资源局 DONE by reformlog.domain.v1.MandateIssued 2019-04-15 "
                          "[西委办〔2019〕40号]",
                          "t3 区经济和信息化局 DUE",
                          "t4 区经济和信息化局 DONE by reformlog.domain.v1.TaskCompleted "
                          "2019-05-20 [西改办〔2019〕7号]: 职能划转协议已签订"));
  EXPECT_THAT(Lines(Progress("2019-04-01", last)),
              ElementsAre("overall 4 tasks: 1 done, 2 due, 1 overdue",
                          "jxj 区经济和信息化局: 2 tasks: 0 done, 2 due, 0 overdue",
                          "zrzyj 区自然资源局: 2 tasks: 1 done, 0 due, 1 overdue",
                          "t1 区自然资源局 DONE by reformlog.domain.v1.AgencyEstablished "
                          "2019-01-20 [西委发〔2019〕2号]",
                          "t2 区自然资源局 OVERDUE", "t3 区经济和信息化局 DUE",
                          "t4 区经济和信息化局 DUE: 职能划转协议已签订"));
  // Today moves on: jxj's 三定, due 2019-07-15, is overdue on 2019-07-16.
  clock_.Advance(absl::Hours(24 * 15));
  const api::GetPlanProgressResponse later = Progress("", last);
  EXPECT_EQ(later.as_of_date(), "2019-07-16");
  EXPECT_EQ(Counts(later.plan().overall()), "4 tasks: 3 done, 0 due, 1 overdue");
}

TEST_F(ReformQueriesTest, ListPlansAndAudit) {
  const auto [tasks, last] = RecordStory();
  api::ListPlansRequest list;
  list.set_min_position(last);
  api::ListPlansResponse plans;
  ASSERT_TRUE(queries_->ListPlans(Context().get(), list, &plans).ok());
  ASSERT_EQ(plans.plans_size(), 1);
  EXPECT_EQ(plans.plans(0).plan_id(), "xiqu-2019");
  EXPECT_EQ(Counts(plans.plans(0).overall()), "4 tasks: 3 done, 1 due, 0 overdue");
  list.set_jurisdiction("东区");
  ASSERT_TRUE(queries_->ListPlans(Context().get(), list, &plans).ok());
  EXPECT_EQ(plans.plans_size(), 0);
  list.clear_jurisdiction();
  list.set_as_of_date("2018-11-30");  // before the plan was drafted
  ASSERT_TRUE(queries_->ListPlans(Context().get(), list, &plans).ok());
  EXPECT_EQ(plans.plans_size(), 0);
  // Before the tasks were added, none counts and none is dropped.
  const api::GetPlanProgressResponse early = Progress("2019-01-24", last);
  EXPECT_EQ(early.plan().overall().tasks(), 0);
  EXPECT_EQ(early.plan().tasks_added_later(), 4);
  // The audit: what the system knew once the tasks were added, about today — only the 挂牌
  // done; the 三定 of the new bureau and jxj's other task overdue.
  EXPECT_EQ(Counts(Progress("", 0, tasks).plan().overall()), "4 tasks: 1 done, 1 due, 2 overdue");
}

TEST_F(ReformQueriesTest, BadInputIsInvalidArgumentNamingTheFieldAndUnknownIdsAreNotFound) {
  const uint64_t last = RecordStory().second;
  api::GetPlanProgressRequest r;
  api::GetPlanProgressResponse progress;
  r.set_min_position(last);
  ExpectStatus(queries_->GetPlanProgress(Context().get(), r, &progress),
               grpc::StatusCode::INVALID_ARGUMENT, "plan_id is empty");
  r.set_plan_id("no such plan");
  ExpectStatus(queries_->GetPlanProgress(Context().get(), r, &progress),
               grpc::StatusCode::INVALID_ARGUMENT, "plan_id");
  r.set_plan_id("xiqu-2019");
  r.set_as_of_date("2019/07/01");
  ExpectStatus(queries_->GetPlanProgress(Context().get(), r, &progress),
               grpc::StatusCode::INVALID_ARGUMENT, "as_of_date");
  r.clear_as_of_date();
  r.set_plan_id("dongqu-2019");
  ExpectStatus(queries_->GetPlanProgress(Context().get(), r, &progress),
               grpc::StatusCode::NOT_FOUND, "plan-dongqu-2019");
  r.set_plan_id("xiqu-2019");
  r.set_as_of_date("2018-11-30");
  ExpectStatus(queries_->GetPlanProgress(Context().get(), r, &progress),
               grpc::StatusCode::NOT_FOUND,
               "plan-xiqu-2019 was drafted on 2018-12-01, after 2018-11-30");
  r.clear_as_of_date();
  r.set_as_of_position(last + 100);
  ExpectStatus(queries_->GetPlanProgress(Context().get(), r, &progress),
               grpc::StatusCode::OUT_OF_RANGE, "as_of_position");

  api::ListPlansRequest list;
  api::ListPlansResponse plans;
  list.set_min_position(last);
  list.set_jurisdiction(std::string(2000, 'x'));
  ExpectStatus(queries_->ListPlans(Context().get(), list, &plans),
               grpc::StatusCode::INVALID_ARGUMENT, "jurisdiction");
  list.clear_jurisdiction();
  list.set_as_of_date("yesterday");
  ExpectStatus(queries_->ListPlans(Context().get(), list, &plans),
               grpc::StatusCode::INVALID_ARGUMENT, "as_of_date");
}

}  // namespace
}  // namespace reformlog::services
