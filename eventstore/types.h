// Value types of the event store: what a caller appends and what it reads back.
// Plain structs, copyable, with no behaviour beyond comparison and formatting.
#ifndef REFORMLOG_EVENTSTORE_TYPES_H_
#define REFORMLOG_EVENTSTORE_TYPES_H_

#include <cstdint>
#include <string>
#include <vector>

namespace reformlog::eventstore {

// The document an event rests on (文件依据): 文号, 发文机关, date (YYYY-MM-DD) and title.
struct DocumentBasis {
  std::string number;
  std::string issuer;
  std::string date;
  std::string title;

  bool operator==(const DocumentBasis&) const = default;
};

// What a commit expects of one stream's current version (0 = the stream has no events).
class ExpectedVersion {
 public:
  enum class Kind : uint8_t { kExact = 0, kAny = 1, kNoStream = 2, kExists = 3 };

  static ExpectedVersion Any() { return ExpectedVersion(Kind::kAny, 0); }
  static ExpectedVersion NoStream() { return ExpectedVersion(Kind::kNoStream, 0); }
  static ExpectedVersion Exists() { return ExpectedVersion(Kind::kExists, 0); }
  // Exactly `version`; Exact(0) is the same expectation as NoStream().
  static ExpectedVersion Exact(uint64_t version) { return ExpectedVersion(Kind::kExact, version); }

  ExpectedVersion() : ExpectedVersion(Kind::kAny, 0) {}

  Kind kind() const { return kind_; }
  uint64_t version() const { return version_; }
  bool Matches(uint64_t current) const;
  // "any", "no stream", "exists" or the number.
  std::string ToString() const;

  bool operator==(const ExpectedVersion&) const = default;

 private:
  ExpectedVersion(Kind kind, uint64_t version) : kind_(kind), version_(version) {}
  Kind kind_;
  uint64_t version_;
};

// One event to append.
struct NewEvent {
  std::string event_id;  // a UUID; empty = the store assigns a random one
  std::string type;      // full protobuf name of the payload, e.g. reformlog.org.v1.AgencyMerged
  std::string data;      // the serialized payload
  std::string effective_date;  // YYYY-MM-DD when it takes legal effect; empty = not dated
  DocumentBasis basis;

  bool operator==(const NewEvent&) const = default;
};

struct StreamWrite {
  std::string stream_id;
  ExpectedVersion expected;
  std::vector<NewEvent> events;  // at least one
};

// A stream the commit read but does not write; its version must still match.
struct StreamCheck {
  std::string stream_id;
  ExpectedVersion expected;
};

// The unit of atomicity. Events get positions in the order of `writes`, then of `events`.
struct Commit {
  std::string commit_id;  // required; the key of idempotency (a client request id)
  std::string principal;  // who recorded it; set by the server, never taken from a request
  std::string correlation_id;
  std::string causation_id;
  // Optional digest of the request that produced this commit (at most kIdBytesMax bytes).
  // It is part of the content compared when the commit id comes again, so a layer above
  // that re-decides a request can still tell a retry from a different request.
  std::string fingerprint;
  std::vector<StreamWrite> writes;  // at least one, each stream at most once
  std::vector<StreamCheck> checks;  // streams not in `writes`, each at most once
};

struct StreamVersion {
  std::string stream_id;
  uint64_t version = 0;

  bool operator==(const StreamVersion&) const = default;
};

struct AppendResult {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  std::vector<StreamVersion> stream_versions;  // each written stream, in `writes` order
  int64_t recorded_at_us = 0;
  // True when the commit id had been committed before with the same content: this is that
  // commit's original result and nothing was written now.
  bool replayed = false;
};

struct RecordedEvent {
  uint64_t position = 0;
  std::string stream_id;
  uint64_t stream_version = 0;
  std::string event_id;
  std::string type;
  std::string data;
  int64_t recorded_at_us = 0;  // server clock at commit, microseconds since the Unix epoch
  std::string effective_date;
  std::string principal;
  DocumentBasis basis;
  std::string commit_id;
  std::string correlation_id;
  std::string causation_id;

  bool operator==(const RecordedEvent&) const = default;
};

// What an event weighs in a read page (limits.h kReadBytesMax): its payload and every string
// of its metadata, plus the fixed-size fields.
inline size_t EventBytes(const RecordedEvent& e) {
  return e.stream_id.size() + e.event_id.size() + e.type.size() + e.data.size() +
         e.effective_date.size() + e.principal.size() + e.basis.number.size() +
         e.basis.issuer.size() + e.basis.date.size() + e.basis.title.size() + e.commit_id.size() +
         e.correlation_id.size() + e.causation_id.size() + 3 * sizeof(uint64_t);
}

enum class ReadDirection : uint8_t { kForward, kBackward };

struct StreamSlice {
  std::vector<RecordedEvent> events;
  uint64_t stream_version = 0;  // the stream's current version; 0 = no such stream
};

// Selects events of the whole log. Empty fields select everything.
struct EventFilter {
  std::string stream_prefix;
  std::vector<std::string> event_types;  // any of these

  bool Empty() const { return stream_prefix.empty() && event_types.empty(); }
  bool Matches(const RecordedEvent& event) const;
};

struct AllSlice {
  std::vector<RecordedEvent> events;
  uint64_t next_position = 0;  // continue reading here
};

// The durable record of a commit, kept to answer a re-sent commit with its first result.
struct CommitRecord {
  struct Expectation {
    std::string stream_id;
    ExpectedVersion expected;
    bool check_only = false;

    bool operator==(const Expectation&) const = default;
  };
  std::string commit_id;
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  std::vector<StreamVersion> stream_versions;
  std::vector<Expectation> expectations;
  int64_t recorded_at_us = 0;
  std::string fingerprint;

  AppendResult ToResult(bool replayed) const;
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_TYPES_H_
