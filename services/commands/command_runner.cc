#include "services/commands/command_runner.h"

#include <openssl/sha.h>

#include <mutex>
#include <typeindex>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "eventstore/limits.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "projections/domain/event_codec.h"
#include "projections/domain/vocabulary.h"
#include "services/common/china_date.h"
#include "services/domain/rules.h"

namespace reformlog::services {
namespace {

using domain::AgencyState;
using domain::BudgetState;
using domain::PersonState;
using domain::PlanState;
using domain::PowerState;

std::string Digest(const google::protobuf::Message& request) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream out(&raw);
    out.SetSerializationDeterministic(true);
    request.SerializeToCodedStream(&out);
  }
  unsigned char hash[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), hash);
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(hash), sizeof(hash)));
}

api::v1::CommandResult ToResult(const eventstore::AppendResult& appended) {
  api::v1::CommandResult result;
  result.set_first_position(appended.first_position);
  result.set_position(appended.last_position);
  result.set_replayed(appended.replayed);
  result.set_recorded_at_us(appended.recorded_at_us);
  for (const eventstore::StreamVersion& sv : appended.stream_versions) {
    api::v1::StreamVersion* out = result.add_stream_versions();
    out->set_stream_id(sv.stream_id);
    out->set_version(sv.version);
  }
  return result;
}

}  // namespace

// Folded states by stream, shared by all commands. An entry is immutable once cached; a
// newer version replaces it.
class StateCache {
 public:
  struct Entry {
    uint64_t version = 0;
    std::type_index type = typeid(void);
    std::shared_ptr<const void> state;
  };

  bool Get(const std::string& stream, Entry* entry) {
    std::lock_guard lock(mu_);
    auto it = entries_.find(stream);
    if (it == entries_.end()) return false;
    *entry = it->second;
    return true;
  }

  void Put(const std::string& stream, Entry entry) {
    std::lock_guard lock(mu_);
    if (entries_.size() >= kStateCacheEntriesMax) entries_.clear();
    Entry& slot = entries_[stream];
    if (entry.version >= slot.version) slot = std::move(entry);
  }

 private:
  std::mutex mu_;
  absl::flat_hash_map<std::string, Entry> entries_;
};

namespace {

// The StateView of one decision attempt: loads states through the cache and remembers the
// version of every stream it handed out.
class StoreStateView final : public domain::StateView {
 public:
  StoreStateView(eventstore::EventStore& store, StateCache& cache) : store_(store), cache_(cache) {}

  absl::StatusOr<const AgencyState*> Agency(absl::string_view id) override {
    return Load<AgencyState>(domain::AgencyStream(id));
  }
  absl::StatusOr<const PersonState*> Person(absl::string_view id) override {
    return Load<PersonState>(domain::PersonStream(id));
  }
  absl::StatusOr<const PowerState*> Power(absl::string_view code) override {
    return Load<PowerState>(domain::PowerStream(code));
  }
  absl::StatusOr<const BudgetState*> Budget(absl::string_view agency_id, int year) override {
    return Load<BudgetState>(domain::BudgetStream(agency_id, year));
  }
  absl::StatusOr<const PlanState*> Plan(absl::string_view id) override {
    return Load<PlanState>(domain::PlanStream(id));
  }

  // Streams read, with the version each was read at, in the order first read.
  const std::vector<std::pair<std::string, uint64_t>>& reads() const { return reads_; }
  bool VersionRead(const std::string& stream, uint64_t* version) const {
    auto it = read_index_.find(stream);
    if (it == read_index_.end()) return false;
    *version = reads_[it->second].second;
    return true;
  }

