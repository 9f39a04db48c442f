#include "eventstore/commit_planner.h"

#include <algorithm>
#include <cstdio>
#include <functional>

#include "absl/container/flat_hash_set.h"
#include "absl/random/random.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "base/status_macros.h"
#include "base/utf8.h"
#include "eventstore/limits.h"

namespace reformlog::eventstore {
namespace {

// Where in a commit a problem is; turned into words only when there is a problem, so that
// validating a large valid commit builds no strings (tests/bench: append_batch100).
struct Where {
  const char* kind;  // "write" or "check"
  size_t index;
  size_t event = SIZE_MAX;

  std::string Str() const {
    return event == SIZE_MAX ? absl::StrCat(kind, " ", index)
                             : absl::StrCat(kind, " ", index, " event ", event);
  }
};

absl::Status TooLong(absl::string_view what, size_t bytes, size_t limit,
                     absl::string_view limit_name) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " is ", bytes, " bytes; the limit ", limit_name, " is ", limit));
}

// A text field: at most `limit` bytes of valid UTF-8 (the envelope stores it as a proto3
// string, which must be UTF-8 to be read back).
absl::Status ValidateText(absl::string_view text, size_t limit, absl::string_view limit_name,
                          const std::function<std::string()>& what) {
  if (text.size() > limit) return TooLong(what(), text.size(), limit, limit_name);
  if (!IsValidUtf8(text))
    return absl::InvalidArgumentError(absl::StrCat(what(), " is not valid UTF-8"));
  return absl::OkStatus();
}

absl::Status ValidateStreamId(absl::string_view stream_id, const Where& where) {
  if (stream_id.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where.Str(), ": stream id is empty"));
  }
  if (stream_id.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat(where.Str(), ": stream id \"", stream_id, "\" holds a NUL byte"));
  }
  return ValidateText(stream_id, kStreamIdBytesMax, "kStreamIdBytesMax",
                      [&] { return absl::StrCat(where.Str(), ": stream id"); });
}

absl::Status ValidateDate(absl::string_view date, const std::function<std::string()>& what) {
  if (date.empty()) return absl::OkStatus();
  absl::CivilDay day;
  if (date.size() != 10 || !absl::ParseCivilTime(date, &day) ||
      absl::FormatCivilTime(day) != date) {
    return absl::InvalidArgumentError(
        absl::StrCat(what(), " \"", date, "\" is not a date of the form YYYY-MM-DD"));
  }
  return absl::OkStatus();
}

absl::Status ValidateId(absl::string_view id, absl::string_view what) {
  return ValidateText(id, kIdBytesMax, "kIdBytesMax", [&] { return std::string(what); });
}

absl::Status ValidateBasis(const DocumentBasis& basis, const Where& where) {
  for (const auto& [name, value] :
       {std::pair<absl::string_view, const std::string*>{"number", &basis.number},
        {"issuer", &basis.issuer},
        {"title", &basis.title}}) {
    if (absl::Status s = ValidateText(
            *value, kBasisFieldBytesMax, "kBasisFieldBytesMax",
            [&where, name = name] { return absl::StrCat(where.Str(), ": basis ", name); });
        !s.ok()) {
      return s;
    }
  }
  return ValidateDate(basis.date, [&] { return absl::StrCat(where.Str(), ": basis date"); });
}

