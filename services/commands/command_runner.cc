#include "services/commands/command_runner.h"

#include <mutex>
#include <set>
#include <typeindex>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/message_digest.h"
#include "base/status_macros.h"
#include "domain/event_codec.h"
#include "domain/refusal.h"
#include "domain/vocabulary.h"
#include "eventstore/limits.h"
#include "services/common/china_date.h"
#include "services/domain/rules.h"
#include "services/domain/timeline.h"

namespace reformlog::services {
namespace {

using domain::AgencyState;
using domain::BudgetState;
using domain::PersonState;
using domain::PlanState;
using domain::PowerState;

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

namespace {

// The StateView of one decision attempt. Every stream it reads is locked for the attempt
// (StateCache): the streams known to be needed are locked up front, in sorted order; any
// other is only tried, and if another command holds it the attempt stops (busy()) and is
// restarted with that stream among the known ones. Blocking only in sorted order, while
// holding nothing taken out of order, no two commands can wait for each other.
//
// States are as of `effective_date`. A cached state is the stream's latest; when the command
// takes effect before the stream's latest effective date (a late entry), the view folds the
// stream as of its date from the store instead, and keeps the events taking effect later
// for CheckLaterDates.
class LockingStateView final : public domain::StateView {
 public:
  LockingStateView(eventstore::EventStore& store, StateCache& cache,
                   const std::set<std::string>& known, const std::string& effective_date)
      : store_(store), cache_(cache) {
    effective_date_ = effective_date;
    for (const std::string& stream : known) {
      StateCache::Slot* slot = cache_.Pin(stream);
      slot->mu.lock();
      held_.emplace(stream, slot);
    }
  }
  ~LockingStateView() override { ReleaseAll(); }
  LockingStateView(const LockingStateView&) = delete;
  LockingStateView& operator=(const LockingStateView&) = delete;

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
  absl::StatusOr<const domain::SecurityState*> Security() override {
    return Load<domain::SecurityState>(domain::kSecurityStream);
  }
  absl::StatusOr<const domain::QuotaUseState*> QuotaUse(absl::string_view notice_id) override {
    return Load<domain::QuotaUseState>(domain::QuotaUseStream(notice_id));
  }
  absl::StatusOr<const domain::JurisdictionState*> Jurisdiction(
      absl::string_view jurisdiction) override {
    return Peek<domain::JurisdictionState>(domain::JurisdictionStream(jurisdiction));
  }
  absl::StatusOr<const domain::AgencyNameState*> AgencyName(absl::string_view jurisdiction,
                                                            absl::string_view name) override {
    return Load<domain::AgencyNameState>(domain::AgencyNameStream(jurisdiction, name));
  }
  absl::StatusOr<const AgencyState*> LatestAgency(absl::string_view id) override {
    return LoadLatest<AgencyState>(domain::AgencyStream(id));
  }
  absl::StatusOr<const BudgetState*> LatestBudget(absl::string_view agency_id, int year) override {
    return LoadLatest<BudgetState>(domain::BudgetStream(agency_id, year));
  }

  // A stream the decision writes that this attempt only peeked at (Peek): decide again with it
  // locked from the start. Null when there is none.
  const std::string* WritesPeeked(const domain::Decision& decision) const {
    for (const domain::Emitted& emitted : decision.events()) {
      if (peeked_.contains(emitted.stream_id)) return &emitted.stream_id;
    }
    return nullptr;
  }

  // The stream another command held when this attempt reached it; null when none did.
  const std::string* busy() const { return busy_.empty() ? nullptr : &busy_; }
  // A commit not yet durable that a late entry must see in the store before it reads the
  // stream's history: decide again after ReleaseAll and waiting for it. Null when none.
  const std::shared_ptr<CommitOutcome>& awaited() const { return awaited_; }

  // For every late stream the decision writes to: the stream's later events replayed on
  // the decision's (domain::ReplayLater). FAILED_PRECONDITION naming the first later date it
  // would break.
  absl::Status CheckLaterDates(const domain::Decision& decision) {
    std::map<std::string, std::vector<const google::protobuf::Message*>> added;
    for (const domain::Emitted& emitted : decision.events()) {
      if (late_.contains(emitted.stream_id)) {
        added[emitted.stream_id].push_back(emitted.event.get());
      }
    }
    for (const auto& [stream, events] : added) {
      Late& late = late_.at(stream);
      ASSIGN_OR_RETURN(late.replayed, late.replay(late, effective_date_, events));
    }
    return absl::OkStatus();
  }

