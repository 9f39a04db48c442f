// reformctl powers (who holds each item, counts per category and holder) and progress
// (reform plans) — over PowerQueries and ReformQueries.
#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

void AddPowerAndProgressQueries(CLI::App& /*app*/, Cli& /*cli*/) {}

}  // namespace reformlog::ctl