// `previous` is the event validated just before in the same commit, or null: events of one
// commit usually share their date and document, which are then checked once.
absl::Status ValidateEvent(const NewEvent& event, const NewEvent* previous, const Where& where,
                           size_t* commit_bytes) {
  if (event.type.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(where.Str(), ": event type is empty"));
  }
  if (previous == nullptr || event.type != previous->type) {
    if (absl::Status s = ValidateText(event.type, kEventTypeBytesMax, "kEventTypeBytesMax",
                                      [&] { return absl::StrCat(where.Str(), ": event type"); });
        !s.ok()) {
      return s;
    }
  }
  if (event.data.size() > kEventDataBytesMax) {
    return TooLong(absl::StrCat(where.Str(), ": event data"), event.data.size(), kEventDataBytesMax,
                   "kEventDataBytesMax");
  }
  if (!event.event_id.empty()) {
    if (absl::Status s = ValidateText(event.event_id, kIdBytesMax, "kIdBytesMax",
                                      [&] { return absl::StrCat(where.Str(), ": event id"); });
        !s.ok()) {
      return s;
    }
  }
  if (previous == nullptr || event.effective_date != previous->effective_date) {
    if (absl::Status s = ValidateDate(
            event.effective_date, [&] { return absl::StrCat(where.Str(), ": effective date"); });
        !s.ok()) {
      return s;
    }
  }
  if (previous == nullptr || !(event.basis == previous->basis)) {
    RETURN_IF_ERROR(ValidateBasis(event.basis, where));
  }
  *commit_bytes += event.data.size() + event.type.size() + event.event_id.size() +
                   event.effective_date.size() + event.basis.number.size() +
                   event.basis.issuer.size() + event.basis.date.size() + event.basis.title.size();
  return absl::OkStatus();
}

std::string ExpectationFailure(absl::string_view stream_id, const ExpectedVersion& expected,
                               uint64_t actual) {
  return absl::StrCat("stream ", stream_id, ": expected ", expected.ToString(), ", actual ",
                      actual);
}

}  // namespace

bool ExpectedVersion::Matches(uint64_t current) const {
  switch (kind_) {
    case Kind::kAny:
      return true;
    case Kind::kNoStream:
      return current == 0;
    case Kind::kExists:
      return current > 0;
    case Kind::kExact:
      return current == version_;
  }
  return false;
}

std::string ExpectedVersion::ToString() const {
  switch (kind_) {
    case Kind::kAny:
      return "any";
    case Kind::kNoStream:
      return "no stream";
    case Kind::kExists:
      return "exists";
    case Kind::kExact:
      return absl::StrCat(version_);
  }
  return "?";
}

bool EventFilter::Matches(const RecordedEvent& event) const {
  if (!stream_prefix.empty() &&
      event.stream_id.compare(0, stream_prefix.size(), stream_prefix) != 0) {
    return false;
  }
  if (event_types.empty()) return true;
  return std::find(event_types.begin(), event_types.end(), event.type) != event_types.end();
}

AppendResult CommitRecord::ToResult(bool replayed) const {
  AppendResult result;
  result.first_position = first_position;
  result.last_position = last_position;
  result.stream_versions = stream_versions;
  result.recorded_at_us = recorded_at_us;
  result.replayed = replayed;
  return result;
}

