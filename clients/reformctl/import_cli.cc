// reformctl import KIND FILE.csv and export (CSV in and out).
#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

void AddImportExport(CLI::App& /*app*/, Cli& /*cli*/) {}

}  // namespace reformlog::ctl
