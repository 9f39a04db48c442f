// reformctl powers (who holds each item on a date and how, or --counts per holder and
// category), power show (an item's history) and progress (reform plans: tasks done, due and
// overdue) — over PowerQueries and ReformQueries.
#include <map>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/enums.h"
#include "clients/reformctl/event_text.h"
#include "clients/reformctl/paging.h"
#include "clients/reformctl/table.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;

// How an item is held, as users say it: 本部门 when its own department holds it.
std::string HeldAs(pb::DelegationMode mode) {
  return mode == pb::DELEGATION_MODE_UNSPECIFIED ? "本部门" : Label(mode);
}

std::string AgencyAndName(const std::string& id, const std::string& name) {
  return name.empty() ? id : absl::StrCat(id, " ", name);
}

struct PowersArgs {
  std::string as_of, holder, category;
  bool counts = false;
  uint64_t at_position = 0;
};

void PrintCounts(const api::CountPowersResponse& counts) {
  // A column for each way of holding that some holder has items under, in enum order.
  std::set<pb::DelegationMode> modes;
  for (const api::HolderCount& h : counts.holders()) {
    for (const api::CategoryCount& c : h.categories()) {
      for (const api::HeldAsCount& m : c.by_held_as()) modes.insert(m.held_as());
    }
  }
  std::vector<std::string> header = {"holder", "name", "category", "items"};
  for (pb::DelegationMode mode : modes) header.push_back(HeldAs(mode));
  Table table(header);
  std::vector<size_t> right;
  for (size_t c = 3; c < header.size(); ++c) right.push_back(c);
  table.AlignRight(right);
  auto row = [&](const api::HolderCount& h, const std::string& category, int64_t items,
                 const std::map<pb::DelegationMode, int64_t>& by_mode) {
    std::vector<std::string> cells = {h.holder_agency_id(), h.holder_name(), category,
                                      absl::StrCat(items)};
    for (pb::DelegationMode mode : modes) {
      const auto it = by_mode.find(mode);
      cells.push_back(it == by_mode.end() ? "" : absl::StrCat(it->second));
    }
    table.Add(cells);
  };
  for (const api::HolderCount& h : counts.holders()) {
    std::map<pb::DelegationMode, int64_t> total;
    for (const api::CategoryCount& c : h.categories()) {
      std::map<pb::DelegationMode, int64_t> by_mode;
      for (const api::HeldAsCount& m : c.by_held_as()) {
        by_mode[m.held_as()] += m.items();
        total[m.held_as()] += m.items();
      }
      row(h, Label(c.category()), c.items(), by_mode);
    }
    if (h.categories_size() > 1) row(h, "合计", h.items(), total);
  }
  std::cout << "as of " << counts.as_of_date() << " (log position " << counts.position()
            << "): " << counts.items() << " items, " << counts.holders_size() << " holders\n";
  if (!table.empty()) table.Print(std::cout);
}

void PrintItems(const api::ListPowersResponse& list) {
  std::cout << "as of " << list.as_of_date() << " (log position " << list.position()
            << "): " << list.items_size() << " items\n";
  if (list.items().empty()) return;
  Table table({"code", "name", "category", "holder", "held as", "delegated by", "since"});
  for (const api::PowerHolding& item : list.items()) {
    table.Add({item.code(), item.name(), Label(item.category()),
               AgencyAndName(item.holder_agency_id(), item.holder_name()), HeldAs(item.held_as()),
               item.delegated_by_agency_id(), DateAndBasis(item.since())});
  }
  table.Print(std::cout);
}

