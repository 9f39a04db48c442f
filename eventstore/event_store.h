// EventStore: the domain-agnostic, append-only log of record.
//
// The log is a sequence of events, each with a global position (1, 2, 3, … gapless, in
// commit order) and a place in one stream (version 1, 2, 3, … within the stream). A stream
// is a consistency boundary (`agency-012`, `person-7`): a commit states what version it
// expects each stream it writes or reads to be at, and is refused if any expectation fails.
//
// Contract, for every implementation:
//  * Append(commit) is all or nothing. On success every event is durable (for the RocksDB
//    store: fsynced) before the call returns, and the result names the positions and the new
//    stream versions. Failures:
//      INVALID_ARGUMENT  malformed commit or a named limit (limits.h) exceeded; nothing written
//      ABORTED           an expectation failed; the message names every failing stream with
//                        its expected and actual version; nothing written
//      ALREADY_EXISTS    the commit id was committed before with other content
//      UNAVAILABLE       the store is closed
//      INTERNAL/DATA_LOSS the disk failed or holds a corrupt record; the store stops taking
//                        appends (fail-stop) and must be reopened
//  * Idempotency: a commit whose id was committed before with the same content returns the
//    original result (with `replayed` set) and writes nothing. This survives reopening.
//  * Positions are assigned only by the store; Append is the only write path.
//  * Reads see only whole commits.
//  * Thread safety: every method may be called concurrently from any thread.
#ifndef REFORMLOG_EVENTSTORE_EVENT_STORE_H_
#define REFORMLOG_EVENTSTORE_EVENT_STORE_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "eventstore/subscription.h"
#include "eventstore/types.h"

namespace reformlog::eventstore {

class EventStore {
 public:
  virtual ~EventStore() = default;

  // Appends one commit atomically. See the contract above.
  absl::StatusOr<AppendResult> Append(const Commit& commit) {
    return Append(commit, [] {});
  }

  // The same, telling the caller the moment the commit has its place in the order of
  // appends: `queued` is called once, on the calling thread, before Append returns and
  // before the commit is durable, after the commit was validated. Any commit whose Append
  // starts after `queued` has returned (on any thread) is ordered after this one: its
  // expectations see this commit's versions, and it is written in the same group or a
  // later one. So a caller that serialises its own commits on a stream (a lock per stream)
  // may let the next one decide against this commit's outcome without waiting for the fsync;
  // if this commit then fails, the next one fails its expectations (ABORTED), never writes
  // on a state that did not happen. `queued` is not called when the commit is refused before
  // it has a place (INVALID_ARGUMENT, UNAVAILABLE). It must not call into the store.
  virtual absl::StatusOr<AppendResult> Append(const Commit& commit,
                                              absl::FunctionRef<void()> queued) = 0;

  // Events of one stream. Forward: versions from_version, from_version+1, …
  // (from_version 0 = 1). Backward: from_version, from_version-1, … (0 = the last).
  // At most max_count events (0 = kReadCountDefault; above kReadCountMax is
  // INVALID_ARGUMENT), and fewer when they reach kReadBytesMax bytes (EventBytes): a page
  // never stops short of one event, and a caller continues from its last event, never from
  // the count. A stream that does not exist reads as empty with version 0.
  virtual absl::StatusOr<StreamSlice> ReadStream(absl::string_view stream_id, uint64_t from_version,
                                                 ReadDirection direction, size_t max_count) = 0;

  // Events of the whole log from from_position (inclusive; 0 = 1) that pass `filter`, at
  // most max_count of them (same bounds as ReadStream, bytes included). A filtered read stops after
  // scanning kReadAllScanMax records; `next_position` says where to continue.
  virtual absl::StatusOr<AllSlice> ReadAll(uint64_t from_position, const EventFilter& filter,
                                           size_t max_count) = 0;

  // The position of the last durable event; 0 when the log is empty.
  virtual uint64_t HeadPosition() const = 0;

  // The record of a commit id already committed, or NOT_FOUND. Lets a layer above answer a
  // retried request without deciding it again.
  virtual absl::StatusOr<CommitRecord> FindCommit(absl::string_view commit_id) = 0;

  // The current version of a stream; 0 when it has no events.
  virtual absl::StatusOr<uint64_t> CurrentStreamVersion(absl::string_view stream_id) = 0;

  // A catch-up subscription from from_position (inclusive; 0 = 1) through the head and then
  // live. See subscription.h. The subscription must be destroyed before the store.
  virtual absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(uint64_t from_position,
                                                                  EventFilter filter) = 0;
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_EVENT_STORE_H_
