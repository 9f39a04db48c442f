// reformctl plan … and progress (clients/reformctl/reform_cli.cc) end to end: a plan's tasks
// done, due and overdue on each date, with the event that did each; the demo district's plan
// with all 78 tasks done.
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/reform_queries.pb.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ReformctlTest, ProgressOfAPlanDoneDueAndOverdueWithWhatDidEachTask) {
  SetUpDistrict();
  MustSucceed(
      {"plan", "draft", "--id", "p19", "--title", "西区机构改革方案", "--jurisdiction", "西区"},
      "2019-01-10");
  MustSucceed({"plan", "approve", "p19"}, "2019-02-26");
  MustSucceed({"plan", "task", "add", "--plan", "p19", "--id", "t1", "--agency", "jxj", "--kind",
               "三定印发", "--due", "2019-06-30"},
              "2019-02-26");
  MustSucceed({"plan", "task", "add", "--plan", "p19", "--id", "t2", "--agency", "kjj", "--kind",
               "其他任务", "--due", "2019-04-30", "--description", "清理档案"},
              "2019-02-26");
  MustSucceed({"agency", "mandate", "jxj", "--function", "工业运行监测", "--quota", "行政编制=5"},
              "2019-05-24");

  CtlRun may = Ctl({"progress", "p19", "--as-of", "2019-05-01"}, false);
  ASSERT_EQ(may.code, 0) << may.err;
  EXPECT_THAT(may.out, HasSubstr("2 tasks: 0 done, 1 due, 1 overdue"));
  CtlRun june = Ctl({"progress", "p19", "--as-of", "2019-06-01"}, false);
  ASSERT_EQ(june.code, 0) << june.err;
  EXPECT_THAT(june.out, HasSubstr("2 tasks: 1 done, 0 due, 1 overdue"));
  EXPECT_THAT(june.out, HasSubstr("approved 2019-02-26 西委编〔2019〕1号"));
  // The agency table and the task table line up with the Chinese names.
  std::vector<std::string> lines = absl::StrSplit(june.out, '\n', absl::SkipEmpty());
  size_t task_header = 0;
  for (size_t i = 0; i < lines.size(); ++i)
    task_header = lines[i].rfind("task", 0) == 0 ? i : task_header;
  ASSERT_EQ(task_header + 4, lines.size()) << june.out;  // header, rule, t1, t2
  const size_t state = DisplayColumn(lines[task_header], "state");
  EXPECT_EQ(DisplayColumn(lines[task_header + 2], "done"), state) << june.out;
  EXPECT_EQ(DisplayColumn(lines[task_header + 3], "overdue"), state) << june.out;
  EXPECT_THAT(lines[task_header + 2], HasSubstr("2019-05-24 西委编〔2019〕1号"));
  EXPECT_THAT(lines[task_header + 2], HasSubstr("MandateIssued"));

  const auto progress = FromJson<api::v1::GetPlanProgressResponse>(
      Ctl({"--json", "progress", "p19", "--as-of", "2019-06-01"}, false).out);
  EXPECT_EQ(progress.plan().overall().done(), 1);
  EXPECT_EQ(progress.plan().overall().overdue(), 1);
  ASSERT_EQ(progress.tasks_size(), 2);
  EXPECT_EQ(progress.tasks(0).state(), api::v1::TaskStatus::DONE);
  EXPECT_EQ(progress.tasks(0).completed_by().effective_date(), "2019-05-24");
  EXPECT_FALSE(progress.tasks(0).completed_by().event_type().empty());
  EXPECT_EQ(progress.tasks(1).state(), api::v1::TaskStatus::OVERDUE);
  ASSERT_EQ(progress.agencies_size(), 2);
  EXPECT_EQ(progress.agencies(0).agency_id(), "jxj");
  EXPECT_EQ(progress.agencies(0).counts().done(), 1);
  EXPECT_EQ(progress.agencies(1).counts().overdue(), 1);

  MustSucceed({"plan", "task", "complete", "--plan", "p19", "--id", "t2", "--note", "已清理"},
              "2019-06-10");
  CtlRun done = Ctl({"progress", "p19", "--as-of", "2019-06-30"}, false);
  ASSERT_EQ(done.code, 0) << done.err;
  EXPECT_THAT(done.out, HasSubstr("2 tasks: 2 done, 0 due, 0 overdue"));
  CtlRun plans = Ctl({"progress", "--as-of", "2019-06-30"}, false);
  ASSERT_EQ(plans.code, 0) << plans.err;
  EXPECT_THAT(plans.out, HasSubstr("1 plans"));
  EXPECT_THAT(plans.out, HasSubstr("p19"));
  EXPECT_THAT(plans.out, HasSubstr("approved"));

  MustSucceed({"plan", "close", "p19"}, "2019-07-05");
  CtlRun open = Ctl({"progress", "--as-of", kEndOf2019}, false);
  ASSERT_EQ(open.code, 0) << open.err;
  EXPECT_THAT(open.out, HasSubstr("0 plans"));
  CtlRun closed = Ctl({"progress", "--as-of", kEndOf2019, "--include-closed"}, false);
  ASSERT_EQ(closed.code, 0) << closed.err;
  EXPECT_THAT(closed.out, HasSubstr("closed"));

  CtlRun unknown = Ctl({"progress", "nope"}, false);
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
  CtlRun too_early = Ctl({"progress", "p19", "--as-of", "2019-01-01"}, false);
  EXPECT_EQ(too_early.code, 1);
  CtlRun mixed = Ctl({"progress", "p19", "--jurisdiction", "西区"}, false);
  EXPECT_EQ(mixed.code, 2);
  CtlRun approve_unknown = Ctl({"plan", "approve", "nope"});
  EXPECT_EQ(approve_unknown.code, 1);
  CtlRun complete_unknown = Ctl({"plan", "task", "complete", "--plan", "p19", "--id", "nope"});
  EXPECT_EQ(complete_unknown.code, 1);
  CtlRun bad_kind = Ctl({"plan", "task", "add", "--plan", "p19", "--id", "t3", "--agency", "jxj",
                         "--kind", "喝茶", "--due", "2019-08-01"});
  EXPECT_EQ(bad_kind.code, 2);
}

