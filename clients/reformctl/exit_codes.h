// How reformctl ends: its exit codes, and the exception a subcommand throws to end with one.
//
//   0  ok
//   1  rejected by the server (the message says why)
//   2  bad usage (reformctl's own checks, before anything is sent)
//   3  cannot reach the server
//
// main() catches Exit, prints "reformctl: MESSAGE" on stderr when the message is not empty and
// returns the code; nothing else catches it.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_EXIT_CODES_H_
#define REFORMLOG_CLIENTS_REFORMCTL_EXIT_CODES_H_

#include <string>

namespace reformlog::ctl {

inline constexpr int kExitOk = 0;
inline constexpr int kExitRejected = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

// Thrown by a subcommand to end reformctl with a code and a message (CLI11 style).
struct Exit {
  int code;
  std::string message;
};

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_EXIT_CODES_H_
