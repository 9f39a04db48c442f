// ProjectionRunner: keeps every read model up to date with the log, durably.
//
//  * Start: each projection's entities and checkpoint are loaded from the read-model store —
//    no replay of the log — and one thread follows the log from the lowest checkpoint.
//  * Every event is decoded once and offered only to the projections that take its type
//    (Projection::EventTypes; event_router.h).
//  * Far behind the head (a first start, a new projection) the runner catches up in a
//    pipeline (catch_up_pipeline.h): one thread reads and decodes pages of the log ahead of the
//    projections (page_reader.h), each projection applies them on its own thread, and every
//    catch_up_flush_events (and at the end of the catch-up) each projection serialises the
//    entities it changed; one writer thread puts all of them with every projection's checkpoint
//    in ONE atomic write while the projections go on. Near the head the runner follows a store
//    subscription, applies each batch at once (queries see it), and persists what it applied — the
//    changed entities with the checkpoints, in one write — once live_flush_events events are
//    unpersisted or live_flush_interval_ms after the first of them, whichever comes first (and at
//    Stop): under a steady load of small commits an entity many of them touch is written a few
//    times a second, not once per commit. A crash therefore never applies an event twice nor skips
//    one: on restart each projection resumes after its persisted checkpoint, and its persisted
//    entities are exactly those of that checkpoint (at most the last interval is applied
//    again, from the log).
//  * Read() gives a query the projection's table under a shared lock, once the projection
//    has applied `min_position` (read-your-writes), waiting at most `max_wait`; then
//    UNAVAILABLE naming the lag.
//  * Rebuild() builds a projection's next version beside the live one from position 1,
//    catches up with the live one while it keeps serving, and swaps it in atomically (after
//    any catch-up in progress has finished). At Start, a projection persisted by another
//    Projection::logic_version() is rebuilt so, on a thread of its own.
//
// Thread-safe. Read models as of a past position, in memory: in_memory_replay.h.
#ifndef REFORMLOG_PROJECTIONS_PROJECTION_RUNNER_H_
#define REFORMLOG_PROJECTIONS_PROJECTION_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "projections/entity_table.h"
#include "projections/projection.h"

namespace reformlog::projections {

// Further behind the head than this, the runner catches up in the pipeline, persisting
// every kCatchUpFlushEvents instead of after every batch.
inline constexpr uint64_t kCatchUpLagEvents = 20'000;
inline constexpr size_t kCatchUpFlushEvents = 500'000;
// The catch-up's read-ahead and pending writes are bounded by kReadAheadPagesMax (page_reader.h)
// and kPendingWritesMax (catch_up_pipeline.h).
// Near the head, applied events are persisted once this many are unpersisted, or this long
// after the first of them (see the contract above).
inline constexpr size_t kLiveFlushEvents = 20'000;
inline constexpr int64_t kLiveFlushIntervalMs = 100;
// How long the live follower waits for a batch before it looks again (at the stop flag).
inline constexpr int64_t kLiveWaitMs = 200;
// Entity changes a rebuild writes per batch (it reads kRebuildPageEvents per page:
// page_reader.h).
inline constexpr size_t kRebuildFlushEntitiesMax = 20'000;

// Seams for tests, called on the runner's threads; empty (not called) unless a test sets them.
struct ProjectionRunnerHooks {
  // Once, from Start, before it returns: the projections persisted by another logic version,
  // which it is about to rebuild beside their live copies (empty when none: no rebuild runs).
  std::function<void(const std::vector<std::string>& names)> stale_logic_at_start;
  // After each of those rebuilds, with its outcome, on the thread that ran it.
  std::function<void(absl::string_view name, const absl::Status& status)> stale_logic_rebuilt;
};

// How a runner follows the log; the defaults are the constants above (tests make them small
// to exercise the catch-up with a short log).
struct ProjectionRunnerOptions {
  uint64_t catch_up_lag_events = kCatchUpLagEvents;
  size_t catch_up_flush_events = kCatchUpFlushEvents;
  size_t page_events = eventstore::kReadCountMax;  // 1..kReadCountMax
  // 1: persist after every live batch (as does an interval of 0).
  size_t live_flush_events = kLiveFlushEvents;
  int64_t live_flush_interval_ms = kLiveFlushIntervalMs;  // ≥ 0
  ProjectionRunnerHooks hooks;                            // tests only
};

struct ProjectionStatus {
  std::string name;
  uint32_t version = 0;
  uint64_t position = 0;   // the last event applied (what queries see)
  uint64_t persisted = 0;  // the checkpoint on disk (what a restart resumes from)
  uint64_t head = 0;       // the log's head when asked
  uint64_t lag = 0;        // head − position
  size_t entities = 0;
  uint64_t applied_since_start = 0;  // events applied since this runner started
  bool rebuilding = false;
  uint64_t rebuilds = 0;  // rebuilds completed since this runner started
};

class ProjectionRunner {
 public:
  // `store` and `kv` must outlive the runner. INVALID_ARGUMENT for duplicate or malformed
  // projection names or options out of range; the store's error when loading fails
  // (DATA_LOSS for a corrupt entity).
  static absl::StatusOr<std::unique_ptr<ProjectionRunner>> Start(
      eventstore::EventStore& store, eventstore::KeyValueStore& kv,
      std::vector<std::unique_ptr<Projection>> projections,
      const ProjectionRunnerOptions& options = ProjectionRunnerOptions());

  ~ProjectionRunner();  // Stop()

  // Stops following the log; what has been applied stays persisted. Idempotent.
  void Stop();

  absl::Status Read(
      absl::string_view name, uint64_t min_position, absl::Duration max_wait,
      const std::function<void(const EntityTable& table, uint64_t position)>& read) const;
  // As Read, and `read` also gets the version of the table: it changes only when a rebuild
  // swaps a new table in, so (version, position) names one state of the model (for caches).
  absl::Status ReadVersioned(absl::string_view name, uint64_t min_position, absl::Duration max_wait,
                             const std::function<void(const EntityTable& table, uint64_t position,
                                                      uint32_t version)>& read) const;

  std::vector<ProjectionStatus> Statuses() const;

  // FAILED_PRECONDITION when a rebuild of it is already running; NOT_FOUND for an unknown
  // projection. Blocks until the new version is live.
  absl::Status Rebuild(absl::string_view name);

  // True once every projection has applied `position` (false after `timeout`).
  bool WaitForAll(uint64_t position, absl::Duration timeout) const;

 private:
  class Impl;
  explicit ProjectionRunner(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_PROJECTION_RUNNER_H_
