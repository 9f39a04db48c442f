// FakeClock: a Clock that moves only when a test moves it.
#ifndef REFORMLOG_TESTS_TESTING_FAKE_CLOCK_H_
#define REFORMLOG_TESTS_TESTING_FAKE_CLOCK_H_

#include <mutex>

#include "absl/time/time.h"
#include "base/clock.h"

namespace reformlog::testing {

class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time now = absl::FromUnixSeconds(1561939200))  // 2019-07-01
      : now_(now) {}

  absl::Time Now() const override {
    std::lock_guard lock(mu_);
    return now_;
  }
  void Advance(absl::Duration d) {
    std::lock_guard lock(mu_);
    now_ += d;
  }
  void Set(absl::Time t) {
    std::lock_guard lock(mu_);
    now_ = t;
  }

 private:
  mutable std::mutex mu_;
  absl::Time now_;
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_FAKE_CLOCK_H_