absl::Status ValidateCommit(const Commit& commit) {
  if (commit.commit_id.empty()) return absl::InvalidArgumentError("commit id is empty");
  RETURN_IF_ERROR(ValidateId(commit.commit_id, "commit id"));
  RETURN_IF_ERROR(ValidateId(commit.correlation_id, "correlation id"));
  RETURN_IF_ERROR(ValidateId(commit.causation_id, "causation id"));
  if (commit.fingerprint.size() > kIdBytesMax) {
    return TooLong("fingerprint", commit.fingerprint.size(), kIdBytesMax, "kIdBytesMax");
  }
  if (absl::Status s = ValidateText(commit.principal, kPrincipalBytesMax, "kPrincipalBytesMax",
                                    [] { return std::string("principal"); });
      !s.ok()) {
    return s;
  }
  if (commit.writes.empty()) return absl::InvalidArgumentError("commit writes no stream");
  const size_t streams = commit.writes.size() + commit.checks.size();
  if (streams > kStreamsPerCommitMax) {
    return absl::InvalidArgumentError(absl::StrCat("commit touches ", streams,
                                                   " streams; the limit kStreamsPerCommitMax is ",
                                                   kStreamsPerCommitMax));
  }
  absl::flat_hash_set<absl::string_view> seen;
  seen.reserve(streams);
  size_t events = 0;
  size_t commit_bytes = 0;
  for (size_t w = 0; w < commit.writes.size(); ++w) {
    const StreamWrite& write = commit.writes[w];
    const Where where{"write", w};
    RETURN_IF_ERROR(ValidateStreamId(write.stream_id, where));
    if (!seen.insert(write.stream_id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where.Str(), ": stream ", write.stream_id, " appears twice in the commit"));
    }
    if (write.events.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where.Str(), ": stream ", write.stream_id, " has no events"));
    }
    events += write.events.size();
    if (events > kEventsPerCommitMax) {
      return absl::InvalidArgumentError(absl::StrCat("commit has more than ", kEventsPerCommitMax,
                                                     " events; the limit kEventsPerCommitMax is ",
                                                     kEventsPerCommitMax));
    }
    const NewEvent* previous = nullptr;
    for (size_t e = 0; e < write.events.size(); ++e) {
      RETURN_IF_ERROR(
          ValidateEvent(write.events[e], previous, Where{"write", w, e}, &commit_bytes));
      previous = &write.events[e];
    }
    commit_bytes += write.stream_id.size();
  }
  for (size_t c = 0; c < commit.checks.size(); ++c) {
    const StreamCheck& check = commit.checks[c];
    const Where where{"check", c};
    RETURN_IF_ERROR(ValidateStreamId(check.stream_id, where));
    if (!seen.insert(check.stream_id).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(where.Str(), ": stream ", check.stream_id, " appears twice in the commit"));
    }
  }
  if (commit_bytes > kCommitBytesMax) {
    return TooLong("commit", commit_bytes, kCommitBytesMax, "kCommitBytesMax");
  }
  return absl::OkStatus();
}

absl::Status ValidateFilter(const EventFilter& filter) {
  if (filter.stream_prefix.size() > kStreamIdBytesMax) {
    return TooLong("filter stream prefix", filter.stream_prefix.size(), kStreamIdBytesMax,
                   "kStreamIdBytesMax");
  }
  if (filter.event_types.size() > kEventTypesPerFilterMax) {
    return absl::InvalidArgumentError(absl::StrCat(
        "filter names ", filter.event_types.size(),
        " event types; the limit kEventTypesPerFilterMax is ", kEventTypesPerFilterMax));
  }
  for (const std::string& type : filter.event_types) {
    if (type.empty()) return absl::InvalidArgumentError("filter names an empty event type");
  }
  return absl::OkStatus();
}

absl::StatusOr<size_t> ResolveReadCount(size_t max_count) {
  if (max_count == 0) return kReadCountDefault;
  if (max_count > kReadCountMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("max_count ", max_count, " is above the limit kReadCountMax ", kReadCountMax));
  }
  return max_count;
}

absl::StatusOr<PlannedCommit> PlanCommit(const Commit& commit, uint64_t next_position,
                                         int64_t recorded_at_us,
                                         const VersionLookup& current_version,
                                         const std::function<std::string()>& new_event_id) {
  PlannedCommit plan;
  CommitRecord& record = plan.record;
  record.commit_id = commit.commit_id;
  record.recorded_at_us = recorded_at_us;
  record.fingerprint = commit.fingerprint;
  std::vector<std::string> failures;
  std::vector<uint64_t> write_versions;
  write_versions.reserve(commit.writes.size());
  for (const StreamWrite& write : commit.writes) {
    absl::StatusOr<uint64_t> current = current_version(write.stream_id);
    if (!current.ok()) return current.status();
    if (!write.expected.Matches(*current)) {
      failures.push_back(ExpectationFailure(write.stream_id, write.expected, *current));
    }
    write_versions.push_back(*current);
    record.expectations.push_back({write.stream_id, write.expected, false});
  }
  for (const StreamCheck& check : commit.checks) {
    absl::StatusOr<uint64_t> current = current_version(check.stream_id);
    if (!current.ok()) return current.status();
    if (!check.expected.Matches(*current)) {
      failures.push_back(ExpectationFailure(check.stream_id, check.expected, *current));
    }
    record.expectations.push_back({check.stream_id, check.expected, true});
  }
  if (!failures.empty()) {
    return absl::AbortedError(
        absl::StrCat("commit ", commit.commit_id, " conflicts: ", absl::StrJoin(failures, "; ")));
  }
  uint64_t position = next_position;
  record.first_position = position;
  for (size_t w = 0; w < commit.writes.size(); ++w) {
    const StreamWrite& write = commit.writes[w];
    uint64_t version = write_versions[w];
    for (const NewEvent& event : write.events) {
      PlannedEvent& out = plan.events.emplace_back();
      out.position = position++;
      out.stream_version = ++version;
      out.event_id = event.event_id.empty() ? new_event_id() : event.event_id;
      out.write = &write;
      out.event = &event;
    }
    record.stream_versions.push_back({write.stream_id, version});
  }
  record.last_position = position - 1;
  return plan;
}

