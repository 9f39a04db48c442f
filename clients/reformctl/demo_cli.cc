// reformctl demo load (the seed district).
#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

void AddDemoCommands(CLI::App& /*app*/, Cli& /*cli*/) {}

}  // namespace reformlog::ctl
