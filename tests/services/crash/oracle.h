// LogOracle: what reformd_crash_test knows of reformd's log, folded by the test itself (not
// by the server's decision states or projections), so that it can judge the server.
//
// Learn() takes the log's events in order, a page at a time, from position 1 on; EndScan()
// says the scan reached the head (always a commit boundary). For every event it checks
//  * positions run 1, 2, 3, … without a gap, and each stream's versions 1, 2, 3, …;
//  * every commit is whole (its events adjacent), appears once, was asked for by a request
//    the test sent (Expect), carries that request's document and effective date and the
//    server's principal, and holds exactly the events the request asks for;
//  * after EVERY event (every prefix of the log): people in post never exceed the quota of
//    any agency and category, and no budget line has disbursed more than it was given;
//  * after every commit, the rosters of the agency streams agree with the person streams.
// A failure names the position, the stream and the request id.
//
// It also keeps what stood at every prefix of the log (staffing per agency and category, what
// each budget line had available, when each person was registered and departed, when each
// disbursement was recorded), so that a refusal can be checked against the state it reports:
// did that state stand in the log before a given position?
//
// CheckAnswer() then compares an answer the server gave (a CommandResult) with the commit in
// the log. Not thread-safe: the test's main thread owns it.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_ORACLE_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_ORACLE_H_

#include <algorithm>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "reformlog/api/v1/common.pb.h"
#include "reformlog/api/v1/feed.pb.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {

// The fold of one agency: its quota per category, its roster as the agency stream says, and
// its people in post as the person streams say.
struct AgencyFold {
  bool exists = false;
  std::map<pb::QuotaCategory, int64_t> quota;
  std::map<pb::QuotaCategory, int64_t> in_post;  // from RosterChanged
  std::set<std::string> roster;                  // from RosterChanged
  int64_t people = 0;                            // from PersonRegistered / PersonDeparted
};

struct LineFold {
  int64_t appropriated_fen = 0;
  int64_t disbursed_fen = 0;
};

// Quota and people in post of one agency and category.
struct Staffing {
  int64_t quota = 0;
  int64_t in_post = 0;
  bool operator==(const Staffing&) const = default;
};

// The values one quantity of the fold took over the log. An entry stands from the prefix
// ending at its position `from` until the next entry; before the first entry the value is
// Value{} (nothing recorded yet).
template <typename Value>
class History {
 public:
  // The value after the event at `position` (positions only grow).
  void Set(uint64_t position, const Value& value) {
    if (!entries_.empty() && entries_.back().from == position) {
      entries_.back().value = value;
    } else if (entries_.empty() ? !(value == Value{}) : !(entries_.back().value == value)) {
      entries_.push_back({position, value});
    }
  }

  // The value at the prefix ending at position `prefix` (0: the empty log).
  Value At(uint64_t prefix) const {
    auto after = std::upper_bound(entries_.begin(), entries_.end(), prefix,
                                  [](uint64_t p, const Entry& e) { return p < e.from; });
    return after == entries_.begin() ? Value{} : std::prev(after)->value;
  }

  // The last prefix ending before position `before` at which the value was `value`; nullopt
  // when it never was.
  std::optional<uint64_t> LastPrefixBefore(uint64_t before, const Value& value) const {
    if (before == 0) return std::nullopt;
    uint64_t until = before - 1;  // the latest prefix still to look at
    auto it = std::upper_bound(entries_.begin(), entries_.end(), until,
                               [](uint64_t p, const Entry& e) { return p < e.from; });
    while (it != entries_.begin()) {
      --it;  // stands over the prefixes [it->from, until]
      if (it->value == value) return until;
      if (it->from == 0) return std::nullopt;
      until = it->from - 1;
    }
    if (value == Value{}) return until;
    return std::nullopt;
  }

 private:
  struct Entry {
    uint64_t from = 0;
    Value value{};
  };
  std::vector<Entry> entries_;
};

// One commit as the log has it.
struct CommitSeen {
  uint64_t first_position = 0;
  uint64_t last_position = 0;
  int64_t recorded_at_us = 0;
  std::vector<std::pair<std::string, uint64_t>> stream_versions;  // last version, by stream
  std::vector<uint8_t> types;  // in log order, as indexes into LogOracle's type names
};

inline std::string Describe(const std::vector<std::pair<std::string, uint64_t>>& versions) {
  return absl::StrJoin(versions, ",", [](std::string* out, const auto& sv) {
    absl::StrAppend(out, sv.first, "=", sv.second);
  });
}