 private:
  template <typename State>
  absl::StatusOr<const State*> Load(const std::string& stream) {
    if (auto it = loaded_.find(stream); it != loaded_.end()) {
      return static_cast<const State*>(it->second.get());
    }
    StateCache::Entry entry;
    std::shared_ptr<State> fresh;
    uint64_t version = 0;
    if (cache_.Get(stream, &entry) && entry.type == typeid(State)) {
      version = entry.version;
    } else {
      entry = {};
    }
    while (true) {
      absl::StatusOr<eventstore::StreamSlice> slice = store_.ReadStream(
          stream, version + 1, eventstore::ReadDirection::kForward, eventstore::kReadCountMax);
      if (!slice.ok()) return slice.status();
      if (slice->events.empty()) break;
      if (fresh == nullptr) {
        fresh = entry.state ? std::make_shared<State>(*static_cast<const State*>(entry.state.get()))
                            : std::make_shared<State>();
      }
      for (const eventstore::RecordedEvent& event : slice->events) {
        absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
            domain::DecodeEvent(event.type, event.data);
        if (decoded.ok()) {
          fresh->Apply(**decoded);
        } else if (decoded.status().code() != absl::StatusCode::kNotFound) {
          return decoded.status();  // a payload that does not parse is DATA_LOSS
        }
        version = event.stream_version;
      }
    }
    std::shared_ptr<const void> state;
    if (fresh != nullptr) {
      state = fresh;
      cache_.Put(stream, {version, typeid(State), state});
    } else if (entry.state != nullptr) {
      state = entry.state;
    } else {
      state = std::make_shared<State>();
    }
    loaded_.emplace(stream, state);
    read_index_.emplace(stream, reads_.size());
    reads_.emplace_back(stream, version);
    return static_cast<const State*>(state.get());
  }

  eventstore::EventStore& store_;
  StateCache& cache_;
  absl::flat_hash_map<std::string, std::shared_ptr<const void>> loaded_;
  absl::flat_hash_map<std::string, size_t> read_index_;
  std::vector<std::pair<std::string, uint64_t>> reads_;
};

eventstore::DocumentBasis ToBasis(const api::v1::DocumentBasis& basis) {
  return {basis.number(), basis.issuer(), basis.date(), basis.title()};
}

}  // namespace

absl::Status ValidateHeader(const api::v1::CommandHeader& header) {
  if (header.request_id().empty()) {
    return absl::InvalidArgumentError("header.request_id is empty: every command needs one");
  }
  if (header.request_id().size() > eventstore::kIdBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("header.request_id is ", header.request_id().size(), " bytes; the limit is ",
                     eventstore::kIdBytesMax));
  }
  if (header.basis().number().empty()) {
    return absl::InvalidArgumentError(
        "header.basis.number is empty: every change rests on a document (文号)");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"header.basis.number", &header.basis().number()},
        {"header.basis.issuer", &header.basis().issuer()},
        {"header.basis.title", &header.basis().title()}}) {
    if (absl::Status s = domain::ValidateText(field, *value, false); !s.ok()) return s;
  }
  if (absl::Status s = domain::ValidateDate("header.basis.date", header.basis().date(), false);
      !s.ok()) {
    return s;
  }
  if (absl::Status s =
          domain::ValidateDate("header.effective_date", header.effective_date(), false);
      !s.ok()) {
    return s;
  }
  if (!header.plan_id().empty()) {
    if (absl::Status s = domain::ValidateId("header.plan_id", header.plan_id()); !s.ok()) return s;
  }
  if (header.correlation_id().size() > eventstore::kIdBytesMax) {
    return absl::InvalidArgumentError("header.correlation_id is too long");
  }
  return absl::OkStatus();
}

absl::StatusOr<api::v1::CommandResult> CommandRunner::Answered(const std::string& request_id,
                                                               const std::string& fingerprint) {
  absl::StatusOr<eventstore::CommitRecord> previous = store_.FindCommit(request_id);
  if (!previous.ok()) return previous.status();
  if (previous->fingerprint != fingerprint) {
    return absl::AlreadyExistsError(
        absl::StrCat("request id ", request_id,
                     " was already used for a different request (recorded at position ",
                     previous->last_position, "); use a new request id"));
  }
  return ToResult(previous->ToResult(/*replayed=*/true));
}

CommandRunner::CommandRunner(eventstore::EventStore& store, const Clock& clock)
    : store_(store), clock_(clock), cache_(std::make_unique<StateCache>()) {}

CommandRunner::~CommandRunner() = default;

