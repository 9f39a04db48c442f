// reformctl plan draft, approve, close, task add, task complete (ReformCommands) and progress
// (ReformQueries: a plan's tasks done, due and overdue, or every plan): the reform context
// (改革方案).
#include <array>
#include <iostream>
#include <memory>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/display_text.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

std::string TaskState(api::TaskStatus::State state) {
  return absl::AsciiStrToLower(api::TaskStatus::State_Name(state));
}

void PrintPlan(const api::GetPlanProgressResponse& p) {
  const api::PlanSummary& plan = p.plan();
  const api::ProgressCounts& all = plan.overall();
  std::cout << plan.plan_id() << "  " << plan.title();
  if (!plan.jurisdiction().empty()) std::cout << " (" << plan.jurisdiction() << ")";
  std::cout << Tr("  截至 ", "  as of ") << p.as_of_date() << Tr("（日志位置 ", " (log position ")
            << p.position() << Tr("）\n", ")\n") << Tr("起草 ", "drafted ")
            << DateAndBasis(plan.drafted());
  if (plan.approved())
    std::cout << Tr("；批准 ", "; approved ") << DateAndBasis(plan.approved_by());
  if (plan.closed()) std::cout << Tr("；办结 ", "; closed ") << DateAndBasis(plan.closed_by());
  std::cout << "\n"
            << Tr("任务 ", "") << all.tasks() << Tr(" 项：已完成 ", " tasks: ") << all.done()
            << Tr("，已到期 ", " done, ") << all.due() << Tr("，逾期 ", " due, ") << all.overdue()
            << Tr("", " overdue");
  if (plan.tasks_added_later() > 0) {
    std::cout << Tr("（", " (") << plan.tasks_added_later() << Tr(" 项于 ", " more added after ")
              << p.as_of_date() << Tr(" 之后追加）", ")");
  }
  std::cout << "\n\n";
  Table agencies(TrEach({{"机构编号", "agency"},
                         {"名称", "name"},
                         {"任务数", "tasks"},
                         {"已完成", "done"},
                         {"已到期", "due"},
                         {"逾期", "overdue"}}));
  agencies.AlignRight({2, 3, 4, 5});
  for (const api::AgencyProgress& a : p.agencies()) {
    const api::ProgressCounts& c = a.counts();
    agencies.Add({a.agency_id(), a.agency_name(), absl::StrCat(c.tasks()), absl::StrCat(c.done()),
                  absl::StrCat(c.due()), absl::StrCat(c.overdue())});
  }
  if (!agencies.empty()) {
    agencies.Print(std::cout);
    std::cout << "\n";
  }
  Table tasks(TrEach({{"任务", "task"},
                      {"机构编号", "agency"},
                      {"类型", "kind"},
                      {"已到期", "due"},
                      {"状态", "state"},
                      {"完成依据", "done by"},
                      {"事件", "event"},
                      {"日志位置", "position"}}));
  tasks.AlignRight({7});
  for (const api::TaskStatus& t : p.tasks()) {
    const bool done = t.state() == api::TaskStatus::DONE;
    tasks.Add({t.task_id(), AgencyAndName(t.agency_id(), t.agency_name()), Label(t.kind()),
               t.due_date(), TaskState(t.state()), done ? DateAndBasis(t.completed_by()) : "",
               done ? EventName(t.completed_by()) : "",
               done ? absl::StrCat(t.completed_by().position()) : ""});
  }
  if (!tasks.empty()) tasks.Print(std::cout);
}