inline std::vector<std::pair<std::string, uint64_t>> SortedVersions(
    const api::CommandResult& result) {
  std::vector<std::pair<std::string, uint64_t>> out;
  for (const api::StreamVersion& sv : result.stream_versions()) {
    out.emplace_back(sv.stream_id(), sv.version());
  }
  std::sort(out.begin(), out.end());
  return out;
}

class LogOracle {
 public:
  explicit LogOracle(std::string principal) : principal_(std::move(principal)) {}

  // A request whose commit may appear in the log from now on.
  void Expect(const Request& r) { requests_[r.id] = r; }

  absl::Status Learn(const api::Event& e) {
    if (e.position() != fingerprints_.size() + 1) {
      return absl::DataLossError(absl::StrCat(
          "expected position ", fingerprints_.size() + 1, ", read ", e.position(), " (stream ",
          e.stream_id(), ", commit ", e.commit_id(), "): positions have a gap"));
    }
    uint64_t& version = stream_versions_[e.stream_id()];
    if (e.stream_version() != version + 1) {
      return absl::DataLossError(absl::StrCat("stream ", e.stream_id(), " jumps from version ",
                                              version, " to ", e.stream_version(), " at position ",
                                              e.position(), " (commit ", e.commit_id(), ")"));
    }
    ++version;
    fingerprints_.push_back(Fingerprint(e));
    if (!open_.empty() && open_.front().commit_id() != e.commit_id()) {
      if (absl::Status s = CloseCommit(); !s.ok()) return s;
    }
    open_.push_back(e);
    return absl::OkStatus();
  }

  // The scan reached the head: the last commit is whole.
  absl::Status EndScan() { return open_.empty() ? absl::OkStatus() : CloseCommit(); }

  // An event read again: unchanged since it was learned.
  absl::Status Reverify(const api::Event& e) const {
    if (e.position() == 0 || e.position() > fingerprints_.size() ||
        fingerprints_[e.position() - 1] != Fingerprint(e)) {
      return absl::DataLossError(absl::StrCat("the event at position ", e.position(), " (stream ",
                                              e.stream_id(), ", commit ", e.commit_id(),
                                              ") changed since it was first read"));
    }
    return absl::OkStatus();
  }

  uint64_t head() const { return fingerprints_.size(); }
  size_t commits() const { return commits_.size(); }
  size_t streams() const { return stream_versions_.size(); }
  const CommitSeen* Find(const std::string& request_id) const {
    auto it = commits_.find(request_id);
    return it == commits_.end() ? nullptr : &it->second;
  }
  const std::map<std::string, AgencyFold>& agencies() const { return agencies_; }
  // Agency id → line key → fold.
  const std::map<std::string, std::map<std::string, LineFold>>& lines() const { return lines_; }
  // What stood at every prefix of the log: staffing of an agency and category, the amount
  // (fen) a line of an agency had available (by LineKey). Empty for what the log never saw.
  const History<Staffing>& staffing_history(const std::string& agency,
                                            pb::QuotaCategory category) const {
    static const History<Staffing> kNever;
    auto it = staffing_history_.find({agency, category});
    return it == staffing_history_.end() ? kNever : it->second;
  }
  const History<int64_t>& available_history(const std::string& agency,
                                            const std::string& line_key) const {
    static const History<int64_t> kNever;
    auto it = available_history_.find({agency, line_key});
    return it == available_history_.end() ? kNever : it->second;
  }
  // The position of a person's PersonRegistered, PersonDeparted, of a disbursement's
  // FundsDisbursed; 0 when the log has none.
  uint64_t registered_at(const std::string& person) const {
    return PositionIn(registered_, person);
  }
  uint64_t departed_at(const std::string& person) const { return PositionIn(departed_, person); }
  uint64_t disbursed_at(const std::string& disbursement) const {
    return PositionIn(disbursements_, disbursement);
  }

  // Every request the log holds a commit of that no OK answer has claimed yet.
  const absl::flat_hash_set<std::string>& unclaimed() const { return unclaimed_; }