  // Streams read, with the version each was read at, in the order first read.
  const std::vector<std::pair<std::string, uint64_t>>& reads() const { return reads_; }
  std::vector<std::string> ReadStreams() const {
    std::vector<std::string> streams;
    streams.reserve(reads_.size());
    for (const auto& [stream, version] : reads_) streams.push_back(stream);
    return streams;
  }
  bool VersionRead(const std::string& stream, uint64_t* version) const {
    auto it = read_index_.find(stream);
    if (it == read_index_.end()) return false;
    *version = reads_[it->second].second;
    return true;
  }

  // Applies the decision's events to the states of the streams they are for (every one of
  // them read by this attempt), marks those states pending on `outcome`, and unlocks every
  // state: the next command on them decides against this commit.
  void ApplyAndRelease(const domain::Decision& decision,
                       const std::shared_ptr<CommitOutcome>& outcome) {
    for (const domain::Emitted& emitted : decision.events()) {
      StateCache::Slot* slot = held_.at(emitted.stream_id);
      if (auto late = late_.find(emitted.stream_id); late != late_.end()) {
        // A late entry: the latest state is the replay CheckLaterDates made, and the next late
        // entry in the window starts from the base with this one applied.
        slot->state = late->second.replayed;
        slot->apply(slot->late_base.get(), *emitted.event, effective_date_);
        slot->late_base_date = effective_date_;
      } else {
        slot->apply(slot->state.get(), *emitted.event, effective_date_);
        slot->latest_effective = std::max(slot->latest_effective, effective_date_);
        if (slot->late_base != nullptr) slot->later.push_back({effective_date_, emitted.event});
      }
      ++slot->version;
      slot->pending = outcome;
    }
    ReleaseAll();
  }

  void ReleaseAll() {
    for (auto& [stream, slot] : held_) {
      slot->mu.unlock();
      cache_.Unpin(slot);
    }
    held_.clear();
    late_.clear();
  }

  // The streams read from a settled state (no commit pending on it) that the store has at
  // another version: something outside this runner wrote them. An answer that no append
  // checks (a refusal, a dry run) must not rest on them. Call it with the states locked.
  absl::StatusOr<std::vector<std::string>> StaleReads() {
    std::vector<std::string> stale;
    for (size_t i : settled_reads_) {
      ASSIGN_OR_RETURN(uint64_t stored, store_.CurrentStreamVersion(reads_[i].first));
      if (stored != reads_[i].second) stale.push_back(reads_[i].first);
    }
    return stale;
  }

  // Waits until every commit of another command that a state read here had applied before
  // it was durable has its outcome; false if one of them did not become durable. Call it
  // after ReleaseAll (those commands may need the states to clean up).
  bool ReadStatesDurable() {
    bool durable = true;
    for (const std::shared_ptr<CommitOutcome>& outcome : pending_reads_) {
      durable = outcome->Wait() && durable;
    }
    return durable;
  }

 private:
  // A stream read as of a date before its latest effective date.
  struct Late {
    std::shared_ptr<void> as_of;            // the State as of the command's date
    std::vector<domain::DatedEvent> later;  // taking effect after it, in effect order
    std::shared_ptr<void> replayed;         // set by CheckLaterDates
    absl::StatusOr<std::shared_ptr<void>> (*replay)(
        const Late& late, const std::string& date,
        const std::vector<const google::protobuf::Message*>& added) = nullptr;
  };

  template <typename State>
  static void ApplyTo(void* state, const google::protobuf::Message& event,
                      absl::string_view effective_date) {
    domain::ApplyOn(*static_cast<State*>(state), event, effective_date);
  }

