// The subcommands of reformctl, registered by group on the app main() parses. Each function
// adds its subcommands to `app` (or to a group another one added before it) with callbacks
// that use `cli`; main() calls them in this order, which is the order `reformctl --help`
// lists them in.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_COMMANDS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_COMMANDS_H_

#include "CLI/CLI.hpp"
#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

void AddOrgCommands(CLI::App& app, Cli& cli);
void AddStaffingCommands(CLI::App& app, Cli& cli);
void AddPowerCommands(CLI::App& app, Cli& cli);
void AddBudgetCommands(CLI::App& app, Cli& cli);
void AddPlanCommands(CLI::App& app, Cli& cli);
void AddOrgQueries(CLI::App& app, Cli& cli);
void AddFeedCommands(CLI::App& app, Cli& cli);
// staffing, check, people, person show, budget show/accounts, performance
void AddReadModelQueries(CLI::App& app, Cli& cli);
// powers, power show, progress
void AddPowerAndProgressQueries(CLI::App& app, Cli& cli);
// import KIND FILE.csv
void AddImportExport(CLI::App& app, Cli& cli);
// export MODEL (CSV)
void AddExport(CLI::App& app, Cli& cli);
// demo load
void AddDemoCommands(CLI::App& app, Cli& cli);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_COMMANDS_H_
