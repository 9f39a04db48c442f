#include "clients/loadgen/load_driver.h"

#include <algorithm>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"

namespace reformlog::loadgen {

Recorder::Recorder(SteadyClock::time_point window_start, size_t window_seconds)
    : window_start_(window_start),
      window_end_(window_start + std::chrono::seconds(window_seconds)),
      ok_per_second_(std::min(window_seconds, kWindowSecondsMax)) {}

void Recorder::Record(CommandKind kind, const grpc::Status& status,
                      SteadyClock::time_point intended, SteadyClock::time_point done) {
  const grpc::StatusCode code = status.error_code();
  const auto c = static_cast<size_t>(std::clamp(static_cast<int>(code), 0, kStatusCodes - 1));
  counts_[static_cast<size_t>(kind)][c].fetch_add(1, std::memory_order_relaxed);
  if (code != grpc::StatusCode::OK && !has_example_[c].exchange(true)) {
    std::lock_guard lock(examples_mu_);
    examples_[c] = status.error_message();
  }
  if (intended >= window_start_ && intended < window_end_) {
    const auto us = std::chrono::duration_cast<std::chrono::microseconds>(done - intended);
    latency_.Record(static_cast<uint64_t>(std::max<int64_t>(us.count(), 0)));
  }
  if (code == grpc::StatusCode::OK && done >= window_start_ && done < window_end_) {
    const auto second = std::chrono::duration_cast<std::chrono::seconds>(done - window_start_);
    const auto i = static_cast<size_t>(second.count());
    if (i < ok_per_second_.size()) ok_per_second_[i].fetch_add(1, std::memory_order_relaxed);
  }
}

uint64_t Recorder::Count(CommandKind kind, int code) const {
  return counts_[static_cast<size_t>(kind)][static_cast<size_t>(code)].load(
      std::memory_order_acquire);
}

uint64_t Recorder::CountOfCode(int code) const {
  uint64_t n = 0;
  for (size_t k = 0; k < kCommandKinds; ++k) n += Count(static_cast<CommandKind>(k), code);
  return n;
}

uint64_t Recorder::sent() const {
  uint64_t n = 0;
  for (int code = 0; code < kStatusCodes; ++code) n += CountOfCode(code);
  return n;
}

std::string Recorder::Example(int code) const {
  std::lock_guard lock(examples_mu_);
  return examples_[static_cast<size_t>(code)];
}

std::vector<uint64_t> Recorder::OkPerSecond() const {
  std::vector<uint64_t> out;
  for (const auto& n : ok_per_second_) out.push_back(n.load(std::memory_order_acquire));
  return out;
}

LoadDriver::LoadDriver(client::ReformlogClient& client, absl::Duration deadline, int threads)
    : client_(client), deadline_(deadline), threads_(std::clamp(threads, 1, kThreadsMax)) {}

void LoadDriver::Start(Command command, SteadyClock::time_point intended,
                       grpc::CompletionQueue* queue) {
  auto* call = new InFlight;  // owned by the queue until it comes back as a tag
  call->command = std::move(command);
  call->intended = intended;
  call->context.set_deadline(std::chrono::system_clock::now() +
                             absl::ToChronoNanoseconds(deadline_));
  call->call = StartCommand(client_, &call->context, call->command, queue);
  call->call->Finish(&call->result, &call->status, call);
}

void LoadDriver::ClosedLoop(int clients, const NextFn& next, const DoneFn& on_done) {
  const int thread_count = std::min(threads_, clients);
  std::vector<std::thread> threads;
  threads.reserve(thread_count);
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      grpc::CompletionQueue queue;
      size_t outstanding = 0;
      auto issue = [&](int client) {
        std::optional<Command> command = next(client);
        if (!command.has_value()) return;
        Start(std::move(*command), SteadyClock::now(), &queue);
        ++outstanding;
      };
      for (int c = t; c < clients; c += threads_) issue(c);
      void* tag = nullptr;
      bool ok = false;
      while (outstanding > 0 && queue.Next(&tag, &ok)) {
        std::unique_ptr<InFlight> call(static_cast<InFlight*>(tag));
        --outstanding;
        on_done(*call, SteadyClock::now());
        issue(call->command.client);
      }
      queue.Shutdown();
      while (queue.Next(&tag, &ok)) {
      }
    });
  }
  for (std::thread& t : threads) t.join();
}

