// REFORMLOG_CHECK(condition, message): an internal invariant of ours. When it does not hold
// the process prints where and what, and aborts — a programmer error crashes loudly and at
// once, before it can write a wrong state to disk. Always on (also in Release builds): use
// it only where the test costs nothing next to the work around it.
//
// Never for input: a bad request, a malformed file or a corrupt record is an error status
// (INVALID_ARGUMENT, DATA_LOSS), never a crash.
#ifndef REFORMLOG_BASE_CHECK_H_
#define REFORMLOG_BASE_CHECK_H_

#include <cstdio>
#include <cstdlib>

#include "absl/base/optimization.h"

#define REFORMLOG_CHECK(condition, message)                                                      \
  do {                                                                                           \
    if (ABSL_PREDICT_FALSE(!(condition))) {                                                      \
      std::fprintf(stderr, "%s:%d: invariant broken: %s (%s)\n", __FILE__, __LINE__, #condition, \
                   (message));                                                                   \
      std::abort();                                                                              \
    }                                                                                            \
  } while (false)

#endif  // REFORMLOG_BASE_CHECK_H_
