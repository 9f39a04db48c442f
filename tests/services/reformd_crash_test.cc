// The whole system under SIGKILL: the real reformd binary runs as a child process on a
// temporary data directory (port 0); eight writer threads send it real commands over gRPC
// (reformd_crash_workload.h: registrations past the quota, disbursements past what a line
// holds, quota and budget top-ups, departures, and twins — one request sent twice at once,
// two calls in flight together); the test SIGKILLs it at a random moment, restarts it on the
// same directory and goes on. After every restart it checks, against its own fold of the log
// (reformd_crash_oracle.h):
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
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "eventstore/kv_store.h"
#include "eventstore/rocks_event_store.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "projections/all_projections.h"
#include "projections/in_memory_replay.h"
#include "projections/projection_runner.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "tests/services/reformd_crash_oracle.h"
#include "tests/services/reformd_crash_workload.h"
#include "tests/testing/env.h"
#include "tests/testing/temp_dir.h"

extern char** environ;

namespace reformlog::services::crash {
namespace {

constexpr uint64_t kCyclesDefault = 10;
constexpr int kWriterThreads = 8;
constexpr int64_t kKillAfterMsMin = 100;
constexpr int64_t kKillAfterMsMax = 1500;
// One restart in this many is killed again while it starts (recovery, read-model catch-up)
// after up to kStartKillMsMax, before the restart that goes on.
constexpr uint64_t kKillDuringStartOneIn = 4;
constexpr int64_t kStartKillMsMax = 300;
constexpr auto kCallDeadline = std::chrono::seconds(30);
constexpr absl::Duration kStartTimeout = absl::Seconds(60);
constexpr absl::Duration kCatchUpTimeout = absl::Seconds(120);
constexpr uint32_t kReadPageEvents = 1000;
constexpr size_t kReplaySamplesPerCycle = 8;
constexpr size_t kReplayPoolMax = 4096;  // acknowledged requests kept for later replays
constexpr int kQueryAttemptsMax = 6;     // each waits up to the server's min_position bound
constexpr int32_t kPeoplePageMax = 10'000;
// The in-process read-model check runs every this many cycles (and after the last).
constexpr uint64_t kProjectionCheckEveryMin = 5;
constexpr uint64_t kProjectionChecksPerRunMax = 20;
constexpr size_t kStderrTailBytes = 4096;
constexpr size_t kTwinFailuresShownMax = 5;
constexpr const char* kPrincipal = "crash-test-operator";

using testing::EnvOr;

std::string Tail(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  const std::string all = text.str();
  return all.size() <= kStderrTailBytes ? all : all.substr(all.size() - kStderrTailBytes);
}

// ---- reformd as a child process ----------------------------------------------------------

// One run of the reformd binary. Its stdout is a pipe (for the "listening on" line), its
// stderr is appended to `stderr_path`; it dies with the test (PR_SET_PDEATHSIG).
class ReformdProcess {
 public:
  ReformdProcess(const std::string& data_dir, const std::string& stderr_path)
      : stderr_path_(stderr_path) {
    args_ = {REFORMD_BINARY, "--data_dir=" + data_dir, "--listen=127.0.0.1:0",
             absl::StrCat("--principal=", kPrincipal)};
  }
  ~ReformdProcess() { Kill().IgnoreError(); }  // a failed test: only clean up
  ReformdProcess(const ReformdProcess&) = delete;
  ReformdProcess& operator=(const ReformdProcess&) = delete;

  // Starts the binary; with `wait_until_serving`, reads its address (else it may be killed
  // at any point of its start).
  absl::Status Start(bool wait_until_serving) {
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

  // SIGKILL and reap. FAILED_PRECONDITION when it had already died on its own.
  absl::Status Kill() {
    if (pid_ <= 0) return absl::OkStatus();
    kill(pid_, SIGKILL);
    return Reap(/*want_signal=*/SIGKILL);
  }

  // SIGTERM: a clean stop must exit 0.
  absl::Status Stop() {
    if (pid_ <= 0) return absl::OkStatus();
    kill(pid_, SIGTERM);
    return Reap(/*want_signal=*/0);
  }

  const std::string& address() const { return address_; }

 private:
  absl::Status ReadAddress() {
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
        return absl::InternalError(absl::StrCat("reformd ended before serving (wait status ",
                                                status, "); its stderr ends:\n",
                                                Tail(stderr_path_)));
      }
      line.append(chunk, static_cast<size_t>(n));
    }
  }

  absl::Status Reap(int want_signal) {
    int status = 0;
    while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    pid_ = -1;
    close(out_);
    out_ = -1;
    const bool as_wanted = want_signal == 0
                               ? WIFEXITED(status) && WEXITSTATUS(status) == 0
                               : WIFSIGNALED(status) && WTERMSIG(status) == want_signal;
    if (as_wanted) return absl::OkStatus();
    return absl::FailedPreconditionError(absl::StrCat(
        "reformd ", want_signal == 0 ? "did not exit 0 on SIGTERM" : "had died before the kill",
        " (wait status ", status, "); its stderr ends:\n", Tail(stderr_path_)));
  }

  std::vector<std::string> args_;
  std::string stderr_path_;
  pid_t pid_ = -1;
  int out_ = -1;
  std::string address_;
};

// ---- the client side -------------------------------------------------------------------

class Client {
 public:
  explicit Client(const std::string& address)
      : channel_(grpc::CreateChannel(address, grpc::InsecureChannelCredentials())),
        org_(api::OrgCommands::NewStub(channel_)),
        staffing_(api::StaffingCommands::NewStub(channel_)),
        budget_(api::BudgetCommands::NewStub(channel_)),
        feed_(api::EventFeed::NewStub(channel_)),
        staffing_queries_(api::StaffingQueries::NewStub(channel_)),
        budget_queries_(api::BudgetQueries::NewStub(channel_)) {}

  grpc::Status Send(const Request& r, api::CommandResult* result) const {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    switch (r.op) {
      case Op::kEstablish:
        return Call(r, &context, result, &api::OrgCommands::Stub::EstablishAgency, *org_);
      case Op::kGrantQuota:
        return Call(r, &context, result, &api::OrgCommands::Stub::GrantQuota, *org_);
      case Op::kAppropriate:
        return Call(r, &context, result, &api::BudgetCommands::Stub::Appropriate, *budget_);
      case Op::kDisburse:
        return Call(r, &context, result, &api::BudgetCommands::Stub::Disburse, *budget_);
      case Op::kRegister:
        return Call(r, &context, result, &api::StaffingCommands::Stub::RegisterPerson, *staffing_);
      case Op::kDepart:
        return Call(r, &context, result, &api::StaffingCommands::Stub::RecordDeparture, *staffing_);
    }
    return grpc::Status(grpc::StatusCode::INTERNAL, "unknown op");
  }

  // One command started without waiting for it: `done` runs (on a gRPC thread) with its
  // status once it is answered; `call` must stay alive until then.
  struct InFlight {
    grpc::ClientContext context;
    std::unique_ptr<google::protobuf::Message> request;
    api::CommandResult result;
  };
  void Start(const Request& r, InFlight* call, std::function<void(grpc::Status)> done) const {
    call->context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    switch (r.op) {
      case Op::kEstablish:
        return Begin<api::EstablishAgencyRequest>(r, call, done, [&](const auto* q) {
          org_->async()->EstablishAgency(&call->context, q, &call->result, std::move(done));
        });
      case Op::kGrantQuota:
        return Begin<api::ChangeQuotaRequest>(r, call, done, [&](const auto* q) {
          org_->async()->GrantQuota(&call->context, q, &call->result, std::move(done));
        });
      case Op::kAppropriate:
        return Begin<api::AppropriateRequest>(r, call, done, [&](const auto* q) {
          budget_->async()->Appropriate(&call->context, q, &call->result, std::move(done));
        });
      case Op::kDisburse:
        return Begin<api::DisburseRequest>(r, call, done, [&](const auto* q) {
          budget_->async()->Disburse(&call->context, q, &call->result, std::move(done));
        });
      case Op::kRegister:
        return Begin<api::RegisterPersonRequest>(r, call, done, [&](const auto* q) {
          staffing_->async()->RegisterPerson(&call->context, q, &call->result, std::move(done));
        });
      case Op::kDepart:
        return Begin<api::RecordDepartureRequest>(r, call, done, [&](const auto* q) {
          staffing_->async()->RecordDeparture(&call->context, q, &call->result, std::move(done));
        });
    }
  }