  // An OK answer to request `id` matches its commit in the log: the same positions, stream
  // versions and recording time, and (when not replayed) the same event types.
  absl::Status CheckAnswer(const std::string& id, const api::CommandResult& answer) {
    const CommitSeen* seen = Find(id);
    if (seen == nullptr) {
      return absl::DataLossError(absl::StrCat(
          "request ", id, " was answered OK (positions ", answer.first_position(), "-",
          answer.position(), ", replayed=", answer.replayed(), ") but it is not in the log"));
    }
    const auto versions = SortedVersions(answer);
    if (seen->first_position != answer.first_position() ||
        seen->last_position != answer.position() || seen->stream_versions != versions ||
        seen->recorded_at_us != answer.recorded_at_us()) {
      return absl::DataLossError(
          absl::StrCat("request ", id, " was answered positions ", answer.first_position(), "-",
                       answer.position(), ", versions ", Describe(versions), " at ",
                       answer.recorded_at_us(), " (replayed=", answer.replayed(), "); the log has ",
                       seen->first_position, "-", seen->last_position, ", versions ",
                       Describe(seen->stream_versions), " at ", seen->recorded_at_us));
    }
    if (!answer.replayed()) {
      std::vector<std::string> logged;
      for (uint8_t type : seen->types) logged.push_back(type_names_[type]);
      if (std::vector<std::string>(answer.event_types().begin(), answer.event_types().end()) !=
          logged) {
        return absl::DataLossError(absl::StrCat("request ", id, " was answered event types ",
                                                absl::StrJoin(answer.event_types(), ","),
                                                "; the log has ", absl::StrJoin(logged, ",")));
      }
    }
    unclaimed_.erase(id);
    return absl::OkStatus();
  }

  // The request is settled: its commit has been checked against its answers.
  void Forget(const std::string& id) { requests_.erase(id); }
  // The request is settled as refused with `code`: its commit must never appear. (Only the
  // code is kept: a long run settles hundreds of thousands of refusals.)
  void Refused(const std::string& id, Op op, int code) {
    requests_.erase(id);
    refused_[id] = {op, code};
  }

 private:
  uint8_t TypeIndex(const std::string& type) {
    auto [it, added] = type_index_.emplace(type, static_cast<uint8_t>(type_names_.size()));
    if (added) type_names_.push_back(type);  // Summary() admits only the workload's few types
    return it->second;
  }

  static uint64_t PositionIn(const absl::flat_hash_map<std::string, uint64_t>& positions,
                             const std::string& key) {
    auto it = positions.find(key);
    return it == positions.end() ? 0 : it->second;
  }

  void NoteStaffing(const std::string& agency, pb::QuotaCategory category, uint64_t position) {
    const AgencyFold& a = agencies_[agency];
    const auto quota = a.quota.find(category);
    const auto in_post = a.in_post.find(category);
    staffing_history_[{agency, category}].Set(position,
                                              {quota == a.quota.end() ? 0 : quota->second,
                                               in_post == a.in_post.end() ? 0 : in_post->second});
  }

  void NoteAvailable(const std::string& agency, const std::string& line_key, uint64_t position) {
    const LineFold& line = lines_[agency][line_key];
    available_history_[{agency, line_key}].Set(position,
                                               line.appropriated_fen - line.disbursed_fen);
  }

  static uint64_t Fingerprint(const api::Event& e) {
    return absl::HashOf(e.position(), e.stream_id(), e.stream_version(), e.event_id(), e.type(),
                        e.data(), e.recorded_at_us(), e.effective_date(), e.principal(),
                        e.basis().number(), e.basis().issuer(), e.basis().date(), e.basis().title(),
                        e.commit_id(), e.correlation_id(), e.causation_id());
  }

  // The request id of a commit id "<principal>/<request id>" (the whole id if it is not one).
  std::string RequestIdOf(absl::string_view commit_id) const {
    absl::ConsumePrefix(&commit_id, absl::StrCat(principal_, "/"));
    return std::string(commit_id);
  }

