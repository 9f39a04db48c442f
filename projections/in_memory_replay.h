// ReplayInMemory: read models as the system knew them at a past position of the log, built in
// memory from the log alone — the recorded-time audit (as_of_position in the query services), and
// the oracle the runner's persisted, incremental and rebuilt models are tested against. Nothing
// is read from or written to the read-model store.
#ifndef REFORMLOG_PROJECTIONS_IN_MEMORY_REPLAY_H_
#define REFORMLOG_PROJECTIONS_IN_MEMORY_REPLAY_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "eventstore/event_store.h"
#include "projections/entity_table.h"
#include "projections/projection.h"

namespace reformlog::projections {

// Applies events [1, up_to] of `store` to fresh tables of `projections`, in memory: the read
// models as the system knew them at position `up_to` (the recorded-time audit). A position
// inside a commit counts as the end of that commit (no one ever saw half of one). Cost: one
// read of the log up to that position, read and decoded on a second thread ahead of the
// projections (PageReader).
// `*applied_through` (when given) is set to the last position applied. The store's error when
// a read fails; DATA_LOSS naming the position for an event that does not decode.
absl::StatusOr<std::vector<std::unique_ptr<EntityTable>>> ReplayInMemory(
    eventstore::EventStore& store, const std::vector<const Projection*>& projections,
    uint64_t up_to, uint64_t* applied_through = nullptr);

// The read models as they stood on the effective date `date` (YYYY-MM-DD), by what the log held
// at `up_to` (0: its head): the events of [1, up_to] that take effect on or before `date`,
// applied in the order they take effect — by effective date, one date's events in log order —
// so a late entry (补录) counts on the date it took effect, not the day it was recorded. As
// ReplayInMemory otherwise (a position inside a commit is the end of it). Cost: one read of
// the log, with the pages that hold events of `projections` kept in memory until the fold (an
// audit query's cost, not a live one's).
absl::StatusOr<std::vector<std::unique_ptr<EntityTable>>> ReplayInMemoryAsOfDate(
    eventstore::EventStore& store, const std::vector<const Projection*>& projections,
    uint64_t up_to, absl::string_view date, uint64_t* applied_through = nullptr);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_IN_MEMORY_REPLAY_H_