  // A unary query with a deadline, retried while the read model is still catching up.
  template <typename Stub, typename Req, typename Resp>
  absl::Status Query(Stub& stub,
                     grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&, Resp*),
                     const Req& request, Resp* response) const {
    grpc::Status s;
    for (int attempt = 0; attempt < kQueryAttemptsMax; ++attempt) {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + kCallDeadline);
      s = (stub.*method)(&context, request, response);
      if (s.error_code() != grpc::StatusCode::UNAVAILABLE) break;
    }
    if (s.ok()) return absl::OkStatus();
    return absl::Status(static_cast<absl::StatusCode>(s.error_code()), s.error_message());
  }

  api::EventFeed::Stub& feed() const { return *feed_; }
  api::StaffingQueries::Stub& staffing_queries() const { return *staffing_queries_; }
  api::BudgetQueries::Stub& budget_queries() const { return *budget_queries_; }

 private:
  template <typename Req, typename Go>
  static void Begin(const Request& r, InFlight* call, const std::function<void(grpc::Status)>& done,
                    Go go) {
    auto request = std::make_unique<Req>();
    if (!request->ParseFromString(r.bytes)) {
      done(grpc::Status(grpc::StatusCode::INTERNAL, "the test's request does not parse"));
      return;
    }
    const Req* raw = request.get();
    call->request = std::move(request);
    go(raw);
  }

  template <typename Req, typename Stub>
  static grpc::Status Call(const Request& r, grpc::ClientContext* context,
                           api::CommandResult* result,
                           grpc::Status (Stub::*method)(grpc::ClientContext*, const Req&,
                                                        api::CommandResult*),
                           Stub& stub) {
    Req request;
    if (!request.ParseFromString(r.bytes)) {
      return grpc::Status(grpc::StatusCode::INTERNAL, "the test's request does not parse");
    }
    return (stub.*method)(context, request, result);
  }

  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::StaffingCommands::Stub> staffing_;
  std::unique_ptr<api::BudgetCommands::Stub> budget_;
  std::unique_ptr<api::EventFeed::Stub> feed_;
  std::unique_ptr<api::StaffingQueries::Stub> staffing_queries_;
  std::unique_ptr<api::BudgetQueries::Stub> budget_queries_;
};

// ---- answers -----------------------------------------------------------------------------

// What one copy of a request was told.
struct Answer {
  enum Kind { kOk, kRefused, kInDoubt, kUnexpected } kind = kUnexpected;
  api::CommandResult result;  // kOk
  grpc::StatusCode code = grpc::StatusCode::OK;
  std::string message;
  // For twins: when the call was started and answered, on the client, in µs after the
  // first copy was started.
  int64_t sent_us = 0;
  int64_t answered_us = 0;

  std::string Text() const {
    if (kind == kOk) {
      return absl::StrCat("OK positions ", result.first_position(), "-", result.position(),
                          " replayed=", result.replayed());
    }
    return absl::StrCat(kind == kInDoubt ? "(in doubt) " : "", "code ", code, ": ", message);
  }
};

// The codes of a definite refusal: the command was decided against (or lost every race) and
// nothing was written.
bool IsRefusal(grpc::StatusCode code) {
  return code == grpc::StatusCode::FAILED_PRECONDITION || code == grpc::StatusCode::NOT_FOUND ||
         code == grpc::StatusCode::ALREADY_EXISTS || code == grpc::StatusCode::ABORTED;
}

// `killed` tells a transport error caused by the kill (the answer is lost: in doubt) from
// one a live server gave (a failure of the test).
Answer Classify(const grpc::Status& s, const api::CommandResult& result, bool killed) {
  Answer a;
  a.code = s.error_code();
  a.message = s.error_message();
  if (s.ok()) {
    a.kind = Answer::kOk;
    a.result = result;
  } else if (IsRefusal(s.error_code())) {
    a.kind = Answer::kRefused;
  } else {
    a.kind = killed ? Answer::kInDoubt : Answer::kUnexpected;
  }
  return a;
}

// Every answer to one request: one per copy sent by the writers (two for a twin), then one
// per re-send after a restart.
struct Outcome {
  Request request;
  std::vector<Answer> copies;
  std::vector<Answer> resends;
};

// ---- twins -------------------------------------------------------------------------------

// The whole number right after `label` in `text`.
std::optional<int64_t> NumberAfter(absl::string_view text, absl::string_view label) {
  const size_t at = text.find(label);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = text.substr(at + label.size());
  size_t digits = 0;
  while (digits < rest.size() && absl::ascii_isdigit(static_cast<unsigned char>(rest[digits]))) {
    ++digits;
  }
  int64_t n = 0;
  if (digits == 0 || !absl::SimpleAtoi(rest.substr(0, digits), &n)) return std::nullopt;
  return n;
}

// The amount right after `label` in `text`, written as the server writes yuan ("1163.74 元"),
// in fen.
std::optional<int64_t> FenAfter(absl::string_view text, absl::string_view label) {
  const size_t at = text.find(label);
  if (at == absl::string_view::npos) return std::nullopt;
  absl::string_view rest = text.substr(at + label.size());
  const size_t end = rest.find(" 元");
  if (end == absl::string_view::npos) return std::nullopt;
  const std::vector<absl::string_view> parts = absl::StrSplit(rest.substr(0, end), '.');
  int64_t yuan = 0, fen = 0;
  if (parts.size() != 2 || parts[1].size() != 2 || !absl::SimpleAtoi(parts[0], &yuan) ||
      !absl::SimpleAtoi(parts[1], &fen)) {
    return std::nullopt;
  }
  return yuan * 100 + fen;
}

std::string FirstAt(uint64_t position) {
  return position == 0 ? "nowhere" : absl::StrCat("first at position ", position);
}

std::string Show(const Staffing& s) {
  return absl::StrCat("quota ", s.quota, ", in post ", s.in_post);
}

// Whether a copy of a twin may have been refused with `code` and `message` while the other
// copy recorded the request at positions `first`-`last`.
//
// Copies in flight together at the server share one answer; a refusal records nothing, so a
// copy that reaches the server after the other was refused is decided again, and may succeed
// once the state has changed (a top-up by another writer landed). So a refusal beside a
// commit is legitimate only when it was decided before that commit: every state it reports
// must have stood in the log at some prefix ending before `first` (not necessarily at
// `first` - 1: the change that let the other copy through may lie between). A refusal its
// twin caused ("already registered", or 超编 and lack of funds that exist only with the twin's
// registration or payment) reports a state that first stood with that commit. OK when the
// refusal is legitimate, else FAILED_PRECONDITION saying which state never stood before
// `first` and what stood at `first` - 1.
absl::Status JudgeRefusalBesideCommit(const LogOracle& oracle, const Request& request,
                                      grpc::StatusCode code, const std::string& message,
                                      uint64_t first, uint64_t last) {
  const std::string twin = absl::StrCat("its twin recorded the request at ", first, "-", last);
  auto wrong = [&](const std::string& why) {
    return absl::FailedPreconditionError(absl::StrCat(why, "; ", twin));
  };
  if (code == grpc::StatusCode::ABORTED) return absl::OkStatus();  // lost races, reports no state
  if (absl::StrContains(message, "was already used for a different request")) {
    return wrong("refused as if its own request id held other content");
  }
  // The problems a refusal lists, "; " between them (services/domain: ListSome).
  for (absl::string_view problem : absl::StrSplit(message, "; ")) {
    switch (request.op) {
      case Op::kRegister: {
        api::RegisterPersonRequest r;
        r.ParseFromString(request.bytes);
        const api::PersonToRegister& p = r.person();
        if (absl::StrContains(problem, " is already registered")) {
          const uint64_t at = oracle.registered_at(p.person_id());
          if (at == 0 || at >= first) {
            return wrong(absl::StrCat("refused as already registered, but the log registers ",
                                      p.person_id(), " ", FirstAt(at)));
          }
          continue;
        }
        if (absl::StrContains(problem, "(no vacancy: 超编)")) {
          const std::optional<int64_t> quota = NumberAfter(problem, ": quota ");
          const std::optional<int64_t> in_post = NumberAfter(problem, ", in post ");
          const std::optional<int64_t> requested = NumberAfter(problem, ", requested +");
          if (!absl::StartsWith(problem, AgencyStreamOf(p.agency_id())) || !quota || !in_post ||
              !requested) {
            return wrong(absl::StrCat("a 超编 refusal that does not read \"",
                                      AgencyStreamOf(p.agency_id()),
                                      " (…) …: quota Q, in post N, requested +K\""));
          }
          const Staffing reported{*quota, *in_post};
          const std::string where = absl::StrCat(AgencyStreamOf(p.agency_id()), " ",
                                                 pb::QuotaCategory_Name(p.category()));
          if (*in_post + *requested <= *quota) {
            return wrong(absl::StrCat("refused as 超编 at ", where, ", ", Show(reported),
                                      ", requested +", *requested, ", which leaves a vacancy"));
          }
          const History<Staffing>& staffing = oracle.staffing_history(p.agency_id(), p.category());
          if (!staffing.LastPrefixBefore(first, reported)) {
            return wrong(absl::StrCat("refused as 超编 at ", where, ", ", Show(reported),
                                      ", which never stood in the log before position ", first,
                                      " (at ", first - 1, ": ", Show(staffing.At(first - 1)), ")"));
          }
          continue;
        }
        break;
      }
      case Op::kDisburse: {
        api::DisburseRequest r;
        r.ParseFromString(request.bytes);
        if (absl::StrContains(problem, absl::StrCat("disbursement ", r.disbursement_id(),
                                                    " is already recorded"))) {
          const uint64_t at = oracle.disbursed_at(r.disbursement_id());
          if (at == 0 || at >= first) {
            return wrong(
                absl::StrCat("refused as already recorded, but the log records disbursement ",
                             r.disbursement_id(), " ", FirstAt(at)));
          }
          continue;
        }
        if (absl::StrContains(problem, ": available ")) {
          const std::optional<int64_t> available = FenAfter(problem, ": available ");
          const std::string line =
              absl::StrCat(BudgetStreamOf(r.agency_id()), " line ", LineKey(r.line()));
          if (!available) {
            return wrong("a refusal for lack of funds that does not read \": available X.YY 元\"");
          }
          if (*available >= r.amount_fen()) {
            return wrong(absl::StrCat("refused for lack of funds at ", line, ", available ",
                                      *available, " fen, requested ", r.amount_fen(), " fen"));
          }
          const History<int64_t>& funds =
              oracle.available_history(r.agency_id(), LineKey(r.line()));
          if (!funds.LastPrefixBefore(first, *available)) {
            return wrong(absl::StrCat("refused for lack of funds at ", line, ", available ",
                                      *available,
                                      " fen, which never stood in the log before position ", first,
                                      " (at ", first - 1, ": ", funds.At(first - 1), " fen)"));
          }
          continue;
        }
        break;
      }
      case Op::kDepart: {
        api::RecordDepartureRequest r;
        r.ParseFromString(request.bytes);
        // No such person: stood at every prefix before the registration (the empty log at
        // least); the twin's departure leaves the person, departed.
        if (absl::StartsWith(problem, "no person ")) continue;
        if (absl::StrContains(problem, ") has departed")) {
          const uint64_t at = oracle.departed_at(r.person_id());
          if (at == 0 || at >= first) {
            return wrong(absl::StrCat("refused as departed, but the log has ", r.person_id(),
                                      " depart ", FirstAt(at)));
          }
          continue;
        }
        break;
      }
      case Op::kEstablish:
      case Op::kGrantQuota:
      case Op::kAppropriate:
        break;
    }
    return wrong(absl::StrCat("the refusal names \"", problem,
                              "\", which this test cannot check against the log"));
  }
  return absl::OkStatus();
}

