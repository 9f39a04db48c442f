// LoadDriver: sends a workload's commands to reformd through the client library's
// asynchronous stubs, each of its --threads threads polling its own completion queue and
// sending a client's next command from there — no thread per client and no hand-off between
// threads per command, so the generator's CPU per command stays small on a machine it shares
// with the server — and Recorder: what the commands came to.
//
//   RunAll     every command of a list, `concurrency` at a time (the set-up).
//   RunClosed  closed loop: `clients` logical clients, each sending its next command as soon
//              as the previous one has answered, until `end`.
//   RunOpen    open loop: one command every 1/rate seconds from `start` to `end`, whether or
//              not earlier ones have answered (at most kOutstandingMax at once; past that
//              the schedule waits). Latency is measured from the scheduled send time, not
//              the actual one, so a generator or server that falls behind cannot hide the
//              wait it causes (no coordinated omission). The workload's Next() and Done()
//              for one client may then overlap: not for kMixed.
//
// Each call has the driver's deadline and is not retried: an outcome is the server's answer
// (or DEADLINE_EXCEEDED / UNAVAILABLE), counted as such. Every method returns once every
// call it started has ended.
#ifndef REFORMLOG_CLIENTS_LOADGEN_LOAD_DRIVER_H_
#define REFORMLOG_CLIENTS_LOADGEN_LOAD_DRIVER_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "clients/cpp/reformlog_client.h"
#include "clients/loadgen/latency_histogram.h"
#include "clients/loadgen/workload.h"

namespace reformlog::loadgen {

using SteadyClock = std::chrono::steady_clock;

inline constexpr size_t kOutstandingMax = 20'000;
inline constexpr int kStatusCodes = 17;  // grpc::StatusCode OK … UNAUTHENTICATED
// A scheduled open-loop send this much after its time counts as late (the generator's own
// lag, reported so a run can tell it from the server's).
inline constexpr std::chrono::milliseconds kLateSend{1};
inline constexpr size_t kWindowSecondsMax = size_t{24} * 3600;

// Thread-safe; the readers see every Record() that returned before them.
class Recorder {
 public:
  // The measured window is [window_start, window_start + window_seconds).
  Recorder(SteadyClock::time_point window_start, size_t window_seconds);

  // A command of `kind` sent at (or, open loop, scheduled for) `intended` ended with
  // `status` at `done`. Every command counts in the status counts; a command intended inside
  // the window counts in the latency histogram; an OK answered inside the window counts in
  // the throughput. The first message of each failing code is kept as its example.
  void Record(CommandKind kind, const grpc::Status& status, SteadyClock::time_point intended,
              SteadyClock::time_point done);

  uint64_t Count(CommandKind kind, int code) const;
  uint64_t CountOfCode(int code) const;
  uint64_t sent() const;
  // The first message seen with `code` (empty when none).
  std::string Example(int code) const;
  const LatencyHistogram& latency() const { return latency_; }
  // OK answers in each second of the window.
  std::vector<uint64_t> OkPerSecond() const;
  size_t window_seconds() const { return ok_per_second_.size(); }

 private:
  SteadyClock::time_point window_start_;
  SteadyClock::time_point window_end_;
  std::array<std::array<std::atomic<uint64_t>, kStatusCodes>, kCommandKinds> counts_{};
  LatencyHistogram latency_;
  std::vector<std::atomic<uint64_t>> ok_per_second_;
  std::array<std::atomic<bool>, kStatusCodes> has_example_{};
  mutable std::mutex examples_mu_;
  std::array<std::string, kStatusCodes> examples_;
};

struct OpenLoopStats {
  uint64_t scheduled = 0;
  uint64_t late = 0;                // sent more than kLateSend after their time
  double lag_max_ms = 0;            // the latest send, after its time
  size_t outstanding_max_seen = 0;  // calls in flight at once, at most
};

class LoadDriver {
 public:
  static constexpr int kThreadsMax = 64;

  // `threads` (1–kThreadsMax) completion-queue threads.
  LoadDriver(client::ReformlogClient& client, absl::Duration deadline, int threads);

  // OK when every command succeeded; otherwise the first failure, naming its command.
  absl::Status RunAll(std::vector<Command> commands, int concurrency);

  void RunClosed(Workload& workload, int clients, SteadyClock::time_point end, Recorder& recorder);

  OpenLoopStats RunOpen(Workload& workload, int clients, double rate_per_s,
                        SteadyClock::time_point start, SteadyClock::time_point end,
                        Recorder& recorder);

 private:
  struct InFlight {
    grpc::ClientContext context;
    Command command;
    api::CommandResult result;
    grpc::Status status;
    CommandCall call;
    SteadyClock::time_point intended;
  };
  // The next command of a client; none: the client stops.
  using NextFn = std::function<std::optional<Command>(int client)>;
  // A call has ended, at `done`; on the thread that polls its queue.
  using DoneFn = std::function<void(const InFlight& call, SteadyClock::time_point done)>;

  void Start(Command command, SteadyClock::time_point intended, grpc::CompletionQueue* queue);
  // Runs clients 0…clients-1 closed loop, thread t polling the clients ≡ t (mod threads).
  void ClosedLoop(int clients, const NextFn& next, const DoneFn& on_done);

  client::ReformlogClient& client_;
  absl::Duration deadline_;
  int threads_;
};

}  // namespace reformlog::loadgen

#endif  // REFORMLOG_CLIENTS_LOADGEN_LOAD_DRIVER_H_
