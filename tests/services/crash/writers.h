// The writers of reformd_crash_test: kWriterThreads threads, each sending its WriterScript's
// commands to one reformd until the test SIGKILLs it at a chosen moment. SendCopies sends one
// request (a twin twice at once) and records what each copy was told.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_WRITERS_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_WRITERS_H_

#include <atomic>
#include <cstdint>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "tests/services/crash/client.h"
#include "tests/services/crash/reformd_process.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {

inline constexpr int kWriterThreads = 8;

struct KillSwitch {
  std::atomic<bool> killed{false};  // set just before the SIGKILL
  std::atomic<bool> stop{false};    // writers send nothing new
};

// Sends one request and records the answer. A twin is sent twice at once: both calls are
// started back to back without waiting (the server takes each on a thread of its own), so
// that the two are in flight together rather than one after the other.
Outcome SendCopies(const Client& client, Request request, const KillSwitch& kill);

// Runs kWriterThreads writers, SIGKILLs `reformd` after `kill_after` (*killed_status: what
// Kill() said) and returns every request each writer sent, with its answers.
std::vector<Outcome> RunWriters(const Client& client, uint64_t seed, int cycle,
                                absl::Duration kill_after, ReformdProcess& reformd,
                                absl::Status* killed_status);

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_WRITERS_H_
