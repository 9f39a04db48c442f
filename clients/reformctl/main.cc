// reformctl: the command line of Reformlog. See `reformctl --help` and the README's tour.
#include <iostream>

#include "clients/reformctl/cli.h"
#include "clients/reformctl/commands.h"

namespace reformlog::ctl {
namespace {

int Main(int argc, char** argv) {
  CLI::App app{"reformctl — record and query institutional reform (改革台账) in reformd"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "help for every subcommand");
  Cli cli(app);
  AddOrgCommands(app, cli);
  AddStaffingCommands(app, cli);
  AddPowerCommands(app, cli);
  AddBudgetCommands(app, cli);
  AddReformCommands(app, cli);
  AddOrgQueries(app, cli);
  AddFeedCommands(app, cli);
  AddStaffingQueries(app, cli);
  AddBudgetQueries(app, cli);
  AddPowerQueries(app, cli);
  AddReformQueries(app, cli);
  AddImportCommand(app, cli);
  AddExportCommand(app, cli);
  AddDemoCommands(app, cli);
  AddAdminCommands(app, cli);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitUsage;
  } catch (const Exit& e) {
    if (!e.message.empty()) std::cerr << "reformctl: " << e.message << "\n";
    return e.code;
  }
  return kExitOk;
}

}  // namespace
}  // namespace reformlog::ctl

int main(int argc, char** argv) { return reformlog::ctl::Main(argc, argv); }
