// Entity persistence: how a projection's entities and meta go into the read-model store and
// come back (the key grammar is readmodel_format.h).
//
// An entity is one record, or — for a projection with a parted field (Projection::parted_field)
// — a header record and one record per element of that field; a change of some elements
// rewrites those elements (and the header if it changed), so that its cost does not grow with
// the field.
//
// The ProjectionRunner is the only writer; these are the steps it takes for each write, in a
// unit of their own so that a benchmark can measure exactly them.
//
// Thread safety: none of their own; the caller holds the table (the runner: its slot's lock).
#ifndef REFORMLOG_PROJECTIONS_ENTITY_PERSISTENCE_H_
#define REFORMLOG_PROJECTIONS_ENTITY_PERSISTENCE_H_

#include <cstdint>
#include <memory>

#include "absl/status/status.h"
#include "eventstore/kv_store.h"
#include "projections/entity_table.h"
#include "projections/projection.h"

namespace reformlog::projections {

// An empty table for `projection`'s entities, with its parted field.
std::unique_ptr<EntityTable> NewTable(const Projection& projection);

// Adds to `batch` every change of `table` (a NewTable of `projection`) since its changes were
// last taken — under the key space of `projection`'s version `version` — and forgets them.
void AddChanges(const Projection& projection, uint32_t version, EntityTable& table,
                eventstore::KvBatch& batch);

// Adds `projection`'s meta record (version, checkpoint, logic version) to `batch`.
void AddMeta(const Projection& projection, uint32_t version, uint64_t checkpoint,
             eventstore::KvBatch& batch);

// Loads every entity of `projection`'s version `version` from `kv` into `table` (a NewTable of
// `projection`), without marking them changed. The store's error when a scan fails; DATA_LOSS
// naming the record when one does not parse.
absl::Status LoadEntities(const Projection& projection, uint32_t version,
                          eventstore::KeyValueStore& kv, EntityTable& table);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ENTITY_PERSISTENCE_H_
