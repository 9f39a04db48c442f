// The read-model checks of reformd_crash_test, each against the test's own fold of the log
// (LogOracle): what reformd's queries answer over gRPC, and what a ProjectionRunner resumed
// from the checkpoints a kill left on disk catches up to. DATA_LOSS names the first
// difference; other codes are the failure of a call.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_READ_MODEL_CHECKS_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_READ_MODEL_CHECKS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "tests/services/crash/client.h"
#include "tests/services/crash/oracle.h"

namespace reformlog::services::crash {

// The read models over gRPC, asked at the oracle's head (staffing per agency and category, the
// 四清两对应 check, the budget lines, the people in post), equal the oracle's fold.
absl::Status CheckReadModels(const Client& client, const LogOracle& oracle);

// On `dir` (reformd not running there): the read models resumed from their persisted
// checkpoints and caught up equal a replay of the log (projections::ReplayInMemory).
// *resumed_behind_max grows to how far behind the head the kill left a model's checkpoint.
absl::Status CheckProjectionsInProcess(const std::string& dir, size_t* resumed_behind_max);

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_READ_MODEL_CHECKS_H_
