// VerifiableLog: the tamper evidence of a durable log — its hash chain, its Merkle tree
// (eventstore/log_hash.h), proofs over them, recomputation, and the signed checkpoints kept
// beside the log.
//
// Contract:
//  * Head() is the chain hash and tree root of every durable event, consistent with
//    HeadPosition() at some moment; it moves only forward.
//  * HeadAt(size), InclusionProof and ConsistencyProof read only what was durable when they
//    were called; sizes beyond the head are OUT_OF_RANGE, malformed ones INVALID_ARGUMENT.
//  * Verify recomputes, from the events themselves, the chain and every tree node of
//    positions from_size+1 … to_size and compares them with what is stored. It reports the
//    first position where they differ, or where an event is missing, misplaced or does not
//    parse — never trusting a stored hash it can recompute. It returns an error only when the
//    store itself cannot be read (closed, I/O).
//  * RefuseAppends(reason) stops the log taking appends until it is reopened: every Append
//    returns `reason`. Reads go on (an operator must be able to look).
//  * Checkpoints are opaque bytes to the store, kept by size, written with sync; at most one
//    per size (a later one replaces it). Thread safety: every method, any thread.
#ifndef REFORMLOG_EVENTSTORE_VERIFIABLE_LOG_H_
#define REFORMLOG_EVENTSTORE_VERIFIABLE_LOG_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "base/digest.h"

namespace reformlog::eventstore {

// Checkpoints returned by one ListCheckpoints call, at most.
inline constexpr size_t kCheckpointsPerReadMax = 1'000;
// A stored checkpoint's bytes, at most.
inline constexpr size_t kCheckpointBytesMax = 16 << 10;

struct LogHead {
  uint64_t size = 0;  // events in the log: the position of the last one
  Digest chain{};     // chain(size); zero when empty
  Digest root{};      // root(size)

  bool operator==(const LogHead&) const = default;
};

struct VerifyOutcome {
  bool intact = true;
  uint64_t first_bad_position = 0;  // when !intact
  std::string problem;              // when !intact: what differs, in English (logs)
  uint64_t verified = 0;            // events recomputed
  LogHead head;                     // recomputed at to_size (when intact)
};

struct StoredCheckpoint {
  uint64_t size = 0;
  std::string bytes;
};

class VerifiableLog {
 public:
  virtual ~VerifiableLog() = default;

  virtual DigestAlgorithm digest_algorithm() const = 0;
  virtual LogHead Head() const = 0;
  virtual absl::StatusOr<LogHead> HeadAt(uint64_t size) = 0;
  // The stored leaf hash of the event at `position` (leaf index position−1).
  virtual absl::StatusOr<Digest> LeafAt(uint64_t position) = 0;
  // The audit path of the event at `position` in the tree of `size` events.
  virtual absl::StatusOr<std::vector<Digest>> InclusionProof(uint64_t position, uint64_t size) = 0;
  virtual absl::StatusOr<std::vector<Digest>> ConsistencyProof(uint64_t old_size,
                                                               uint64_t new_size) = 0;
  virtual absl::StatusOr<VerifyOutcome> Verify(uint64_t from_size, uint64_t to_size) = 0;
  virtual void RefuseAppends(const absl::Status& reason) = 0;

  virtual absl::Status PutCheckpoint(uint64_t size, const std::string& bytes) = 0;
  // Checkpoints of sizes >= from_size, ascending, at most max_count (0 = all up to
  // kCheckpointsPerReadMax).
  virtual absl::StatusOr<std::vector<StoredCheckpoint>> ListCheckpoints(uint64_t from_size,
                                                                        size_t max_count) = 0;
  virtual absl::StatusOr<std::optional<StoredCheckpoint>> LatestCheckpoint() = 0;
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_VERIFIABLE_LOG_H_
