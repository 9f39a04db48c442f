// Status propagation for functions returning absl::Status or absl::StatusOr<T>.
//
//   RETURN_IF_ERROR(expr);             // expr is an absl::Status: returns it unless OK
//   ASSIGN_OR_RETURN(T x, expr);       // expr is an absl::StatusOr<T>: returns its status
//   ASSIGN_OR_RETURN(x, expr);         // unless OK, else moves its value into x
//
// The returned status converts to the enclosing function's return type (absl::Status or any
// absl::StatusOr). `expr` is evaluated exactly once. Abseil 20220623 (Debian 12) ships no
// public macros of its own; these follow the shape of the ones in later abseil releases.
#ifndef REFORMLOG_BASE_STATUS_MACROS_H_
#define REFORMLOG_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/base/optimization.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"

#define REFORMLOG_STATUS_CONCAT_INNER_(a, b) a##b
#define REFORMLOG_STATUS_CONCAT_(a, b) REFORMLOG_STATUS_CONCAT_INNER_(a, b)

#define RETURN_IF_ERROR(expr)                                                                   \
  do {                                                                                          \
    if (::absl::Status reformlog_status_ = (expr); ABSL_PREDICT_FALSE(!reformlog_status_.ok())) \
      return reformlog_status_;                                                                 \
  } while (false)

#define REFORMLOG_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, expr)                  \
  auto statusor = (expr);                                                      \
  if (ABSL_PREDICT_FALSE(!statusor.ok())) return std::move(statusor).status(); \
  lhs = *std::move(statusor)

#define ASSIGN_OR_RETURN(lhs, expr)                                                              \
  REFORMLOG_ASSIGN_OR_RETURN_IMPL_(REFORMLOG_STATUS_CONCAT_(reformlog_statusor_, __LINE__), lhs, \
                                   expr)

#endif  // REFORMLOG_BASE_STATUS_MACROS_H_
