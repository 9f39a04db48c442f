// LogOracle of rocks_event_store_crash_test: what the test knows of the log — a fingerprint of
// every event it has verified, every commit in it, every acknowledgement the children
// received — and the checks of a store reopened after a SIGKILL against all of it (Verify).
// A failure is DATA_LOSS (or the store's own error) naming the position, stream or commit.
// Not thread-safe: the test's main thread owns it.
#ifndef REFORMLOG_TESTS_EVENTSTORE_CRASH_LOG_ORACLE_H_
#define REFORMLOG_TESTS_EVENTSTORE_CRASH_LOG_ORACLE_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "tests/eventstore/crash_workload.h"

namespace reformlog::eventstore::crash {

inline constexpr size_t kReplaySamplesPerCycle = 8;
inline constexpr size_t kStreamReadSamplesPerCycle = 4;
inline constexpr size_t kBackwardReadCount = 3;
inline constexpr size_t kScanBatchEvents = 1000;  // bounds memory: events can be 1 MiB

// Every stored field of an event, position included.
inline uint64_t Fingerprint(const RecordedEvent& e) {
  return absl::HashOf(e.position, e.stream_id, e.stream_version, e.event_id, e.type, e.data,
                      e.recorded_at_us, e.effective_date, e.principal, e.basis.number,
                      e.basis.issuer, e.basis.date, e.basis.title, e.commit_id, e.correlation_id,
                      e.causation_id);
}

inline std::string Describe(const std::vector<StreamVersion>& versions) {
  std::string out;
  for (const StreamVersion& sv : versions)
    absl::StrAppend(&out, sv.stream_id, "=", sv.version, " ");
  return out;
}

// What the test knows of the log: a fingerprint of every event it has verified, every
// commit in it, every acknowledgement the children received. Verify() checks a reopened
// store against all of it and learns the events appended since the last call.
class LogOracle {
 public:
  void AddAcks(const std::vector<Ack>& acks) {
    acks_.insert(acks_.end(), acks.begin(), acks.end());
  }

  // `new_acks` is how many of the acks are from the last child: the replay sample favours them.
  absl::Status Verify(RocksEventStore& store, size_t new_acks, std::mt19937_64& rng) {
    std::vector<RecordedEvent> new_events;
    if (absl::Status s = ScanLog(store, &new_events); !s.ok()) return s;
    const size_t commits_before = commits_.size();
    if (absl::Status s = LearnCommits(new_events); !s.ok()) return s;
    commits_learned_ = commits_.size() - commits_before;
    if (absl::Status s = CheckAcks(new_acks); !s.ok()) return s;
    if (absl::Status s = CheckStreamIndex(store, rng); !s.ok()) return s;
    return CheckReplays(store, new_acks, rng);
  }

  uint64_t head() const { return fingerprints_.size(); }
  size_t acks() const { return acks_.size(); }
  size_t commits() const { return commits_.size(); }
  size_t streams() const { return stream_positions_.size(); }
  size_t commits_learned() const { return commits_learned_; }

 private:
  struct CommitSeen {
    uint64_t first_position = 0;
    uint64_t last_position = 0;
    int64_t recorded_at_us = 0;
    std::vector<StreamVersion> stream_versions;  // in `writes` order
  };

