#include "eventstore/rocks_integrity.h"

#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "eventstore/rocks_format.h"

namespace reformlog::eventstore {
namespace {

absl::string_view View(const rocksdb::Slice& slice) { return {slice.data(), slice.size()}; }

absl::Status FromRocksStatus(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  return absl::InternalError(message);
}

rocksdb::Slice AsSlice(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}

std::string DigestText(const Digest& digest) { return DigestHex(digest).substr(0, 16) + "…"; }

}  // namespace

RocksIntegrity::RocksIntegrity(const Handles& handles, DigestAlgorithm algorithm, Staging writer,
                               LogHead head)
    : handles_(handles), algorithm_(algorithm), writer_(std::move(writer)), head_(head) {}

void RocksIntegrity::Stage(Staging& staging, const RecordedEvent& event,
                           rocksdb::WriteBatch& batch) {
  thread_local std::string canonical;
  CanonicalRecord(event, &canonical);
  staging.chain = ChainHash(algorithm_, staging.chain, canonical);
  batch.Put(handles_.chain, format::PositionKey(event.position), AsSlice(staging.chain));
  staging.frontier.Append(
      algorithm_, LeafHash(algorithm_, staging.chain), [&](const MerkleFrontier::Node& node) {
        if (node.level < kStoredNodeLevelMin) return;
        batch.Put(handles_.merkle, format::MerkleNodeKey(node.level, node.index),
                  AsSlice(node.hash));
      });
}

void RocksIntegrity::Publish(Staging staging) {
  LogHead head{staging.frontier.size(), staging.chain, staging.frontier.Root(algorithm_)};
  writer_ = std::move(staging);
  std::lock_guard lock(head_mu_);
  head_ = head;
}

absl::Status RocksIntegrity::Build(const Handles& handles, DigestAlgorithm algorithm,
                                   uint64_t head) {
  RocksIntegrity builder(handles, algorithm, Staging{}, LogHead{});
  rocksdb::WriteBatch batch;
  batch.Put(handles.meta, format::kDigestKey,
            rocksdb::Slice(DigestName(algorithm).data(), DigestName(algorithm).size()));
  Staging staging;
  std::unique_ptr<rocksdb::Iterator> it(
      handles.db->NewIterator(rocksdb::ReadOptions(), handles.events));
  RecordedEvent event;
  uint64_t expected = 1;
  for (it->Seek(format::PositionKey(1)); it->Valid() && expected <= head; it->Next(), ++expected) {
    ASSIGN_OR_RETURN(uint64_t position, format::DecodePositionKey(View(it->key())));
    if (position != expected) {
      return absl::DataLossError(absl::StrCat("cannot chain the log: position ", expected,
                                              " is missing (the next is ", position, ")"));
    }
    RETURN_IF_ERROR(format::DecodeEventInto(View(it->value()), position, &event));
    builder.Stage(staging, event, batch);
    if (batch.Count() >= kUpgradeBatchEvents) {
      RETURN_IF_ERROR(
          FromRocksStatus(handles.db->Write(rocksdb::WriteOptions(), &batch), "writing the chain"));
      batch.Clear();
    }
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the log to chain it"));
  if (expected != head + 1) {
    return absl::DataLossError(
        absl::StrCat("cannot chain the log: it ends at ", expected - 1, ", not ", head));
  }
  rocksdb::WriteOptions sync;
  sync.sync = true;  // and with it every batch before (one write-ahead log)
  return FromRocksStatus(handles.db->Write(sync, &batch), "writing the chain");
}

absl::StatusOr<DigestAlgorithm> RocksIntegrity::ReadDigest(const Handles& handles) {
  std::string name;
  const rocksdb::Status got =
      handles.db->Get(rocksdb::ReadOptions(), handles.meta, format::kDigestKey, &name);
  if (got.IsNotFound()) {
    return absl::DataLossError("the store is chained (format 2) but records no digest");
  }
  RETURN_IF_ERROR(FromRocksStatus(got, "reading the digest record"));
  absl::StatusOr<DigestAlgorithm> algorithm = ParseDigestAlgorithm(name);
  if (!algorithm.ok()) return absl::DataLossError(algorithm.status().message());
  return algorithm;
}

absl::StatusOr<std::unique_ptr<RocksIntegrity>> RocksIntegrity::Load(const Handles& handles,
                                                                     DigestAlgorithm algorithm,
                                                                     uint64_t head) {
  std::unique_ptr<RocksIntegrity> integrity(
      new RocksIntegrity(handles, algorithm, Staging{}, LogHead{}));
  // The chain must end exactly where the log does.
  std::unique_ptr<rocksdb::Iterator> it(
      handles.db->NewIterator(rocksdb::ReadOptions(), handles.chain));
  it->SeekToLast();
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the chain's end"));
  uint64_t chain_end = 0;
  if (it->Valid()) {
    ASSIGN_OR_RETURN(chain_end, format::DecodePositionKey(View(it->key())));
  }
  if (chain_end != head) {
    return absl::DataLossError(
        absl::StrCat("the log ends at position ", head, " but its hash chain at ", chain_end,
                     chain_end > head ? ": events were removed from the end of the log"
                                      : ": events were added without the writer"));
  }
  Staging writer;
  if (head > 0) {
    ASSIGN_OR_RETURN(writer.chain, integrity->ReadChain(head));
  }
  ASSIGN_OR_RETURN(writer.frontier,
                   MerkleFrontier::Load(algorithm, head, [&](int level, uint64_t index) {
                     return integrity->ReadNode(level, index);
                   }));
  integrity->Publish(std::move(writer));
  return integrity;
}

LogHead RocksIntegrity::Head() const {
  std::lock_guard lock(head_mu_);
  return head_;
}

absl::Status RocksIntegrity::CheckSize(uint64_t size, absl::string_view what) const {
  const uint64_t head = Head().size;
  if (size > head) {
    return absl::OutOfRangeError(
        absl::StrCat(what, " ", size, " is beyond the log, which holds ", head, " events"));
  }
  return absl::OkStatus();
}

absl::StatusOr<Digest> RocksIntegrity::ReadNode(int level, uint64_t index) const {
  if (level < kStoredNodeLevelMin) return ComputeNode(level, index);
  rocksdb::PinnableSlice value;
  const rocksdb::Status got = handles_.db->Get(rocksdb::ReadOptions(), handles_.merkle,
                                               format::MerkleNodeKey(level, index), &value);
  if (got.IsNotFound()) {
    return absl::DataLossError(
        absl::StrCat("the Merkle tree has no node at level ", level, ", index ", index));
  }
  RETURN_IF_ERROR(FromRocksStatus(got, "reading the Merkle tree"));
  absl::StatusOr<Digest> digest = DigestFromBytes(View(value));
  if (!digest.ok()) {
    return absl::DataLossError(absl::StrCat("the Merkle node at level ", level, ", index ", index,
                                            " is ", value.size(), " bytes"));
  }
  return digest;
}

// A node below kStoredNodeLevelMin: the leaves of its chain entries, folded pairwise.
absl::StatusOr<Digest> RocksIntegrity::ComputeNode(int level, uint64_t index) const {
  const uint64_t width = uint64_t{1} << level;
  const uint64_t first = index * width + 1;  // positions are 1-based, leaf indexes 0-based
  std::vector<Digest> nodes;
  nodes.reserve(width);
  std::unique_ptr<rocksdb::Iterator> it(
      handles_.db->NewIterator(rocksdb::ReadOptions(), handles_.chain));
  it->Seek(format::PositionKey(first));
  for (uint64_t p = first; p < first + width; ++p, it->Next()) {
    if (!it->Valid() || it->key() != rocksdb::Slice(format::PositionKey(p))) {
      RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading the hash chain"));
      return absl::DataLossError(absl::StrCat("the hash chain has no entry at ", p));
    }
    absl::StatusOr<Digest> chain = DigestFromBytes(View(it->value()));
    if (!chain.ok()) {
      return absl::DataLossError(
          absl::StrCat("the hash chain entry at ", p, " is ", it->value().size(), " bytes"));
    }
    nodes.push_back(LeafHash(algorithm_, *chain));
  }
  for (; nodes.size() > 1;) {
    for (size_t i = 0; i < nodes.size() / 2; ++i) {
      nodes[i] = NodeHash(algorithm_, nodes[2 * i], nodes[2 * i + 1]);
    }
    nodes.resize(nodes.size() / 2);
  }
  return nodes.front();
}

absl::StatusOr<Digest> RocksIntegrity::ReadChain(uint64_t position) const {
  if (position == 0) return ZeroDigest();
  rocksdb::PinnableSlice value;
  const rocksdb::Status got = handles_.db->Get(rocksdb::ReadOptions(), handles_.chain,
                                               format::PositionKey(position), &value);
  if (got.IsNotFound()) {
    return absl::DataLossError(absl::StrCat("the hash chain has no entry at ", position));
  }
  RETURN_IF_ERROR(FromRocksStatus(got, "reading the hash chain"));
  absl::StatusOr<Digest> digest = DigestFromBytes(View(value));
  if (!digest.ok()) {
    return absl::DataLossError(
        absl::StrCat("the hash chain entry at ", position, " is ", value.size(), " bytes"));
  }
  return digest;
}

absl::StatusOr<LogHead> RocksIntegrity::HeadAt(uint64_t size) {
  RETURN_IF_ERROR(CheckSize(size, "size"));
  LogHead head{size, {}, {}};
  ASSIGN_OR_RETURN(head.chain, ReadChain(size));
  ASSIGN_OR_RETURN(
      head.root,
      TreeRoot(
          algorithm_, [&](int level, uint64_t index) { return ReadNode(level, index); }, size));
  return head;
}

absl::StatusOr<Digest> RocksIntegrity::LeafAt(uint64_t position) {
  if (position == 0) return absl::InvalidArgumentError("positions start at 1");
  RETURN_IF_ERROR(CheckSize(position, "position"));
  ASSIGN_OR_RETURN(Digest chain, ReadChain(position));
  return LeafHash(algorithm_, chain);
}

absl::StatusOr<std::vector<Digest>> RocksIntegrity::InclusionProof(uint64_t position,
                                                                   uint64_t size) {
  if (position == 0) return absl::InvalidArgumentError("positions start at 1");
  if (position > size) {
    return absl::InvalidArgumentError(
        absl::StrCat("position ", position, " is not in a log of ", size, " events"));
  }
  RETURN_IF_ERROR(CheckSize(size, "size"));
  return eventstore::InclusionProof(
      algorithm_, [&](int level, uint64_t index) { return ReadNode(level, index); }, position - 1,
      size);
}

absl::StatusOr<std::vector<Digest>> RocksIntegrity::ConsistencyProof(uint64_t old_size,
                                                                     uint64_t new_size) {
  RETURN_IF_ERROR(CheckSize(new_size, "size"));
  return eventstore::ConsistencyProof(
      algorithm_, [&](int level, uint64_t index) { return ReadNode(level, index); }, old_size,
      new_size);
}

absl::StatusOr<VerifyOutcome> RocksIntegrity::Verify(uint64_t from_size, uint64_t to_size) {
  if (from_size > to_size) {
    return absl::InvalidArgumentError(
        absl::StrCat("cannot verify from ", from_size, " back to ", to_size));
  }
  RETURN_IF_ERROR(CheckSize(to_size, "size"));
  VerifyOutcome outcome;
  auto bad = [&](uint64_t position, std::string problem) {
    outcome.intact = false;
    outcome.first_bad_position = position;
    outcome.problem = std::move(problem);
    return outcome;
  };
  absl::StatusOr<Digest> chain = ReadChain(from_size);
  if (!chain.ok()) return bad(from_size, std::string(chain.status().message()));
  auto read_node = [&](int level, uint64_t index) { return ReadNode(level, index); };
  absl::StatusOr<MerkleFrontier> frontier = MerkleFrontier::Load(algorithm_, from_size, read_node);
  if (!frontier.ok()) return bad(from_size, std::string(frontier.status().message()));

  std::unique_ptr<rocksdb::Iterator> events(
      handles_.db->NewIterator(rocksdb::ReadOptions(), handles_.events));
  std::unique_ptr<rocksdb::Iterator> links(
      handles_.db->NewIterator(rocksdb::ReadOptions(), handles_.chain));
  RecordedEvent event;
  std::string canonical;
  uint64_t expected = from_size + 1;
  events->Seek(format::PositionKey(expected));
  links->Seek(format::PositionKey(expected));
  for (; expected <= to_size; ++expected, events->Next(), links->Next()) {
    if (!events->Valid()) {
      RETURN_IF_ERROR(FromRocksStatus(events->status(), "reading the log"));
      return bad(expected, absl::StrCat("the event at position ", expected, " is missing"));
    }
    absl::StatusOr<uint64_t> position = format::DecodePositionKey(View(events->key()));
    if (!position.ok()) return bad(expected, std::string(position.status().message()));
    if (*position != expected) {
      return bad(expected, absl::StrCat("the event at position ", expected,
                                        " is missing (the next one is at ", *position, ")"));
    }
    if (absl::Status decoded = format::DecodeEventInto(View(events->value()), expected, &event);
        !decoded.ok()) {
      return bad(expected, std::string(decoded.message()));
    }
    CanonicalRecord(event, &canonical);
    *chain = ChainHash(algorithm_, *chain, canonical);
    if (!links->Valid() || links->key() != rocksdb::Slice(format::PositionKey(expected))) {
      RETURN_IF_ERROR(FromRocksStatus(links->status(), "reading the hash chain"));
      return bad(expected, absl::StrCat("the hash chain has no entry at ", expected));
    }
    if (links->value() != AsSlice(*chain)) {
      return bad(expected, absl::StrCat("the event at position ", expected,
                                        " does not hash to its chain entry (stored ",
                                        absl::BytesToHexString(View(links->value())).substr(0, 16),
                                        "…, recomputed ", DigestText(*chain), ")"));
    }
    std::string node_problem;
    uint64_t node_start = expected;
    frontier->Append(
        algorithm_, LeafHash(algorithm_, *chain), [&](const MerkleFrontier::Node& node) {
          if (!node_problem.empty() || node.level < kStoredNodeLevelMin) return;
          absl::StatusOr<Digest> stored = ReadNode(node.level, node.index);
          node_start = (node.index << node.level) + 1;
          if (!stored.ok()) {
            node_problem = std::string(stored.status().message());
          } else if (*stored != node.hash) {
            node_problem =
                absl::StrCat("the Merkle node over positions ", node_start, "–", expected,
                             " differs from its recomputation: the chain was rewritten there");
          }
        });
    if (!node_problem.empty()) return bad(node_start, std::move(node_problem));
    ++outcome.verified;
  }
  outcome.head = {to_size, *chain, frontier->Root(algorithm_)};
  return outcome;
}

absl::Status RocksIntegrity::PutCheckpoint(uint64_t size, const std::string& bytes) {
  if (bytes.size() > kCheckpointBytesMax) {
    return absl::InvalidArgumentError(absl::StrCat("a checkpoint of ", bytes.size(),
                                                   " bytes is over kCheckpointBytesMax (",
                                                   kCheckpointBytesMax, ")"));
  }
  RETURN_IF_ERROR(CheckSize(size, "checkpoint size"));
  rocksdb::WriteOptions sync;
  sync.sync = true;
  return FromRocksStatus(handles_.db->Put(sync, handles_.meta, format::CheckpointKey(size), bytes),
                         "writing a checkpoint");
}

absl::StatusOr<std::vector<StoredCheckpoint>> RocksIntegrity::ListCheckpoints(
    uint64_t from_size, size_t max_count) const {
  if (max_count == 0 || max_count > kCheckpointsPerReadMax) max_count = kCheckpointsPerReadMax;
  std::vector<StoredCheckpoint> out;
  std::unique_ptr<rocksdb::Iterator> it(
      handles_.db->NewIterator(rocksdb::ReadOptions(), handles_.meta));
  const std::string prefix = format::kCheckpointKeyPrefix;
  for (it->Seek(format::CheckpointKey(from_size));
       it->Valid() && it->key().starts_with(prefix) && out.size() < max_count; it->Next()) {
    ASSIGN_OR_RETURN(uint64_t size, format::DecodeCheckpointKey(View(it->key())));
    out.push_back({size, std::string(View(it->value()))});
  }
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading checkpoints"));
  return out;
}

absl::StatusOr<std::optional<StoredCheckpoint>> RocksIntegrity::LatestCheckpoint() const {
  std::unique_ptr<rocksdb::Iterator> it(
      handles_.db->NewIterator(rocksdb::ReadOptions(), handles_.meta));
  it->SeekForPrev(format::CheckpointKey(~uint64_t{0}));
  RETURN_IF_ERROR(FromRocksStatus(it->status(), "reading checkpoints"));
  if (!it->Valid() || !it->key().starts_with(format::kCheckpointKeyPrefix)) return std::nullopt;
  ASSIGN_OR_RETURN(uint64_t size, format::DecodeCheckpointKey(View(it->key())));
  return StoredCheckpoint{size, std::string(View(it->value()))};
}

}  // namespace reformlog::eventstore