  absl::Status CloseCommit() {
    std::vector<api::Event> events;
    events.swap(open_);
    const api::Event& first = events.front();
    // Commit ids are "<principal>/<request id>": the request is the principal's own.
    absl::string_view scoped = first.commit_id();
    if (!absl::ConsumePrefix(&scoped, absl::StrCat(principal_, "/"))) {
      return absl::DataLossError(absl::StrCat("commit ", first.commit_id(), " at position ",
                                              first.position(), " is not a request of ",
                                              principal_));
    }
    const std::string id(scoped);
    const std::string where = absl::StrCat("commit ", id, " at positions ", first.position(), "-",
                                           events.back().position());
    if (commits_.contains(id)) {
      return absl::DataLossError(absl::StrCat(where,
                                              ": the request is in the log a second time "
                                              "(first at ",
                                              commits_[id].first_position, ")"));
    }
    if (auto refused = refused_.find(id); refused != refused_.end()) {
      return absl::DataLossError(
          absl::StrCat(where, ": the request (", OpName(refused->second.first),
                       ") was refused with code ", refused->second.second, ", yet here it is"));
    }
    auto request = requests_.find(id);
    if (request == requests_.end()) {
      return absl::DataLossError(absl::StrCat(where, ": no such request was ever sent"));
    }
    if (absl::Status s = CheckContent(request->second, events, where); !s.ok()) return s;
    CommitSeen seen{first.position(), events.back().position(), first.recorded_at_us(), {}, {}};
    std::map<std::string, uint64_t> last_versions;
    std::set<std::string> touched_agencies;
    for (const api::Event& e : events) {
      if (absl::Status s = Apply(e, &touched_agencies); !s.ok()) return s;
      last_versions[e.stream_id()] = e.stream_version();
      seen.types.push_back(TypeIndex(e.type()));
    }
    seen.stream_versions.assign(last_versions.begin(), last_versions.end());
    for (const std::string& agency : touched_agencies) {
      const AgencyFold& a = agencies_[agency];
      if (static_cast<int64_t>(a.roster.size()) != a.people) {
        return absl::DataLossError(absl::StrCat(
            where, ": agency-", agency, " has ", a.roster.size(),
            " people on its roster but the person streams put ", a.people, " in post there"));
      }
    }
    commits_.emplace(id, std::move(seen));
    unclaimed_.insert(id);
    return absl::OkStatus();
  }

  // The commit holds exactly what its request asks, under its document and the server's
  // principal, recorded at one time.
  absl::Status CheckContent(const Request& request, const std::vector<api::Event>& events,
                            const std::string& where) const {
    PersonPost post;
    if (const std::string person = DepartingPerson(request); !person.empty()) {
      auto it = people_.find(person);
      if (it == people_.end() || it->second.agency_id.empty()) {
        return absl::DataLossError(
            absl::StrCat(where, ": a departure of ", person, ", who is not in post before it"));
      }
      post = it->second;
    }
    std::vector<std::string> expected;
    api::CommandHeader header;
    if (absl::Status s = ExpectedSummaries(request, post, &expected, &header); !s.ok()) return s;
    std::vector<std::string> got;
    for (const api::Event& e : events) {
      absl::StatusOr<std::string> summary = Summary(e);
      if (!summary.ok()) return summary.status();
      got.push_back(*std::move(summary));
      if (e.principal() != principal_ || e.basis().number() != header.basis().number() ||
          e.basis().issuer() != header.basis().issuer() ||
          e.basis().title() != header.basis().title() ||
          e.effective_date() != header.effective_date() ||
          e.recorded_at_us() != events.front().recorded_at_us()) {
        return absl::DataLossError(absl::StrCat(
            where, ", position ", e.position(), " (stream ", e.stream_id(), "): principal ",
            e.principal(), ", document ", e.basis().number(), " ", e.basis().title(),
            ", effective ", e.effective_date(), ", recorded at ", e.recorded_at_us(),
            "; the request (", OpName(request.op), ") has ", principal_, ", ",
            header.basis().number(), " ", header.basis().title(), ", ", header.effective_date()));
      }
    }
    std::sort(got.begin(), got.end());
    if (got != expected) {
      return absl::DataLossError(absl::StrCat(where, " (", OpName(request.op), ") holds [",
                                              absl::StrJoin(got, "; "), "]; the request asks for [",
                                              absl::StrJoin(expected, "; "), "]"));
    }
    return absl::OkStatus();
  }