  // Reads the whole log: positions gapless to the head, stream versions contiguous, every
  // event verified before unchanged. The events past the known head go to *new_events.
  absl::Status ScanLog(RocksEventStore& store, std::vector<RecordedEvent>* new_events) {
    const uint64_t head = store.HeadPosition();
    if (head < fingerprints_.size()) {
      return absl::DataLossError(absl::StrCat("the head went back from ", fingerprints_.size(),
                                              " to ", head, " after the reopen"));
    }
    stream_positions_.clear();
    uint64_t position = 1;
    while (position <= head) {
      absl::StatusOr<AllSlice> slice = store.ReadAll(position, {}, kScanBatchEvents);
      if (!slice.ok()) return slice.status();
      if (slice->events.empty()) {
        return absl::DataLossError(
            absl::StrCat("the log ends at ", position - 1, " below the head ", head));
      }
      for (RecordedEvent& e : slice->events) {
        if (e.position != position) {
          return absl::DataLossError(
              absl::StrCat("expected position ", position, ", read ", e.position));
        }
        std::vector<uint64_t>& versions = stream_positions_[e.stream_id];
        if (e.stream_version != versions.size() + 1) {
          return absl::DataLossError(absl::StrCat("stream ", e.stream_id, " jumps from version ",
                                                  versions.size(), " to ", e.stream_version,
                                                  " at position ", position));
        }
        versions.push_back(position);
        if (position <= fingerprints_.size()) {
          if (Fingerprint(e) != fingerprints_[position - 1]) {
            return absl::DataLossError(absl::StrCat("the event at position ", position, " (commit ",
                                                    e.commit_id,
                                                    ") changed since it was verified"));
          }
        } else {
          new_events->push_back(std::move(e));
        }
        ++position;
      }
    }
    absl::StatusOr<AllSlice> beyond = store.ReadAll(head + 1, {}, kReadCountMax);
    if (!beyond.ok()) return beyond.status();
    if (!beyond->events.empty()) {
      return absl::DataLossError(absl::StrCat("events past the head ", head, ", from position ",
                                              beyond->events.front().position));
    }
    return absl::OkStatus();
  }

  // Splits the new events into commits and checks each is whole and holds what its id
  // derives. Commits the child never acknowledged are checked the same way.
  absl::Status LearnCommits(const std::vector<RecordedEvent>& events) {
    for (size_t begin = 0, end; begin < events.size(); begin = end) {
      const std::string& id = events[begin].commit_id;
      for (end = begin; end < events.size() && events[end].commit_id == id;) ++end;
      if (commits_.contains(id)) {
        return absl::DataLossError(
            absl::StrCat("commit ", id, " appears a second time, at ", events[begin].position));
      }
      absl::StatusOr<CommitSeen> seen = CheckCommit(events, begin, end);
      if (!seen.ok()) return seen.status();
      commits_.emplace(id, *std::move(seen));
      for (size_t i = begin; i < end; ++i) fingerprints_.push_back(Fingerprint(events[i]));
    }
    return absl::OkStatus();
  }

  static absl::StatusOr<CommitSeen> CheckCommit(const std::vector<RecordedEvent>& events,
                                                size_t begin, size_t end) {
    const RecordedEvent& first = events[begin];
    const Commit commit = crash::DeriveShape(first.commit_id);
    size_t event_count = 0;
    for (const StreamWrite& w : commit.writes) event_count += w.events.size();
    if (end - begin != event_count) {
      return absl::DataLossError(absl::StrCat("commit ", first.commit_id, " at ", first.position,
                                              " has ", end - begin, " events; it wrote ",
                                              event_count, " (a torn commit)"));
    }
    CommitSeen seen{first.position, events[end - 1].position, first.recorded_at_us, {}};
    size_t i = begin;
    for (const StreamWrite& w : commit.writes) {
      if (w.expected.kind() == ExpectedVersion::Kind::kNoStream && events[i].stream_version != 1) {
        return absl::DataLossError(absl::StrCat("commit ", first.commit_id, " expected no stream ",
                                                w.stream_id, " but wrote its version ",
                                                events[i].stream_version));
      }
      for (const NewEvent& want : w.events) {
        const RecordedEvent& got = events[i++];
        const std::string where = absl::StrCat("position ", got.position, " (commit ",
                                               first.commit_id, ", stream ", w.stream_id, "): ");
        if (got.stream_id != w.stream_id) return Differs(where, "stream", got.stream_id);
        if (got.type != want.type) return Differs(where, "type", got.type);
        if (got.data != want.data) {
          return Differs(where, "data",
                         absl::StrCat(got.data.size(), " bytes, want ", want.data.size()));
        }
        if (got.effective_date != want.effective_date) {
          return Differs(where, "effective date", got.effective_date);
        }
        if (!(got.basis == want.basis)) return Differs(where, "basis", got.basis.number);
        if (got.principal != commit.principal) return Differs(where, "principal", got.principal);
        if (got.correlation_id != commit.correlation_id ||
            got.causation_id != commit.causation_id) {
          return Differs(where, "correlation or causation id", got.correlation_id);
        }
        if (got.recorded_at_us != first.recorded_at_us) {
          return Differs(where, "recorded_at", absl::StrCat(got.recorded_at_us));
        }
        if (want.event_id.empty() ? got.event_id.size() != 36 : got.event_id != want.event_id) {
          return Differs(where, "event id", got.event_id);
        }
      }
      seen.stream_versions.push_back({w.stream_id, events[i - 1].stream_version});
    }
    return seen;
  }