// ---- the writers -------------------------------------------------------------------------

struct KillSwitch {
  std::atomic<bool> killed{false};  // set just before the SIGKILL
  std::atomic<bool> stop{false};    // writers send nothing new
};

// Sends one request and records the answer. A twin is sent twice at once: both calls are
// started back to back without waiting (the server takes each on a thread of its own), so
// that the two are in flight together rather than one after the other.
Outcome SendCopies(const Client& client, Request request, const KillSwitch& kill) {
  Outcome outcome;
  if (!request.twin) {
    api::CommandResult result;
    const grpc::Status s = client.Send(request, &result);
    outcome.copies.push_back(Classify(s, result, kill.killed.load()));
    outcome.request = std::move(request);
    return outcome;
  }
  // Shared with the callbacks, which may still be returning after the wait below ends. The
  // calls themselves (their ClientContexts) stay with this thread and are destroyed here once
  // both callbacks have run: never on a gRPC thread in the middle of finishing a call.
  struct Twin {
    std::mutex mu;
    std::condition_variable cv;
    int answered = 0;
    grpc::Status status[2];
    int64_t sent_us[2] = {0, 0};
    int64_t answered_us[2] = {0, 0};
  };
  auto twin = std::make_shared<Twin>();
  Client::InFlight calls[2];
  const auto start = std::chrono::steady_clock::now();
  auto us_since_start = [start] {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() -
                                                                 start)
        .count();
  };
  for (int i = 0; i < 2; ++i) {
    twin->sent_us[i] = us_since_start();
    client.Start(request, &calls[i], [twin, i, us_since_start](grpc::Status s) {
      std::lock_guard lock(twin->mu);
      twin->status[i] = std::move(s);
      twin->answered_us[i] = us_since_start();
      ++twin->answered;
      twin->cv.notify_all();
    });
  }
  {
    std::unique_lock lock(twin->mu);
    twin->cv.wait(lock, [&] { return twin->answered == 2; });
  }
  for (int i = 0; i < 2; ++i) {
    Answer& a =
        outcome.copies.emplace_back(Classify(twin->status[i], calls[i].result, kill.killed.load()));
    a.sent_us = twin->sent_us[i];
    a.answered_us = twin->answered_us[i];
  }
  outcome.request = std::move(request);
  return outcome;
}

// Runs kWriterThreads writers until the kill; returns every request each sent.
std::vector<Outcome> RunWriters(const Client& client, uint64_t seed, int cycle,
                                absl::Duration kill_after, ReformdProcess& reformd,
                                absl::Status* killed_status) {
  KillSwitch kill;
  std::vector<std::vector<Outcome>> per_thread(kWriterThreads);
  std::vector<std::thread> writers;
  for (int t = 0; t < kWriterThreads; ++t) {
    writers.emplace_back([&, t] {
      WriterScript script(seed, cycle, t);
      while (!kill.stop.load()) {
        Outcome o = SendCopies(client, script.Next(), kill);
        bool lost = false;
        for (const Answer& a : o.copies) lost |= a.kind == Answer::kInDoubt;
        per_thread[t].push_back(std::move(o));
        if (lost) break;  // the server is gone
      }
    });
  }
  absl::SleepFor(kill_after);  // chooses the moment of the kill; proves nothing by waiting
  kill.killed.store(true);
  *killed_status = reformd.Kill();
  kill.stop.store(true);
  for (std::thread& w : writers) w.join();
  std::vector<Outcome> all;
  for (std::vector<Outcome>& v : per_thread) {
    for (Outcome& o : v) all.push_back(std::move(o));
  }
  return all;
}

// ---- the run -----------------------------------------------------------------------------

struct Counts {
  size_t sent = 0, acknowledged = 0, refused = 0, over_quota = 0, no_funds = 0, aborted = 0;
  size_t in_doubt = 0, resent_recorded_before = 0, resent_recorded_now = 0, resent_refused = 0;
  size_t twins = 0, twins_compared = 0, twins_both_ok = 0, twins_both_refused = 0;
  size_t twins_refused_apart = 0;     // both refused, differently: decided one after the other
  size_t twins_refused_recorded = 0;  // one refused before the other recorded it
  size_t twins_sequential = 0;        // one answered refused before the other was sent
  size_t replays = 0, kills_during_start = 0, projection_checks = 0, resumed_behind_max = 0;
  size_t acknowledged_by_op[6] = {};
};

class SystemCrashRun {
 public:
  SystemCrashRun(uint64_t seed, const std::string& data_dir, const std::string& stderr_path)
      : seed_(seed),
        schedule_rng_(seed),
        sample_rng_(~seed),
        data_dir_(data_dir),
        stderr_path_(stderr_path),
        oracle_(kPrincipal) {}

  // Starts reformd and connects; kills it first during a start now and then.
  absl::Status Start(int cycle) {
    Mark(absl::StrCat("cycle ", cycle, ": start"));
    if (cycle > 0 && schedule_rng_() % kKillDuringStartOneIn == 0) {
      const int64_t after_ms = static_cast<int64_t>(schedule_rng_() % (kStartKillMsMax + 1));
      ReformdProcess early(data_dir_, stderr_path_);
      if (absl::Status s = early.Start(/*wait_until_serving=*/false); !s.ok()) return s;
      absl::SleepFor(absl::Milliseconds(after_ms));
      if (absl::Status s = early.Kill(); !s.ok()) {
        return absl::Status(s.code(),
                            absl::StrCat("killed ", after_ms, " ms into its start: ", s.message()));
      }
      ++counts_.kills_during_start;
      Mark(absl::StrCat("cycle ", cycle, ": killed ", after_ms, " ms into its start; again"));
    }
    reformd_ = std::make_unique<ReformdProcess>(data_dir_, stderr_path_);
    if (absl::Status s = reformd_->Start(/*wait_until_serving=*/true); !s.ok()) return s;
    client_ = std::make_unique<Client>(reformd_->address());
    return absl::OkStatus();
  }

