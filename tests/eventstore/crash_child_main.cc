// eventstore_crash_child: the victim of rocks_event_store_crash_test.
//
//   eventstore_crash_child --data_dir=DIR --seed=N --writer_threads=K
//
// Opens a RocksEventStore at DIR and appends the workload of crash_workload.h from K threads
// until it is killed. After each acknowledged Append it writes one ack line (grammar in
// crash_workload.h) to stdout with a single write(2). Anything else the process prints goes
// to stderr, so stdout carries acknowledgements only. Any failure other than an expected
// ABORTED ends the process with status 1 and a message on stderr.
#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "eventstore/rocks_event_store.h"
#include "tests/eventstore/crash_workload.h"

namespace reformlog::eventstore::crash {
namespace {

// A read-decide-write that keeps losing races is a bug, not bad luck.
constexpr int kExactAttemptsMax = 10'000;
constexpr int kWriterThreadsMax = 64;

struct Options {
  std::string data_dir;
  uint64_t seed = 0;
  int writer_threads = 1;
};

[[noreturn]] void Die(const std::string& message) {
  std::fprintf(stderr, "eventstore_crash_child: %s\n", message.c_str());
  std::fflush(stderr);
  std::_Exit(1);
}

Options ParseArgs(int argc, char** argv) {
  Options options;
  bool has_dir = false, has_seed = false;
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    absl::string_view value = arg;
    if (absl::ConsumePrefix(&value, "--data_dir=")) {
      options.data_dir = std::string(value);
      has_dir = !value.empty();
    } else if (absl::ConsumePrefix(&value, "--seed=")) {
      has_seed = absl::SimpleAtoi(value, &options.seed);
      if (!has_seed) Die(absl::StrCat("bad --seed ", value));
    } else if (absl::ConsumePrefix(&value, "--writer_threads=")) {
      if (!absl::SimpleAtoi(value, &options.writer_threads) || options.writer_threads < 1 ||
          options.writer_threads > kWriterThreadsMax) {
        Die(absl::StrCat("--writer_threads must be 1..", kWriterThreadsMax, ", not ", value));
      }
    } else {
      Die(absl::StrCat("unknown argument ", arg,
                       "; usage: eventstore_crash_child --data_dir=DIR --seed=N "
                       "--writer_threads=K"));
    }
  }
  if (!has_dir || !has_seed) Die("--data_dir and --seed are required");
  return options;
}

// One line, one write(2): a pipe write of at most PIPE_BUF bytes is atomic.
void WriteAck(int fd, const Ack& ack) {
  const std::string line = FormatAck(ack);
  if (line.size() > kAckLineBytesMax) Die(absl::StrCat("ack line of ", line.size(), " bytes"));
  ssize_t written;
  do {
    written = write(fd, line.data(), line.size());
  } while (written < 0 && errno == EINTR);
  if (written != static_cast<ssize_t>(line.size())) {
    Die(absl::StrCat("writing an ack: ", written < 0 ? std::strerror(errno) : "short write"));
  }
}

// Appends one commit; for exact expectations, reads the versions and retries on ABORTED.
Ack AppendOne(EventStore& store, const std::string& commit_id) {
  Ack ack;
  ack.commit_id = commit_id;
  Commit commit = DeriveShape(commit_id);
  const std::vector<std::string> exact = ExactStreams(commit);
  for (int attempt = 0; attempt < kExactAttemptsMax; ++attempt) {
    ack.exact_versions.clear();
    for (const std::string& stream : exact) {
      absl::StatusOr<uint64_t> version = store.CurrentStreamVersion(stream);
      if (!version.ok()) Die(absl::StrCat("reading ", stream, ": ", version.status().ToString()));
      ack.exact_versions.push_back(*version);
    }
    if (!SetExactVersions(ack.exact_versions, &commit)) Die("exact version count mismatch");
    absl::StatusOr<AppendResult> result = store.Append(commit);
    if (result.ok()) {
      if (result->replayed) Die(absl::StrCat("fresh commit ", commit_id, " came back replayed"));
      ack.result = *std::move(result);
      return ack;
    }
    if (result.status().code() != absl::StatusCode::kAborted || exact.empty()) {
      Die(absl::StrCat("append ", commit_id, ": ", result.status().ToString()));
    }
  }
  Die(absl::StrCat("commit ", commit_id, " lost ", kExactAttemptsMax, " races in a row"));
}

int Main(int argc, char** argv) {
  const Options options = ParseArgs(argc, argv);
  prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlive the test
  // stdout carries acks only: keep it for them and send everything else (logs) to stderr.
  const int ack_fd = dup(STDOUT_FILENO);
  if (ack_fd < 0 || dup2(STDERR_FILENO, STDOUT_FILENO) < 0) Die("redirecting stdout");

  RocksEventStoreOptions store_options;
  store_options.path = options.data_dir;
  absl::StatusOr<std::unique_ptr<RocksEventStore>> store = RocksEventStore::Open(store_options);
  if (!store.ok()) Die(absl::StrCat("open: ", store.status().ToString()));

  std::vector<std::thread> writers;
  for (int t = 0; t < options.writer_threads; ++t) {
    writers.emplace_back([&, t] {
      for (uint64_t n = 0;; ++n) {
        WriteAck(ack_fd, AppendOne(**store, CommitId(options.seed, t, n)));
      }
    });
  }
  for (std::thread& w : writers) w.join();  // never: the parent kills us
  return 0;
}

}  // namespace
}  // namespace reformlog::eventstore::crash

int main(int argc, char** argv) { return reformlog::eventstore::crash::Main(argc, argv); }