void AddPowerQueries(CLI::App& app, Cli& cli) {
  auto a = std::make_shared<PowersArgs>();
  auto* powers = app.add_subcommand(
      "powers",
      "权力清单: who holds each item on a date and how (下放, 相对集中), or --counts per holder "
      "and category");
  powers->add_option("--as-of", a->as_of, "YYYY-MM-DD (default: today)");
  powers->add_option("--holder", a->holder, "only the items this agency holds");
  powers->add_option("--category", a->category, "only one category: 行政许可, 行政处罚, …");
  powers->add_flag("--counts", a->counts,
                   "items per holder and category, by how they are held, instead of each item");
  powers->add_option("--at-position", a->at_position,
                     "what the system knew at this log position (audit)");
  powers->callback([&cli, a] {
    if (a->counts) {
      if (!a->category.empty()) {
        throw Exit{kExitUsage, "powers --counts counts every category; --category lists items"};
      }
      api::CountPowersRequest r;
      r.set_as_of_date(a->as_of);
      r.set_holder_agency_id(a->holder);
      r.set_as_of_position(a->at_position);
      r.set_min_position(cli.min_position());
      api::CountPowersResponse counts =
          cli.Query(cli.client().power_queries(), &api::PowerQueries::Stub::CountPowers, r);
      if (cli.json()) return cli.PrintJson(counts);
      return PrintCounts(counts);
    }
    api::ListPowersRequest r;
    r.set_as_of_date(a->as_of);
    r.set_holder_agency_id(a->holder);
    if (!a->category.empty())
      r.set_category(ParseEnum<pb::PowerCategory>("--category", a->category));
    r.set_as_of_position(a->at_position);
    api::ListPowersResponse list = ListAllPowers(cli, r);
    if (cli.json()) return cli.PrintJson(list);
    PrintItems(list);
  });

  CLI::App* power = app.get_subcommand("power");
  auto* show = power->add_subcommand(
      "show", "one item: who holds it on a date, and every change of holder with its document");
  auto s = std::make_shared<std::pair<std::string, std::string>>();
  show->add_option("code", s->first, "the item's code (事项编码)")->required();
  show->add_option("--as-of", s->second, "YYYY-MM-DD (default: today)");
  show->callback([&cli, s] {
    api::GetPowerHistoryRequest r;
    r.set_code(s->first);
    r.set_as_of_date(s->second);
    r.set_min_position(cli.min_position());
    api::GetPowerHistoryResponse h =
        cli.Query(cli.client().power_queries(), &api::PowerQueries::Stub::GetPowerHistory, r);
    if (cli.json()) return cli.PrintJson(h);
    if (!h.has_holding()) {
      std::cout << s->first << ": not yet listed on " << h.as_of_date() << "\n";
    } else {
      const api::PowerHolding& p = h.holding();
      std::cout << p.code() << "  " << p.name() << "  [" << Label(p.category()) << "]\n";
      if (!p.legal_basis().empty()) std::cout << "设定依据: " << p.legal_basis() << "\n";
      std::cout << "catalogued under " << p.department_id() << "\n"
                << "on " << h.as_of_date() << ": held by "
                << AgencyAndName(p.holder_agency_id(), p.holder_name()) << " as "
                << HeldAs(p.held_as());
      if (!p.delegated_by_agency_id().empty())
        std::cout << ", passed on by " << p.delegated_by_agency_id();
      if (!p.acts_in_name_of_agency_id().empty() &&
          p.acts_in_name_of_agency_id() != p.holder_agency_id()) {
        std::cout << ", acting in the name of " << p.acts_in_name_of_agency_id();
      }
      std::cout << " (since " << DateAndBasis(p.since()) << ")\n";
    }
    Table history({"effective", "document", "change", "holder", "position"});
    history.AlignRight({4});
    for (const api::HolderChange& c : h.changes()) {
      history.Add({c.ref().effective_date(), c.ref().basis_number(), c.summary(),
                   c.holder_agency_id(), absl::StrCat(c.ref().position())});
    }
    history.Print(std::cout);
  });
}

std::string TaskState(api::TaskStatus::State state) {
  return absl::AsciiStrToLower(api::TaskStatus::State_Name(state));
}

void PrintPlan(const api::GetPlanProgressResponse& p) {
  const api::PlanSummary& plan = p.plan();
  const api::ProgressCounts& all = plan.overall();
  std::cout << plan.plan_id() << "  " << plan.title();
  if (!plan.jurisdiction().empty()) std::cout << " (" << plan.jurisdiction() << ")";
  std::cout << "  as of " << p.as_of_date() << " (log position " << p.position() << ")\n"
            << "drafted " << DateAndBasis(plan.drafted());
  if (plan.approved()) std::cout << "; approved " << DateAndBasis(plan.approved_by());
  if (plan.closed()) std::cout << "; closed " << DateAndBasis(plan.closed_by());
  std::cout << "\n"
            << all.tasks() << " tasks: " << all.done() << " done, " << all.due() << " due, "
            << all.overdue() << " overdue";
  if (plan.tasks_added_later() > 0)
    std::cout << " (" << plan.tasks_added_later() << " more added after " << p.as_of_date() << ")";
  std::cout << "\n\n";
  Table agencies({"agency", "name", "tasks", "done", "due", "overdue"});
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
  Table tasks({"task", "agency", "kind", "due", "state", "done by", "event", "position"});
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
  std::cout << "as of " << list.as_of_date() << " (log position " << list.position()
            << "): " << list.plans_size() << " plans\n";
  if (list.plans().empty()) return;
  Table table({"plan", "title", "jurisdiction", "state", "tasks", "done", "due", "overdue"});
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

void AddProgressQueries(CLI::App& app, Cli& cli) {
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
  progress->add_option("plan", a->plan, "the plan id (default: every plan)");
  progress->add_option("--as-of", a->as_of, "YYYY-MM-DD (default: today)");
  progress->add_option("--jurisdiction", a->jurisdiction, "without PLAN: only this one's plans");
  progress->add_flag("--include-closed", a->closed, "without PLAN: also closed plans");
  progress->add_option("--at-position", a->at_position,
                       "what the system knew at this log position (audit)");
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
      if (cli.json()) return cli.PrintJson(list);
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
    if (cli.json()) return cli.PrintJson(p);
    PrintPlan(p);
  });
}

}  // namespace

void AddPowerAndProgressQueries(CLI::App& app, Cli& cli) {
  AddPowerQueries(app, cli);
  AddProgressQueries(app, cli);
}

}  // namespace reformlog::ctl