  static absl::Status Differs(absl::string_view where, absl::string_view field,
                              absl::string_view got) {
    return absl::DataLossError(
        absl::StrCat(where, field, " differs from what the id derives: ", got));
  }

  // Every acknowledgement matches the commit in the log. The last child's also had their
  // exact expectations met: their streams stood at the expected versions just before them.
  // (Once is enough for that: the events it rests on are fingerprinted from then on.)
  absl::Status CheckAcks(size_t new_acks) const {
    for (size_t a = 0; a < acks_.size(); ++a) {
      const Ack& ack = acks_[a];
      auto it = commits_.find(ack.commit_id);
      if (it == commits_.end()) {
        return absl::DataLossError(absl::StrCat("acknowledged commit ", ack.commit_id,
                                                " (positions ", ack.result.first_position, "-",
                                                ack.result.last_position, ") is not in the log"));
      }
      const CommitSeen& seen = it->second;
      if (seen.first_position != ack.result.first_position ||
          seen.last_position != ack.result.last_position ||
          seen.recorded_at_us != ack.result.recorded_at_us ||
          seen.stream_versions != ack.result.stream_versions) {
        return absl::DataLossError(absl::StrCat(
            "acknowledged commit ", ack.commit_id, " was told positions ",
            ack.result.first_position, "-", ack.result.last_position, ", versions ",
            Describe(ack.result.stream_versions), "at ", ack.result.recorded_at_us,
            "; the log has ", seen.first_position, "-", seen.last_position, ", versions ",
            Describe(seen.stream_versions), "at ", seen.recorded_at_us));
      }
      if (a < acks_.size() - new_acks) continue;
      const std::vector<std::string> exact = crash::ExactStreams(crash::DeriveShape(ack.commit_id));
      if (exact.size() != ack.exact_versions.size()) {
        return absl::InvalidArgumentError(
            absl::StrCat("ack of ", ack.commit_id, " has ", ack.exact_versions.size(),
                         " exact versions for ", exact.size(), " exact expectations"));
      }
      for (size_t i = 0; i < exact.size(); ++i) {
        const uint64_t before = VersionBefore(exact[i], seen.first_position);
        if (before != ack.exact_versions[i]) {
          return absl::DataLossError(absl::StrCat("commit ", ack.commit_id, " expected stream ",
                                                  exact[i], " at version ", ack.exact_versions[i],
                                                  " but the log has it at ", before,
                                                  " before position ", seen.first_position));
        }
      }
    }
    return absl::OkStatus();
  }

  // The version a stream had just before `position`.
  uint64_t VersionBefore(const std::string& stream, uint64_t position) const {
    auto it = stream_positions_.find(stream);
    if (it == stream_positions_.end()) return 0;
    return std::lower_bound(it->second.begin(), it->second.end(), position) - it->second.begin();
  }

  // The stream index agrees with the log: every stream's current version, and a sample of
  // streams read whole forward and their last events backward.
  absl::Status CheckStreamIndex(RocksEventStore& store, std::mt19937_64& rng) const {
    std::vector<std::string> names;
    for (const auto& [stream, positions] : stream_positions_) {
      absl::StatusOr<uint64_t> version = store.CurrentStreamVersion(stream);
      if (!version.ok()) return version.status();
      if (*version != positions.size()) {
        return absl::DataLossError(absl::StrCat("stream ", stream, " is at version ", *version,
                                                " but the log holds ", positions.size(),
                                                " of its events"));
      }
      names.push_back(stream);
    }
    if (names.empty()) return absl::OkStatus();
    std::sort(names.begin(), names.end());  // the sample depends on the seed only
    for (size_t s = 0; s < kStreamReadSamplesPerCycle; ++s) {
      const std::string& stream = names[rng() % names.size()];
      if (absl::Status st = CheckStreamReads(store, stream); !st.ok()) return st;
    }
    return absl::OkStatus();
  }

