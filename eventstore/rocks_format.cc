#include "eventstore/rocks_format.h"

#include <endian.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
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

absl::StatusOr<uint64_t> DecodeStreamIndexVersion(absl::string_view key, size_t prefix_bytes) {
  if (key.size() != prefix_bytes + 8) {
    return absl::DataLossError(
        absl::StrCat("stream index key is ", key.size(), " bytes, expected ", prefix_bytes + 8));
  }
  return LoadBigEndian64(key.data() + prefix_bytes);
}

void EncodeEvent(const RecordedEvent& event, std::string* out) {
  pb::StoredEvent msg;
  msg.set_position(event.position);
  msg.set_stream_id(event.stream_id);
  msg.set_stream_version(event.stream_version);
  msg.set_event_id(event.event_id);
  msg.set_type(event.type);
  msg.set_data(event.data);
  msg.set_recorded_at_us(event.recorded_at_us);
  msg.set_effective_date(event.effective_date);
  msg.set_principal(event.principal);
  if (event.basis != DocumentBasis{}) {
    pb::DocumentBasis* basis = msg.mutable_basis();
    basis->set_number(event.basis.number);
    basis->set_issuer(event.basis.issuer);
    basis->set_date(event.basis.date);
    basis->set_title(event.basis.title);
  }
  msg.set_commit_id(event.commit_id);
  msg.set_correlation_id(event.correlation_id);
  msg.set_causation_id(event.causation_id);
  out->clear();
  msg.SerializeToString(out);
}

absl::Status DecodeEventInto(absl::string_view value, uint64_t position, RecordedEvent* event) {
  thread_local pb::StoredEvent msg;
  if (!msg.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
    return absl::DataLossError(absl::StrCat("event at position ", position, " does not parse"));
  }
  if (msg.position() != position) {
    return absl::DataLossError(
        absl::StrCat("event under key ", position, " says position ", msg.position()));
  }
  event->position = msg.position();
  event->stream_id.swap(*msg.mutable_stream_id());
  event->stream_version = msg.stream_version();
  event->event_id.swap(*msg.mutable_event_id());
  event->type.swap(*msg.mutable_type());
  event->data.swap(*msg.mutable_data());
  event->recorded_at_us = msg.recorded_at_us();
  event->effective_date.swap(*msg.mutable_effective_date());
  event->principal.swap(*msg.mutable_principal());
  if (msg.has_basis()) {
    pb::DocumentBasis* basis = msg.mutable_basis();
    event->basis.number.swap(*basis->mutable_number());
    event->basis.issuer.swap(*basis->mutable_issuer());
    event->basis.date.swap(*basis->mutable_date());
    event->basis.title.swap(*basis->mutable_title());
  } else {
    event->basis = DocumentBasis{};
  }
  event->commit_id.swap(*msg.mutable_commit_id());
  event->correlation_id.swap(*msg.mutable_correlation_id());
  event->causation_id.swap(*msg.mutable_causation_id());
  return absl::OkStatus();
}

absl::StatusOr<RecordedEvent> DecodeEvent(absl::string_view value, uint64_t position) {
  RecordedEvent event;
  if (absl::Status s = DecodeEventInto(value, position, &event); !s.ok()) return s;
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
