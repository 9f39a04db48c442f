// The users' calendar: dates are days in China Standard Time (UTC+8, no daylight saving).
#ifndef REFORMLOG_SERVICES_COMMON_CHINA_DATE_H_
#define REFORMLOG_SERVICES_COMMON_CHINA_DATE_H_

#include <string>

#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "base/clock.h"

namespace reformlog::services {

inline std::string TodayInChina(const Clock& clock) {
  static const absl::TimeZone zone = absl::FixedTimeZone(8 * 60 * 60);
  return absl::FormatCivilTime(absl::ToCivilDay(clock.Now(), zone));
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_CHINA_DATE_H_
