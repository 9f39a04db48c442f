// reformctl staffing, check (四清两对应), powers, budget, performance, progress (the read-model
// queries).
#include "clients/reformctl/cli.h"

namespace reformlog::ctl {

void AddReadModelQueries(CLI::App& /*app*/, Cli& /*cli*/) {}

}  // namespace reformlog::ctl
