#include "tests/services/crash/reformd_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {
namespace {

constexpr size_t kStderrTailBytes = 4096;

}  // namespace

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() <= kStderrTailBytes ? all : all.substr(all.size() - kStderrTailBytes);
}

ReformdProcess::ReformdProcess(const std::string& data_dir, std::string stderr_path)
    : stderr_path_(std::move(stderr_path)) {
  args_ = {REFORMD_BINARY, "--data_dir=" + data_dir, "--listen=127.0.0.1:0"};
}

absl::Status ReformdProcess::Start(bool wait_until_serving) {
  const int err = open(stderr_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (err < 0) {
    return absl::InternalError(absl::StrCat(stderr_path_, ": ", std::strerror(errno)));
  }
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    close(err);
    return absl::InternalError(absl::StrCat("pipe2: ", std::strerror(errno)));
  }
  std::vector<char*> argv;
  for (std::string& a : args_) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t parent = getpid();
  pid_ = fork();
  if (pid_ == 0) {  // only async-signal-safe calls from here to exec
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(127);
    dup2(fds[1], STDOUT_FILENO);
    dup2(err, STDERR_FILENO);
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  const int fork_errno = errno;
  close(fds[1]);
  close(err);
  if (pid_ < 0) {
    close(fds[0]);
    return absl::InternalError(absl::StrCat("fork: ", std::strerror(fork_errno)));
  }
  out_ = fds[0];
  return wait_until_serving ? ReadAddress() : absl::OkStatus();
}

absl::Status ReformdProcess::Kill() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGKILL);
  return Reap(/*want_signal=*/SIGKILL);
}

absl::Status ReformdProcess::Stop() {
  if (pid_ <= 0) return absl::OkStatus();
  kill(pid_, SIGTERM);
  return Reap(/*want_signal=*/0);
}

absl::Status ReformdProcess::ReadAddress() {
  static constexpr absl::string_view kPrefix = "reformd listening on ";
  std::string line;
  const absl::Time give_up = absl::Now() + kStartTimeout;
  while (true) {
    if (const size_t newline = line.find('\n'); newline != std::string::npos) {
      if (!absl::StartsWith(line, kPrefix)) {
        return absl::InternalError(absl::StrCat("reformd's first line on stdout is \"",
                                                line.substr(0, newline), "\", not \"", kPrefix,
                                                "HOST:PORT\""));
      }
      address_ = line.substr(kPrefix.size(), newline - kPrefix.size());
      return absl::OkStatus();
    }
    const int64_t left_ms = absl::ToInt64Milliseconds(give_up - absl::Now());
    pollfd readable = {out_, POLLIN, 0};
    const int ready = left_ms <= 0 ? 0 : poll(&readable, 1, static_cast<int>(left_ms));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      return absl::DeadlineExceededError(absl::StrCat(
          "reformd did not say where it listens within ", absl::FormatDuration(kStartTimeout),
          "; its stderr ends:\n", Tail(stderr_path_)));
    }
    char chunk[256];
    const ssize_t n = read(out_, chunk, sizeof(chunk));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
      close(out_);
      out_ = -1;
      return absl::InternalError(absl::StrCat("reformd ended before serving (wait status ", status,
                                              "); its stderr ends:\n", Tail(stderr_path_)));
    }
    line.append(chunk, static_cast<size_t>(n));
  }
}

absl::Status ReformdProcess::Reap(int want_signal) {
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
  close(out_);
  out_ = -1;
  const bool as_wanted = want_signal == 0 ? WIFEXITED(status) && WEXITSTATUS(status) == 0
                                          : WIFSIGNALED(status) && WTERMSIG(status) == want_signal;
  if (as_wanted) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "reformd ", want_signal == 0 ? "did not exit 0 on SIGTERM" : "had died before the kill",
      " (wait status ", status, "); its stderr ends:\n", Tail(stderr_path_)));
}

}  // namespace reformlog::services::crash