  absl::Status CheckStreamReads(RocksEventStore& store, const std::string& stream) const {
    const std::vector<uint64_t>& positions = stream_positions_.at(stream);
    auto check = [&](const RecordedEvent& e, uint64_t version) -> absl::Status {
      if (e.stream_id != stream || e.stream_version != version ||
          e.position != positions[version - 1] || Fingerprint(e) != fingerprints_[e.position - 1]) {
        return absl::DataLossError(absl::StrCat("reading stream ", stream, " at version ", version,
                                                " gave position ", e.position, " of ", e.stream_id,
                                                " version ", e.stream_version));
      }
      return absl::OkStatus();
    };
    for (uint64_t version = 1; version <= positions.size();) {
      absl::StatusOr<StreamSlice> slice =
          store.ReadStream(stream, version, ReadDirection::kForward, kReadCountMax);
      if (!slice.ok()) return slice.status();
      if (slice->events.empty() || slice->stream_version != positions.size()) {
        return absl::DataLossError(absl::StrCat("stream ", stream, " reads ", slice->events.size(),
                                                " events from version ", version,
                                                " at stream version ", slice->stream_version));
      }
      for (const RecordedEvent& e : slice->events) {
        if (absl::Status s = check(e, version++); !s.ok()) return s;
      }
    }
    absl::StatusOr<StreamSlice> last =
        store.ReadStream(stream, 0, ReadDirection::kBackward, kBackwardReadCount);
    if (!last.ok()) return last.status();
    uint64_t version = positions.size();
    if (last->events.size() != std::min<size_t>(kBackwardReadCount, positions.size())) {
      return absl::DataLossError(
          absl::StrCat("stream ", stream, " reads ", last->events.size(), " events backward"));
    }
    for (const RecordedEvent& e : last->events) {
      if (absl::Status s = check(e, version--); !s.ok()) return s;
    }
    return absl::OkStatus();
  }