  template <typename State>
  static absl::StatusOr<std::shared_ptr<void>> ReplayOf(
      const Late& late, const std::string& date,
      const std::vector<const google::protobuf::Message*>& added) {
    ASSIGN_OR_RETURN(
        std::shared_ptr<State> state,
        domain::ReplayLater(*static_cast<const State*>(late.as_of.get()), date, added, late.later));
    return std::shared_ptr<void>(std::move(state));
  }

  // The state of a stream many commands read and few write (a jurisdiction's settings): read
  // as Load reads it, copied, and unlocked at once, so that the commands reading it do not take
  // turns on it for their whole decision. The read is checked at commit like any other: a
  // change meanwhile fails the commit, which is decided again. A stream locked from the start
  // (known) stays locked; a decision that writes a peeked stream is decided again with it
  // locked (WritesPeeked).
  template <typename State>
  absl::StatusOr<const State*> Peek(const std::string& stream) {
    if (auto it = peeked_.find(stream); it != peeked_.end()) {
      return static_cast<const State*>(it->second.get());
    }
    const bool locked_from_start = held_.contains(stream);
    ASSIGN_OR_RETURN(const State* state, Load<State>(stream));
    if (locked_from_start) return state;
    auto copy = std::make_shared<State>(*state);
    late_.erase(stream);
    StateCache::Slot* slot = held_.at(stream);
    slot->mu.unlock();
    cache_.Unpin(slot);
    held_.erase(stream);
    const State* peeked = copy.get();
    peeked_.emplace(stream, std::move(copy));
    return peeked;
  }

  template <typename State>
  absl::StatusOr<const State*> Load(const std::string& stream) {
    if (auto it = peeked_.find(stream); it != peeked_.end()) {
      return static_cast<const State*>(it->second.get());
    }
    if (auto it = read_index_.find(stream); it != read_index_.end()) {
      if (auto late = late_.find(stream); late != late_.end()) {
        return static_cast<const State*>(late->second.as_of.get());
      }
      return static_cast<const State*>(held_.at(stream)->state.get());
    }
    if (!busy_.empty() || awaited_ != nullptr) return Busy();
    StateCache::Slot* slot;
    if (auto it = held_.find(stream); it != held_.end()) {
      slot = it->second;
    } else {
      slot = cache_.Pin(stream);
      if (!slot->mu.try_lock()) {
        cache_.Unpin(slot);
        busy_ = stream;
        return Busy();
      }
      held_.emplace(stream, slot);
    }
    if (slot->pending != nullptr && slot->pending->resolved()) {
      // The last commit applied to the state has its outcome: durable, so nothing is
      // pending; or failed, so the state holds what never happened.
      if (slot->pending->Wait()) {
        slot->pending.reset();
      } else {
        slot->Unload();
      }
    }
    if (!slot->loaded || slot->type != typeid(State)) {
      RETURN_IF_ERROR(LoadFromStore<State>(stream, *slot));
    }
    const auto* state = static_cast<const State*>(slot->state.get());
    if (effective_date_ < slot->latest_effective) {
      const bool base_fits = slot->late_base != nullptr &&
                             slot->late_base_date <= effective_date_ && !slot->later.empty() &&
                             effective_date_ < slot->later.front().effective_date;
      if (!base_fits) {
        if (slot->pending != nullptr) {
          // The history is read from the store, which must hold every commit applied.
          awaited_ = slot->pending;
          return Busy();
        }
        uint64_t version = 0;
        ASSIGN_OR_RETURN(std::vector<domain::DatedEvent> events,
                         ReadInEffectOrder(stream, &version));
        if (version != slot->version) {
          // Written outside this process since the state was folded: the latest state too.
          Refold<State>(*slot, events, version);
        }
        std::vector<domain::DatedEvent> later;
        slot->late_base =
            std::make_shared<State>(domain::FoldAsOf<State>(events, effective_date_, &later));
        slot->late_base_date = effective_date_;
        slot->later = std::move(later);
      }
      Late late;
      late.as_of = slot->late_base;  // read only; the next late entry's base after the commit
      late.later = slot->later;
      late.replay = &ReplayOf<State>;
      state = static_cast<const State*>(late.as_of.get());
      late_.emplace(stream, std::move(late));
    }
    if (slot->pending != nullptr) {
      pending_reads_.push_back(slot->pending);
    } else {
      settled_reads_.push_back(reads_.size());
    }
    read_index_.emplace(stream, reads_.size());
    reads_.emplace_back(stream, slot->version);
    return state;
  }

