// The catch-up pipeline: how the runner catches its projections up with a log they are far
// behind (a first start, a new projection). One thread (PageReader) reads and decodes pages of
// the log ahead of the projections; each projection applies them on its own thread (a lane);
// at every flush point — each `flush_events` events read, and at the end — each lane serialises
// the entities its projection changed with its checkpoint, and one writer thread puts a flush
// point's changes of every lane in ONE write while the lanes go on. So a crash leaves each
// projection at a checkpoint whose entities are on disk with it: nothing applied twice, nothing
// skipped. At most kReadAheadPagesMax pages are in the lanes and kPendingWritesMax flush points
// serialised but not written; beyond, the reader or the lanes wait.
//
// The projections are reached through CatchUpTarget (the runner implements it), by index.
#ifndef REFORMLOG_PROJECTIONS_CATCH_UP_PIPELINE_H_
#define REFORMLOG_PROJECTIONS_CATCH_UP_PIPELINE_H_

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "eventstore/event_store.h"
#include "eventstore/kv_store.h"
#include "projections/event_router.h"

namespace reformlog::projections {

// Catch-up writes (each up to a flush point's changes) serialised but not yet written; the lanes
// wait for the writer beyond this.
inline constexpr size_t kPendingWritesMax = 2;

// What a catch-up applies pages to and persists: projections 0..projection_count() − 1, those of
// the EventRouter the pages were routed by. Apply and AddChangesSince of one index are called
// from that index's lane only; Persist and SetPersisted from the writer thread.
class CatchUpTarget {
 public:
  virtual ~CatchUpTarget() = default;

  virtual size_t projection_count() const = 0;
  // The checkpoint of projection `index` on disk when the catch-up starts.
  virtual uint64_t PersistedCheckpoint(size_t index) const = 0;
  // Applies the events of `page` that projection `index` takes and has not applied yet.
  virtual void Apply(size_t index, const DecodedPage& page) = 0;
  // Unless projection `index` stands at `persisted`, adds the entities it changed and its
  // checkpoint (its position) to `batch`, consistently with each other. Returns its position.
  virtual uint64_t AddChangesSince(size_t index, uint64_t persisted,
                                   eventstore::KvBatch& batch) = 0;
  // Writes `batch`; false when the write failed (or an earlier one did, and nothing more is
  // written): the checkpoints in it are then not persisted.
  virtual bool Persist(const eventstore::KvBatch& batch) = 0;
  // A write holding projection `index`'s checkpoint was persisted.
  virtual void SetPersisted(size_t index, uint64_t checkpoint) = 0;
};

struct CatchUpOptions {
  size_t page_events = 0;   // events read per page: 1..kReadCountMax
  size_t flush_events = 0;  // events between flush points: at least 1
};

// Catches `target` up from `from` through `last` in the pipeline, with `router` routing pages to
// its projections; returns once every projection has applied everything read and the last
// flush point is written (or failed). Returns the position after the last event read (`from`
// when none was): `last` + 1 unless the log ends before it, a read fails (logged), or `*stop`
// is set. An event that does not decode is logged and skipped.
uint64_t CatchUp(eventstore::EventStore& store, EventRouter router, uint64_t from, uint64_t last,
                 const CatchUpOptions& options, const std::atomic<bool>* stop,
                 CatchUpTarget& target);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_CATCH_UP_PIPELINE_H_
