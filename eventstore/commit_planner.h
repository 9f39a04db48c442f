// The pure core of Append, shared by every EventStore implementation so that they cannot
// disagree: validating a commit's shape and limits, checking its expectations against the
// current stream versions, assigning positions and versions, and deciding whether a
// re-sent commit id carries the same content as the one recorded.
//
// Nothing here does I/O, reads a clock or takes a lock: time and ids come in as arguments.
#ifndef REFORMLOG_EVENTSTORE_COMMIT_PLANNER_H_
#define REFORMLOG_EVENTSTORE_COMMIT_PLANNER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "eventstore/types.h"

namespace reformlog::eventstore {

// INVALID_ARGUMENT naming the field or the limit when the commit is malformed: no commit id,
// no writes, an empty write, a stream written or checked twice, a stream id that is empty,
// too long or holds a NUL byte, an event without a type, a bad effective date, or any limit
// of limits.h exceeded. OK otherwise.
absl::Status ValidateCommit(const Commit& commit);

// INVALID_ARGUMENT for a malformed read filter.
absl::Status ValidateFilter(const EventFilter& filter);

// Resolves a read's max_count: 0 → kReadCountDefault; above kReadCountMax is INVALID_ARGUMENT.
absl::StatusOr<size_t> ResolveReadCount(size_t max_count);

// Current version of a stream (0 = no events), or an error from storage.
using VersionLookup = std::function<absl::StatusOr<uint64_t>(absl::string_view stream_id)>;

// One event of a planned commit: where it goes, pointing back at what the caller sent.
struct PlannedEvent {
  uint64_t position = 0;
  uint64_t stream_version = 0;
  std::string event_id;
  const StreamWrite* write = nullptr;
  const NewEvent* event = nullptr;
};

struct PlannedCommit {
  CommitRecord record;
  std::vector<PlannedEvent> events;  // positions first_position … last_position, in order
};

// The event as it will be read back. `commit` is the commit the plan was made from.
RecordedEvent Materialize(const Commit& commit, const PlannedEvent& planned,
                          int64_t recorded_at_us);

// Checks every expectation of a validated commit against `current_version` and, when all
// hold, places its events starting at `next_position` (the plan points into `commit`, which
// must outlive it). Empty event ids are filled by
// `new_event_id`. ABORTED names every failing stream: "stream agency-012: expected 3, actual
// 4; stream person-7: expected no stream, actual 1".
absl::StatusOr<PlannedCommit> PlanCommit(const Commit& commit, uint64_t next_position,
                                         int64_t recorded_at_us,
                                         const VersionLookup& current_version,
                                         const std::function<std::string()>& new_event_id);

// True when `commit` is the same request as the one recorded as `record` with `events`
// (the events at record.first_position … last_position). Event ids the request left empty
// are not compared (the store chose them).
bool SameCommit(const Commit& commit, const CommitRecord& record,
                const std::vector<RecordedEvent>& events);

// ALREADY_EXISTS for a commit id reused with other content.
absl::Status CommitIdReused(const Commit& commit, const CommitRecord& record);

// A random (version 4) UUID in its canonical 36-character form.
std::string NewUuid();

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_COMMIT_PLANNER_H_