TEST_F(DemoDistrictCtlTest, TheReformPlanEveryTaskDoneWithTheEventThatDidIt) {
  CtlRun plan = Query({"progress", kDemoPlan, "--as-of", kEndOf2019});
  EXPECT_THAT(plan.out, HasSubstr("78 tasks: 78 done, 0 due, 0 overdue"));
  EXPECT_THAT(plan.out, HasSubstr("西区机构改革方案"));
  const auto progress = FromJson<api::v1::GetPlanProgressResponse>(
      Query({"--json", "progress", kDemoPlan, "--as-of", kEndOf2019}).out);
  ASSERT_EQ(progress.tasks_size(), 78);
  for (const auto& t : progress.tasks()) {
    EXPECT_EQ(t.state(), api::v1::TaskStatus::DONE) << t.task_id();
    EXPECT_GT(t.completed_by().position(), 0u) << t.task_id();
    EXPECT_FALSE(t.completed_by().basis_number().empty()) << t.task_id();
  }
  // Before the reform, the tasks were still due.
  CtlRun early = Query({"progress", kDemoPlan, "--as-of", "2019-03-01"});
  EXPECT_THAT(early.out, Not(HasSubstr("78 done")));
  CtlRun plans = Query({"progress", "--as-of", kEndOf2019, "--jurisdiction", "西区"});
  EXPECT_THAT(plans.out, HasSubstr("1 plans"));
  EXPECT_THAT(plans.out, HasSubstr(kDemoPlan));
}

}  // namespace
}  // namespace reformlog::testing
