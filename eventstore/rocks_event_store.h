// RocksEventStore: the durable EventStore, on an embedded RocksDB database.
//
// Appends from any number of threads queue up; the appender at the front (the leader)
// takes every waiting commit (up to kGroupCommitsMax / kGroupBytesMax), checks each against
// the stream versions as they stand after the commits before it, assigns gapless positions,
// and writes the whole group as one WriteBatch with sync=true: one fsync acknowledges the
// group. One group is written at a time. A commit refused in a group (ABORTED,
// ALREADY_EXISTS) does not affect the others.
//
// Disk errors are fail-stop: after a failed write every Append returns that error until the
// store is reopened. The key layout is in rocks_format.h.
//
// Tamper evidence (VerifiableLog): the writer extends the hash chain and the Merkle tree of
// every event in the same WriteBatch as the event; a format-1 store is chained on open.
//
// Thread safety: all methods, including Close(), may be called from any thread. Reads after
// Close() return UNAVAILABLE.
#ifndef REFORMLOG_EVENTSTORE_ROCKS_EVENT_STORE_H_
#define REFORMLOG_EVENTSTORE_ROCKS_EVENT_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "base/digest.h"
#include "eventstore/event_store.h"
#include "eventstore/verifiable_log.h"

namespace reformlog::eventstore {

struct RocksEventStoreOptions {
  std::string path;                     // the data directory; created if missing
  const Clock* clock = &SystemClock();  // stamps recorded_at; must outlive the store
  size_t block_cache_bytes = 64 << 20;
  // The hash of the chain and the tree when the store is created, or when a format-1 store
  // is upgraded; a chained store keeps the one it records.
  DigestAlgorithm digest = DigestAlgorithm::kSm3;
};

class RocksEventStore final : public EventStore, public VerifiableLog {
 public:
  // Opens (or creates) the store at options.path. FAILED_PRECONDITION when the directory
  // holds a database of a newer format; DATA_LOSS when it holds a damaged one; the RocksDB
  // error (e.g. a lock held by another process) otherwise.
  static absl::StatusOr<std::unique_ptr<RocksEventStore>> Open(
      const RocksEventStoreOptions& options);

  ~RocksEventStore() override;  // Close()

  RocksEventStore(const RocksEventStore&) = delete;
  RocksEventStore& operator=(const RocksEventStore&) = delete;

  // Stops taking appends, finishes every commit already queued, ends subscriptions
  // (UNAVAILABLE) and closes the database. Idempotent.
  void Close();

  // Writes a consistent online checkpoint of the whole store into `directory`, which must
  // not exist. The checkpoint opens with Open() as a store of its own.
  absl::Status Backup(const std::string& directory);

  using EventStore::Append;
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

  DigestAlgorithm digest_algorithm() const override;
  LogHead Head() const override;
  absl::StatusOr<LogHead> HeadAt(uint64_t size) override;
  absl::StatusOr<Digest> LeafAt(uint64_t position) override;
  absl::StatusOr<std::vector<Digest>> InclusionProof(uint64_t position, uint64_t size) override;
  absl::StatusOr<std::vector<Digest>> ConsistencyProof(uint64_t old_size,
                                                       uint64_t new_size) override;
  absl::StatusOr<VerifyOutcome> Verify(uint64_t from_size, uint64_t to_size) override;
  void RefuseAppends(const absl::Status& reason) override;
  absl::Status PutCheckpoint(uint64_t size, const std::string& bytes) override;
  absl::StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(uint64_t from_size,
                                                                size_t max_count) override;
  absl::StatusOr<std::optional<StoredCheckpoint>> LatestCheckpoint() override;

 private:
  class Impl;
  explicit RocksEventStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_ROCKS_EVENT_STORE_H_
