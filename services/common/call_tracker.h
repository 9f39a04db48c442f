// CallTracker: counts the unary calls a server is executing, so that shutdown can wait for
// them to finish and then close at once. (gRPC's own Shutdown(deadline) waits for the
// whole deadline while any client keeps a connection open, busy or not.)
//
// Every unary handler holds a CallTracker::Call for its duration. Thread-safe.
#ifndef REFORMLOG_SERVICES_COMMON_CALL_TRACKER_H_
#define REFORMLOG_SERVICES_COMMON_CALL_TRACKER_H_

#include <condition_variable>
#include <cstdint>
#include <mutex>

#include "absl/time/time.h"

namespace reformlog::services {

class CallTracker {
 public:
  class Call {
   public:
    explicit Call(CallTracker& tracker) : tracker_(tracker) {
      std::lock_guard lock(tracker_.mu_);
      ++tracker_.in_flight_;
    }
    ~Call() {
      std::lock_guard lock(tracker_.mu_);
      if (--tracker_.in_flight_ == 0) tracker_.idle_cv_.notify_all();
    }
    Call(const Call&) = delete;
    Call& operator=(const Call&) = delete;

   private:
    CallTracker& tracker_;
  };

  // Blocks until no call is executing or the timeout passes; true when idle.
  bool WaitIdle(absl::Duration timeout) {
    std::unique_lock lock(mu_);
    return idle_cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout),
                             [&] { return in_flight_ == 0; });
  }

  int64_t in_flight() const {
    std::lock_guard lock(mu_);
    return in_flight_;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable idle_cv_;
  int64_t in_flight_ = 0;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_CALL_TRACKER_H_
