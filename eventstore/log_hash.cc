#include "eventstore/log_hash.h"

#include <endian.h>

#include <bit>
#include <cstring>

#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/status_macros.h"

namespace reformlog::eventstore {
namespace {

void PutBe64(uint64_t value, std::string* out) {
  const uint64_t big = htobe64(value);
  out->append(reinterpret_cast<const char*>(&big), sizeof(big));
}

void PutLengthPrefixed(absl::string_view bytes, std::string* out) {
  const uint32_t big = htobe32(static_cast<uint32_t>(bytes.size()));
  out->append(reinterpret_cast<const char*>(&big), sizeof(big));
  out->append(bytes.data(), bytes.size());
}

constexpr char kLeafPrefix[] = {'\x00'};
constexpr char kNodePrefix[] = {'\x01'};

// The largest power of two strictly below n (n >= 2).
uint64_t SplitPoint(uint64_t n) { return std::bit_floor(n - 1); }

bool IsPerfect(uint64_t begin, uint64_t end) {
  const uint64_t width = end - begin;
  return std::has_single_bit(width) && begin % width == 0;
}

absl::Status PathInto(DigestAlgorithm algorithm, NodeReader read, uint64_t index, uint64_t begin,
                      uint64_t end, std::vector<Digest>* proof) {
  if (end - begin == 1) return absl::OkStatus();
  const uint64_t k = SplitPoint(end - begin);
  if (index < k) {
    RETURN_IF_ERROR(PathInto(algorithm, read, index, begin, begin + k, proof));
    ASSIGN_OR_RETURN(Digest sibling, SubtreeRoot(algorithm, read, begin + k, end));
    proof->push_back(sibling);
  } else {
    RETURN_IF_ERROR(PathInto(algorithm, read, index - k, begin + k, end, proof));
    ASSIGN_OR_RETURN(Digest sibling, SubtreeRoot(algorithm, read, begin, begin + k));
    proof->push_back(sibling);
  }
  return absl::OkStatus();
}

absl::Status SubProofInto(DigestAlgorithm algorithm, NodeReader read, uint64_t m, uint64_t begin,
                          uint64_t end, bool whole, std::vector<Digest>* proof) {
  const uint64_t n = end - begin;
  if (m == n) {
    if (!whole) {
      ASSIGN_OR_RETURN(Digest root, SubtreeRoot(algorithm, read, begin, end));
      proof->push_back(root);
    }
    return absl::OkStatus();
  }
  const uint64_t k = SplitPoint(n);
  if (m <= k) {
    RETURN_IF_ERROR(SubProofInto(algorithm, read, m, begin, begin + k, whole, proof));
    ASSIGN_OR_RETURN(Digest right, SubtreeRoot(algorithm, read, begin + k, end));
    proof->push_back(right);
  } else {
    RETURN_IF_ERROR(SubProofInto(algorithm, read, m - k, begin + k, end, false, proof));
    ASSIGN_OR_RETURN(Digest left, SubtreeRoot(algorithm, read, begin, begin + k));
    proof->push_back(left);
  }
  return absl::OkStatus();
}

}  // namespace

void CanonicalRecord(const RecordedEvent& e, std::string* out) {
  out->clear();
  PutBe64(e.position, out);
  PutLengthPrefixed(e.stream_id, out);
  PutBe64(e.stream_version, out);
  PutLengthPrefixed(e.event_id, out);
  PutLengthPrefixed(e.type, out);
  PutLengthPrefixed(e.data, out);
  PutBe64(static_cast<uint64_t>(e.recorded_at_us), out);
  for (const std::string* field :
       {&e.effective_date, &e.principal, &e.basis.number, &e.basis.issuer, &e.basis.date,
        &e.basis.title, &e.commit_id, &e.correlation_id, &e.causation_id}) {
    PutLengthPrefixed(*field, out);
  }
}

Digest ChainHash(DigestAlgorithm algorithm, const Digest& previous, absl::string_view canonical) {
  return HashOf(algorithm, {DigestBytes(previous), canonical});
}

Digest LeafHash(DigestAlgorithm algorithm, absl::string_view entry) {
  return HashOf(algorithm, {absl::string_view(kLeafPrefix, 1), entry});
}

Digest NodeHash(DigestAlgorithm algorithm, const Digest& left, const Digest& right) {
  return HashOf(algorithm,
                {absl::string_view(kNodePrefix, 1), DigestBytes(left), DigestBytes(right)});
}

Digest EmptyRoot(DigestAlgorithm algorithm) { return HashOf(algorithm, {}); }

absl::StatusOr<MerkleFrontier> MerkleFrontier::Load(DigestAlgorithm /*algorithm*/, uint64_t size,
                                                    NodeReader read) {
  MerkleFrontier frontier;
  frontier.size_ = size;
  uint64_t begin = 0;
  for (int level = kMerkleLevelsMax - 1; level >= 0; --level) {
    const uint64_t width = uint64_t{1} << level;
    if ((size & width) == 0) continue;
    ASSIGN_OR_RETURN(Digest hash, read(level, begin >> level));
    frontier.nodes_.push_back({level, begin >> level, hash});
    begin += width;
  }
  return frontier;
}

void MerkleFrontier::Append(DigestAlgorithm algorithm, const Digest& leaf,
                            absl::FunctionRef<void(const Node&)> emit) {
  Node node{0, size_, leaf};
  emit(node);
  while ((node.index & 1) == 1) {
    REFORMLOG_CHECK(!nodes_.empty() && nodes_.back().level == node.level,
                    "a right child's left sibling is on the frontier");
    node = {node.level + 1, node.index >> 1, NodeHash(algorithm, nodes_.back().hash, node.hash)};
    nodes_.pop_back();
    emit(node);
  }
  nodes_.push_back(node);
  ++size_;
}

Digest MerkleFrontier::Root(DigestAlgorithm algorithm) const {
  if (nodes_.empty()) return EmptyRoot(algorithm);
  Digest root = nodes_.back().hash;
  for (auto it = nodes_.rbegin() + 1; it != nodes_.rend(); ++it) {
    root = NodeHash(algorithm, it->hash, root);
  }
  return root;
}

absl::StatusOr<Digest> SubtreeRoot(DigestAlgorithm algorithm, NodeReader read, uint64_t begin,
                                   uint64_t end) {
  REFORMLOG_CHECK(begin < end, "a subtree has at least one leaf");
  if (IsPerfect(begin, end)) {
    const int level = std::countr_zero(end - begin);
    return read(level, begin >> level);
  }
  const uint64_t k = SplitPoint(end - begin);
  ASSIGN_OR_RETURN(Digest left, SubtreeRoot(algorithm, read, begin, begin + k));
  ASSIGN_OR_RETURN(Digest right, SubtreeRoot(algorithm, read, begin + k, end));
  return NodeHash(algorithm, left, right);
}

absl::StatusOr<Digest> TreeRoot(DigestAlgorithm algorithm, NodeReader read, uint64_t size) {
  if (size == 0) return EmptyRoot(algorithm);
  return SubtreeRoot(algorithm, read, 0, size);
}

absl::StatusOr<std::vector<Digest>> InclusionProof(DigestAlgorithm algorithm, NodeReader read,
                                                   uint64_t index, uint64_t size) {
  if (index >= size) {
    return absl::InvalidArgumentError(
        absl::StrCat("leaf index ", index, " is not in a tree of ", size, " leaves"));
  }
  std::vector<Digest> proof;
  RETURN_IF_ERROR(PathInto(algorithm, read, index, 0, size, &proof));
  return proof;
}

absl::StatusOr<std::vector<Digest>> ConsistencyProof(DigestAlgorithm algorithm, NodeReader read,
                                                     uint64_t old_size, uint64_t new_size) {
  if (old_size == 0 || old_size > new_size) {
    return absl::InvalidArgumentError(absl::StrCat("no consistency proof from a tree of ", old_size,
                                                   " leaves to one of ", new_size,
                                                   ": the old size must be 1 to the new size"));
  }
  std::vector<Digest> proof;
  if (old_size == new_size) return proof;
  RETURN_IF_ERROR(SubProofInto(algorithm, read, old_size, 0, new_size, true, &proof));
  return proof;
}

bool VerifyInclusion(DigestAlgorithm algorithm, const Digest& leaf, uint64_t index, uint64_t size,
                     const std::vector<Digest>& proof, const Digest& root) {
  if (index >= size) return false;
  uint64_t fn = index;
  uint64_t sn = size - 1;
  Digest r = leaf;
  for (const Digest& p : proof) {
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(algorithm, p, r);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      r = NodeHash(algorithm, r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(DigestAlgorithm algorithm, uint64_t old_size, uint64_t new_size,
                       const Digest& old_root, const Digest& new_root,
                       const std::vector<Digest>& proof) {
  if (old_size == 0 || old_size > new_size) return false;
  if (old_size == new_size) return proof.empty() && old_root == new_root;
  if (proof.empty()) return false;
  std::vector<Digest> path;
  if (std::has_single_bit(old_size)) path.push_back(old_root);
  path.insert(path.end(), proof.begin(), proof.end());
  uint64_t fn = old_size - 1;
  uint64_t sn = new_size - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  Digest fr = path[0];
  Digest sr = path[0];
  for (size_t i = 1; i < path.size(); ++i) {
    const Digest& c = path[i];
    if (sn == 0) return false;
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(algorithm, c, fr);
      sr = NodeHash(algorithm, c, sr);
      while ((fn & 1) == 0 && fn != 0) {
        fn >>= 1;
        sn >>= 1;
      }
    } else {
      sr = NodeHash(algorithm, sr, c);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == old_root && sr == new_root && sn == 0;
}

}  // namespace reformlog::eventstore