  // The cached (latest) state of `stream`, read and locked as Load does.
  template <typename State>
  absl::StatusOr<const State*> LoadLatest(const std::string& stream) {
    RETURN_IF_ERROR(Load<State>(stream).status());
    return static_cast<const State*>(held_.at(stream)->state.get());
  }

  // The events of `stream` in the store, in the order they take effect (timeline.h), and the
  // stream's version.
  absl::StatusOr<std::vector<domain::DatedEvent>> ReadInEffectOrder(const std::string& stream,
                                                                    uint64_t* version) {
    std::vector<domain::DatedEvent> events;
    *version = 0;
    while (true) {
      ASSIGN_OR_RETURN(eventstore::StreamSlice slice,
                       store_.ReadStream(stream, *version + 1, eventstore::ReadDirection::kForward,
                                         eventstore::kReadCountMax));
      if (slice.events.empty()) break;
      for (eventstore::RecordedEvent& event : slice.events) {
        absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
            domain::DecodeEvent(event.type, event.data);
        if (decoded.ok()) {
          events.push_back({std::move(event.effective_date), std::move(*decoded)});
        } else if (decoded.status().code() != absl::StatusCode::kNotFound) {
          return decoded.status();  // a payload that does not parse is DATA_LOSS
        }
        *version = event.stream_version;
      }
    }
    domain::SortByEffect(events);
    return events;
  }

  // Folds the stream from the store, in the order its events take effect, into the slot
  // (locked by this view).
  template <typename State>
  absl::Status LoadFromStore(const std::string& stream, StateCache::Slot& slot) {
    uint64_t version = 0;
    ASSIGN_OR_RETURN(std::vector<domain::DatedEvent> events, ReadInEffectOrder(stream, &version));
    Refold<State>(slot, events, version);
    return absl::OkStatus();
  }

  // Makes the slot the fold of `events` (the whole stream at `version`, in effect order).
  template <typename State>
  static void Refold(StateCache::Slot& slot, const std::vector<domain::DatedEvent>& events,
                     uint64_t version) {
    auto state = std::make_shared<State>(domain::FoldAsOf<State>(events, "", nullptr));
    slot.Unload();
    slot.loaded = true;
    slot.version = version;
    slot.type = typeid(State);
    slot.state = std::move(state);
    slot.apply = &ApplyTo<State>;
    if (!events.empty()) slot.latest_effective = events.back().effective_date;
  }

  absl::Status Busy() const {
    // Not an answer: the runner sees busy() and decides again. Decide functions pass it on.
    return absl::UnavailableError(absl::StrCat(busy_, " is in use by another command"));
  }

