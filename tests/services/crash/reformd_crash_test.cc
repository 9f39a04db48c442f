// The whole system under SIGKILL: the real reformd binary runs as a child process on a
// temporary data directory (port 0); eight writer threads send it real commands over gRPC
// (workload.h: registrations past the quota, disbursements past what a line
// holds, quota and budget top-ups, departures, and twins — one request sent twice at once,
// two calls in flight together); the test SIGKILLs it at a random moment, restarts it on the
// same directory and goes on. After every restart it checks, against its own fold of the log
// (oracle.h):
//  * every command answered OK is in the log exactly once, at the positions, stream versions
//    and time its answer gave, holding exactly the events it asked for; every command
//    refused (超编, no funds, …) left nothing; every commit in the log was answered OK;
//  * the requests whose answer the kill swallowed, re-sent with the same id and bytes, are
//    answered once: replayed if they had been recorded, decided afresh if not;
//  * re-sending acknowledged requests (a sample of every cycle so far) is answered replayed
//    with the original positions and the head does not move; the same id with other content
//    is ALREADY_EXISTS;
//  * the two copies of a twin got answers the server's promise allows (copies in flight
//    together share one answer; a refusal records nothing, so a later copy is decided
//    afresh): both OK at the same positions (one of them replayed), both refused, or one
//    refused before the other recorded it, the refusal reporting a state that stood in the
//    log before the other's commit; never a copy refused by its own twin's effect;
//  * positions are gapless, stream versions contiguous, and at every prefix of the log no
//    agency has more people in post than quota and no budget line has paid out more than it
//    was given;
//  * the read models over gRPC (staffing per agency and category, the 四清两对应 check, the
//    budget lines, the people in post) equal the test's fold of the log;
// and every few cycles, on a copy of the directory as the kill left it, the read models a
// ProjectionRunner resumes from their persisted checkpoints equal a replay of the log
// (projections::ReplayInMemory). At the end reformd stops on SIGTERM with status 0.
//
// The commands each writer sends and the kill delays follow from the seed; where the kills
// land among the commands does not. A SIGKILL keeps the page cache, so this checks atomicity
// and recovery, not fsync (that takes a power cut).
//
//   REFORMLOG_SYSTEM_CRASH_CYCLES=1000   more cycles (default kCyclesDefault); run the binary
//                                        directly, beyond ctest's timeout
//   REFORMLOG_SYSTEM_CRASH_SEED=S        the workload and kill schedule of an earlier run
//
// The pieces, in this directory: reformd_process.h (reformd as a child process), client.h
// (the gRPC side and the answers), writers.h (the writer threads and the kill),
// cycle_verifier.h (the checks after each restart), read_model_checks.h, twin_judge.h,
// system_crash_run.h (one run, cycle by cycle); oracle_test.cc and twin_judge_test.cc test
// the test's own checks on logs written by hand (hand_log.h).
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "gtest/gtest.h"
#include "tests/services/crash/system_crash_run.h"
#include "tests/services/crash/workload.h"
#include "tests/testing/env.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services::crash {
namespace {

constexpr uint64_t kCyclesDefault = 10;
// The in-process read-model check runs every this many cycles (and after the last).
constexpr uint64_t kProjectionCheckEveryMin = 5;
constexpr uint64_t kProjectionChecksPerRunMax = 20;
constexpr size_t kTwinFailuresShownMax = 5;

using testing::EnvOr;

TEST(ReformdCrashTest, AcknowledgedCommandsAndInvariantsSurviveSigkill) {
  const uint64_t cycles = EnvOr("REFORMLOG_SYSTEM_CRASH_CYCLES", kCyclesDefault);
  const uint64_t seed = EnvOr("REFORMLOG_SYSTEM_CRASH_SEED", std::random_device{}());
  std::printf("[ crash    ] seed %llu, %llu cycles (rerun: REFORMLOG_SYSTEM_CRASH_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(cycles),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);  // the seed must be visible even if the run dies
  const uint64_t projection_check_every =
      std::max(kProjectionCheckEveryMin, cycles / kProjectionChecksPerRunMax);
  testing::TempDir dir;
  const std::string data_dir = dir.Sub("data");
  const std::string stderr_path = dir.Sub("reformd-stderr.log");
  SystemCrashRun run(seed, data_dir, stderr_path);
  const absl::Time started = absl::Now();

  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", cycle ", cycle));
    const int c = static_cast<int>(cycle);
    absl::Status s = run.Start(c);
    ASSERT_TRUE(s.ok()) << s;
    if (cycle == 0) {
      s = run.Setup();
      ASSERT_TRUE(s.ok()) << s;
    }
    s = run.Verify();
    ASSERT_TRUE(s.ok()) << s;
    s = run.WriteUntilKilled(c);
    ASSERT_TRUE(s.ok()) << s;
    if ((cycle + 1) % projection_check_every == 0) {
      // On a copy as the kill left it, so that the next reformd still resumes on its own.
      const std::string copy = dir.Sub(absl::StrCat("inspect-", cycle));
      std::filesystem::copy(data_dir, copy, std::filesystem::copy_options::recursive);
      s = run.CheckProjectionsInProcess(copy);
      std::filesystem::remove_all(copy);
      ASSERT_TRUE(s.ok()) << s;
    }
  }
  {
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", after the last kill"));
    absl::Status s = run.Start(static_cast<int>(cycles));
    ASSERT_TRUE(s.ok()) << s;
    s = run.Verify();
    ASSERT_TRUE(s.ok()) << s;
    s = run.Stop();
    ASSERT_TRUE(s.ok()) << s;
    s = run.CheckProjectionsInProcess(data_dir);
    ASSERT_TRUE(s.ok()) << s;
  }

  const Counts& n = run.counts();
  std::printf(
      "[ crash    ] %llu cycles in %s: %zu requests sent, %zu acknowledged (%zu registrations, "
      "%zu disbursements, %zu quota grants, %zu appropriations, %zu departures), %zu refused "
      "(%zu 超编, %zu for lack of funds, %zu lost every race); %zu answers lost to a kill, "
      "re-sent: %zu had been recorded, %zu recorded now, %zu refused; %zu twins (%zu compared: "
      "%zu both OK, %zu both refused alike, %zu refused differently, %zu refused before the "
      "other recorded it, %zu not allowed; %zu with one refused before the other was sent); "
      "%zu replays; %zu kills during a "
      "start; %zu in-process read-model checks (resumed up to %zu events behind the head); log: "
      "%llu events, %zu commits, %zu streams\n",
      static_cast<unsigned long long>(cycles), absl::FormatDuration(absl::Now() - started).c_str(),
      n.sent, n.acknowledged, n.acknowledged_by_op[static_cast<int>(Op::kRegister)],
      n.acknowledged_by_op[static_cast<int>(Op::kDisburse)],
      n.acknowledged_by_op[static_cast<int>(Op::kGrantQuota)],
      n.acknowledged_by_op[static_cast<int>(Op::kAppropriate)],
      n.acknowledged_by_op[static_cast<int>(Op::kDepart)], n.refused, n.over_quota, n.no_funds,
      n.aborted, n.in_doubt, n.resent_recorded_before, n.resent_recorded_now, n.resent_refused,
      n.twins, n.twins_compared, n.twins_both_ok, n.twins_both_refused, n.twins_refused_apart,
      n.twins_refused_recorded, run.twin_failures().size(), n.twins_sequential, n.replays,
      n.kills_during_start, n.projection_checks, n.resumed_behind_max,
      static_cast<unsigned long long>(run.oracle().head()), run.oracle().commits(),
      run.oracle().streams());
  // The workload did what it is for: quota and funds ran out, top-ups landed, twins raced.
  EXPECT_GT(n.over_quota, 0u) << "no registration met 超编";
  EXPECT_GT(n.no_funds, 0u) << "no disbursement was refused for lack of funds";
  EXPECT_GT(n.acknowledged_by_op[static_cast<int>(Op::kGrantQuota)], kAgencyCount + 0u);
  EXPECT_GT(n.acknowledged_by_op[static_cast<int>(Op::kAppropriate)],
            kAgencyCount * kLinesPerAgency + 0u);
  EXPECT_GT(n.twins_compared, 0u) << "no twin got two answers";
  // Last, so that every other check above has run: no copy of a twin was refused by its own
  // twin's effect, and two OK copies name one commit. (A server that decides one copy while
  // the other's commit lands fails this, and only this: that copy is refused as already
  // registered, or for 超编 or lack of funds that only its twin's commit brought about.)
  const std::vector<std::string>& twins = run.twin_failures();
  std::string shown;
  for (size_t i = 0; i < twins.size() && i < kTwinFailuresShownMax; ++i) {
    absl::StrAppend(&shown, "\n  ", twins[i]);
  }
  EXPECT_TRUE(twins.empty())
      << twins.size() << " of " << n.twins_compared
      << " twins (the same request id and bytes, two calls in flight at once) got answers "
         "the server's semantics do not allow; the first:"
      << shown;
}

}  // namespace
}  // namespace reformlog::services::crash
