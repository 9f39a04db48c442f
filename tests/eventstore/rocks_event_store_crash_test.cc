// Crash durability of RocksEventStore. A child process (eventstore_crash_child) appends from
// several threads and reports every acknowledgement through a pipe; the test SIGKILLs it at
// a random moment, reopens the store and checks that
//  * every acknowledged commit, of every cycle so far, is there, unchanged, at the positions
//    and stream versions the child was told, with the content its id derives;
//  * positions run 1..head without a gap and every stream's versions run 1..N;
//  * the log holds only whole commits (those that were durable but never acknowledged too);
//  * exact expectations held: each acknowledged commit found its streams at the versions
//    it expected;
//  * re-sending an acknowledged commit returns its original result, replayed, and writes
//    nothing; FindCommit returns its record; re-sending its id with other content is
//    ALREADY_EXISTS.
// Every cycle uses the same directory, so the log grows across crashes, and events verified
// once are fingerprinted so that each later reopening must show the very same bytes.
//
// A SIGKILL leaves the kernel's page cache intact, so this checks that what is acknowledged
// was written atomically and is recovered; it cannot tell an fsync from no fsync (that
// takes a power cut).
//
//   REFORMLOG_CRASH_CYCLES=300   more cycles (default kCyclesDefault)
//   REFORMLOG_CRASH_KILL_SCALE=5 kill five times later (a slower, instrumented build)
//   REFORMLOG_CRASH_SEED=S       the kill schedule and thread counts of an earlier run
//
// Here: the child's run and its kill; the checks of the reopened store are LogOracle's
// (crash_log_oracle.h).
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/rocks_event_store.h"
#include "gtest/gtest.h"
#include "tests/eventstore/crash_log_oracle.h"
#include "tests/eventstore/crash_workload.h"
#include "tests/testing/env.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::eventstore {
namespace {

using crash::Ack;
using crash::LogOracle;

constexpr uint64_t kCyclesDefault = 20;
constexpr int64_t kKillAfterMsMin = 2;
constexpr int64_t kKillAfterMsMax = 200;
constexpr int kWriterThreadsMax = 8;  // each cycle runs 1..this writer threads
constexpr size_t kPipeChunkBytes = 64 << 10;

using testing::EnvOr;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// What one child reported before it was killed.
struct ChildRun {
  std::vector<Ack> acks;
  size_t partial_line_bytes = 0;  // a line the kill cut short: not an acknowledgement
};

// Turns the complete lines at the front of `buffer` into acks; the unfinished tail stays.
absl::Status TakeCompleteLines(std::string& buffer, ChildRun* run) {
  size_t start = 0;
  for (size_t end; (end = buffer.find('\n', start)) != std::string::npos; start = end + 1) {
    absl::StatusOr<Ack> ack = crash::ParseAck(absl::string_view(buffer).substr(start, end - start));
    if (!ack.ok()) return ack.status();
    run->acks.push_back(*std::move(ack));
  }
  buffer.erase(0, start);
  return absl::OkStatus();
}

// Reads what is available: false at end of file.
absl::StatusOr<bool> ReadSome(int fd, std::string& buffer) {
  char chunk[kPipeChunkBytes];
  const ssize_t n = read(fd, chunk, sizeof(chunk));
  if (n < 0 && errno == EINTR) return true;
  if (n < 0) return absl::InternalError(absl::StrCat("reading acks: ", std::strerror(errno)));
  buffer.append(chunk, static_cast<size_t>(n));
  return n > 0;
}

// Starts the child on data_dir, reads its acks for kill_after, SIGKILLs and reaps it, then
// reads what it wrote before it died. Fails when the child died of anything but our kill.
void RunAndKillChild(const std::string& data_dir, const std::string& log_path, uint64_t seed,
                     int writer_threads, absl::Duration kill_after, ChildRun* run) {
  int fds[2];
  ASSERT_EQ(pipe2(fds, O_CLOEXEC), 0) << std::strerror(errno);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, log_path.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0644);
  std::vector<std::string> args = {
      REFORMLOG_CRASH_CHILD_PATH, absl::StrCat("--data_dir=", data_dir),
      absl::StrCat("--seed=", seed), absl::StrCat("--writer_threads=", writer_threads)};
  std::vector<char*> argv;
  for (std::string& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  const int spawned =
      posix_spawn(&pid, REFORMLOG_CRASH_CHILD_PATH, &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  if (spawned != 0) {
    close(fds[0]);
    FAIL() << "cannot start " << REFORMLOG_CRASH_CHILD_PATH << ": " << std::strerror(spawned);
  }

  // Collect acks until the moment of the kill (or until the child dies by itself).
  std::string buffer;
  absl::Status reading = absl::OkStatus();
  const absl::Time kill_at = absl::Now() + kill_after;
  for (bool writing = true; writing && reading.ok();) {
    const absl::Duration left = kill_at - absl::Now();
    if (left <= absl::ZeroDuration()) break;
    pollfd readable = {fds[0], POLLIN, 0};
    const timespec timeout = absl::ToTimespec(left);
    const int ready = ppoll(&readable, 1, &timeout, nullptr);
    if (ready == 0) break;
    if (ready < 0) {
      if (errno != EINTR)
        reading = absl::InternalError(absl::StrCat("ppoll: ", std::strerror(errno)));
      continue;
    }
    absl::StatusOr<bool> more = ReadSome(fds[0], buffer);
    if (!more.ok()) reading = more.status();
    writing = more.ok() && *more;
    if (reading.ok()) reading = TakeCompleteLines(buffer, run);
  }
  kill(pid, SIGKILL);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  // The child is gone, so the pipe ends after what it managed to write.
  for (absl::StatusOr<bool> more = true; reading.ok() && more.ok() && *more;) {
    more = ReadSome(fds[0], buffer);
    if (!more.ok()) reading = more.status();
  }
  close(fds[0]);
  ASSERT_TRUE(reading.ok()) << reading;
  ASSERT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
      << "the child died on its own (wait status " << status << "); its stderr:\n"
      << ReadFile(log_path);
  absl::Status parsed = TakeCompleteLines(buffer, run);
  ASSERT_TRUE(parsed.ok()) << parsed;
  run->partial_line_bytes = buffer.size();
}

TEST(RocksEventStoreCrashTest, AcknowledgedCommitsSurviveSigkill) {
  const uint64_t cycles = EnvOr("REFORMLOG_CRASH_CYCLES", kCyclesDefault);
  const uint64_t seed = EnvOr("REFORMLOG_CRASH_SEED", std::random_device{}());
  std::printf("[ crash    ] seed %llu, %llu cycles (rerun: REFORMLOG_CRASH_SEED=%llu)\n",
              static_cast<unsigned long long>(seed), static_cast<unsigned long long>(cycles),
              static_cast<unsigned long long>(seed));
  std::fflush(stdout);  // the seed must be visible even if the run dies
  std::mt19937_64 rng(seed);
  // A slower build (the sanitizers) stretches the kill schedule so children still get as far.
  const auto scale = static_cast<int64_t>(EnvOr("REFORMLOG_CRASH_KILL_SCALE", 1));
  std::uniform_int_distribution<int64_t> kill_after_ms(kKillAfterMsMin * scale,
                                                       kKillAfterMsMax * scale);
  std::uniform_int_distribution<int> writer_threads(1, kWriterThreadsMax);
  testing::TempDir dir;
  const std::string data_dir = dir.Sub("store");
  const std::string log_path = dir.Sub("child-stderr.log");
  LogOracle oracle;
  size_t cycles_without_acks = 0, partial_lines = 0, durable_unacked = 0;

  for (uint64_t cycle = 0; cycle < cycles; ++cycle) {
    const int threads = writer_threads(rng);
    const int64_t kill_ms = kill_after_ms(rng);
    SCOPED_TRACE(absl::StrCat("seed ", seed, ", cycle ", cycle, ": ", threads,
                              " writer threads killed after ", kill_ms, " ms"));
    ChildRun run;
    ASSERT_NO_FATAL_FAILURE(RunAndKillChild(data_dir, log_path, seed + cycle, threads,
                                            absl::Milliseconds(kill_ms), &run));
    oracle.AddAcks(run.acks);
    cycles_without_acks += run.acks.empty() ? 1 : 0;
    partial_lines += run.partial_line_bytes > 0 ? 1 : 0;

    RocksEventStoreOptions options;
    options.path = data_dir;
    absl::StatusOr<std::unique_ptr<RocksEventStore>> store = RocksEventStore::Open(options);
    ASSERT_TRUE(store.ok()) << "reopening after the kill: " << store.status();
    absl::Status verified = oracle.Verify(**store, run.acks.size(), rng);
    ASSERT_TRUE(verified.ok()) << verified;
    durable_unacked += oracle.commits_learned() - run.acks.size();
    (*store)->Close();
  }
  std::printf(
      "[ crash    ] %llu cycles: %zu acknowledged commits, %zu commits and %llu events in the "
      "log across %zu streams; %zu commits durable but unacknowledged; %zu cycles killed "
      "before the first ack; %zu cut-off ack lines ignored\n",
      static_cast<unsigned long long>(cycles), oracle.acks(), oracle.commits(),
      static_cast<unsigned long long>(oracle.head()), oracle.streams(), durable_unacked,
      cycles_without_acks, partial_lines);
  EXPECT_GT(oracle.acks(), 0u) << "no child ever acknowledged a commit: nothing was tested";
}

}  // namespace
}  // namespace reformlog::eventstore