  // The agencies, quotas and lines: every one must be recorded (or replayed).
  absl::Status Setup() {
    for (const Request& r : SetupRequests()) {
      oracle_.Expect(r);
      api::CommandResult result;
      const grpc::Status s = client_->Send(r, &result);
      if (!s.ok()) {
        return absl::InternalError(absl::StrCat("setup request ", r.id, ": ", s.error_message()));
      }
      Outcome o{r, {Classify(s, result, false)}, {}};
      pending_.push_back(std::move(o));
    }
    return absl::OkStatus();
  }

  // Everything there is to check after a restart, before the writers go on.
  absl::Status Verify() {
    if (absl::Status s = Scan(); !s.ok()) return s;
    std::vector<Outcome> in_doubt;
    if (absl::Status s = Settle(std::exchange(pending_, {}), &in_doubt); !s.ok()) return s;
    if (absl::Status s = Resend(in_doubt); !s.ok()) return s;
    if (absl::Status s = Scan(); !s.ok()) return s;
    std::vector<Outcome> still;
    if (absl::Status s = Settle(std::move(in_doubt), &still); !s.ok()) return s;
    if (!still.empty()) {
      return absl::InternalError(absl::StrCat("request ", still.front().request.id,
                                              " is still in doubt after a re-send to a live "
                                              "server: ",
                                              still.front().resends.back().Text()));
    }
    if (!oracle_.unclaimed().empty()) {
      const std::string& id = *oracle_.unclaimed().begin();
      const CommitSeen* seen = oracle_.Find(id);
      return absl::DataLossError(absl::StrCat("request ", id, " is in the log at positions ",
                                              seen->first_position, "-", seen->last_position,
                                              " but no answer to it, nor a re-send, said OK (",
                                              oracle_.unclaimed().size(), " such requests)"));
    }
    if (absl::Status s = Replays(); !s.ok()) return s;
    return CheckReadModels();
  }

  // Writers until a random kill.
  absl::Status WriteUntilKilled(int cycle) {
    const int64_t kill_ms =
        kKillAfterMsMin +
        static_cast<int64_t>(schedule_rng_() % (kKillAfterMsMax - kKillAfterMsMin + 1));
    Mark(absl::StrCat("cycle ", cycle, ": writers, kill after ", kill_ms, " ms"));
    absl::Status killed;
    std::vector<Outcome> outcomes =
        RunWriters(*client_, seed_, cycle, absl::Milliseconds(kill_ms), *reformd_, &killed);
    client_.reset();
    reformd_.reset();
    if (!killed.ok()) return killed;  // it died on its own: that explains any odd answer
    for (Outcome& o : outcomes) {
      for (const Answer& a : o.copies) {
        if (a.kind == Answer::kUnexpected) {
          return absl::InternalError(absl::StrCat("request ", o.request.id, " (",
                                                  OpName(o.request.op), ") got ", a.Text(),
                                                  " from a live server"));
        }
      }
      oracle_.Expect(o.request);
      pending_.push_back(std::move(o));
    }
    return absl::OkStatus();
  }

  // SIGTERM: a clean stop after all the crashes.
  absl::Status Stop() {
    client_.reset();
    absl::Status s = reformd_->Stop();
    reformd_.reset();
    return s;
  }

  // On `dir` (reformd not running there): the read models resumed from their persisted
  // checkpoints and caught up equal a replay of the log.
  absl::Status CheckProjectionsInProcess(const std::string& dir) {
    ++counts_.projection_checks;
    eventstore::RocksEventStoreOptions options;
    options.path = dir + "/log";
    auto store = eventstore::RocksEventStore::Open(options);
    if (!store.ok()) return store.status();
    auto kv = eventstore::OpenRocksKeyValueStore(dir + "/readmodels");
    if (!kv.ok()) return kv.status();
    const uint64_t head = (*store)->HeadPosition();
    auto runner =
        projections::ProjectionRunner::Start(**store, **kv, projections::AllProjections());
    if (!runner.ok()) return runner.status();
    if (!(*runner)->WaitForAll(head, kCatchUpTimeout)) {
      return absl::DeadlineExceededError(absl::StrCat("the read models did not reach the head ",
                                                      head, " within ",
                                                      absl::FormatDuration(kCatchUpTimeout)));
    }
    for (const projections::ProjectionStatus& status : (*runner)->Statuses()) {
      // How far behind the head the kill left this model's persisted checkpoint.
      counts_.resumed_behind_max =
          std::max(counts_.resumed_behind_max, static_cast<size_t>(status.applied_since_start));
    }
    std::vector<std::unique_ptr<projections::Projection>> fresh = projections::AllProjections();
    std::vector<const projections::Projection*> raw;
    for (const auto& p : fresh) raw.push_back(p.get());
    auto replayed = projections::ReplayInMemory(**store, raw, head);
    if (!replayed.ok()) return replayed.status();
    for (size_t i = 0; i < raw.size(); ++i) {
      const std::string name(raw[i]->name());
      std::string resumed;
      absl::Status read = (*runner)->Read(
          name, head, absl::ZeroDuration(),
          [&](const projections::EntityTable& t, uint64_t) { resumed = t.Render(); });
      if (!read.ok()) return read;
      const std::string replay = (*replayed)[i]->Render();
      if (resumed != replay) return RenderMismatch(name, head, resumed, replay);
    }
    (*runner)->Stop();
    (*store)->Close();
    return absl::OkStatus();
  }

  // Twins whose copies were answered differently.
  const std::vector<std::string>& twin_failures() const { return twin_failures_; }
  const Counts& counts() const { return counts_; }
  const LogOracle& oracle() const { return oracle_; }

 private:
  void Mark(const std::string& text) {
    std::ofstream(stderr_path_, std::ios::app) << "=== reformd_crash_test: " << text << " ===\n";
  }

  static absl::Status RenderMismatch(const std::string& name, uint64_t head,
                                     const std::string& resumed, const std::string& replay) {
    size_t at = 0;
    while (at < resumed.size() && at < replay.size() && resumed[at] == replay[at]) ++at;
    const size_t line_start =
        resumed.rfind('\n', at) == std::string::npos ? 0 : resumed.rfind('\n', at) + 1;
    auto line = [&](const std::string& text) {
      const size_t end = text.find('\n', line_start);
      return text.substr(line_start,
                         end == std::string::npos ? std::string::npos : end - line_start);
    };
    return absl::DataLossError(
        absl::StrCat("read model ", name, " resumed after the kill and caught up to ", head,
                     " differs from a replay of the log; first difference at byte ", at,
                     ":\n  resumed: ", line(resumed), "\n  replay:  ", line(replay)));
  }

  // Reads the log past what the oracle knows, re-reads the page that ends where the last
  // scan ended and one random page, and checks the head.
  absl::Status Scan() {
    const uint64_t known = oracle_.head();
    for (uint64_t from : {known > kReadPageEvents ? known - kReadPageEvents + 1 : 1,
                          known == 0 ? 1 : 1 + sample_rng_() % known}) {
      if (known == 0) break;
      api::ReadAllResponse page;
      if (absl::Status s = ReadPage(from, &page); !s.ok()) return s;
      for (const api::Event& e : page.events()) {
        if (e.position() > known) break;
        if (absl::Status s = oracle_.Reverify(e); !s.ok()) return s;
      }
    }
    uint64_t head = 0;
    for (uint64_t from = known + 1;;) {
      api::ReadAllResponse page;
      if (absl::Status s = ReadPage(from, &page); !s.ok()) return s;
      head = page.head_position();
      if (page.events().empty()) break;
      for (const api::Event& e : page.events()) {
        if (absl::Status s = oracle_.Learn(e); !s.ok()) return s;
      }
      from = page.next_position();
    }
    if (absl::Status s = oracle_.EndScan(); !s.ok()) return s;
    if (head < known) {
      return absl::DataLossError(
          absl::StrCat("the head went back from ", known, " to ", head, " across the restart"));
    }
    if (oracle_.head() != head) {
      return absl::DataLossError(
          absl::StrCat("the log reads to ", oracle_.head(), " but the head is ", head));
    }
    return absl::OkStatus();
  }

  absl::Status ReadPage(uint64_t from, api::ReadAllResponse* page) {
    api::ReadAllRequest request;
    request.set_from_position(from);
    request.set_max_count(kReadPageEvents);
    return client_->Query(client_->feed(), &api::EventFeed::Stub::ReadAll, request, page);
  }

  // Judges each request by its latest answers and the log. Those still in doubt go to
  // *in_doubt; the rest are settled.
  absl::Status Settle(std::vector<Outcome> outcomes, std::vector<Outcome>* in_doubt) {
    for (Outcome& o : outcomes) {
      absl::StatusOr<bool> settled = SettleOne(o);
      if (!settled.ok()) return settled.status();
      if (!*settled) in_doubt->push_back(std::move(o));
    }
    return absl::OkStatus();
  }

