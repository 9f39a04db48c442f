// SystemCrashRun: one run of reformd_crash_test — reformd started on a data directory (and
// now and then SIGKILLed again while it starts), set up, verified after every restart
// (CycleVerifier), written to by the writers until a SIGKILL at a random moment, and at the
// end stopped on SIGTERM. The kill schedule follows from the seed alone. Progress marks go to
// reformd's stderr file, so that its log reads with the test's cycles. Not thread-safe.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_SYSTEM_CRASH_RUN_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_SYSTEM_CRASH_RUN_H_

#include <cstdint>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "tests/services/crash/client.h"
#include "tests/services/crash/cycle_verifier.h"
#include "tests/services/crash/oracle.h"
#include "tests/services/crash/reformd_process.h"

namespace reformlog::services::crash {

class SystemCrashRun {
 public:
  SystemCrashRun(uint64_t seed, std::string data_dir, std::string stderr_path);

  // Starts reformd and connects; kills it first during a start now and then.
  absl::Status Start(int cycle);
  // The agencies, quotas and lines: every one must be recorded (or replayed).
  absl::Status Setup();
  // Everything there is to check after a restart, before the writers go on (CycleVerifier).
  absl::Status Verify();
  // Writers until a random kill.
  absl::Status WriteUntilKilled(int cycle);
  // SIGTERM: a clean stop after all the crashes.
  absl::Status Stop();
  // On `dir` (reformd not running there): the read models resumed from their persisted
  // checkpoints and caught up equal a replay of the log.
  absl::Status CheckProjectionsInProcess(const std::string& dir);

  // Twins whose copies were answered differently.
  const std::vector<std::string>& twin_failures() const { return verifier_.twin_failures(); }
  const Counts& counts() const { return verifier_.counts(); }
  const LogOracle& oracle() const { return verifier_.oracle(); }

 private:
  void Mark(const std::string& text);

  uint64_t seed_;
  std::mt19937_64 schedule_rng_;  // the kill schedule: follows from the seed alone
  std::string data_dir_;
  std::string stderr_path_;
  CycleVerifier verifier_;
  std::unique_ptr<ReformdProcess> reformd_;
  std::unique_ptr<Client> client_;
};

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_SYSTEM_CRASH_RUN_H_
