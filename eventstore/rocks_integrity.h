// RocksIntegrity: the hash chain and Merkle tree of RocksEventStore (private to eventstore/).
//
// The store's single writer stages each group's events through Stage() into the group's
// WriteBatch and calls Publish() once the batch is durable; everything else reads what was
// published. Nodes and chain entries are written once and never change, so readers need no
// snapshot: a size up to the published head is always complete on disk.
#ifndef REFORMLOG_EVENTSTORE_ROCKS_INTEGRITY_H_
#define REFORMLOG_EVENTSTORE_ROCKS_INTEGRITY_H_

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/digest.h"
#include "eventstore/log_hash.h"
#include "eventstore/verifiable_log.h"
#include "rocksdb/db.h"
#include "rocksdb/write_batch.h"

namespace reformlog::eventstore {

// Events written per batch while a format-1 log is upgraded.
inline constexpr size_t kUpgradeBatchEvents = 10'000;
// Tree nodes below this level are not stored: a node of level k < 4 is recomputed from at
// most 2^k = 8 chain entries when a proof needs it, so the writer stores about one node per
// eight events instead of two per event.
inline constexpr int kStoredNodeLevelMin = 4;

class RocksIntegrity {
 public:
  struct Handles {
    rocksdb::DB* db = nullptr;
    rocksdb::ColumnFamilyHandle* meta = nullptr;
    rocksdb::ColumnFamilyHandle* events = nullptr;
    rocksdb::ColumnFamilyHandle* chain = nullptr;
    rocksdb::ColumnFamilyHandle* merkle = nullptr;
  };

  // The writer's state between groups.
  struct Staging {
    Digest chain{};
    MerkleFrontier frontier;
  };

  // Computes the chain and the tree of events 1 … head and writes them with the digest
  // record (the format upgrade; on a new store, head is 0). Does not write the format
  // version: the caller does, last.
  static absl::Status Build(const Handles& handles, DigestAlgorithm algorithm, uint64_t head);
  // The digest a chained store records.
  static absl::StatusOr<DigestAlgorithm> ReadDigest(const Handles& handles);
  // Loads the writer's state at `head`: DATA_LOSS when the chain or the tree does not end
  // where the log does (events removed from the end leave their chain entries behind).
  static absl::StatusOr<std::unique_ptr<RocksIntegrity>> Load(const Handles& handles,
                                                              DigestAlgorithm algorithm,
                                                              uint64_t head);

  DigestAlgorithm algorithm() const { return algorithm_; }

  // Writer only.
  Staging Begin() const { return writer_; }
  void Stage(Staging& staging, const RecordedEvent& event, rocksdb::WriteBatch& batch);
  void Publish(Staging staging);

  LogHead Head() const;
  absl::StatusOr<LogHead> HeadAt(uint64_t size);
  absl::StatusOr<Digest> LeafAt(uint64_t position);
  absl::StatusOr<std::vector<Digest>> InclusionProof(uint64_t position, uint64_t size);
  absl::StatusOr<std::vector<Digest>> ConsistencyProof(uint64_t old_size, uint64_t new_size);
  absl::StatusOr<VerifyOutcome> Verify(uint64_t from_size, uint64_t to_size);

  absl::Status PutCheckpoint(uint64_t size, const std::string& bytes);
  absl::StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(uint64_t from_size,
                                                                size_t max_count) const;
  absl::StatusOr<std::optional<StoredCheckpoint>> LatestCheckpoint() const;

 private:
  RocksIntegrity(const Handles& handles, DigestAlgorithm algorithm, Staging writer, LogHead head);
  absl::StatusOr<Digest> ReadNode(int level, uint64_t index) const;
  absl::StatusOr<Digest> ComputeNode(int level, uint64_t index) const;
  absl::StatusOr<Digest> ReadChain(uint64_t position) const;
  absl::Status CheckSize(uint64_t size, absl::string_view what) const;

  const Handles handles_;
  const DigestAlgorithm algorithm_;
  Staging writer_;  // the leader's, between groups
  mutable std::mutex head_mu_;
  LogHead head_;  // published
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_ROCKS_INTEGRITY_H_