  // True when settled.
  absl::StatusOr<bool> SettleOne(const Outcome& o) {
    const std::string& id = o.request.id;
    const bool first_time = o.resends.empty();
    if (first_time) {
      ++counts_.sent;
      if (o.request.twin) CompareTwins(o);
    }
    const std::vector<Answer>& answers = first_time ? o.copies : o.resends;
    bool ok = false, in_doubt = false;
    for (const Answer& a : answers) {
      if (a.kind == Answer::kOk) {
        ok = true;
        if (absl::Status s = oracle_.CheckAnswer(id, a.result); !s.ok()) return s;
      }
      in_doubt |= a.kind == Answer::kInDoubt;
    }
    if (ok) {
      Acknowledged(o, answers);
      return true;
    }
    if (in_doubt) {
      if (!first_time) return false;
      ++counts_.in_doubt;
      return false;
    }
    if (const CommitSeen* seen = oracle_.Find(id); seen != nullptr) {
      return absl::DataLossError(absl::StrCat(
          "request ", id, " (", OpName(o.request.op), ") was refused (", answers.front().Text(),
          ") but the log holds it at positions ", seen->first_position, "-", seen->last_position));
    }
    Refused(o, answers);
    oracle_.Refused(id, o.request.op, answers.front().code);
    return true;
  }

  void Acknowledged(const Outcome& o, const std::vector<Answer>& answers) {
    ++counts_.acknowledged;
    ++counts_.acknowledged_by_op[static_cast<int>(o.request.op)];
    if (!o.resends.empty()) {
      ++(answers.front().result.replayed() ? counts_.resent_recorded_before
                                           : counts_.resent_recorded_now);
    }
    // The reservoir of acknowledged requests replayed later, and the newest ones.
    ++acknowledged_seen_;
    if (replay_pool_.size() < kReplayPoolMax) {
      replay_pool_.push_back(o.request);
    } else if (const uint64_t slot = sample_rng_() % acknowledged_seen_; slot < kReplayPoolMax) {
      replay_pool_[slot] = o.request;
    }
    newest_.push_back(o.request);
    oracle_.Forget(o.request.id);
  }

  void Refused(const Outcome& o, const std::vector<Answer>& answers) {
    ++counts_.refused;
    if (!o.resends.empty()) ++counts_.resent_refused;
    const Answer& a = answers.front();
    if (a.code == grpc::StatusCode::ABORTED) ++counts_.aborted;
    if (o.request.op == Op::kRegister && absl::StrContains(a.message, "超编")) {
      ++counts_.over_quota;
    }
    if (o.request.op == Op::kDisburse && a.code == grpc::StatusCode::FAILED_PRECONDITION &&
        absl::StrContains(a.message, "available")) {
      ++counts_.no_funds;
    }
  }

  // The copies of a twin that got a definite answer agree with what the server promises:
  // copies in flight together at the server share one answer, and a refusal records nothing,
  // so a copy that reaches the server after the other was refused is decided again. Allowed:
  //  * both OK at the same positions and stream versions, one of them (or both) replayed;
  //  * both refused, alike or not (nothing was recorded, so neither refusal can come from
  //    the other copy: they were decided one after the other);
  //  * one refused, the other recorded at first-last, when the refusal was decided before that
  //    commit: the state it reports stood in the log before `first`
  //    (JudgeRefusalBesideCommit).
  // Anything else is a failure: two commits (also caught by the scan), OK copies at different
  // positions, or a copy refused by its own twin's effect.
  void CompareTwins(const Outcome& o) {
    ++counts_.twins;
    const Answer& a = o.copies[0];
    const Answer& b = o.copies[1];
    if (a.kind == Answer::kInDoubt || b.kind == Answer::kInDoubt) return;
    ++counts_.twins_compared;
    const Answer* earlier = a.answered_us < b.sent_us   ? &a
                            : b.answered_us < a.sent_us ? &b
                                                        : nullptr;
    if (earlier != nullptr && earlier->kind == Answer::kRefused) ++counts_.twins_sequential;
    auto fail = [&](const std::string& why) {
      auto when = [](const Answer& x) {
        return absl::StrCat(" [sent +", x.sent_us, " µs, answered +", x.answered_us, " µs]");
      };
      twin_failures_.push_back(absl::StrCat("request ", o.request.id, " (", OpName(o.request.op),
                                            "), sent twice at once: ", a.Text(), when(a), " | ",
                                            b.Text(), when(b), ": ", why));
    };
    if (a.kind == Answer::kOk && b.kind == Answer::kOk) {
      if (a.result.first_position() != b.result.first_position() ||
          a.result.position() != b.result.position() ||
          SortedVersions(a.result) != SortedVersions(b.result)) {
        fail("the two OK answers name different commits");
      } else if (!a.result.replayed() && !b.result.replayed()) {
        fail("both OK answers say recorded now, neither replayed");
      } else {
        ++counts_.twins_both_ok;
      }
      return;
    }
    if (a.kind == Answer::kRefused && b.kind == Answer::kRefused) {
      ++(a.code == b.code && a.message == b.message ? counts_.twins_both_refused
                                                    : counts_.twins_refused_apart);
      return;
    }
    const Answer& ok = a.kind == Answer::kOk ? a : b;
    const Answer& refused = a.kind == Answer::kOk ? b : a;
    // Where the log has the commit; the answer's positions when it has none (CheckAnswer, right
    // after, fails on that).
    const CommitSeen* seen = oracle_.Find(o.request.id);
    const uint64_t first = seen != nullptr ? seen->first_position : ok.result.first_position();
    const uint64_t last = seen != nullptr ? seen->last_position : ok.result.position();
    if (absl::Status s = JudgeRefusalBesideCommit(oracle_, o.request, refused.code, refused.message,
                                                  first, last);
        !s.ok()) {
      fail(std::string(s.message()));
      return;
    }
    ++counts_.twins_refused_recorded;
  }

  // The requests whose answer the kill swallowed, sent again (same id, same bytes).
  absl::Status Resend(std::vector<Outcome>& resend) {
    for (Outcome& o : resend) {
      api::CommandResult result;
      const grpc::Status s = client_->Send(o.request, &result);
      o.resends.push_back(Classify(s, result, /*killed=*/false));
      if (o.resends.back().kind == Answer::kUnexpected) {
        return absl::InternalError(absl::StrCat("re-sending request ", o.request.id, " (",
                                                OpName(o.request.op),
                                                ") after the restart: ", o.resends.back().Text()));
      }
    }
    return absl::OkStatus();
  }

  // Acknowledged requests sent again: replayed, the original positions, the head unmoved;
  // and the same id with other content is ALREADY_EXISTS.
  absl::Status Replays() {
    std::vector<Request> sample;
    if (!newest_.empty()) {
      sample.push_back(newest_.front());
      sample.push_back(newest_.back());
    }
    while (!replay_pool_.empty() && sample.size() < kReplaySamplesPerCycle) {
      sample.push_back(replay_pool_[sample_rng_() % replay_pool_.size()]);
    }
    newest_.clear();
    if (sample.empty()) return absl::OkStatus();
    const uint64_t head = oracle_.head();
    for (const Request& r : sample) {
      api::CommandResult again;
      const grpc::Status s = client_->Send(r, &again);
      if (!s.ok() || !again.replayed()) {
        return absl::DataLossError(absl::StrCat(
            "re-sending acknowledged request ", r.id, " (", OpName(r.op), ") gave ",
            s.ok() ? absl::StrCat("a fresh OK at ", again.first_position(), "-", again.position())
                   : absl::StrCat("code ", s.error_code(), ": ", s.error_message()),
            ", not a replay"));
      }
      if (absl::Status c = oracle_.CheckAnswer(r.id, again); !c.ok()) return c;
      ++counts_.replays;
    }
    api::CommandResult other;
    const grpc::Status reused = client_->Send(Altered(sample.front()), &other);
    if (reused.error_code() != grpc::StatusCode::ALREADY_EXISTS) {
      return absl::InternalError(
          absl::StrCat("request id ", sample.front().id, " re-used for other content gave code ",
                       reused.error_code(), " (", reused.error_message(), "), not ALREADY_EXISTS"));
    }
    api::HeadResponse now;
    if (absl::Status s =
            client_->Query(client_->feed(), &api::EventFeed::Stub::Head, api::HeadRequest(), &now);
        !s.ok()) {
      return s;
    }
    if (now.head_position() != head) {
      return absl::DataLossError(
          absl::StrCat("re-sending acknowledged requests moved the head "
                       "from ",
                       head, " to ", now.head_position()));
    }
    return absl::OkStatus();
  }

