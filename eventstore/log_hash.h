// What makes the log tamper-evident: a hash chain over every record and a Merkle tree over
// the same records in the style of RFC 9162 (Certificate Transparency v2), both with the
// store's digest (SM3 by default, SHA-256 selectable; base/digest.h).
//
//   canonical(e) := be64(position) lp(stream_id) be64(stream_version) lp(event_id) lp(type)
//                   lp(data) be64(recorded_at_us) lp(effective_date) lp(principal)
//                   lp(basis.number) lp(basis.issuer) lp(basis.date) lp(basis.title)
//                   lp(commit_id) lp(correlation_id) lp(causation_id)
//   lp(s)        := be32(byte length of s) s
//   chain(0)     := 32 zero bytes
//   chain(p)     := H(chain(p−1) ‖ canonical(event at p))          the record's hash
//   leaf(p)      := H(0x00 ‖ chain(p))                              Merkle leaf, index p−1
//   node(l, r)   := H(0x01 ‖ l ‖ r)
//   root(n)      := RFC 9162 MTH over leaves 0 … n−1; root(0) = H("")
//
// The tree's entries are the records' hashes: each record's bytes are hashed once (by the
// chain), and the tree commits to them through it. To check that an event is in the tree,
// an auditor takes chain(p−1) from the inclusion proof, recomputes chain(p) from the event
// as EventFeed serves it (every field a reader sees is in canonical(e)), then leaf(p) and the
// path — without our code (clients/python/reformlog_client/audit.py).
//
// Perfect subtrees are named (level k, index i), covering leaves [i·2^k, (i+1)·2^k). Proofs
// and roots of any size are computed from them in O(log n) lookups (a NodeReader); the
// writer keeps only the frontier (one node per set bit of n). Everything here is pure: no
// I/O but through the reader given.
#ifndef REFORMLOG_EVENTSTORE_LOG_HASH_H_
#define REFORMLOG_EVENTSTORE_LOG_HASH_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "base/digest.h"
#include "eventstore/types.h"

namespace reformlog::eventstore {

// The deepest a tree of 2^64 leaves goes.
inline constexpr int kMerkleLevelsMax = 64;

// canonical(e), into *out (cleared first).
void CanonicalRecord(const RecordedEvent& event, std::string* out);

inline Digest ZeroDigest() { return Digest{}; }
Digest ChainHash(DigestAlgorithm algorithm, const Digest& previous, absl::string_view canonical);
// H(0x00 ‖ entry): the leaf of a tree entry (for the log, the entry is chain(p)).
Digest LeafHash(DigestAlgorithm algorithm, absl::string_view entry);
inline Digest LeafHash(DigestAlgorithm algorithm, const Digest& chain) {
  return LeafHash(algorithm, DigestBytes(chain));
}
Digest NodeHash(DigestAlgorithm algorithm, const Digest& left, const Digest& right);
Digest EmptyRoot(DigestAlgorithm algorithm);

// A stored perfect subtree's root, or an error (DATA_LOSS when it should exist and does not).
using NodeReader = absl::FunctionRef<absl::StatusOr<Digest>(int level, uint64_t index)>;

// The perfect subtrees of a tree of `size` leaves, left to right, and how to grow it.
class MerkleFrontier {
 public:
  struct Node {
    int level = 0;
    uint64_t index = 0;
    Digest hash{};
  };

  MerkleFrontier() = default;
  // The frontier of a tree of `size` leaves from stored nodes.
  static absl::StatusOr<MerkleFrontier> Load(DigestAlgorithm algorithm, uint64_t size,
                                             NodeReader read);

  uint64_t size() const { return size_; }
  // Adds the next leaf; `emit` receives every node completed by it (the leaf first, then
  // each parent up), which a store writes under (level, index).
  void Append(DigestAlgorithm algorithm, const Digest& leaf,
              absl::FunctionRef<void(const Node&)> emit);
  Digest Root(DigestAlgorithm algorithm) const;

 private:
  uint64_t size_ = 0;
  std::vector<Node> nodes_;  // strictly decreasing levels
};

// RFC 9162 MTH of leaves [begin, end) (begin < end), from stored nodes.
absl::StatusOr<Digest> SubtreeRoot(DigestAlgorithm algorithm, NodeReader read, uint64_t begin,
                                   uint64_t end);
// root(size); size 0 is the empty root.
absl::StatusOr<Digest> TreeRoot(DigestAlgorithm algorithm, NodeReader read, uint64_t size);

// RFC 9162 §2.1.3.1 audit path of leaf `index` in a tree of `size` leaves, leaf level first.
// INVALID_ARGUMENT unless index < size.
absl::StatusOr<std::vector<Digest>> InclusionProof(DigestAlgorithm algorithm, NodeReader read,
                                                   uint64_t index, uint64_t size);
// RFC 9162 §2.1.4.1 proof that the tree of `old_size` leaves is a prefix of the tree of
// `new_size` leaves. INVALID_ARGUMENT unless 0 < old_size <= new_size; empty when equal.
absl::StatusOr<std::vector<Digest>> ConsistencyProof(DigestAlgorithm algorithm, NodeReader read,
                                                     uint64_t old_size, uint64_t new_size);

// RFC 9162 §2.1.3.2 and §2.1.4.2: true when the proof shows what it claims.
bool VerifyInclusion(DigestAlgorithm algorithm, const Digest& leaf, uint64_t index, uint64_t size,
                     const std::vector<Digest>& proof, const Digest& root);
bool VerifyConsistency(DigestAlgorithm algorithm, uint64_t old_size, uint64_t new_size,
                       const Digest& old_root, const Digest& new_root,
                       const std::vector<Digest>& proof);

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_LOG_HASH_H_
