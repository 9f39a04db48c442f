#include "eventstore/head_notifier.h"

#include <utility>

namespace reformlog::eventstore {

HeadNotifier::HeadNotifier(uint64_t head) : head_(head), thread_([this] { DispatchLoop(); }) {}

HeadNotifier::~HeadNotifier() {
  Close();
  {
    std::lock_guard lock(mu_);
    stop_thread_ = true;
  }
  dispatch_cv_.notify_all();
  thread_.join();
}

void HeadNotifier::Advance(uint64_t head) {
  {
    std::lock_guard lock(mu_);
    if (head <= head_.load(std::memory_order_relaxed)) return;
    head_.store(head, std::memory_order_release);
    CollectDueLocked();
  }
  waiters_cv_.notify_all();
  dispatch_cv_.notify_one();
}

uint64_t HeadNotifier::WaitBeyond(uint64_t position, absl::Duration timeout,
                                  const std::atomic<bool>* stop) {
  std::unique_lock lock(mu_);
  const auto deadline = std::chrono::steady_clock::now() + absl::ToChronoNanoseconds(timeout);
  waiters_cv_.wait_until(lock, deadline, [&] {
    return head_.load(std::memory_order_relaxed) > position || closed() ||
           (stop != nullptr && stop->load(std::memory_order_acquire));
  });
  return head_.load(std::memory_order_relaxed);
}

void HeadNotifier::Interrupt() {
  { std::lock_guard lock(mu_); }  // a waiter between its check and its sleep sees the flag
  waiters_cv_.notify_all();
}

HeadNotifier::ListenerId HeadNotifier::CallWhenBeyond(uint64_t position, std::function<void()> fn) {
  ListenerId id;
  {
    std::lock_guard lock(mu_);
    id = next_id_++;
    if (closed() || head_.load(std::memory_order_relaxed) > position) {
      ready_.emplace_back(id, std::move(fn));
    } else {
      listeners_.emplace(id, Listener{position, std::move(fn)});
      return id;
    }
  }
  dispatch_cv_.notify_one();
  return id;
}

void HeadNotifier::Remove(ListenerId id) {
  std::unique_lock lock(mu_);
  listeners_.erase(id);
  for (auto it = ready_.begin(); it != ready_.end(); ++it) {
    if (it->first == id) {
      ready_.erase(it);
      break;
    }
  }
  // From inside a callback (on the notifier thread) there is nothing to wait for: waiting
  // would be waiting for ourselves.
  if (std::this_thread::get_id() == thread_.get_id()) return;
  done_cv_.wait(lock, [&] { return running_ != id; });
}

void HeadNotifier::Close() {
  {
    std::lock_guard lock(mu_);
    if (closed()) return;
    closed_.store(true, std::memory_order_release);
    CollectDueLocked();
  }
  waiters_cv_.notify_all();
  dispatch_cv_.notify_one();
}

void HeadNotifier::CollectDueLocked() {
  const uint64_t head = head_.load(std::memory_order_relaxed);
  for (auto it = listeners_.begin(); it != listeners_.end();) {
    if (closed() || head > it->second.position) {
      ready_.emplace_back(it->first, std::move(it->second.fn));
      it = listeners_.erase(it);
    } else {
      ++it;
    }
  }
}

void HeadNotifier::DispatchLoop() {
  std::unique_lock lock(mu_);
  while (true) {
    dispatch_cv_.wait(lock, [&] { return stop_thread_ || !ready_.empty(); });
    if (ready_.empty()) return;  // stop_thread_ and nothing left to run
    {
      auto item = std::move(ready_.front());
      ready_.pop_front();
      running_ = item.first;
      lock.unlock();
      item.second();
    }  // the callback is destroyed unlocked: its captures may call back into us
    lock.lock();
    running_ = 0;
    done_cv_.notify_all();
  }
}

}  // namespace reformlog::eventstore