  // The read models over gRPC, asked at the head, equal the oracle's fold.
  absl::Status CheckReadModels() {
    const uint64_t head = oracle_.head();
    if (absl::Status s = CheckStaffing(head); !s.ok()) return s;
    for (const AgencyPlan& a : kAgencies) {
      if (absl::Status s = CheckBudget(a.id, head); !s.ok()) return s;
      if (absl::Status s = CheckPeople(a.id, head); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  absl::Status CheckStaffing(uint64_t head) {
    api::GetStaffingRequest request;
    request.set_jurisdiction(kJurisdiction);
    request.set_min_position(head);
    api::GetStaffingResponse staffing;
    if (absl::Status s =
            client_->Query(client_->staffing_queries(), &api::StaffingQueries::Stub::GetStaffing,
                           request, &staffing);
        !s.ok()) {
      return s;
    }
    if (staffing.agencies_size() != kAgencyCount) {
      return absl::DataLossError(absl::StrCat("GetStaffing at ", head, " lists ",
                                              staffing.agencies_size(), " agencies, not ",
                                              kAgencyCount));
    }
    for (const api::AgencyStaffingFigures& figures : staffing.agencies()) {
      auto it = oracle_.agencies().find(figures.agency_id());
      if (it == oracle_.agencies().end()) {
        return absl::DataLossError("GetStaffing lists unknown agency " + figures.agency_id());
      }
      std::map<pb::QuotaCategory, std::pair<int64_t, int64_t>> served, folded;
      for (const api::QuotaFigures& q : figures.quotas()) {
        if (q.quota() != 0 || q.in_post() != 0) served[q.category()] = {q.quota(), q.in_post()};
      }
      for (const auto& [category, quota] : it->second.quota) folded[category].first = quota;
      for (const auto& [category, in_post] : it->second.in_post) {
        folded[category].second = in_post;
      }
      std::erase_if(folded, [](const auto& kv) {
        return kv.second == std::pair<int64_t, int64_t>{0, 0};
      });
      if (served != folded) {
        std::string got, want;
        for (const auto& [c, qp] : served)
          absl::StrAppend(&got, c, ":", qp.first, "/", qp.second, " ");
        for (const auto& [c, qp] : folded)
          absl::StrAppend(&want, c, ":", qp.first, "/", qp.second, " ");
        return absl::DataLossError(absl::StrCat("GetStaffing at ", head, ": agency-",
                                                figures.agency_id(), " quota/in post ", got,
                                                "; the log folds to ", want));
      }
    }
    api::CheckJurisdictionRequest check;
    check.set_jurisdiction(kJurisdiction);
    check.set_min_position(head);
    api::CheckJurisdictionResponse verdict;
    if (absl::Status s =
            client_->Query(client_->staffing_queries(),
                           &api::StaffingQueries::Stub::CheckJurisdiction, check, &verdict);
        !s.ok()) {
      return s;
    }
    if (!verdict.clear()) {
      return absl::DataLossError(absl::StrCat(
          "CheckJurisdiction at ", head, " is not clear: ",
          verdict.violations().empty() ? "(no violation named)" : verdict.violations(0).message()));
    }
    return absl::OkStatus();
  }

  absl::Status CheckBudget(const std::string& agency, uint64_t head) {
    api::GetBudgetRequest request;
    request.set_agency_id(agency);
    request.set_fiscal_year(kFiscalYear);
    request.set_min_position(head);
    api::GetBudgetResponse budget;
    if (absl::Status s = client_->Query(client_->budget_queries(),
                                        &api::BudgetQueries::Stub::GetBudget, request, &budget);
        !s.ok()) {
      return s;
    }
    const auto& folded = oracle_.lines().at(agency);
    if (budget.lines_size() != static_cast<int>(folded.size())) {
      return absl::DataLossError(absl::StrCat("GetBudget ", agency, " at ", head, " has ",
                                              budget.lines_size(), " lines; the log has ",
                                              folded.size()));
    }
    for (const api::BudgetLineAmounts& line : budget.lines()) {
      auto it = folded.find(LineKey(line.line()));
      const api::BudgetAmounts& m = line.amounts();
      if (it == folded.end() || m.appropriated_fen() != it->second.appropriated_fen ||
          m.disbursed_fen() != it->second.disbursed_fen ||
          m.available_fen() != it->second.appropriated_fen - it->second.disbursed_fen) {
        return absl::DataLossError(absl::StrCat(
            "GetBudget ", BudgetStreamOf(agency), " at ", head, " line ", LineKey(line.line()),
            ": appropriated ", m.appropriated_fen(), ", disbursed ", m.disbursed_fen(),
            ", available ", m.available_fen(), "; the log folds to ",
            it == folded.end()
                ? "no such line"
                : absl::StrCat(it->second.appropriated_fen, ", ", it->second.disbursed_fen)));
      }
    }
    return absl::OkStatus();
  }

  absl::Status CheckPeople(const std::string& agency, uint64_t head) {
    std::set<std::string> served;
    api::ListPeopleRequest request;
    request.set_agency_id(agency);
    request.set_min_position(head);
    request.set_max_count(kPeoplePageMax);
    do {
      api::ListPeopleResponse page;
      if (absl::Status s = client_->Query(client_->staffing_queries(),
                                          &api::StaffingQueries::Stub::ListPeople, request, &page);
          !s.ok()) {
        return s;
      }
      for (const api::PersonSummary& p : page.people()) served.insert(p.person_id());
      request.set_after_person_id(page.next_after_person_id());
    } while (!request.after_person_id().empty());
    const std::set<std::string>& folded = oracle_.agencies().at(agency).roster;
    if (served != folded) {
      std::vector<std::string> only_served, only_folded;
      std::set_difference(served.begin(), served.end(), folded.begin(), folded.end(),
                          std::back_inserter(only_served));
      std::set_difference(folded.begin(), folded.end(), served.begin(), served.end(),
                          std::back_inserter(only_folded));
      return absl::DataLossError(absl::StrCat(
          "ListPeople agency-", agency, " at ", head, ": ", served.size(), " people; the log has ",
          folded.size(), "; only served: ", absl::StrJoin(only_served, ","),
          "; only in the log: ", absl::StrJoin(only_folded, ",")));
    }
    return absl::OkStatus();
  }

  uint64_t seed_;
  // The kill schedule follows from the seed alone; the samples of what to re-read and replay
  // draw from their own generator, as many times as the outcomes make them.
  std::mt19937_64 schedule_rng_;
  std::mt19937_64 sample_rng_;
  std::string data_dir_;
  std::string stderr_path_;
  LogOracle oracle_;
  std::unique_ptr<ReformdProcess> reformd_;
  std::unique_ptr<Client> client_;
  std::vector<Outcome> pending_;  // sent since the last Verify, or still in doubt
  std::vector<Request> replay_pool_;
  std::vector<Request> newest_;  // acknowledged since the last Replays
  uint64_t acknowledged_seen_ = 0;
  std::vector<std::string> twin_failures_;
  Counts counts_;
};

// ---- the oracle on logs written by hand: each check fires, and names what broke -----------

// Writes commits as reformd would: positions and stream versions in order, the request's
// document on every event.
class LogBuilder {
 public:
  explicit LogBuilder(LogOracle& oracle) : oracle_(oracle) {}

  absl::Status Commit(
      const Request& r,
      const std::vector<std::pair<std::string, const google::protobuf::Message*>>& events) {
    oracle_.Expect(r);
    api::ChangeQuotaRequest header_only;  // every request has its header at field 1
    header_only.ParseFromString(r.bytes);
    for (const auto& [stream, message] : events) {
      api::Event e;
      e.set_position(++position_);
      e.set_stream_id(stream);
      e.set_stream_version(++versions_[stream]);
      e.set_type(message->GetDescriptor()->full_name());
      e.set_data(message->SerializeAsString());
      e.set_recorded_at_us(1'000'000 + static_cast<int64_t>(commits_));
      e.set_effective_date(header_only.header().effective_date());
      e.set_principal(kPrincipal);
      *e.mutable_basis() = header_only.header().basis();
      e.set_commit_id(r.id);
      if (absl::Status s = oracle_.Learn(e); !s.ok()) return s;
    }
    ++commits_;
    return absl::OkStatus();
  }
  absl::Status End() { return oracle_.EndScan(); }
  void SkipPosition() { ++position_; }

 private:
  LogOracle& oracle_;
  uint64_t position_ = 0;
  size_t commits_ = 0;
  std::map<std::string, uint64_t> versions_;
};

Request Establish(const std::string& id) {
  api::EstablishAgencyRequest r;
  *r.mutable_header() = Header("establish-" + id, 1, 1, 2);
  r.mutable_agency()->set_agency_id(id);
  r.mutable_agency()->set_name("攀枝花市西区档案馆");
  r.mutable_agency()->set_kind(pb::PUBLIC_INSTITUTION);
  return Pack(Op::kEstablish, r);
}

pb::AgencyEstablished Established(const std::string& id) {
  pb::AgencyEstablished e;
  e.set_agency_id(id);
  e.set_name("攀枝花市西区档案馆");
  e.set_kind(pb::PUBLIC_INSTITUTION);
  return e;
}

// An agency with a quota of one, and two people registered into it: the second commit
// breaks the quota, and the oracle says where.
TEST(ReformdCrashOracleTest, PeopleOverQuotaAtAnyPrefixNameThePositionStreamAndRequest) {
  LogOracle oracle(kPrincipal);
  LogBuilder log(oracle);
  const pb::AgencyEstablished established = Established("a");
  ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &established}}).ok());
  api::ChangeQuotaRequest grant;
  *grant.mutable_header() = Header("grant", 2, 1, 3);
  grant.set_agency_id("a");
  grant.set_category(pb::PUBLIC_SERVICE);
  grant.set_count(1);
  pb::QuotaGranted granted;
  granted.set_agency_id("a");
  granted.set_category(pb::PUBLIC_SERVICE);
  granted.set_count(1);
  ASSERT_TRUE(log.Commit(Pack(Op::kGrantQuota, grant), {{"agency-a", &granted}}).ok());
  absl::Status last;
  for (const std::string person : {"p1", "p2"}) {
    api::RegisterPersonRequest r;
    *r.mutable_header() = Header("register-" + person, 3, 1, 4);
    r.mutable_person()->set_person_id(person);
    r.mutable_person()->set_name("人员" + person);
    r.mutable_person()->set_agency_id("a");
    r.mutable_person()->set_category(pb::PUBLIC_SERVICE);
    pb::PersonRegistered registered;
    registered.set_person_id(person);
    registered.set_name("人员" + person);
    registered.set_agency_id("a");
    registered.set_category(pb::PUBLIC_SERVICE);
    pb::RosterChanged roster;
    roster.set_agency_id("a");
    roster.add_joined()->set_person_id(person);
    roster.mutable_joined(0)->set_category(pb::PUBLIC_SERVICE);
    last = log.Commit(Pack(Op::kRegister, r),
                      {{"person-" + person, &registered}, {"agency-a", &roster}});
    if (person == "p1") {
      ASSERT_TRUE(last.ok()) << last;
    }
  }
  ASSERT_TRUE(last.ok()) << "the break shows once the commit is read whole";
  last = log.End();
  EXPECT_EQ(last.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(std::string(last.message()),
              ::testing::AllOf(::testing::HasSubstr("at position 6"),
                               ::testing::HasSubstr("stream agency-a"),
                               ::testing::HasSubstr("request register-p2"),
                               ::testing::HasSubstr("in post 2 > quota 1 (超编)")));
}

