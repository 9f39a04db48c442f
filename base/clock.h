// Clock: the one seam through which the event store and the services learn the time.
// Production code uses SystemClock(); tests pass a fake so that nothing depends on when
// a test runs.
#ifndef REFORMLOG_BASE_CLOCK_H_
#define REFORMLOG_BASE_CLOCK_H_

#include "absl/time/time.h"

namespace reformlog {

class Clock {
 public:
  virtual ~Clock() = default;
  // The current time. Thread-safe.
  virtual absl::Time Now() const = 0;
};

// The real wall clock. Never destroyed; safe to use from any thread.
Clock& SystemClock();

}  // namespace reformlog

#endif  // REFORMLOG_BASE_CLOCK_H_
