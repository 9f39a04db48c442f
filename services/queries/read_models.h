// Reading a read model for a query: either the live one (after min_position) or, for an
// audit, the one the system had at as_of_position (replayed into memory).
#ifndef REFORMLOG_SERVICES_QUERIES_READ_MODELS_H_
#define REFORMLOG_SERVICES_QUERIES_READ_MODELS_H_

#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "projections/projection.h"
#include "reformlog/api/v1/org_queries.pb.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"
#include "services/queries/query_handler.h"

namespace reformlog::services {

// Calls `read` with the table of `projection`: the live one once it has applied
// min_position, or — when as_of_position > 0 — one replayed from the log up to there
// (OUT_OF_RANGE beyond the head).
absl::Status ReadModel(const QueryEnv& env, const projections::Projection& projection,
                       uint64_t min_position, uint64_t as_of_position, absl::Duration max_wait,
                       const std::function<void(const projections::EntityTable&, uint64_t)>& read);

// As ReadModel; and when `as_of_date` is not empty (the caller has validated it), the model as
// it stood on that effective date by what the log held at as_of_position (0: now), replayed in
// the order events take effect (projections/in_memory_replay.h ReplayInMemoryAsOfDate) — a
// read of the log, as an audit at a position is.
absl::Status ReadModelOn(
    const QueryEnv& env, const projections::Projection& projection, uint64_t min_position,
    uint64_t as_of_position, const std::string& as_of_date, absl::Duration max_wait,
    const std::function<void(const projections::EntityTable&, uint64_t)>& read);

// The audit replay behind ReadModelOn for several projections at once: their models at
// as_of_position (0: the head), as of `as_of_date` when it is not empty; `*through` is set to
// the last position applied. OUT_OF_RANGE beyond the head.
absl::StatusOr<std::vector<std::unique_ptr<projections::EntityTable>>> ReplayForAudit(
    const QueryEnv& env, const std::vector<const projections::Projection*>& projections,
    uint64_t as_of_position, const std::string& as_of_date, uint64_t* through);

// A query's date: `date` when given (INVALID_ARGUMENT naming `field` unless YYYY-MM-DD),
// today in China otherwise.
absl::StatusOr<std::string> DateOrToday(const QueryEnv& env, absl::string_view field,
                                        const std::string& date);

// The one instance of projection P that queries name when they read its model (projections
// hold no state of their own, so one instance serves every call on every thread).
template <typename P>
const P& ProjectionInstance() {
  static const P* const instance = new P();
  return *instance;
}

// agency id → its name on a date.
using AgencyNames = std::map<std::string, std::string>;

// Fills in the names on `date` of the agencies keyed in `names`, from the org read model at
// (at least) min_position, or as it was at as_of_position when that is > 0. Agencies the org
// model does not know keep an empty name and, when `unknown` is given, are added to it.
absl::Status NameAgencies(const QueryEnv& env, absl::Duration wait, uint64_t min_position,
                          uint64_t as_of_position, const std::string& date, AgencyNames& names,
                          std::set<std::string>* unknown = nullptr);

// A recorded event as the API cites it: position, type, effective date and document.
void ToApi(const readmodel::v1::EventRef& ref, api::v1::EventReference* out);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_QUERIES_READ_MODELS_H_
