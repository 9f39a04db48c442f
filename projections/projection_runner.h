// ProjectionRunner: keeps every read model up to date with the log, durably.
//
//  * Start: each projection's entities and checkpoint are loaded from the read-model store —
//    no replay of the log — and one thread follows the log (a store subscription) from the
//    lowest checkpoint.
//  * Each batch of events is applied to every projection that has not seen it; the changed
//    entities of all projections and their checkpoints go to the store in ONE atomic write
//    (after every batch when live; every kCatchUpFlushEvents while catching up from far
//    behind; and at Stop()). A crash therefore never applies an event twice nor skips one:
//    on restart each projection resumes after its persisted checkpoint.
//  * Read() gives a query the projection's table under a shared lock, once the projection
//    has applied `min_position` (read-your-writes), waiting at most `max_wait`; then
//    UNAVAILABLE naming the lag.
//  * Rebuild() builds a projection's next version beside the live one from position 1,
//    catches up with the live one while it keeps serving, and swaps it in atomically.
//
// Thread-safe.
#ifndef REFORMLOG_PROJECTIONS_PROJECTION_RUNNER_H_
#define REFORMLOG_PROJECTIONS_PROJECTION_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/event_store.h"
#include "eventstore/kv_store.h"
#include "projections/entity_table.h"
#include "projections/projection.h"

namespace reformlog::projections {

// Further behind the head than this, the runner reads the log in pages of kReadCountMax and
// persists every kCatchUpFlushEvents instead of after every batch.
inline constexpr uint64_t kCatchUpLagEvents = 20'000;
inline constexpr size_t kCatchUpFlushEvents = 200'000;
// A batch of at least this many events is applied by up to kApplyThreadsMax threads, each
// taking whole projections (they are independent).
inline constexpr size_t kParallelApplyEventsMin = 1'000;
inline constexpr unsigned kApplyThreadsMax = 4;
// Events a rebuild reads per page of the log; entity changes it writes per batch.
inline constexpr size_t kRebuildPageEvents = 4'096;
inline constexpr size_t kRebuildFlushEntitiesMax = 20'000;

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
};

class ProjectionRunner {
 public:
  // `store` and `kv` must outlive the runner. INVALID_ARGUMENT for duplicate or malformed
  // projection names; the store's error when loading fails (DATA_LOSS for a corrupt entity).
  static absl::StatusOr<std::unique_ptr<ProjectionRunner>> Start(
      eventstore::EventStore& store, eventstore::KeyValueStore& kv,
      std::vector<std::unique_ptr<Projection>> projections);

  ~ProjectionRunner();  // Stop()

  // Stops following the log; what has been applied stays persisted. Idempotent.
  void Stop();

  absl::Status Read(
      absl::string_view name, uint64_t min_position, absl::Duration max_wait,
      const std::function<void(const EntityTable& table, uint64_t position)>& read) const;

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

// Applies events [1, up_to] of `store` to fresh tables of `projections`, in memory: the read
// models as the system knew them at position `up_to` (the recorded-time audit). A position
// inside a commit counts as the end of that commit (no one ever saw half of one). Cost: one
// read of the log up to that position.
// `*applied_through` (when given) is set to the last position applied.
absl::StatusOr<std::vector<std::unique_ptr<EntityTable>>> ReplayInMemory(
    eventstore::EventStore& store, const std::vector<const Projection*>& projections,
    uint64_t up_to, uint64_t* applied_through = nullptr);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_PROJECTION_RUNNER_H_
