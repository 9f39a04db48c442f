#include "projections/projection_runner.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "eventstore/limits.h"
#include "projections/domain/event_codec.h"
#include "projections/readmodel_format.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"
#include "spdlog/spdlog.h"

namespace reformlog::projections {
namespace {

namespace rm = ::reformlog::readmodel::v1;

// Payloads decoded once per event and shared by every projection; null for event types
// this build does not know (newer writers): projections skip them.
std::vector<std::unique_ptr<google::protobuf::Message>> DecodeAll(
    const std::vector<eventstore::RecordedEvent>& events, absl::Status* error) {
  std::vector<std::unique_ptr<google::protobuf::Message>> payloads;
  payloads.reserve(events.size());
  for (const eventstore::RecordedEvent& e : events) {
    absl::StatusOr<std::unique_ptr<google::protobuf::Message>> decoded =
        domain::DecodeEvent(e.type, e.data);
    if (decoded.ok()) {
      payloads.push_back(std::move(*decoded));
    } else {
      if (decoded.status().code() != absl::StatusCode::kNotFound) *error = decoded.status();
      payloads.push_back(nullptr);
    }
  }
  return payloads;
}

void ApplyEvents(const Projection& projection, EntityTable& table,
                 const std::vector<eventstore::RecordedEvent>& events,
                 const std::vector<std::unique_ptr<google::protobuf::Message>>& payloads,
                 uint64_t after) {
  for (size_t i = 0; i < events.size(); ++i) {
    if (events[i].position <= after || payloads[i] == nullptr) continue;
    projection.Apply(AppliedEvent{events[i], *payloads[i]}, table);
  }
}

void AddChanges(absl::string_view name, uint32_t version, EntityTable& table,
                eventstore::KvBatch& batch) {
  for (auto& [key, bytes] : table.TakeChanges()) {
    std::string kv_key = format::EntityKey(name, version, key);
    if (bytes.has_value()) {
      batch.Put(std::move(kv_key), std::move(*bytes));
    } else {
      batch.Delete(std::move(kv_key));
    }
  }
}

void AddMeta(absl::string_view name, uint32_t version, uint64_t checkpoint,
             eventstore::KvBatch& batch) {
  rm::ProjectionMeta meta;
  meta.set_version(version);
  meta.set_checkpoint(checkpoint);
  batch.Put(format::MetaKey(name), meta.SerializeAsString());
}

absl::Status ValidateName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("a projection has an empty name");
  for (char c : name) {
    if (!absl::ascii_islower(static_cast<unsigned char>(c)) && c != '_') {
      return absl::InvalidArgumentError(
          absl::StrCat("projection name \"", name, "\" may hold only a-z and '_'"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

class ProjectionRunner::Impl {
 public:
  struct Slot {
    std::unique_ptr<Projection> projection;
    mutable std::shared_mutex mu;  // guards table and version for readers
    std::unique_ptr<EntityTable> table;
    uint32_t version = 1;
    std::atomic<uint64_t> position{0};
    std::atomic<uint64_t> applied{0};
    std::atomic<bool> rebuilding{false};
    std::atomic<uint64_t> flushed{0};  // the checkpoint persisted; written under apply_mu_
  };

  Impl(eventstore::EventStore& store, eventstore::KeyValueStore& kv) : store_(store), kv_(kv) {}

  ~Impl() { Stop(); }

  absl::Status Load(std::vector<std::unique_ptr<Projection>> projections) {
    for (std::unique_ptr<Projection>& projection : projections) {
      if (absl::Status s = ValidateName(projection->name()); !s.ok()) return s;
      for (const auto& slot : slots_) {
        if (slot->projection->name() == projection->name()) {
          return absl::InvalidArgumentError(
              absl::StrCat("two projections are named ", projection->name()));
        }
      }
      auto slot = std::make_unique<Slot>();
      slot->table = std::make_unique<EntityTable>(projection->entity_prototype());
      absl::StatusOr<std::optional<std::string>> meta =
          kv_.Get(format::MetaKey(projection->name()));
      if (!meta.ok()) return meta.status();
      if (meta->has_value()) {
        rm::ProjectionMeta parsed;
        if (!parsed.ParseFromString(**meta)) {
          return absl::DataLossError(
              absl::StrCat("meta of projection ", projection->name(), " does not parse"));
        }
        slot->version = parsed.version();
        slot->position = parsed.checkpoint();
        slot->flushed = parsed.checkpoint();
        const std::string prefix = format::VersionPrefix(projection->name(), slot->version);
        absl::Status loaded = absl::OkStatus();
        absl::Status scanned =
            kv_.Scan(prefix, [&](absl::string_view key, absl::string_view value) {
              loaded = slot->table->Load(key.substr(prefix.size()), value);
              return loaded.ok();
            });
        if (!scanned.ok()) return scanned;
        if (!loaded.ok()) return loaded;
      }
      if (slot->position > store_.HeadPosition()) {
        return absl::FailedPreconditionError(
            absl::StrCat("projection ", projection->name(), " has applied position ",
                         slot->position.load(), " but the log ends at ", store_.HeadPosition(),
                         ": the read models belong to another log; remove them to rebuild"));
      }
      spdlog::info("projection {} loaded: {} entities at position {}",
                   std::string(projection->name()), slot->table->size(), slot->position.load());
      slot->projection = std::move(projection);
      slots_.push_back(std::move(slot));
    }
    return absl::OkStatus();
  }

  void StartThread() {
    uint64_t from = UINT64_MAX;
    for (const auto& slot : slots_) from = std::min<uint64_t>(from, slot->position);
    if (slots_.empty()) return;
    thread_ = std::thread([this, from] { Follow(from + 1); });
  }

  void Stop() {
    if (stop_.exchange(true)) return;
    {
      std::lock_guard lock(sub_mu_);
      if (subscription_ != nullptr) subscription_->Cancel();
    }
    if (thread_.joinable()) thread_.join();
    {
      std::lock_guard apply(apply_mu_);
      LogIfError(Flush());  // a clean stop leaves nothing to replay
    }
    std::lock_guard lock(sub_mu_);
    subscription_.reset();
  }

  absl::Status Read(absl::string_view name, uint64_t min_position, absl::Duration max_wait,
                    const std::function<void(const EntityTable&, uint64_t)>& read) const {
    const Slot* slot = Find(name);
    if (slot == nullptr) return absl::NotFoundError(absl::StrCat("no projection ", name));
    if (slot->position < min_position) {
      std::unique_lock lock(wait_mu_);
      applied_cv_.wait_for(lock, absl::ToChronoNanoseconds(max_wait),
                           [&] { return slot->position >= min_position || stop_; });
      if (slot->position < min_position) {
        return absl::UnavailableError(absl::StrCat(
            "read model ", name, " has applied position ", slot->position.load(), ", ",
            min_position - slot->position, " behind the requested min_position ", min_position,
            " after waiting ", absl::FormatDuration(max_wait), "; retry"));
      }
    }
    std::shared_lock lock(slot->mu);
    read(*slot->table, slot->position);
    return absl::OkStatus();
  }

  std::vector<ProjectionStatus> Statuses() const {
    std::vector<ProjectionStatus> out;
    const uint64_t head = store_.HeadPosition();
    for (const auto& slot : slots_) {
      std::shared_lock lock(slot->mu);
      ProjectionStatus s;
      s.name = std::string(slot->projection->name());
      s.version = slot->version;
      s.position = slot->position;
      s.persisted = slot->flushed.load();
      s.head = head;
      s.lag = head > s.position ? head - s.position : 0;
      s.entities = slot->table->size();
      s.applied_since_start = slot->applied;
      s.rebuilding = slot->rebuilding;
      out.push_back(std::move(s));
    }
    return out;
  }

  bool WaitForAll(uint64_t position, absl::Duration timeout) const {
    std::unique_lock lock(wait_mu_);
    return applied_cv_.wait_for(lock, absl::ToChronoNanoseconds(timeout), [&] {
      for (const auto& slot : slots_) {
        if (slot->position < position) return false;
      }
      return true;
    });
  }

  absl::Status Rebuild(absl::string_view name) {
    Slot* slot = Find(name);
    if (slot == nullptr) return absl::NotFoundError(absl::StrCat("no projection ", name));
    if (slot->rebuilding.exchange(true)) {
      return absl::FailedPreconditionError(
          absl::StrCat("projection ", name, " is already rebuilding"));
    }
    absl::Status status = RebuildSlot(*slot);
    slot->rebuilding = false;
    return status;
  }

 private:
  Slot* Find(absl::string_view name) const {
    for (const auto& slot : slots_) {
      if (slot->projection->name() == name) return slot.get();
    }
    return nullptr;
  }

  // Far behind the head (a first start, a new projection): read the log in large pages and
  // persist every kCatchUpFlushEvents; near it: follow the subscription and persist every
  // batch. Either way entities and checkpoint go to the store in one write.
  void Follow(uint64_t from) {
    while (!stop_ && store_.HeadPosition() >= from + kCatchUpLagEvents) {
      absl::StatusOr<eventstore::AllSlice> page =
          store_.ReadAll(from, {}, eventstore::kReadCountMax);
      if (!page.ok()) {
        spdlog::error("projections cannot read the log: {}", page.status().ToString());
        return;
      }
      if (page->events.empty()) break;
      std::lock_guard apply(apply_mu_);
      if (absl::Status s = Apply(page->events); !s.ok())
        spdlog::error("projections: {}", s.ToString());
      unflushed_ += page->events.size();
      if (unflushed_ >= kCatchUpFlushEvents) LogIfError(Flush());
      from = page->events.back().position + 1;
    }
    {
      std::lock_guard apply(apply_mu_);
      LogIfError(Flush());
    }
    while (!stop_) {
      absl::StatusOr<std::unique_ptr<eventstore::Subscription>> sub = store_.Subscribe(from, {});
      if (!sub.ok()) {
        spdlog::error("projections cannot subscribe: {}", sub.status().ToString());
        return;
      }
      {
        std::lock_guard lock(sub_mu_);
        subscription_ = std::move(*sub);
        if (stop_) return;
      }
      while (!stop_) {
        absl::StatusOr<eventstore::SubscriptionBatch> batch =
            subscription_->Next(absl::Milliseconds(200));
        if (!batch.ok()) {
          if (!stop_)
            spdlog::warn("projections stop following the log: {}", batch.status().ToString());
          return;
        }
        if (batch->events.empty()) continue;
        std::lock_guard apply(apply_mu_);
        if (absl::Status s = Apply(batch->events); !s.ok())
          spdlog::error("projections: {}", s.ToString());
        LogIfError(Flush());
        from = batch->events.back().position + 1;
      }
    }
  }

  static void LogIfError(const absl::Status& status) {
    if (!status.ok()) spdlog::error("projections: persisting read models: {}", status.ToString());
  }

  // Applies events to every projection that has not seen them; requires apply_mu_. Queries
  // see the result at once; it is persisted by the next Flush().
  absl::Status Apply(const std::vector<eventstore::RecordedEvent>& events) {
    absl::Status decode_error = absl::OkStatus();
    auto payloads = DecodeAll(events, &decode_error);
    // Projections are independent: on a large batch, several threads take them in turn.
    std::atomic<size_t> next_slot{0};
    auto work = [&] {
      for (size_t i = next_slot++; i < slots_.size(); i = next_slot++) {
        Slot& slot = *slots_[i];
        std::unique_lock lock(slot.mu);
        const uint64_t before = slot.position;
        if (events.back().position <= before) continue;
        ApplyEvents(*slot.projection, *slot.table, events, payloads, before);
        uint64_t applied = 0;
        for (const eventstore::RecordedEvent& e : events) applied += e.position > before ? 1 : 0;
        slot.applied += applied;
        slot.position = events.back().position;
      }
    };
    std::vector<std::thread> helpers;
    if (events.size() >= kParallelApplyEventsMin) {
      const unsigned cores = std::max(1u, std::thread::hardware_concurrency());
      for (unsigned t = 1; t < std::min<unsigned>(cores, kApplyThreadsMax); ++t)
        helpers.emplace_back(work);
    }
    work();
    for (std::thread& t : helpers) t.join();
    { std::lock_guard lock(wait_mu_); }
    applied_cv_.notify_all();
    return decode_error;
  }

  // Persists every projection's changed entities with its checkpoint, in one write;
  // requires apply_mu_.
  absl::Status Flush() {
    eventstore::KvBatch batch;
    for (const auto& slot : slots_) {
      std::shared_lock lock(slot->mu);
      if (slot->position == slot->flushed) continue;
      AddChanges(slot->projection->name(), slot->version, *slot->table, batch);
      AddMeta(slot->projection->name(), slot->version, slot->position, batch);
    }
    unflushed_ = 0;
    if (batch.empty()) return absl::OkStatus();
    absl::Status written = kv_.Write(batch);
    if (written.ok()) {
      for (const auto& slot : slots_) slot->flushed = slot->position.load();
    }
    return written;
  }

  absl::Status RebuildSlot(Slot& slot) {
    const std::string name(slot.projection->name());
    const uint32_t old_version = slot.version;
    const uint32_t version = old_version + 1;
    EntityTable fresh(slot.projection->entity_prototype());
    eventstore::KvBatch clear;
    clear.DeletePrefix(
        format::VersionPrefix(name, version));  // leftovers of an interrupted rebuild
    if (absl::Status s = kv_.Write(clear); !s.ok()) return s;
    uint64_t next = 1;
    size_t pending = 0;
    // Catch up without holding anything: the live copy keeps serving and advancing.
    auto read_until = [&](uint64_t last) -> absl::Status {
      while (next <= last) {
        absl::StatusOr<eventstore::AllSlice> page = store_.ReadAll(next, {}, kRebuildPageEvents);
        if (!page.ok()) return page.status();
        if (page->events.empty()) break;
        std::vector<eventstore::RecordedEvent>& events = page->events;
        while (!events.empty() && events.back().position > last) events.pop_back();
        absl::Status decode_error = absl::OkStatus();
        auto payloads = DecodeAll(events, &decode_error);
        if (!decode_error.ok()) return decode_error;
        ApplyEvents(*slot.projection, fresh, events, payloads, 0);
        pending += events.size();
        next = events.empty() ? last + 1 : events.back().position + 1;
        if (pending >= kRebuildFlushEntitiesMax) {
          eventstore::KvBatch batch;
          AddChanges(name, version, fresh, batch);
          if (absl::Status s = kv_.Write(batch); !s.ok()) return s;
          pending = 0;
        }
      }
      return absl::OkStatus();
    };
    if (absl::Status s = read_until(slot.position); !s.ok()) return s;
    // Then, with the runner paused between batches, the last few events and the swap.
    std::lock_guard apply(apply_mu_);
    const uint64_t live = slot.position;
    if (absl::Status s = read_until(live); !s.ok()) return s;
    eventstore::KvBatch batch;
    AddChanges(name, version, fresh, batch);
    AddMeta(name, version, live, batch);
    batch.DeletePrefix(format::VersionPrefix(name, old_version));
    if (absl::Status s = kv_.Write(batch); !s.ok()) return s;
    {
      std::unique_lock lock(slot.mu);
      slot.table = std::make_unique<EntityTable>(std::move(fresh));
      slot.version = version;
      slot.flushed = live;
    }
    spdlog::info("projection {} rebuilt as version {} at position {}", name, version, live);
    return absl::OkStatus();
  }

  eventstore::EventStore& store_;
  eventstore::KeyValueStore& kv_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::mutex sub_mu_;
  std::unique_ptr<eventstore::Subscription> subscription_;
  std::mutex apply_mu_;   // one batch, or one rebuild's final catch-up and swap, at a time
  size_t unflushed_ = 0;  // events applied since the last Flush(); under apply_mu_
  mutable std::mutex wait_mu_;
  mutable std::condition_variable applied_cv_;
};

ProjectionRunner::ProjectionRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProjectionRunner::~ProjectionRunner() { impl_->Stop(); }

absl::StatusOr<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Start(
    eventstore::EventStore& store, eventstore::KeyValueStore& kv,
    std::vector<std::unique_ptr<Projection>> projections) {
  auto impl = std::make_unique<Impl>(store, kv);
  if (absl::Status s = impl->Load(std::move(projections)); !s.ok()) return s;
  impl->StartThread();
  return std::unique_ptr<ProjectionRunner>(new ProjectionRunner(std::move(impl)));
}

void ProjectionRunner::Stop() { impl_->Stop(); }

absl::Status ProjectionRunner::Read(
    absl::string_view name, uint64_t min_position, absl::Duration max_wait,
    const std::function<void(const EntityTable&, uint64_t)>& read) const {
  return impl_->Read(name, min_position, max_wait, read);
}

std::vector<ProjectionStatus> ProjectionRunner::Statuses() const { return impl_->Statuses(); }

absl::Status ProjectionRunner::Rebuild(absl::string_view name) { return impl_->Rebuild(name); }

bool ProjectionRunner::WaitForAll(uint64_t position, absl::Duration timeout) const {
  return impl_->WaitForAll(position, timeout);
}

absl::StatusOr<std::vector<std::unique_ptr<EntityTable>>> ReplayInMemory(
    eventstore::EventStore& store, const std::vector<const Projection*>& projections,
    uint64_t up_to, uint64_t* applied_through) {
  // A position inside a commit means the whole commit: nobody ever saw half of one.
  if (up_to > 0) {
    absl::StatusOr<eventstore::AllSlice> at = store.ReadAll(up_to, {}, 1);
    if (!at.ok()) return at.status();
    if (!at->events.empty()) {
      absl::StatusOr<eventstore::CommitRecord> commit = store.FindCommit(at->events[0].commit_id);
      if (commit.ok()) up_to = std::max(up_to, commit->last_position);
    }
  }
  if (applied_through != nullptr) *applied_through = std::min(up_to, store.HeadPosition());
  std::vector<std::unique_ptr<EntityTable>> tables;
  for (const Projection* p : projections)
    tables.push_back(std::make_unique<EntityTable>(p->entity_prototype()));
  for (uint64_t next = 1; next <= up_to;) {
    absl::StatusOr<eventstore::AllSlice> page = store.ReadAll(next, {}, kRebuildPageEvents);
    if (!page.ok()) return page.status();
    if (page->events.empty()) break;
    std::vector<eventstore::RecordedEvent>& events = page->events;
    while (!events.empty() && events.back().position > up_to) events.pop_back();
    absl::Status decode_error = absl::OkStatus();
    auto payloads = DecodeAll(events, &decode_error);
    if (!decode_error.ok()) return decode_error;
    for (size_t i = 0; i < projections.size(); ++i) {
      ApplyEvents(*projections[i], *tables[i], events, payloads, 0);
      tables[i]->TakeChanges();  // nothing is persisted
    }
    if (events.empty()) break;
    next = events.back().position + 1;
  }
  return tables;
}

}  // namespace reformlog::projections
