#include "tests/services/crash/writers.h"

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/time/clock.h"

namespace reformlog::services::crash {

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

}  // namespace reformlog::services::crash