  // Folds one event and checks the invariants on what it touched.
  absl::Status Apply(const api::Event& e, std::set<std::string>* touched_agencies) {
    const std::string where = absl::StrCat("at position ", e.position(), " (stream ", e.stream_id(),
                                           ", request ", RequestIdOf(e.commit_id()), ")");
    auto bad = [&](const std::string& why) {
      return absl::DataLossError(absl::StrCat(where, ": ", why));
    };
    if (Is<pb::AgencyEstablished>(e)) {
      pb::AgencyEstablished m;
      m.ParseFromString(e.data());
      if (agencies_[m.agency_id()].exists) return bad("the agency is established twice");
      agencies_[m.agency_id()].exists = true;
    } else if (Is<pb::QuotaGranted>(e)) {
      pb::QuotaGranted m;
      m.ParseFromString(e.data());
      agencies_[m.agency_id()].quota[m.category()] += m.count();
      NoteStaffing(m.agency_id(), m.category(), e.position());
    } else if (Is<pb::RosterChanged>(e)) {
      pb::RosterChanged m;
      m.ParseFromString(e.data());
      AgencyFold& a = agencies_[m.agency_id()];
      touched_agencies->insert(m.agency_id());
      std::set<pb::QuotaCategory> changed;
      for (const pb::RosterEntry& j : m.joined()) {
        if (!a.roster.insert(j.person_id()).second) return bad(j.person_id() + " joins twice");
        ++a.in_post[j.category()];
        changed.insert(j.category());
      }
      for (const pb::RosterEntry& l : m.left()) {
        if (a.roster.erase(l.person_id()) == 0) return bad(l.person_id() + " leaves, not there");
        --a.in_post[l.category()];
        changed.insert(l.category());
      }
      for (pb::QuotaCategory category : changed) {
        NoteStaffing(m.agency_id(), category, e.position());
      }
      for (const auto& [category, in_post] : a.in_post) {
        const int64_t quota = a.quota.contains(category) ? a.quota.at(category) : 0;
        if (in_post > quota) {
          return bad(absl::StrCat("agency-", m.agency_id(), " category ", category, ": in post ",
                                  in_post, " > quota ", quota, " (超编)"));
        }
      }
    } else if (Is<pb::PersonRegistered>(e)) {
      pb::PersonRegistered m;
      m.ParseFromString(e.data());
      if (people_.contains(m.person_id())) return bad(m.person_id() + " is registered twice");
      people_[m.person_id()] = {m.agency_id(), m.category()};
      registered_[m.person_id()] = e.position();
      ++agencies_[m.agency_id()].people;
      touched_agencies->insert(m.agency_id());
    } else if (Is<pb::PersonDeparted>(e)) {
      pb::PersonDeparted m;
      m.ParseFromString(e.data());
      PersonPost& p = people_[m.person_id()];
      if (p.agency_id != m.agency_id()) return bad(m.person_id() + " departs from elsewhere");
      --agencies_[p.agency_id].people;
      touched_agencies->insert(p.agency_id);
      p.agency_id.clear();
      departed_[m.person_id()] = e.position();
    } else if (Is<pb::BudgetAppropriated>(e)) {
      pb::BudgetAppropriated m;
      m.ParseFromString(e.data());
      lines_[m.agency_id()][LineKey(m.line())].appropriated_fen += m.amount_fen();
      NoteAvailable(m.agency_id(), LineKey(m.line()), e.position());
    } else if (Is<pb::FundsDisbursed>(e)) {
      pb::FundsDisbursed m;
      m.ParseFromString(e.data());
      if (!disbursements_.emplace(m.disbursement_id(), e.position()).second) {
        return bad("disbursement " + m.disbursement_id() + " is recorded twice");
      }
      LineFold& line = lines_[m.agency_id()][LineKey(m.line())];
      line.disbursed_fen += m.amount_fen();
      NoteAvailable(m.agency_id(), LineKey(m.line()), e.position());
      if (line.disbursed_fen > line.appropriated_fen) {
        return bad(absl::StrCat("line ", LineKey(m.line()), " has disbursed ", line.disbursed_fen,
                                " fen of ", line.appropriated_fen, " appropriated"));
      }
    }
    return absl::OkStatus();
  }

  std::string principal_;
  absl::flat_hash_map<std::string, Request> requests_;            // sent, not yet settled
  absl::flat_hash_map<std::string, std::pair<Op, int>> refused_;  // settled as refused
  absl::flat_hash_map<std::string, uint8_t> type_index_;
  std::vector<std::string> type_names_;
  std::vector<uint64_t> fingerprints_;  // [position - 1]
  absl::flat_hash_map<std::string, uint64_t> stream_versions_;
  std::vector<api::Event> open_;  // the commit being read
  absl::flat_hash_map<std::string, CommitSeen> commits_;
  absl::flat_hash_set<std::string> unclaimed_;
  std::map<std::string, AgencyFold> agencies_;
  absl::flat_hash_map<std::string, PersonPost> people_;  // agency_id empty once departed
  std::map<std::string, std::map<std::string, LineFold>> lines_;
  absl::flat_hash_map<std::string, uint64_t> disbursements_;  // id → position
  absl::flat_hash_map<std::string, uint64_t> registered_;     // person → position
  absl::flat_hash_map<std::string, uint64_t> departed_;       // person → position
  std::map<std::pair<std::string, pb::QuotaCategory>, History<Staffing>> staffing_history_;
  std::map<std::pair<std::string, std::string>, History<int64_t>> available_history_;
};

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_ORACLE_H_