TEST(ReformdCrashOracleTest, ALineOverdrawnAtAnyPrefixIsNamed) {
  LogOracle oracle(kPrincipal);
  LogBuilder log(oracle);
  const pb::AgencyEstablished established = Established("a");
  ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &established}}).ok());
  api::AppropriateRequest give;
  *give.mutable_header() = Header("appropriate", 2, 1, 3);
  give.set_agency_id("a");
  give.set_fiscal_year(kFiscalYear);
  *give.mutable_line() = Line(0);
  give.set_amount_fen(100);
  pb::BudgetAppropriated given;
  given.set_agency_id("a");
  given.set_fiscal_year(kFiscalYear);
  *given.mutable_line() = Line(0);
  given.set_amount_fen(100);
  ASSERT_TRUE(log.Commit(Pack(Op::kAppropriate, give), {{BudgetStreamOf("a"), &given}}).ok());
  absl::Status status;
  for (const int64_t amount : {80, 30}) {
    api::DisburseRequest pay;
    *pay.mutable_header() = Header(absl::StrCat("pay-", amount), 3, 2, 1);
    pay.set_agency_id("a");
    pay.set_fiscal_year(kFiscalYear);
    *pay.mutable_line() = Line(0);
    pay.set_amount_fen(amount);
    pay.set_disbursement_id(absl::StrCat("d", amount));
    pay.set_date("2020-02-01");
    pb::FundsDisbursed paid;
    paid.set_agency_id("a");
    paid.set_fiscal_year(kFiscalYear);
    *paid.mutable_line() = Line(0);
    paid.set_amount_fen(amount);
    paid.set_disbursement_id(absl::StrCat("d", amount));
    paid.set_date("2020-02-01");
    status = log.Commit(Pack(Op::kDisburse, pay), {{BudgetStreamOf("a"), &paid}});
    if (status.ok()) status = log.End();
  }
  EXPECT_THAT(std::string(status.message()),
              ::testing::AllOf(::testing::HasSubstr("at position 4"),
                               ::testing::HasSubstr("stream budget-a-2020"),
                               ::testing::HasSubstr("request pay-30"),
                               ::testing::HasSubstr("disbursed 110 fen of 100 appropriated")));
}

TEST(ReformdCrashOracleTest, GapsRepeatsAndStrangersInTheLogAreNamed) {
  const pb::AgencyEstablished a = Established("a");
  const pb::AgencyEstablished b = Established("b");
  {
    LogOracle oracle(kPrincipal);
    LogBuilder log(oracle);
    ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &a}}).ok());
    log.SkipPosition();
    EXPECT_THAT(std::string(log.Commit(Establish("b"), {{"agency-b", &b}}).message()),
                ::testing::HasSubstr("expected position 2, read 3"));
  }
  {
    LogOracle oracle(kPrincipal);
    LogBuilder log(oracle);
    ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &a}}).ok());
    ASSERT_TRUE(log.Commit(Establish("b"), {{"agency-b", &b}}).ok());
    Request again = Establish("a");
    again.id = "establish-a";
    ASSERT_TRUE(log.Commit(again, {{"agency-x", &a}}).ok());
    EXPECT_THAT(std::string(log.End().message()),
                ::testing::HasSubstr("commit establish-a at positions 3-3: the request is in "
                                     "the log a second time (first at 1)"));
  }
  {
    LogOracle oracle(kPrincipal);
    LogBuilder log(oracle);
    ASSERT_TRUE(log.Commit(Establish("a"), {{"agency-a", &a}}).ok());
    oracle.Refused("establish-b", Op::kEstablish, 9);
    ASSERT_TRUE(log.Commit(Establish("b"), {{"agency-b", &b}}).ok());
    EXPECT_THAT(std::string(log.End().message()),
                ::testing::HasSubstr("commit establish-b at positions 2-2: the request "
                                     "(EstablishAgency) was refused with code 9, yet here it "
                                     "is"));
  }
}

// ---- a twin's refusal judged against logs written by hand ---------------------------------

TEST(ReformdCrashOracleTest, AHistoryTellsWhatStoodAtEachPrefix) {
  History<int64_t> h;
  h.Set(3, 5);
  h.Set(7, 2);
  h.Set(9, 5);
  EXPECT_EQ(h.At(0), 0);
  EXPECT_EQ(h.At(2), 0);
  EXPECT_EQ(h.At(3), 5);
  EXPECT_EQ(h.At(8), 2);
  EXPECT_EQ(h.At(100), 5);
  EXPECT_EQ(h.LastPrefixBefore(9, 5), 6u);
  EXPECT_EQ(h.LastPrefixBefore(5, 5), 4u);
  EXPECT_EQ(h.LastPrefixBefore(3, 5), std::nullopt) << "5 first stands at prefix 3";
  EXPECT_EQ(h.LastPrefixBefore(10, 2), 8u);
  EXPECT_EQ(h.LastPrefixBefore(7, 2), std::nullopt);
  EXPECT_EQ(h.LastPrefixBefore(100, 0), 2u);
  EXPECT_EQ(h.LastPrefixBefore(0, 0), std::nullopt) << "no prefix ends before position 0";
}

// Commits of the workload's kinds (people on 事业编制, payments from line 0), written as reformd
// would; those a test judges return their request. End() reads the log whole and says whether
// every commit so far passed the oracle.
class HandLog {
 public:
  explicit HandLog(LogOracle& oracle) : log_(oracle) {}

  void Establish(const std::string& agency) {
    const pb::AgencyEstablished e = Established(agency);
    Keep(log_.Commit(crash::Establish(agency), {{AgencyStreamOf(agency), &e}}));
  }

  void Grant(const std::string& agency, int count) {
    api::ChangeQuotaRequest r;
    *r.mutable_header() = Header(NextId("grant"), 2, 1, 3);
    r.set_agency_id(agency);
    r.set_category(pb::PUBLIC_SERVICE);
    r.set_count(count);
    pb::QuotaGranted e;
    e.set_agency_id(agency);
    e.set_category(pb::PUBLIC_SERVICE);
    e.set_count(count);
    Keep(log_.Commit(Pack(Op::kGrantQuota, r), {{AgencyStreamOf(agency), &e}}));
  }

