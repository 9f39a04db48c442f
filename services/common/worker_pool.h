// WorkerPool: a fixed set of threads running queued tasks, so that gRPC reactors hand off
// work that blocks (a command waits for its commit's fsync) instead of blocking a gRPC
// thread. The queue is bounded: Submit refuses work beyond kQueueMax.
#ifndef REFORMLOG_SERVICES_COMMON_WORKER_POOL_H_
#define REFORMLOG_SERVICES_COMMON_WORKER_POOL_H_

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace reformlog::services {

class WorkerPool {
 public:
  static constexpr size_t kQueueMax = 10'000;

  explicit WorkerPool(int threads) {
    for (int i = 0; i < threads; ++i) threads_.emplace_back([this] { Loop(); });
  }
  // Runs every task already queued, then joins.
  ~WorkerPool() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    cv_.notify_all();
    for (std::thread& t : threads_) t.join();
  }
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // False (and the task is dropped) when the queue is full or the pool is stopping.
  bool Submit(std::function<void()> task) {
    {
      std::lock_guard lock(mu_);
      if (stopping_ || queue_.size() >= kQueueMax) return false;
      queue_.push_back(std::move(task));
    }
    cv_.notify_one();
    return true;
  }

 private:
  void Loop() {
    while (true) {
      std::function<void()> task;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      task();
    }
  }

  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_WORKER_POOL_H_
