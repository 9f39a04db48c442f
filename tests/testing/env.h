// EnvOr: a whole number from the environment, for tests that an operator may run longer
// (more crash cycles, a fixed seed) without rebuilding them.
#ifndef REFORMLOG_TESTS_TESTING_ENV_H_
#define REFORMLOG_TESTS_TESTING_ENV_H_

#include <cstdint>
#include <cstdlib>

#include "absl/strings/numbers.h"
#include "gtest/gtest.h"

namespace reformlog::testing {

// The value of `name`, or `fallback` when it is unset or empty; a value that is not a whole
// number fails the test (and `fallback` is used).
inline uint64_t EnvOr(const char* name, uint64_t fallback) {
  const char* value = std::getenv(name);
  if (value == nullptr || *value == '\0') return fallback;
  uint64_t parsed = 0;
  if (!absl::SimpleAtoi(value, &parsed)) {
    ADD_FAILURE() << name << "=" << value << " is not a number; using " << fallback;
    return fallback;
  }
  return parsed;
}

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_ENV_H_