  Request Register(const std::string& person, const std::string& agency) {
    api::RegisterPersonRequest r;
    *r.mutable_header() = Header(NextId("register"), 3, 1, 4);
    r.mutable_person()->set_person_id(person);
    r.mutable_person()->set_name("人员" + person);
    r.mutable_person()->set_agency_id(agency);
    r.mutable_person()->set_category(pb::PUBLIC_SERVICE);
    pb::PersonRegistered registered;
    registered.set_person_id(person);
    registered.set_name("人员" + person);
    registered.set_agency_id(agency);
    registered.set_category(pb::PUBLIC_SERVICE);
    pb::RosterChanged roster;
    roster.set_agency_id(agency);
    roster.add_joined()->set_person_id(person);
    roster.mutable_joined(0)->set_category(pb::PUBLIC_SERVICE);
    const Request request = Pack(Op::kRegister, r, /*twin=*/true);
    Keep(log_.Commit(request,
                     {{PersonStreamOf(person), &registered}, {AgencyStreamOf(agency), &roster}}));
    return request;
  }

  Request Depart(const std::string& person, const std::string& agency) {
    api::RecordDepartureRequest r;
    *r.mutable_header() = Header(NextId("depart"), 4, 2, 1);
    r.set_person_id(person);
    r.set_reason(pb::RETIRED);
    pb::PersonDeparted departed;
    departed.set_person_id(person);
    departed.set_agency_id(agency);
    departed.set_reason(pb::RETIRED);
    pb::RosterChanged roster;
    roster.set_agency_id(agency);
    roster.add_left()->set_person_id(person);
    roster.mutable_left(0)->set_category(pb::PUBLIC_SERVICE);
    const Request request = Pack(Op::kDepart, r, /*twin=*/true);
    Keep(log_.Commit(request,
                     {{PersonStreamOf(person), &departed}, {AgencyStreamOf(agency), &roster}}));
    return request;
  }

  void Appropriate(const std::string& agency, int64_t fen) {
    api::AppropriateRequest r;
    *r.mutable_header() = Header(NextId("appropriate"), 5, 1, 3);
    r.set_agency_id(agency);
    r.set_fiscal_year(kFiscalYear);
    *r.mutable_line() = Line(0);
    r.set_amount_fen(fen);
    pb::BudgetAppropriated e;
    e.set_agency_id(agency);
    e.set_fiscal_year(kFiscalYear);
    *e.mutable_line() = Line(0);
    e.set_amount_fen(fen);
    Keep(log_.Commit(Pack(Op::kAppropriate, r), {{BudgetStreamOf(agency), &e}}));
  }

  Request Disburse(const std::string& agency, const std::string& disbursement, int64_t fen) {
    api::DisburseRequest r;
    *r.mutable_header() = Header(NextId("disburse"), 6, 2, 1);
    r.set_agency_id(agency);
    r.set_fiscal_year(kFiscalYear);
    *r.mutable_line() = Line(0);
    r.set_amount_fen(fen);
    r.set_disbursement_id(disbursement);
    r.set_date("2020-02-01");
    pb::FundsDisbursed e;
    e.set_agency_id(agency);
    e.set_fiscal_year(kFiscalYear);
    *e.mutable_line() = Line(0);
    e.set_amount_fen(fen);
    e.set_disbursement_id(disbursement);
    e.set_date("2020-02-01");
    const Request request = Pack(Op::kDisburse, r, /*twin=*/true);
    Keep(log_.Commit(request, {{BudgetStreamOf(agency), &e}}));
    return request;
  }

  // The log so far is read whole.
  const absl::Status& End() {
    Keep(log_.End());
    return status_;
  }

 private:
  std::string NextId(const std::string& kind) { return absl::StrCat(kind, "-", ++requests_); }
  void Keep(const absl::Status& s) { status_.Update(s); }

  LogBuilder log_;
  int requests_ = 0;
  absl::Status status_;
};

constexpr auto kRefused = grpc::StatusCode::FAILED_PRECONDITION;

// The refusal of one copy, judged beside the other copy's commit; "" when it is allowed.
std::string Judge(const LogOracle& oracle, const Request& r, grpc::StatusCode code,
                  const std::string& message, uint64_t first, uint64_t last) {
  return std::string(JudgeRefusalBesideCommit(oracle, r, code, message, first, last).message());
}

TEST(ReformdCrashTwinTest, ARefusalBesideItsTwinsRegistrationMustReportAStateFromBeforeIt) {
  LogOracle oracle(kPrincipal);
  HandLog log(oracle);
  log.Establish("a");                               // 1
  log.Grant("a", 1);                                // 2: quota 1, in post 0
  log.Register("p1", "a");                          // 3-4: quota 1, in post 1
  log.Grant("a", 1);                                // 5: quota 2, in post 1 (a top-up)
  const Request twin = log.Register("p2", "a");     // 6-7: quota 2, in post 2
  const Request departure = log.Depart("p1", "a");  // 8-9
  ASSERT_TRUE(log.End().ok()) << log.End();
  const std::string full = "agency-a (攀枝花市西区档案馆) 事业编制: quota ";

  // Refused while the agency was full, before the top-up let the other copy through.
  EXPECT_EQ(
      Judge(oracle, twin, kRefused, full + "1, in post 1, requested +1 (no vacancy: 超编)", 6, 7),
      "");
  // Full only with the twin's own registration.
  EXPECT_EQ(
      Judge(oracle, twin, kRefused, full + "2, in post 2, requested +1 (no vacancy: 超编)", 6, 7),
      "refused as 超编 at agency-a PUBLIC_SERVICE, quota 2, in post 2, which never stood in "
      "the log before position 6 (at 5: quota 2, in post 1); its twin recorded the request "
      "at 6-7");
  EXPECT_THAT(
      Judge(oracle, twin, kRefused, full + "2, in post 1, requested +1 (no vacancy: 超编)", 6, 7),
      ::testing::HasSubstr("which leaves a vacancy"));
  EXPECT_EQ(Judge(oracle, twin, kRefused, "person-p2 is already registered", 6, 7),
            "refused as already registered, but the log registers p2 first at position 6; its "
            "twin recorded the request at 6-7");
  EXPECT_THAT(Judge(oracle, twin, kRefused,
                    full + "1, in post 1, requested +1 (no vacancy: 超编); person-p2 is already "
                           "registered",
                    6, 7),
              ::testing::HasSubstr("refused as already registered"))
      << "every problem a refusal lists must have stood before the twin's commit";
  EXPECT_EQ(Judge(oracle, twin, grpc::StatusCode::ALREADY_EXISTS,
                  "request id register-5 was already used for a different request (recorded at "
                  "position 6)",
                  6, 7),
            "refused as if its own request id held other content; its twin recorded the "
            "request at 6-7");
  EXPECT_EQ(Judge(oracle, twin, grpc::StatusCode::ABORTED, "gave up after 8 attempts", 6, 7), "");
  EXPECT_THAT(Judge(oracle, twin, kRefused, "agency-a (攀枝花市西区档案馆) is revoked", 6, 7),
              ::testing::HasSubstr("which this test cannot check against the log"));

  EXPECT_EQ(Judge(oracle, departure, grpc::StatusCode::NOT_FOUND, "no person p1", 8, 9), "");
  EXPECT_EQ(Judge(oracle, departure, kRefused, "person-p1 (人员p1) has departed", 8, 9),
            "refused as departed, but the log has p1 depart first at position 8; its twin "
            "recorded the request at 8-9");
}

TEST(ReformdCrashTwinTest, ARefusalForLackOfFundsBesideItsTwinsPaymentMustPredateIt) {
  LogOracle oracle(kPrincipal);
  HandLog log(oracle);
  log.Establish("a");                                    // 1
  log.Appropriate("a", 50);                              // 2: available 50 fen
  log.Appropriate("a", 50);                              // 3: available 100 fen (a top-up)
  const Request twin = log.Disburse("a", "d-twin", 80);  // 4: available 20 fen
  ASSERT_TRUE(log.End().ok()) << log.End();
  const std::string line = "budget-a-2020 一般公共预算 2013601/30101 基本支出: available ";

  EXPECT_EQ(Judge(oracle, twin, kRefused, line + "0.50 元, requested 0.80 元", 4, 4), "");
  EXPECT_EQ(Judge(oracle, twin, kRefused, line + "0.20 元, requested 0.80 元", 4, 4),
            "refused for lack of funds at budget-a-2020 line " + LineKey(Line(0)) +
                ", available 20 fen, which never stood in the log before position 4 (at 3: 100 "
                "fen); its twin recorded the request at 4-4");
  EXPECT_THAT(Judge(oracle, twin, kRefused, line + "1.00 元, requested 0.80 元", 4, 4),
              ::testing::HasSubstr("available 100 fen, requested 80 fen"));
  EXPECT_EQ(Judge(oracle, twin, grpc::StatusCode::ALREADY_EXISTS,
                  "budget-a-2020: disbursement d-twin is already recorded", 4, 4),
            "refused as already recorded, but the log records disbursement d-twin first at "
            "position 4; its twin recorded the request at 4-4");
}

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
