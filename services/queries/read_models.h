// Reading a read model for a query: either the live one (after min_position) or, for an
// audit, the one the system had at as_of_position (replayed into memory).
#ifndef REFORMLOG_SERVICES_QUERIES_READ_MODELS_H_
#define REFORMLOG_SERVICES_QUERIES_READ_MODELS_H_

#include <functional>

#include "absl/status/status.h"
#include "projections/projection.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

// Calls `read` with the table of `projection`: the live one once it has applied
// min_position, or — when as_of_position > 0 — one replayed from the log up to there
// (OUT_OF_RANGE beyond the head).
absl::Status ReadModel(const QueryEnv& env, const projections::Projection& projection,
                       uint64_t min_position, uint64_t as_of_position, absl::Duration max_wait,
                       const std::function<void(const projections::EntityTable&, uint64_t)>& read);

// A query's date: `date` when given (INVALID_ARGUMENT naming `field` unless YYYY-MM-DD),
// today in China otherwise.
absl::StatusOr<std::string> DateOrToday(const QueryEnv& env, absl::string_view field,
                                        const std::string& date);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_QUERIES_READ_MODELS_H_
