// BuildApp: every subcommand of reformctl on one CLI11 app, in the language chosen (lang.h).
#include <cstdlib>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"
#include "clients/reformctl/lang.h"

namespace reformlog::ctl {
namespace {

// The subcommands below `app` that run (have no subcommands of their own).
void CollectLeaves(CLI::App& app, std::vector<CLI::App*>& leaves) {
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_subcommands({}).empty()) {
      leaves.push_back(sub);
    } else {
      CollectLeaves(*sub, leaves);
    }
  }
}

// Every subcommand and option below `app` listed under the current language's group names.
void NameGroups(CLI::App& app) {
  for (CLI::App* sub : app.get_subcommands({})) {
    sub->group(Tr("子命令", "Subcommands"));
    for (CLI::Option* option : sub->get_options()) {
      if (option->get_group() == "Options") option->group(Tr("选项", "Options"));
    }
    NameGroups(*sub);
  }
}

}  // namespace

void BuildApp(CLI::App& app, Cli& cli) {
  app.description(Tr("reformctl —— 在 reformd 中记录和查询机构改革（改革台账）",
                     "reformctl — record and query institutional reform (改革台账) in reformd"));
  app.require_subcommand(1);
  app.set_help_flag("-h,--help", Tr("显示帮助并退出", "print this help and exit"));
  app.set_help_all_flag("--help-all", Tr("显示全部子命令的帮助", "help for every subcommand"));
  if (CurrentLang() == Lang::kZh) {
    app.get_formatter()->label("Usage", "用法");
    app.get_formatter()->label("OPTIONS", "选项");
    app.get_formatter()->label("SUBCOMMAND", "子命令");
    app.get_formatter()->label("SUBCOMMANDS", "子命令");
    app.get_formatter()->label("Positionals", "位置参数");
    app.get_formatter()->label("REQUIRED", "必填");
    app.get_formatter()->label("Needs", "需要");
    app.get_formatter()->label("Excludes", "不可同用");
    app.get_formatter()->label("Env", "环境变量");
    app.footer("全局选项（连接、输出、改动依据）可写在子命令之前或之后。");
  }
  AddOrgCommands(app, cli);
  AddStaffingCommands(app, cli);
  AddPowerCommands(app, cli);
  AddBudgetCommands(app, cli);
  AddReformCommands(app, cli);
  std::vector<CLI::App*> changes;  // every subcommand so far records a change
  CollectLeaves(app, changes);
  AddOrgQueries(app, cli);
  AddFeedCommands(app, cli);
  AddStaffingQueries(app, cli);
  AddBudgetQueries(app, cli);
  AddPowerQueries(app, cli);
  AddReformQueries(app, cli);
  AddImportCommand(app, cli);
  AddExportCommand(app, cli);
  AddReportCommands(app, cli);
  AddDemoCommands(app, cli);
  AddAdminCommands(app, cli);
  std::set<CLI::App*> change_set(changes.begin(), changes.end());
  // Queries registered under a change's group since (person show) are not changes.
  std::vector<CLI::App*> leaves;
  CollectLeaves(app, leaves);
  for (CLI::App* leaf : leaves) {
    const std::string path =
        leaf->get_parent() == &app
            ? leaf->get_name()
            : absl::StrCat(leaf->get_parent()->get_name(), " ", leaf->get_name());
    const bool change = change_set.contains(leaf) || path == "import" ||
                        (absl::StartsWith(path, "principal ") && path != "principal list") ||
                        absl::StartsWith(path, "token ");
    cli.AddGlobalOptions(*leaf, change);
  }
  NameGroups(app);
  for (CLI::Option* option : app.get_options()) {
    if (option->get_group() == "Options") option->group(Tr("选项", "Options"));
  }
}

}  // namespace reformlog::ctl