absl::StatusOr<api::v1::CommandResult> CommandRunner::Run(const std::string& principal,
                                                          const google::protobuf::Message& request,
                                                          const api::v1::CommandHeader& header,
                                                          const DecideFn& decide) {
  if (absl::Status s = ValidateHeader(header); !s.ok()) return s;
  // A dry run has the fingerprint of the real request, so that it finds a real one already
  // recorded under its id (a re-run import is then "already recorded", not a conflict).
  std::string fingerprint;
  if (header.dry_run()) {
    std::unique_ptr<google::protobuf::Message> real(request.New());
    real->CopyFrom(request);
    const google::protobuf::FieldDescriptor* field =
        real->GetDescriptor()->FindFieldByName("header");
    if (field != nullptr && field->message_type() == api::v1::CommandHeader::descriptor()) {
      static_cast<api::v1::CommandHeader*>(real->GetReflection()->MutableMessage(real.get(), field))
          ->clear_dry_run();
    }
    fingerprint = Digest(*real);
  } else {
    fingerprint = Digest(request);
  }

  // A request id answered before: the original result, or ALREADY_EXISTS.
  absl::StatusOr<api::v1::CommandResult> previous = Answered(header.request_id(), fingerprint);
  if (previous.status().code() != absl::StatusCode::kNotFound) return previous;

  const std::string effective_date =
      header.effective_date().empty() ? TodayInChina(clock_) : header.effective_date();
  absl::Status last_conflict;
  for (int attempt = 0; attempt < kDecideAttemptsMax; ++attempt) {
    StoreStateView view(store_, *cache_);
    absl::StatusOr<domain::Decision> decision = decide(view);
    if (!decision.ok()) return decision.status();
    if (decision->empty()) {
      return absl::InternalError("the decision recorded nothing");  // a bug in a decide function
    }
    if (absl::Status s = domain::CheckLocks(view, *decision, header.plan_id()); !s.ok()) return s;
    if (header.dry_run()) {
      api::v1::CommandResult preview;
      preview.set_dry_run(true);
      for (const domain::Emitted& emitted : decision->events()) {
        preview.add_event_types(domain::EventType(*emitted.event));
      }
      return preview;
    }

    eventstore::Commit commit;
    commit.commit_id = header.request_id();
    commit.principal = principal;
    commit.correlation_id = header.correlation_id();
    commit.fingerprint = fingerprint;
    absl::flat_hash_map<std::string, size_t> write_index;
    std::vector<std::string> types;
    for (const domain::Emitted& emitted : decision->events()) {
      auto [it, inserted] = write_index.emplace(emitted.stream_id, commit.writes.size());
      if (inserted) {
        uint64_t version = 0;
        if (!view.VersionRead(emitted.stream_id, &version)) {
          return absl::InternalError(
              absl::StrCat("the decision wrote ", emitted.stream_id, " without reading it"));
        }
        commit.writes.push_back(
            {emitted.stream_id, eventstore::ExpectedVersion::Exact(version), {}});
      }
      eventstore::NewEvent& event = commit.writes[it->second].events.emplace_back();
      event.type = domain::EventType(*emitted.event);
      event.data = emitted.event->SerializeAsString();
      event.effective_date = effective_date;
      event.basis = ToBasis(header.basis());
      types.push_back(event.type);
    }
    for (const auto& [stream, version] : view.reads()) {
      if (!write_index.contains(stream)) {
        commit.checks.push_back({stream, eventstore::ExpectedVersion::Exact(version)});
      }
    }
    absl::StatusOr<eventstore::AppendResult> appended = store_.Append(commit);
    if (appended.ok()) {
      api::v1::CommandResult result = ToResult(*appended);
      if (!appended->replayed) {
        for (std::string& type : types) result.add_event_types(std::move(type));
      }
      return result;
    }
    if (appended.status().code() == absl::StatusCode::kAlreadyExists) {
      // The same request, racing itself, was decided against another state: answer it as
      // the retry it is (or as ALREADY_EXISTS if it is another request after all).
      previous = Answered(header.request_id(), fingerprint);
      return previous.status().code() == absl::StatusCode::kNotFound ? appended.status() : previous;
    }
    if (appended.status().code() != absl::StatusCode::kAborted) return appended.status();
    last_conflict = appended.status();  // someone else changed what we read: decide again
  }
  return absl::AbortedError(
      absl::StrCat("gave up after ", kDecideAttemptsMax,
                   " attempts under contention; last conflict: ", last_conflict.message()));
}

}  // namespace reformlog::services
