// Entity persistence: how a projection's entities and meta go into the read-model store
// (the key grammar is readmodel_format.h) and come back.
//
// The ProjectionRunner is the only writer; these are the steps it takes for each write, in a
// unit of their own so that a benchmark can measure exactly them.
//
// Thread safety: none of their own; the caller holds the table (the runner: its slot lock).
#ifndef REFORMLOG_PROJECTIONS_ENTITY_PERSISTENCE_H_
#define REFORMLOG_PROJECTIONS_ENTITY_PERSISTENCE_H_

#include <cstdint>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "eventstore/kv_store.h"
#include "projections/entity_table.h"
#include "projections/projection.h"

namespace reformlog::projections {

// Adds to `batch` every change of `table` since its changes were last taken — under the key
// space of `projection`'s version `version` — and forgets the changes.
void AddChanges(const Projection& projection, uint32_t version, EntityTable& table,
                eventstore::KvBatch& batch);

// Adds `projection`'s meta record (version, checkpoint, logic version) to `batch`.
void AddMeta(const Projection& projection, uint32_t version, uint64_t checkpoint,
             eventstore::KvBatch& batch);

// Puts one record of the key space back into `table`; `key` is the record's key with the
// version prefix (format::VersionPrefix) removed. DATA_LOSS when it does not parse.
absl::Status LoadRecord(const Projection& projection, EntityTable& table, absl::string_view key,
                        absl::string_view bytes);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ENTITY_PERSISTENCE_H_
