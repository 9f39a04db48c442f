#include "base/clock.h"

#include "absl/time/clock.h"

namespace reformlog {
namespace {

class RealClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
};

}  // namespace

Clock& SystemClock() {
  static auto* clock = new RealClock();  // never destroyed: usable during shutdown
  return *clock;
}

}  // namespace reformlog
