// The subcommands of reformctl, registered by group on the app main() parses, one file per
// bounded context as the server has them (services/{org,staffing,power,budget,reform}) plus
// the cross-cutting ones. Each function adds its subcommands to `app` with callbacks that use
// `cli`. main() calls them in the order below, which is the order `reformctl --help` lists
// them in; a query that belongs under a change's group (person show, power show, budget show
// and accounts) is added to the group its context's changes made, so every *Commands comes
// before any *Queries.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_COMMANDS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

// Every subcommand below on `app`, in the current language (lang.h): its description, help
// labels and groups; the global options of `cli` also on each subcommand that runs (change
// options on those that record a change). main() parses with it; tests inspect it.
void BuildApp(CLI::App& app, Cli& cli);

// org_cli.cc: agency …, division …, quota …
void AddOrgCommands(CLI::App& app, Cli& cli);
// staffing_cli.cc: person …, records …
void AddStaffingCommands(CLI::App& app, Cli& cli);
// power_cli.cc: power catalog, delegate, concentrate, return
void AddPowerCommands(CLI::App& app, Cli& cli);
// budget_cli.cc: budget appropriate, adjust, disburse, income, carry-over, project, performance
void AddBudgetCommands(CLI::App& app, Cli& cli);
// reform_cli.cc: plan …
void AddReformCommands(CLI::App& app, Cli& cli);
// org_cli.cc: tree, show, lineage, diff
void AddOrgQueries(CLI::App& app, Cli& cli);
// feed_cli.cc: events, watch (EventFeed); status, rebuild (ProjectionAdmin)
void AddFeedCommands(CLI::App& app, Cli& cli);
// staffing_cli.cc: staffing, check, person show, people
void AddStaffingQueries(CLI::App& app, Cli& cli);
// budget_cli.cc: budget show, budget accounts, performance
void AddBudgetQueries(CLI::App& app, Cli& cli);
// power_cli.cc: powers, power show
void AddPowerQueries(CLI::App& app, Cli& cli);
// reform_cli.cc: progress
void AddReformQueries(CLI::App& app, Cli& cli);
// import_cli.cc: import KIND FILE.csv
void AddImportCommand(CLI::App& app, Cli& cli);
// export_cli.cc: export MODEL (CSV)
void AddExportCommand(CLI::App& app, Cli& cli);
// report_cli.cc: report reconcile
void AddReportCommands(CLI::App& app, Cli& cli);
// demo_cli.cc: demo load
void AddDemoCommands(CLI::App& app, Cli& cli);
// admin_cli.cc: audit, admin principal …, admin token …, whoami
void AddAdminCommands(CLI::App& app, Cli& cli);
// admin verify, admin checkpoint sign|list|check (integrity_cli.cc), under `admin`.
void AddIntegrityCommands(CLI::App& admin, Cli& cli);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_COMMANDS_H_
