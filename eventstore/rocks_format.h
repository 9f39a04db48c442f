// The on-disk format of RocksEventStore, written down as a grammar.
//
//   database      := column family "default"  (meta)
//                    column family "events"   (the log)
//                    column family "streams"  (stream index)
//                    column family "commits"  (idempotency records)
//                    column family "chain"    (the hash chain; format 2)
//                    column family "merkle"   (the Merkle tree's perfect subtrees; format 2)
//
//   meta          := "format_version" → fixed32le(kFormatVersion)
//                    "digest" → "sm3" | "sha256"          (format 2: the chain's and tree's H)
//                    "checkpoint/" be64(size) → a signed checkpoint of the log at that size,
//                    opaque to the store (services/integrity/checkpoint.h)
//   events        := position → StoredEvent            (envelope.proto)
//   streams       := stream_id 0x00 first_version → run
//   run           := be64(first_position) be64(count)   the stream's versions first_version …
//                    first_version+count−1 are at positions first_position … +count−1 (the
//                    events one commit wrote to the stream: one entry however many)
//   commits       := commit_id → StoredCommit          (envelope.proto)
//   chain         := position → chain(position)          32 bytes (eventstore/log_hash.h)
//   merkle        := u8(level) be64(index) → the root of leaves [index·2^level, (index+1)·2^level),
//                    for levels >= kStoredNodeLevelMin (rocks_integrity.h); lower ones are
//                    recomputed from the chain
//
//   position      := be64      global position, 1-based, gapless; big-endian so that the
//                              byte order of keys is the numeric order of positions
//   version       := be64      stream version, 1-based
//   stream_id     := 1..kStreamIdBytesMax bytes without 0x00
//
// Every record written in one commit, and every commit of one group, goes into a single
// WriteBatch written with sync=true. A StoredEvent's own position must equal its key; a
// mismatch, or a value that does not parse, is DATA_LOSS.
//
// Versions: a database records the format it was written in. Opening a database of a
// newer format than kFormatVersion fails with FAILED_PRECONDITION and changes nothing.
// Format 1 (no chain, no tree) is upgraded in place on open: the chain and the tree are
// computed over the whole log and written, then the version record says 2, so a crash part
// way leaves a format-1 store that the next open upgrades again from the start.
#ifndef REFORMLOG_EVENTSTORE_ROCKS_FORMAT_H_
#define REFORMLOG_EVENTSTORE_ROCKS_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "eventstore/commit_planner.h"
#include "eventstore/types.h"

namespace reformlog::eventstore::format {

inline constexpr uint32_t kFormatVersion = 2;
// The first format with a hash chain and a Merkle tree.
inline constexpr uint32_t kFormatVersionChained = 2;

inline constexpr char kMetaColumnFamily[] = "default";
inline constexpr char kEventsColumnFamily[] = "events";
inline constexpr char kStreamsColumnFamily[] = "streams";
inline constexpr char kCommitsColumnFamily[] = "commits";
inline constexpr char kChainColumnFamily[] = "chain";
inline constexpr char kMerkleColumnFamily[] = "merkle";

inline constexpr char kFormatVersionKey[] = "format_version";
inline constexpr char kDigestKey[] = "digest";
inline constexpr char kCheckpointKeyPrefix[] = "checkpoint/";

inline constexpr size_t kPositionKeyBytes = 8;

std::string EncodeFormatVersion(uint32_t version);
absl::StatusOr<uint32_t> DecodeFormatVersion(absl::string_view value);

std::string PositionKey(uint64_t position);
absl::StatusOr<uint64_t> DecodePositionKey(absl::string_view key);

std::string MerkleNodeKey(int level, uint64_t index);
std::string CheckpointKey(uint64_t size);
// DATA_LOSS unless a checkpoint key.
absl::StatusOr<uint64_t> DecodeCheckpointKey(absl::string_view key);

// stream_id 0x00 — every key of the stream starts with it.
std::string StreamPrefix(absl::string_view stream_id);
std::string StreamIndexKey(absl::string_view stream_id, uint64_t version);
struct StreamRun {
  uint64_t first_position = 0;
  uint64_t count = 0;
};
std::string EncodeStreamRun(const StreamRun& run);
// DATA_LOSS unless 16 bytes with a count of at least 1.
absl::StatusOr<StreamRun> DecodeStreamRun(absl::string_view value);

// The version at the end of a stream index key with the given prefix.
absl::StatusOr<uint64_t> DecodeStreamIndexVersion(absl::string_view key, size_t prefix_bytes);

// The encoded event in *out (cleared first).
void EncodeEvent(const RecordedEvent& event, std::string* out);
// The same bytes for a planned event of `commit`, without materialising it first.
void EncodeEvent(const Commit& commit, const PlannedEvent& event, int64_t recorded_at_us,
                 std::string* out);
// DATA_LOSS when the value does not parse or holds another position than `position`.
absl::StatusOr<RecordedEvent> DecodeEvent(absl::string_view value, uint64_t position);
// The same, into an existing event whose string buffers are reused.
absl::Status DecodeEventInto(absl::string_view value, uint64_t position, RecordedEvent* event);

std::string EncodeCommitRecord(const CommitRecord& record);
absl::StatusOr<CommitRecord> DecodeCommitRecord(absl::string_view value);

}  // namespace reformlog::eventstore::format

#endif  // REFORMLOG_EVENTSTORE_ROCKS_FORMAT_H_
