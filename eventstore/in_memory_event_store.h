// InMemoryEventStore: the model of the EventStore contract, held in memory.
//
// It shares the pure core (commit_planner.h) with the RocksDB store and is deliberately
// simple — one mutex, no group commit — so that it can serve as the oracle in randomized
// tests of RocksEventStore, and as the store of fast unit tests. Nothing is durable.
#ifndef REFORMLOG_EVENTSTORE_IN_MEMORY_EVENT_STORE_H_
#define REFORMLOG_EVENTSTORE_IN_MEMORY_EVENT_STORE_H_

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "base/clock.h"
#include "eventstore/event_store.h"
#include "eventstore/head_notifier.h"

namespace reformlog::eventstore {

class InMemoryEventStore final : public EventStore {
 public:
  // `clock` stamps recorded_at and must outlive the store.
  explicit InMemoryEventStore(const Clock& clock = SystemClock());
  ~InMemoryEventStore() override;

  using EventStore::Append;
  // `queued` is called once the commit is written or refused: every later Append is
  // ordered after it.
  absl::StatusOr<AppendResult> Append(const Commit& commit,
                                      absl::FunctionRef<void()> queued) override;
  absl::StatusOr<StreamSlice> ReadStream(absl::string_view stream_id, uint64_t from_version,
                                         ReadDirection direction, size_t max_count) override;
  absl::StatusOr<AllSlice> ReadAll(uint64_t from_position, const EventFilter& filter,
                                   size_t max_count) override;
  uint64_t HeadPosition() const override;
  absl::StatusOr<CommitRecord> FindCommit(absl::string_view commit_id) override;
  absl::StatusOr<uint64_t> CurrentStreamVersion(absl::string_view stream_id) override;
  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(uint64_t from_position,
                                                          EventFilter filter) override;

 private:
  absl::StatusOr<AppendResult> AppendLocked(const Commit& commit);

  const Clock& clock_;
  mutable std::mutex mu_;
  std::vector<RecordedEvent> log_;                                   // log_[p - 1] has position p
  absl::flat_hash_map<std::string, std::vector<uint64_t>> streams_;  // stream → positions
  absl::flat_hash_map<std::string, CommitRecord> commits_;
  HeadNotifier notifier_{0};
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_IN_MEMORY_EVENT_STORE_H_
