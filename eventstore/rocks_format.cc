#include "eventstore/rocks_format.h"

#include <endian.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "google/protobuf/io/coded_stream.h"
#include "reformlog/storage/v1/envelope.pb.h"

namespace reformlog::eventstore::format {
namespace {

namespace pb = ::reformlog::storage::v1;

void PutBigEndian64(uint64_t value, std::string* out) {
  const uint64_t big = htobe64(value);
  out->append(reinterpret_cast<const char*>(&big), sizeof(big));
}

uint64_t LoadBigEndian64(const char* bytes) {
  uint64_t big;
  std::memcpy(&big, bytes, sizeof(big));
  return be64toh(big);
}

}  // namespace

std::string EncodeFormatVersion(uint32_t version) {
  const uint32_t little = htole32(version);
  return std::string(reinterpret_cast<const char*>(&little), sizeof(little));
}

absl::StatusOr<uint32_t> DecodeFormatVersion(absl::string_view value) {
  if (value.size() != 4) {
    return absl::DataLossError(
        absl::StrCat("format version record is ", value.size(), " bytes, not 4"));
  }
  uint32_t little;
  std::memcpy(&little, value.data(), sizeof(little));
  return le32toh(little);
}

std::string PositionKey(uint64_t position) {
  std::string key;
  PutBigEndian64(position, &key);
  return key;
}

absl::StatusOr<uint64_t> DecodePositionKey(absl::string_view key) {
  if (key.size() != kPositionKeyBytes) {
    return absl::DataLossError(absl::StrCat("event key is ", key.size(), " bytes, not 8"));
  }
  return LoadBigEndian64(key.data());
}

std::string MerkleNodeKey(int level, uint64_t index) {
  std::string key(1, static_cast<char>(level));
  PutBigEndian64(index, &key);
  return key;
}

std::string CheckpointKey(uint64_t size) {
  std::string key = kCheckpointKeyPrefix;
  PutBigEndian64(size, &key);
  return key;
}

absl::StatusOr<uint64_t> DecodeCheckpointKey(absl::string_view key) {
  const size_t prefix = sizeof(kCheckpointKeyPrefix) - 1;
  if (key.size() != prefix + 8 || key.substr(0, prefix) != kCheckpointKeyPrefix) {
    return absl::DataLossError(absl::StrCat("not a checkpoint key: ", key.size(), " bytes"));
  }
  return LoadBigEndian64(key.data() + prefix);
}

std::string StreamPrefix(absl::string_view stream_id) {
  std::string prefix(stream_id);
  prefix.push_back('\0');
  return prefix;
}

std::string StreamIndexKey(absl::string_view stream_id, uint64_t version) {
  std::string key = StreamPrefix(stream_id);
  PutBigEndian64(version, &key);
  return key;
}

std::string EncodeStreamRun(const StreamRun& run) {
  std::string value;
  PutBigEndian64(run.first_position, &value);
  PutBigEndian64(run.count, &value);
  return value;
}

absl::StatusOr<StreamRun> DecodeStreamRun(absl::string_view value) {
  if (value.size() != 16) {
    return absl::DataLossError(
        absl::StrCat("stream index entry is ", value.size(), " bytes, not 16"));
  }
  StreamRun run{LoadBigEndian64(value.data()), LoadBigEndian64(value.data() + 8)};
  if (run.first_position == 0 || run.count == 0) {
    return absl::DataLossError(
        absl::StrCat("stream index entry says positions ", run.first_position, " × ", run.count));
  }
  return run;
}

absl::StatusOr<uint64_t> DecodeStreamIndexVersion(absl::string_view key, size_t prefix_bytes) {
  if (key.size() != prefix_bytes + 8) {
    return absl::DataLossError(
        absl::StrCat("stream index key is ", key.size(), " bytes, expected ", prefix_bytes + 8));
  }
  return LoadBigEndian64(key.data() + prefix_bytes);
}

namespace {

// Every field of a stored event, by reference: the two EncodeEvent overloads differ only in
// where the fields come from.
struct EventFields {
  uint64_t position;
  const std::string& stream_id;
  uint64_t stream_version;
  const std::string& event_id;
  const std::string& type;
  const std::string& data;
  int64_t recorded_at_us;
  const std::string& effective_date;
  const std::string& principal;
  const DocumentBasis& basis;
  const std::string& commit_id;
  const std::string& correlation_id;
  const std::string& causation_id;
};

void Encode(const EventFields& f, std::string* out) {
  // One message reused per thread: its strings keep their capacity, so encoding allocates
  // nothing once warm.
  thread_local pb::StoredEvent msg;
  msg.set_position(f.position);
  msg.set_stream_id(f.stream_id);
  msg.set_stream_version(f.stream_version);
  msg.set_event_id(f.event_id);
  msg.set_type(f.type);
  msg.set_data(f.data);
  msg.set_recorded_at_us(f.recorded_at_us);
  msg.set_effective_date(f.effective_date);
  msg.set_principal(f.principal);
  if (f.basis != DocumentBasis{}) {
    pb::DocumentBasis* basis = msg.mutable_basis();
    basis->set_number(f.basis.number);
    basis->set_issuer(f.basis.issuer);
    basis->set_date(f.basis.date);
    basis->set_title(f.basis.title);
  } else {
    msg.clear_basis();
  }
  msg.set_commit_id(f.commit_id);
  msg.set_correlation_id(f.correlation_id);
  msg.set_causation_id(f.causation_id);
  out->clear();
  msg.AppendToString(out);
}

}  // namespace

void EncodeEvent(const RecordedEvent& e, std::string* out) {
  Encode({e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.data, e.recorded_at_us,
          e.effective_date, e.principal, e.basis, e.commit_id, e.correlation_id, e.causation_id},
         out);
}

void EncodeEvent(const Commit& commit, const PlannedEvent& e, int64_t recorded_at_us,
                 std::string* out) {
  Encode({e.position, e.write->stream_id, e.stream_version, e.event_id, e.event->type,
          e.event->data, recorded_at_us, e.event->effective_date, commit.principal, e.event->basis,
          commit.commit_id, commit.correlation_id, commit.causation_id},
         out);
}

namespace {

// The generated parser, for anything the fast path below does not expect.
absl::Status DecodeWithMessage(absl::string_view value, RecordedEvent* event) {
  thread_local pb::StoredEvent msg;
  if (!msg.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError("does not parse");
  }
  event->position = msg.position();
  event->stream_id = msg.stream_id();
  event->stream_version = msg.stream_version();
  event->event_id = msg.event_id();
  event->type = msg.type();
  event->data = msg.data();
  event->recorded_at_us = msg.recorded_at_us();
  event->effective_date = msg.effective_date();
  event->principal = msg.principal();
  event->basis = {msg.basis().number(), msg.basis().issuer(), msg.basis().date(),
                  msg.basis().title()};
  event->commit_id = msg.commit_id();
  event->correlation_id = msg.correlation_id();
  event->causation_id = msg.causation_id();
  return absl::OkStatus();
}

bool ReadString(google::protobuf::io::CodedInputStream& in, std::string* out) {
  uint32_t length;
  return in.ReadVarint32(&length) && in.ReadString(out, static_cast<int>(length));
}

bool ReadBasis(google::protobuf::io::CodedInputStream& in, DocumentBasis* basis) {
  uint32_t length;
  if (!in.ReadVarint32(&length)) return false;
  const auto limit = in.PushLimit(static_cast<int>(length));
  while (uint32_t tag = in.ReadTag()) {
    std::string* field = nullptr;
    switch (tag) {
      case (1 << 3) | 2:
        field = &basis->number;
        break;
      case (2 << 3) | 2:
        field = &basis->issuer;
        break;
      case (3 << 3) | 2:
        field = &basis->date;
        break;
      case (4 << 3) | 2:
        field = &basis->title;
        break;
      default:
        return false;
    }
    if (!ReadString(in, field)) return false;
  }
  if (!in.ConsumedEntireMessage()) return false;
  in.PopLimit(limit);
  return true;
}

// Reads the fields of StoredEvent (envelope.proto) straight into the event with protobuf's
// wire-level reader: ReadAll is the hot path of every subscription and rebuild, and going
// through a message first costs a parse and a copy of every field (tests/bench: read_all).
// False on any field it does not know, or bad bytes; the caller then uses the generated
// parser, which has the last word.
bool DecodeFast(absl::string_view value, RecordedEvent* event) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(value.data()),
                                            static_cast<int>(value.size()));
  // Clear, keeping every string's buffer for reuse.
  event->position = 0;
  event->stream_version = 0;
  event->recorded_at_us = 0;
  for (std::string* field :
       {&event->stream_id, &event->event_id, &event->type, &event->data, &event->effective_date,
        &event->principal, &event->basis.number, &event->basis.issuer, &event->basis.date,
        &event->basis.title, &event->commit_id, &event->correlation_id, &event->causation_id}) {
    field->clear();
  }
  while (uint32_t tag = in.ReadTag()) {
    uint64_t varint;
    switch (tag) {
      case (1 << 3) | 0:
        if (!in.ReadVarint64(&event->position)) return false;
        break;
      case (2 << 3) | 2:
        if (!ReadString(in, &event->stream_id)) return false;
        break;
      case (3 << 3) | 0:
        if (!in.ReadVarint64(&event->stream_version)) return false;
        break;
      case (4 << 3) | 2:
        if (!ReadString(in, &event->event_id)) return false;
        break;
      case (5 << 3) | 2:
        if (!ReadString(in, &event->type)) return false;
        break;
      case (6 << 3) | 2:
        if (!ReadString(in, &event->data)) return false;
        break;
      case (7 << 3) | 0:
        if (!in.ReadVarint64(&varint)) return false;
        event->recorded_at_us = static_cast<int64_t>(varint);
        break;
      case (8 << 3) | 2:
        if (!ReadString(in, &event->effective_date)) return false;
        break;
      case (9 << 3) | 2:
        if (!ReadString(in, &event->principal)) return false;
        break;
      case (11 << 3) | 2:
        if (!ReadString(in, &event->commit_id)) return false;
        break;
      case (12 << 3) | 2:
        if (!ReadString(in, &event->correlation_id)) return false;
        break;
      case (13 << 3) | 2:
        if (!ReadString(in, &event->causation_id)) return false;
        break;
      case (10 << 3) | 2:
        if (!ReadBasis(in, &event->basis)) return false;
        break;
      default:
        return false;  // a field from a newer writer
    }
  }
  return in.ConsumedEntireMessage();
}

}  // namespace