absl::Status LoadDriver::RunAll(std::vector<Command> commands, int concurrency) {
  std::atomic<size_t> next{0};
  std::mutex mu;
  absl::Status first_failure;
  ClosedLoop(
      concurrency,
      [&](int) -> std::optional<Command> {
        const size_t i = next.fetch_add(1, std::memory_order_relaxed);
        if (i >= commands.size()) return std::nullopt;
        return std::move(commands[i]);
      },
      [&](const InFlight& call, SteadyClock::time_point) {
        if (call.status.ok()) return;
        std::lock_guard lock(mu);
        if (!first_failure.ok()) return;
        first_failure = absl::Status(
            static_cast<absl::StatusCode>(call.status.error_code()),
            absl::StrCat(CommandName(call.command.kind), " (set-up, request ",
                         std::visit([](const auto& r) { return r.header().request_id(); },
                                    call.command.request),
                         "): ", call.status.error_message()));
      });
  return first_failure;
}

void LoadDriver::RunClosed(Workload& workload, int clients, SteadyClock::time_point end,
                           Recorder& recorder) {
  ClosedLoop(
      clients,
      [&](int client) -> std::optional<Command> {
        if (SteadyClock::now() >= end) return std::nullopt;
        return workload.Next(client);
      },
      [&](const InFlight& call, SteadyClock::time_point done) {
        recorder.Record(call.command.kind, call.status, call.intended, done);
        workload.Done(call.command, call.status);
      });
}

OpenLoopStats LoadDriver::RunOpen(Workload& workload, int clients, double rate_per_s,
                                  SteadyClock::time_point start, SteadyClock::time_point end,
                                  Recorder& recorder) {
  std::mutex mu;
  std::condition_variable below_limit;
  size_t outstanding = 0;
  OpenLoopStats stats;
  std::vector<std::unique_ptr<grpc::CompletionQueue>> queues;
  std::vector<std::thread> pollers;
  for (int t = 0; t < threads_; ++t) {
    queues.push_back(std::make_unique<grpc::CompletionQueue>());
    pollers.emplace_back([&, queue = queues.back().get()] {
      void* tag = nullptr;
      bool ok = false;
      while (queue->Next(&tag, &ok)) {  // false once shut down and drained
        std::unique_ptr<InFlight> call(static_cast<InFlight*>(tag));
        recorder.Record(call->command.kind, call->status, call->intended, SteadyClock::now());
        workload.Done(call->command, call->status);
        call.reset();
        std::lock_guard lock(mu);
        --outstanding;
        below_limit.notify_one();
      }
    });
  }
  const std::chrono::duration<double> interval(1.0 / rate_per_s);
  for (uint64_t i = 0;; ++i) {
    const auto scheduled = start + std::chrono::duration_cast<SteadyClock::duration>(
                                       interval * static_cast<double>(i));
    if (scheduled >= end) break;
    if (SteadyClock::now() < scheduled) std::this_thread::sleep_until(scheduled);
    {
      std::unique_lock lock(mu);
      below_limit.wait(lock, [&] { return outstanding < kOutstandingMax; });
      stats.outstanding_max_seen = std::max(stats.outstanding_max_seen, ++outstanding);
    }
    const auto lag = SteadyClock::now() - scheduled;
    if (lag > kLateSend) ++stats.late;
    stats.lag_max_ms =
        std::max(stats.lag_max_ms, std::chrono::duration<double, std::milli>(lag).count());
    ++stats.scheduled;
    const auto client = static_cast<int>(i % static_cast<uint64_t>(clients));
    Start(workload.Next(client), scheduled, queues[i % queues.size()].get());
  }
  for (auto& queue : queues) queue->Shutdown();  // the pollers drain what is in flight
  for (std::thread& t : pollers) t.join();
  return stats;
}

}  // namespace reformlog::loadgen
