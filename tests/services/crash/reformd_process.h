// ReformdProcess: one run of the real reformd binary (REFORMD_BINARY) as a child process of
// reformd_crash_test, on a data directory, listening on port 0 (its
// clients call as kPrincipal, with the token reformd wrote to <data_dir>/admin.token).
//
// Its stdout is a pipe, read for the "reformd listening on HOST:PORT" line; its stderr is
// appended to a file whose tail goes into every error. The child dies with the test
// (PR_SET_PDEATHSIG). Not thread-safe: one thread starts, kills and stops it.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_REFORMD_PROCESS_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_REFORMD_PROCESS_H_

#include <sys/types.h>

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"

namespace reformlog::services::crash {

// How long a start may take before it says where it listens.
inline constexpr absl::Duration kStartTimeout = absl::Seconds(60);

// The last bytes (at most kStderrTailBytes) of the file at `path`.
std::string Tail(const std::string& path);

class ReformdProcess {
 public:
  ReformdProcess(const std::string& data_dir, std::string stderr_path);
  ~ReformdProcess() { Kill().IgnoreError(); }  // a failed test: only clean up
  ReformdProcess(const ReformdProcess&) = delete;
  ReformdProcess& operator=(const ReformdProcess&) = delete;

  // Starts the binary; with `wait_until_serving`, reads its address (else it may be killed
  // at any point of its start). INTERNAL when it cannot start or ends before serving,
  // DEADLINE_EXCEEDED when it does not serve within kStartTimeout.
  absl::Status Start(bool wait_until_serving);

  // SIGKILL and reap. FAILED_PRECONDITION when it had already died on its own.
  absl::Status Kill();

  // SIGTERM: a clean stop must exit 0 (else FAILED_PRECONDITION).
  absl::Status Stop();

  // HOST:PORT, once Start(true) succeeded.
  const std::string& address() const { return address_; }

 private:
  absl::Status ReadAddress();
  absl::Status Reap(int want_signal);

  std::vector<std::string> args_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::string address_;
};

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_REFORMD_PROCESS_H_