RecordedEvent Materialize(const Commit& commit, const PlannedEvent& planned,
                          int64_t recorded_at_us) {
  RecordedEvent out;
  out.position = planned.position;
  out.stream_id = planned.write->stream_id;
  out.stream_version = planned.stream_version;
  out.event_id = planned.event_id;
  out.type = planned.event->type;
  out.data = planned.event->data;
  out.recorded_at_us = recorded_at_us;
  out.effective_date = planned.event->effective_date;
  out.principal = commit.principal;
  out.basis = planned.event->basis;
  out.commit_id = commit.commit_id;
  out.correlation_id = commit.correlation_id;
  out.causation_id = commit.causation_id;
  return out;
}

bool SameCommit(const Commit& commit, const CommitRecord& record,
                const std::vector<RecordedEvent>& events) {
  std::vector<CommitRecord::Expectation> expectations;
  size_t event_count = 0;
  for (const StreamWrite& write : commit.writes) {
    expectations.push_back({write.stream_id, write.expected, false});
    event_count += write.events.size();
  }
  for (const StreamCheck& check : commit.checks) {
    expectations.push_back({check.stream_id, check.expected, true});
  }
  if (expectations != record.expectations || event_count != events.size() ||
      commit.fingerprint != record.fingerprint) {
    return false;
  }
  size_t i = 0;
  for (const StreamWrite& write : commit.writes) {
    for (const NewEvent& event : write.events) {
      const RecordedEvent& stored = events[i++];
      if (stored.stream_id != write.stream_id || stored.type != event.type ||
          stored.data != event.data || stored.effective_date != event.effective_date ||
          !(stored.basis == event.basis) || stored.principal != commit.principal ||
          stored.correlation_id != commit.correlation_id ||
          stored.causation_id != commit.causation_id ||
          (!event.event_id.empty() && stored.event_id != event.event_id)) {
        return false;
      }
    }
  }
  return true;
}

absl::Status CommitIdReused(const Commit& commit, const CommitRecord& record) {
  return absl::AlreadyExistsError(absl::StrCat(
      "commit id ", commit.commit_id, " was already used for a different commit (positions ",
      record.first_position, "-", record.last_position, "); use a new request id"));
}

std::string NewUuid() {
  thread_local absl::BitGen gen;
  const uint64_t hi = (absl::Uniform<uint64_t>(gen) & ~uint64_t{0xF000}) | uint64_t{0x4000};
  const uint64_t lo =
      (absl::Uniform<uint64_t>(gen) & ~(uint64_t{0xC} << 60)) | (uint64_t{0x8} << 60);
  return absl::StrFormat("%08x-%04x-%04x-%04x-%012x", hi >> 32, (hi >> 16) & 0xFFFF, hi & 0xFFFF,
                         lo >> 48, lo & 0xFFFFFFFFFFFF);
}

}  // namespace reformlog::eventstore
