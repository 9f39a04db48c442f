// HeadNotifier: tells waiters that the log's head position has advanced.
//
// The writer calls Advance() after each durable commit. Readers either block (WaitBeyond)
// or register a one-shot callback (CallWhenBeyond) that runs on the notifier's own thread,
// never on the writer's, so a slow callback cannot delay a commit.
//
// Thread-safe. Close() wakes every waiter and fires every callback; afterwards closed() is
// true and new callbacks fire at once.
#ifndef REFORMLOG_EVENTSTORE_HEAD_NOTIFIER_H_
#define REFORMLOG_EVENTSTORE_HEAD_NOTIFIER_H_

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "absl/time/time.h"

namespace reformlog::eventstore {

class HeadNotifier {
 public:
  using ListenerId = uint64_t;

  explicit HeadNotifier(uint64_t head);
  ~HeadNotifier();  // Close()s and joins the callback thread.

  HeadNotifier(const HeadNotifier&) = delete;
  HeadNotifier& operator=(const HeadNotifier&) = delete;

  // Records a new head (must not go backwards) and wakes whoever waits for it.
  void Advance(uint64_t head);
  uint64_t head() const { return head_.load(std::memory_order_acquire); }
  bool closed() const { return closed_.load(std::memory_order_acquire); }

  // Blocks until head > position, Close(), `*stop` (when given) is true, or the timeout.
  // Returns head().
  uint64_t WaitBeyond(uint64_t position, absl::Duration timeout,
                      const std::atomic<bool>* stop = nullptr);
  // Wakes every WaitBeyond() so that it re-checks its `stop` flag. Set the flag first.
  void Interrupt();

  // Runs `fn` once on the notifier thread when head > position (at once if it already is)
  // or when the notifier closes.
  ListenerId CallWhenBeyond(uint64_t position, std::function<void()> fn);
  // Removes a listener. If its callback is running, waits for it to finish — unless called
  // from a callback itself, which must then not rely on the removed one having finished.
  void Remove(ListenerId id);

  void Close();

 private:
  void DispatchLoop();
  // Moves the callbacks that are due into ready_. Requires mu_.
  void CollectDueLocked();

  std::atomic<uint64_t> head_;
  std::atomic<bool> closed_{false};
  mutable std::mutex mu_;
  std::condition_variable waiters_cv_;   // WaitBeyond
  std::condition_variable dispatch_cv_;  // the notifier thread
  std::condition_variable done_cv_;      // Remove waiting for a running callback
  ListenerId next_id_ = 1;
  struct Listener {
    uint64_t position;
    std::function<void()> fn;
  };
  std::map<ListenerId, Listener> listeners_;
  std::deque<std::pair<ListenerId, std::function<void()>>> ready_;
  ListenerId running_ = 0;
  bool stop_thread_ = false;
  std::thread thread_;
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_HEAD_NOTIFIER_H_