void PrintPlans(const api::ListPlansResponse& list) {
  std::cout << Tr("截至 ", "as of ") << list.as_of_date() << Tr("（日志位置 ", " (log position ")
            << list.position() << Tr("）：改革方案 ", "): ") << list.plans_size()
            << Tr(" 个\n", " plans\n");
  if (list.plans().empty()) return;
  Table table(TrEach({{"方案", "plan"},
                      {"名称", "title"},
                      {"地区", "jurisdiction"},
                      {"状态", "state"},
                      {"任务数", "tasks"},
                      {"已完成", "done"},
                      {"已到期", "due"},
                      {"逾期", "overdue"}}));
  table.AlignRight({4, 5, 6, 7});
  for (const api::PlanSummary& p : list.plans()) {
    const api::ProgressCounts& c = p.overall();
    table.Add({p.plan_id(), p.title(), p.jurisdiction(),
               p.closed() ? "closed" : (p.approved() ? "approved" : "drafted"),
               absl::StrCat(c.tasks()), absl::StrCat(c.done()), absl::StrCat(c.due()),
               absl::StrCat(c.overdue())});
  }
  table.Print(std::cout);
}

// Changes.

// plan draft
void AddDraftPlan(CLI::App& plan, Cli& cli) {
  auto* draft = plan.add_subcommand("draft", Tr("起草改革方案", "draft a reform plan"));
  auto d = std::make_shared<std::array<std::string, 3>>();
  draft->add_option("--id", (*d)[0], Tr("方案编号", "plan id"))->required();
  draft->add_option("--title", (*d)[1], Tr("标题", "title"))->required();
  draft->add_option("--jurisdiction", (*d)[2], Tr("地区，如 西区", "jurisdiction, e.g. 西区"));
  draft->callback([&cli, d] {
    api::DraftPlanRequest r;
    r.set_plan_id((*d)[0]);
    r.set_title((*d)[1]);
    r.set_jurisdiction((*d)[2]);
    cli.Command(cli.client().reform(), &api::ReformCommands::Stub::DraftPlan, r);
  });
}

// plan approve when `approve`, plan close otherwise
void AddApproveOrClosePlan(CLI::App& plan, Cli& cli, bool approve) {
  auto* cmd = plan.add_subcommand(
      approve ? "approve" : "close",
      approve ? Tr("依 --basis 所列文件批准改革方案", "approve a plan on the document in --basis")
              : Tr("改革方案办结", "close a plan"));
  auto id = std::make_shared<std::string>();
  cmd->add_option("plan", *id, Tr("改革方案编号", "plan id"))->required();
  cmd->callback([&cli, id, approve] {
    api::PlanRequest r;
    r.set_plan_id(*id);
    cli.Command(
        cli.client().reform(),
        approve ? &api::ReformCommands::Stub::ApprovePlan : &api::ReformCommands::Stub::ClosePlan,
        r);
  });
}

// plan task add
void AddTask(CLI::App& task, Cli& cli) {
  auto* add = task.add_subcommand("add", Tr("为机构添加改革任务", "add a task for an agency"));
  auto t = std::make_shared<std::array<std::string, 6>>();
  add->add_option("--plan", (*t)[0], Tr("改革方案编号", "plan id"))->required();
  add->add_option("--id", (*t)[1], Tr("任务编号", "task id"))->required();
  add->add_option("--agency", (*t)[2], Tr("机构编号", "agency id"))->required();
  add->add_option("--kind", (*t)[3], "挂牌, 班子到位, 人员转隶, 三定印发, 其他任务")->required();
  add->add_option("--due", (*t)[4], Tr("日期 YYYY-MM-DD", "YYYY-MM-DD"))->required();
  add->add_option("--description", (*t)[5], Tr("任务说明", "what the task is"));
  add->callback([&cli, t] {
    api::AddTaskRequest r;
    r.set_plan_id((*t)[0]);
    r.set_task_id((*t)[1]);
    r.set_agency_id((*t)[2]);
    r.set_kind(ParseEnum<pb::TaskKind>("--kind", (*t)[3]));
    r.set_due_date((*t)[4]);
    r.set_description((*t)[5]);
    cli.Command(cli.client().reform(), &api::ReformCommands::Stub::AddTask, r);
  });
}

