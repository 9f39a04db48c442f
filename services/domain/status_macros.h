// RETURN_IF_ERROR(expr): returns the status of `expr` from the enclosing function unless it
// is OK. For decide functions, which check many things in a row.
#ifndef REFORMLOG_SERVICES_DOMAIN_STATUS_MACROS_H_
#define REFORMLOG_SERVICES_DOMAIN_STATUS_MACROS_H_

#include "absl/status/status.h"

#define RETURN_IF_ERROR(expr)                                           \
  do {                                                                  \
    if (::absl::Status status_ = (expr); !status_.ok()) return status_; \
  } while (false)

#endif  // REFORMLOG_SERVICES_DOMAIN_STATUS_MACROS_H_