  eventstore::EventStore& store_;
  StateCache& cache_;
  absl::flat_hash_map<std::string, StateCache::Slot*> held_;  // locked and pinned
  std::string busy_;
  std::shared_ptr<CommitOutcome> awaited_;
  absl::flat_hash_map<std::string, Late> late_;  // by stream
  // Streams read by Peek: their states as read, no longer locked.
  absl::flat_hash_map<std::string, std::shared_ptr<const void>> peeked_;
  absl::flat_hash_map<std::string, size_t> read_index_;
  std::vector<std::pair<std::string, uint64_t>> reads_;
  std::vector<std::shared_ptr<CommitOutcome>> pending_reads_;
  std::vector<size_t> settled_reads_;  // indexes into reads_
};

eventstore::DocumentBasis ToBasis(const api::v1::DocumentBasis& basis) {
  return {basis.number(), basis.issuer(), basis.date(), basis.title()};
}

}  // namespace

absl::Status ValidateHeader(const api::v1::CommandHeader& header) {
  if (header.request_id().empty()) {
    return domain::RefuseInvalid("header.request_id is empty: every command needs one",
                                 "请求编号（header.request_id）为空：每条命令都须有请求编号");
  }
  if (header.request_id().size() > domain::kRequestIdBytesMax) {
    return domain::RefuseInvalid(
        absl::StrCat("header.request_id is ", header.request_id().size(), " bytes; the limit is ",
                     domain::kRequestIdBytesMax),
        absl::StrCat("请求编号（header.request_id）长 ", header.request_id().size(),
                     " 字节，超过上限 ", domain::kRequestIdBytesMax, " 字节"));
  }
  if (header.basis().number().empty()) {
    return domain::RefuseInvalid(
        "header.basis.number is empty: every change rests on a document (文号)",
        "未给文件依据：每项改动都须写明所依据文件的文号（header.basis.number，reformctl --basis）");
  }
  for (const auto& [field, value] :
       {std::pair<const char*, const std::string*>{"header.basis.number", &header.basis().number()},
        {"header.basis.issuer", &header.basis().issuer()},
        {"header.basis.title", &header.basis().title()}}) {
    RETURN_IF_ERROR(domain::ValidateText(field, *value, false));
  }
  RETURN_IF_ERROR(domain::ValidateDate("header.basis.date", header.basis().date(), false));
  RETURN_IF_ERROR(domain::ValidateDate("header.effective_date", header.effective_date(), false));
  if (!header.plan_id().empty()) {
    RETURN_IF_ERROR(domain::ValidateId("header.plan_id", header.plan_id()));
  }
  if (header.correlation_id().size() > eventstore::kIdBytesMax) {
    return domain::RefuseInvalid(
        absl::StrCat("header.correlation_id is ", header.correlation_id().size(),
                     " bytes; the limit is ", eventstore::kIdBytesMax),
        absl::StrCat("关联编号（header.correlation_id）长 ", header.correlation_id().size(),
                     " 字节，超过上限 ", eventstore::kIdBytesMax, " 字节"));
  }
  return absl::OkStatus();
}

// The longest principal id and request id make a commit id the store takes.
static_assert(domain::kPrincipalIdBytesMax + 1 + domain::kRequestIdBytesMax <=
              eventstore::kIdBytesMax);

std::string CommitIdOf(absl::string_view principal, absl::string_view request_id) {
  return absl::StrCat(principal, "/", request_id);
}

absl::StatusOr<api::v1::CommandResult> CommandRunner::Answered(const std::string& commit_id,
                                                               const std::string& fingerprint) {
  ASSIGN_OR_RETURN(eventstore::CommitRecord previous, store_.FindCommit(commit_id));
  if (previous.fingerprint != fingerprint) {
    const absl::string_view request_id =
        absl::string_view(commit_id).substr(commit_id.find('/') + 1);
    return domain::Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat("request id ", request_id,
                     " was already used for a different request (recorded at position ",
                     previous.last_position, "); use a new request id"),
        absl::StrCat("请求编号 ", request_id, " 已用于另一项请求（记录在位置 ",
                     previous.last_position, "）：请换用新的请求编号"));
  }
  return ToResult(previous.ToResult(/*replayed=*/true));
}

CommandRunner::CommandRunner(eventstore::EventStore& store, const Clock& clock)
    : store_(store), clock_(clock) {}

CommandRunner::~CommandRunner() = default;

absl::StatusOr<api::v1::CommandResult> CommandRunner::Refused(const absl::Status& refusal,
                                                              const std::string& commit_id,
                                                              const std::string& fingerprint) {
  if (refusal.code() == absl::StatusCode::kInvalidArgument) return refusal;  // not the state's
  absl::StatusOr<api::v1::CommandResult> previous = Answered(commit_id, fingerprint);
  return previous.status().code() == absl::StatusCode::kNotFound ? refusal : previous;
}

void CommandRunner::Unload(const std::vector<std::string>& streams) {
  for (const std::string& stream : streams) {
    StateCache::Slot* slot = cache_.Pin(stream);
    {
      std::lock_guard lock(slot->mu);  // holding no other: cannot wait in a cycle
      slot->Unload();
    }
    cache_.Unpin(slot);
  }
}

namespace {

// The fingerprint of a request: a dry run has the fingerprint of the real request, so that
// it finds a real one already recorded under its id (a re-run import is then "already
// recorded", not a conflict).
std::string Fingerprint(const google::protobuf::Message& request,
                        const api::v1::CommandHeader& header) {
  if (!header.dry_run()) return MessageDigestHex(request);
  std::unique_ptr<google::protobuf::Message> real(request.New());
  real->CopyFrom(request);
  const google::protobuf::FieldDescriptor* field = real->GetDescriptor()->FindFieldByName("header");
  if (field != nullptr && field->message_type() == api::v1::CommandHeader::descriptor()) {
    static_cast<api::v1::CommandHeader*>(real->GetReflection()->MutableMessage(real.get(), field))
        ->clear_dry_run();
  }
  return MessageDigestHex(*real);
}

api::v1::CommandResult Preview(const domain::Decision& decision,
                               const std::string& effective_date) {
  api::v1::CommandResult preview;
  preview.set_dry_run(true);
  preview.set_effective_date(effective_date);
  for (const domain::Emitted& emitted : decision.events()) {
    preview.add_event_types(domain::EventType(*emitted.event));
  }
  return preview;
}

// The commit of a decision: every stream written is expected at the version read, every
// other stream read is checked at it.
absl::StatusOr<eventstore::Commit> ToCommit(const LockingStateView& view,
                                            const domain::Decision& decision,
                                            const api::v1::CommandHeader& header,
                                            const std::string& commit_id,
                                            const std::string& principal,
                                            const std::string& fingerprint,
                                            const std::string& effective_date) {
  eventstore::Commit commit;
  commit.commit_id = commit_id;
  commit.principal = principal;
  commit.correlation_id = header.correlation_id();
  commit.fingerprint = fingerprint;
  absl::flat_hash_map<std::string, size_t> write_index;
  for (const domain::Emitted& emitted : decision.events()) {
    auto [it, inserted] = write_index.emplace(emitted.stream_id, commit.writes.size());
    if (inserted) {
      uint64_t version = 0;
      if (!view.VersionRead(emitted.stream_id, &version)) {
        return absl::InternalError(
            absl::StrCat("the decision wrote ", emitted.stream_id, " without reading it"));
      }
      commit.writes.push_back({emitted.stream_id, eventstore::ExpectedVersion::Exact(version), {}});
    }
    eventstore::NewEvent& event = commit.writes[it->second].events.emplace_back();
    event.type = domain::EventType(*emitted.event);
    event.data = emitted.event->SerializeAsString();
    event.effective_date = effective_date;
    event.basis = ToBasis(header.basis());
  }
  for (const auto& [stream, version] : view.reads()) {
    if (!write_index.contains(stream)) {
      commit.checks.push_back({stream, eventstore::ExpectedVersion::Exact(version)});
    }
  }
  return commit;
}

}  // namespace

absl::StatusOr<api::v1::CommandResult> CommandRunner::Run(const std::string& principal,
                                                          const google::protobuf::Message& request,
                                                          const api::v1::CommandHeader& header,
                                                          const DecideFn& decide) {
  RETURN_IF_ERROR(ValidateHeader(header));
  const std::string fingerprint = Fingerprint(request, header);
  // Copies in flight together share one run; a dry run shares only with dry runs.
  const std::string gate_key = absl::StrCat(fingerprint, header.dry_run() ? "/dry-run" : "");
  // Request ids are the principal's own: one principal cannot take or probe another's.
  const std::string commit_id = CommitIdOf(principal, header.request_id());
  return gate_.Run(commit_id, gate_key,
                   [&] { return RunAlone(principal, commit_id, header, fingerprint, decide); });
}

absl::StatusOr<api::v1::CommandResult> CommandRunner::RunAlone(const std::string& principal,
                                                               const std::string& commit_id,
                                                               const api::v1::CommandHeader& header,
                                                               const std::string& fingerprint,
                                                               const DecideFn& decide) {
  const std::string& request_id = header.request_id();
  // A request id answered before: the original result, or ALREADY_EXISTS.
  absl::StatusOr<api::v1::CommandResult> previous = Answered(commit_id, fingerprint);
  if (previous.status().code() != absl::StatusCode::kNotFound) return previous;
  if (hooks_.after_answered_check) hooks_.after_answered_check(request_id);

  const std::string effective_date =
      header.effective_date().empty() ? TodayInChina(clock_) : header.effective_date();
  std::set<std::string> known;  // streams to lock before deciding
  absl::Status last_conflict;
  int conflicts = 0;
  for (int restarts = 0; restarts <= kLockRestartsMax; ++restarts) {
    LockingStateView view(store_, cache_, known, effective_date);
    absl::StatusOr<domain::Decision> decision = decide(view);
    if (view.busy() != nullptr) {  // decide again, after waiting for that state first
      known.insert(*view.busy());
      continue;
    }
    if (view.awaited() != nullptr) {  // decide again once that commit has its outcome
      const std::shared_ptr<CommitOutcome> awaited = view.awaited();
      view.ReleaseAll();
      awaited->Wait();
      continue;
    }
    if (decision.ok()) {
      if (const std::string* peeked = view.WritesPeeked(*decision)) {
        known.insert(*peeked);  // decide again with it locked
        continue;
      }
    }
    absl::Status refusal = decision.status();
    if (refusal.ok() && decision->empty()) {
      refusal = absl::InternalError("the decision recorded nothing");  // a bug in a decide
    }
    if (refusal.ok()) refusal = domain::CheckLocks(view, *decision, header.plan_id());
    if (refusal.ok()) refusal = view.CheckLaterDates(*decision);
    if (!refusal.ok() || header.dry_run()) {
      // Nothing to append, so no expectation checks what was read: answer only from
      // states that are the store's and durable.
      ASSIGN_OR_RETURN(std::vector<std::string> stale, view.StaleReads());
      view.ReleaseAll();
      if (!stale.empty()) {
        Unload(stale);
        last_conflict = absl::AbortedError(
            absl::StrCat(stale.front(), " was written outside this process meanwhile"));
        if (++conflicts >= kDecideAttemptsMax) break;
        continue;
      }
      if (!view.ReadStatesDurable()) {
        const std::vector<std::string> read = view.ReadStreams();
        known.insert(read.begin(), read.end());
        continue;
      }
      if (!refusal.ok()) return Refused(refusal, commit_id, fingerprint);
      return Preview(*decision, effective_date);
    }
    if (hooks_.after_decide) hooks_.after_decide(request_id);

    ASSIGN_OR_RETURN(eventstore::Commit commit, ToCommit(view, *decision, header, commit_id,
                                                         principal, fingerprint, effective_date));
    auto outcome = std::make_shared<CommitOutcome>();
    bool queued = false;
    absl::StatusOr<eventstore::AppendResult> appended = store_.Append(commit, [&] {
      queued = true;
      view.ApplyAndRelease(*decision, outcome);
    });
    outcome->Resolve(appended.ok());
    if (appended.ok()) {
      api::v1::CommandResult result = ToResult(*appended);
      if (!appended->replayed) {
        result.set_effective_date(effective_date);
        for (const eventstore::StreamWrite& write : commit.writes) {
          for (const eventstore::NewEvent& event : write.events) result.add_event_types(event.type);
        }
      }
      return result;
    }
    view.ReleaseAll();
    // States that applied this commit, or were read at stale versions, are wrong now.
    const std::vector<std::string> read = view.ReadStreams();
    if (queued || appended.status().code() == absl::StatusCode::kAborted) Unload(read);
    if (appended.status().code() == absl::StatusCode::kAlreadyExists) {
      // The same request id was recorded meanwhile by another process: answer it as the
      // retry it is (or as ALREADY_EXISTS if it is another request after all).
      previous = Answered(commit_id, fingerprint);
      return previous.status().code() == absl::StatusCode::kNotFound ? appended.status() : previous;
    }
    if (appended.status().code() != absl::StatusCode::kAborted) return appended.status();
    last_conflict = appended.status();  // a state was stale: decide again, locked from the start
    if (++conflicts >= kDecideAttemptsMax) break;
    known.insert(read.begin(), read.end());
  }
  if (conflicts < kDecideAttemptsMax) {
    return absl::InternalError(absl::StrCat("a decision was restarted more than ", kLockRestartsMax,
                                            " times waiting for states"));
  }
  return absl::AbortedError(
      absl::StrCat("gave up after ", kDecideAttemptsMax,
                   " attempts under contention; last conflict: ", last_conflict.message()));
}

}  // namespace reformlog::services