absl::Status DecodeEventInto(absl::string_view value, uint64_t position, RecordedEvent* event) {
  if (!DecodeFast(value, event) && !DecodeWithMessage(value, event).ok()) {
    return absl::DataLossError(absl::StrCat("event at position ", position, " does not parse"));
  }
  if (event->position != position) {
    return absl::DataLossError(
        absl::StrCat("event under key ", position, " says position ", event->position));
  }
  return absl::OkStatus();
}

absl::StatusOr<RecordedEvent> DecodeEvent(absl::string_view value, uint64_t position) {
  RecordedEvent event;
  RETURN_IF_ERROR(DecodeEventInto(value, position, &event));
  return event;
}

std::string EncodeCommitRecord(const CommitRecord& record) {
  pb::StoredCommit msg;
  msg.set_commit_id(record.commit_id);
  msg.set_first_position(record.first_position);
  msg.set_last_position(record.last_position);
  msg.set_recorded_at_us(record.recorded_at_us);
  msg.set_fingerprint(record.fingerprint);
  for (const StreamVersion& sv : record.stream_versions) {
    pb::StoredStreamVersion* out = msg.add_stream_versions();
    out->set_stream_id(sv.stream_id);
    out->set_version(sv.version);
  }
  for (const CommitRecord::Expectation& e : record.expectations) {
    pb::StoredExpectation* out = msg.add_expectations();
    out->set_stream_id(e.stream_id);
    out->set_kind(static_cast<uint32_t>(e.expected.kind()));
    out->set_version(e.expected.version());
    out->set_check_only(e.check_only);
  }
  return msg.SerializeAsString();
}