// plan task complete
void AddCompleteTask(CLI::App& task, Cli& cli) {
  auto* complete = task.add_subcommand(
      "complete",
      Tr("登记没有对应事件的任务已完成", "record a task done that no recorded event does"));
  auto c = std::make_shared<std::array<std::string, 3>>();
  complete->add_option("--plan", (*c)[0], Tr("改革方案编号", "plan id"))->required();
  complete->add_option("--id", (*c)[1], Tr("任务编号", "task id"))->required();
  complete->add_option("--note", (*c)[2], Tr("备注", "note"));
  complete->callback([&cli, c] {
    api::CompleteTaskRequest r;
    r.set_plan_id((*c)[0]);
    r.set_task_id((*c)[1]);
    r.set_note((*c)[2]);
    cli.Command(cli.client().reform(), &api::ReformCommands::Stub::CompleteTask, r);
  });
}

// Queries.

// progress
void AddPlanProgress(CLI::App& app, Cli& cli) {
  struct Args {
    std::string plan, as_of, jurisdiction;
    bool closed = false;
    uint64_t at_position = 0;
  };
  auto a = std::make_shared<Args>();
  auto* progress = app.add_subcommand(
      "progress",
      "改革方案 progress: a plan's tasks done, due and overdue, per agency and overall, with "
      "the event that did each; without PLAN every plan");
  progress->add_option("plan", a->plan,
                       Tr("改革方案编号（默认：全部方案）", "the plan id (default: every plan)"));
  progress->add_option("--as-of", a->as_of,
                       Tr("日期 YYYY-MM-DD（默认今日）", "YYYY-MM-DD (default: today)"));
  progress->add_option("--jurisdiction", a->jurisdiction,
                       Tr("不给方案时：只列此地区的方案", "without PLAN: only this one's plans"));
  progress->add_flag("--include-closed", a->closed,
                     Tr("不给方案时：也列出已办结的方案", "without PLAN: also closed plans"));
  progress->add_option("--at-position", a->at_position,
                       Tr("按日志此位置时系统所知作答（审计用）",
                          "what the system knew at this log position (audit)"));
  progress->callback([&cli, a] {
    if (a->plan.empty()) {
      api::ListPlansRequest r;
      r.set_as_of_date(a->as_of);
      r.set_jurisdiction(a->jurisdiction);
      r.set_include_closed(a->closed);
      r.set_as_of_position(a->at_position);
      r.set_min_position(cli.min_position());
      api::ListPlansResponse list =
          cli.Query(cli.client().reform_queries(), &api::ReformQueries::Stub::ListPlans, r);
      if (cli.json()) return Cli::PrintJson(list);
      return PrintPlans(list);
    }
    if (!a->jurisdiction.empty() || a->closed) {
      throw Exit{kExitUsage,
                 "progress PLAN shows that one plan; --jurisdiction and --include-closed "
                 "choose among plans when no PLAN is given"};
    }
    api::GetPlanProgressRequest r;
    r.set_plan_id(a->plan);
    r.set_as_of_date(a->as_of);
    r.set_as_of_position(a->at_position);
    r.set_min_position(cli.min_position());
    api::GetPlanProgressResponse p =
        cli.Query(cli.client().reform_queries(), &api::ReformQueries::Stub::GetPlanProgress, r);
    if (cli.json()) return Cli::PrintJson(p);
    PrintPlan(p);
  });
}

}  // namespace

void AddReformCommands(CLI::App& app, Cli& cli) {
  CLI::App& plan = *app.add_subcommand("plan", Tr("改革方案：起草、批准、任务、办结",
                                                  "改革方案: draft, approve, tasks, close"))
                        ->require_subcommand(1);
  AddDraftPlan(plan, cli);
  AddApproveOrClosePlan(plan, cli, /*approve=*/true);
  AddApproveOrClosePlan(plan, cli, /*approve=*/false);
  CLI::App& task =
      *plan.add_subcommand("task", Tr("改革方案的任务", "a plan's tasks"))->require_subcommand(1);
  AddTask(task, cli);
  AddCompleteTask(task, cli);
}

void AddReformQueries(CLI::App& app, Cli& cli) { AddPlanProgress(app, cli); }

}  // namespace reformlog::ctl