  // Re-sends a sample of acknowledged commits (the last child's first and last, and random
  // ones of any cycle): each must come back as its original result, replayed, writing
  // nothing, and FindCommit must return its whole record. The first of them is also re-sent
  // with other data and with another fingerprint: ALREADY_EXISTS both times.
  absl::Status CheckReplays(RocksEventStore& store, size_t new_acks, std::mt19937_64& rng) const {
    if (acks_.empty()) return absl::OkStatus();
    std::vector<const Ack*> sample;
    if (new_acks > 0) {
      sample.push_back(&acks_[acks_.size() - new_acks]);
      sample.push_back(&acks_.back());
    }
    while (sample.size() < kReplaySamplesPerCycle) sample.push_back(&acks_[rng() % acks_.size()]);
    const uint64_t head = store.HeadPosition();
    for (const Ack* ack : sample) {
      Commit commit = crash::DeriveShape(ack->commit_id);
      if (!crash::SetExactVersions(ack->exact_versions, &commit)) {
        return absl::InvalidArgumentError(
            absl::StrCat("ack of ", ack->commit_id, " has the wrong number of versions"));
      }
      if (absl::Status s = CheckFindCommit(store, commit, *ack); !s.ok()) return s;
      absl::StatusOr<AppendResult> again = store.Append(commit);
      if (!again.ok()) {
        return absl::Status(again.status().code(),
                            absl::StrCat("re-sending acknowledged commit ", ack->commit_id, ": ",
                                         again.status().message()));
      }
      if (!again->replayed || again->first_position != ack->result.first_position ||
          again->last_position != ack->result.last_position ||
          again->recorded_at_us != ack->result.recorded_at_us ||
          again->stream_versions != ack->result.stream_versions) {
        return absl::DataLossError(absl::StrCat(
            "re-sending ", ack->commit_id, " gave replayed=", again->replayed, " positions ",
            again->first_position, "-", again->last_position, " versions ",
            Describe(again->stream_versions), "; the original was ", ack->result.first_position,
            "-", ack->result.last_position, " ", Describe(ack->result.stream_versions)));
      }
    }
    for (const bool change_data : {true, false}) {
      Commit other = crash::DeriveShape(sample.front()->commit_id);
      crash::SetExactVersions(sample.front()->exact_versions, &other);
      if (change_data) {
        other.writes.front().events.front().data.back() ^= 1;  // same size: it may be the largest
      } else {
        other.fingerprint = other.fingerprint.empty() ? "other" : "";
      }
      absl::StatusOr<AppendResult> reused = store.Append(other);
      if (reused.status().code() != absl::StatusCode::kAlreadyExists) {
        return absl::InternalError(absl::StrCat(
            "re-sending ", other.commit_id, " with other ", change_data ? "data" : "fingerprint",
            " gave ", reused.status().ToString(), ", not ALREADY_EXISTS"));
      }
    }
    if (absl::StatusOr<CommitRecord> none = store.FindCommit("never-committed");
        none.status().code() != absl::StatusCode::kNotFound) {
      return absl::InternalError(
          absl::StrCat("FindCommit of an unknown id gave ", none.status().ToString()));
    }
    if (store.HeadPosition() != head) {
      return absl::InternalError(absl::StrCat("re-sending commits moved the head from ", head,
                                              " to ", store.HeadPosition()));
    }
    return absl::OkStatus();
  }

  // FindCommit returns the record of an acknowledged commit: its result and its content.
  static absl::Status CheckFindCommit(RocksEventStore& store, const Commit& commit,
                                      const Ack& ack) {
    absl::StatusOr<CommitRecord> record = store.FindCommit(commit.commit_id);
    if (!record.ok()) {
      return absl::Status(record.status().code(),
                          absl::StrCat("FindCommit(", commit.commit_id,
                                       ") of an acknowledged commit: ", record.status().message()));
    }
    std::vector<CommitRecord::Expectation> expectations;
    for (const StreamWrite& w : commit.writes) expectations.push_back({w.stream_id, w.expected});
    for (const StreamCheck& c : commit.checks) {
      expectations.push_back({c.stream_id, c.expected, /*check_only=*/true});
    }
    if (record->commit_id != commit.commit_id ||
        record->first_position != ack.result.first_position ||
        record->last_position != ack.result.last_position ||
        record->stream_versions != ack.result.stream_versions ||
        record->recorded_at_us != ack.result.recorded_at_us ||
        record->fingerprint != commit.fingerprint || record->expectations != expectations) {
      return absl::DataLossError(absl::StrCat(
          "FindCommit(", commit.commit_id, ") gave positions ", record->first_position, "-",
          record->last_position, " versions ", Describe(record->stream_versions), "at ",
          record->recorded_at_us, " fingerprint \"", record->fingerprint, "\" with ",
          record->expectations.size(), " expectations; acknowledged ", ack.result.first_position,
          "-", ack.result.last_position, " ", Describe(ack.result.stream_versions), "at ",
          ack.result.recorded_at_us, " fingerprint \"", commit.fingerprint, "\" with ",
          expectations.size(), " expectations"));
    }
    return absl::OkStatus();
  }

  std::vector<uint64_t> fingerprints_;  // [position - 1], every event verified so far
  absl::flat_hash_map<std::string, CommitSeen> commits_;
  std::vector<Ack> acks_;
  size_t commits_learned_ = 0;
  // Rebuilt by every scan: each stream's positions, [version - 1].
  absl::flat_hash_map<std::string, std::vector<uint64_t>> stream_positions_;
};

}  // namespace reformlog::eventstore::crash

#endif  // REFORMLOG_TESTS_EVENTSTORE_CRASH_LOG_ORACLE_H_