absl::StatusOr<CommitRecord> DecodeCommitRecord(absl::string_view value) {
  pb::StoredCommit msg;
  if (!msg.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError("commit record does not parse");
  }
  CommitRecord record;
  record.commit_id = msg.commit_id();
  record.first_position = msg.first_position();
  record.last_position = msg.last_position();
  record.recorded_at_us = msg.recorded_at_us();
  record.fingerprint = msg.fingerprint();
  if (record.first_position == 0 || record.last_position < record.first_position) {
    return absl::DataLossError(absl::StrCat("commit record ", record.commit_id, " has positions ",
                                            record.first_position, "-", record.last_position));
  }
  for (const pb::StoredStreamVersion& sv : msg.stream_versions()) {
    record.stream_versions.push_back({sv.stream_id(), sv.version()});
  }
  for (const pb::StoredExpectation& e : msg.expectations()) {
    ExpectedVersion expected;
    switch (static_cast<ExpectedVersion::Kind>(e.kind())) {
      case ExpectedVersion::Kind::kExact:
        expected = ExpectedVersion::Exact(e.version());
        break;
      case ExpectedVersion::Kind::kAny:
        expected = ExpectedVersion::Any();
        break;
      case ExpectedVersion::Kind::kNoStream:
        expected = ExpectedVersion::NoStream();
        break;
      case ExpectedVersion::Kind::kExists:
        expected = ExpectedVersion::Exists();
        break;
      default:
        return absl::DataLossError(
            absl::StrCat("commit record ", record.commit_id, " has expectation kind ", e.kind()));
    }
    record.expectations.push_back({e.stream_id(), expected, e.check_only()});
  }
  return record;
}

}  // namespace reformlog::eventstore::format
