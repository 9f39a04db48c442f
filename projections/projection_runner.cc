#include "projections/projection_runner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "projections/catch_up_pipeline.h"
#include "projections/entity_persistence.h"
#include "projections/event_router.h"
#include "projections/page_reader.h"
#include "projections/readmodel_format.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"
#include "spdlog/spdlog.h"

namespace reformlog::projections {
namespace {

namespace rm = ::reformlog::readmodel::v1;

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

absl::Status ValidateOptions(const ProjectionRunnerOptions& options) {
  if (options.page_events == 0 || options.page_events > eventstore::kReadCountMax) {
    return absl::InvalidArgumentError(absl::StrCat("page_events ", options.page_events,
                                                   " is outside 1..", eventstore::kReadCountMax));
  }
  if (options.catch_up_flush_events == 0) {
    return absl::InvalidArgumentError("catch_up_flush_events is 0");
  }
  if (options.live_flush_events == 0) return absl::InvalidArgumentError("live_flush_events is 0");
  if (options.live_flush_interval_ms < 0) {
    return absl::InvalidArgumentError(
        absl::StrCat("live_flush_interval_ms ", options.live_flush_interval_ms, " is negative"));
  }
  return absl::OkStatus();
}

}  // namespace

class ProjectionRunner::Impl final : public CatchUpTarget {
 public:
  struct Slot {
    std::unique_ptr<Projection> projection;
    mutable std::shared_mutex mu;  // guards table and version for readers
    std::unique_ptr<EntityTable> table;
    uint32_t version = 1;
    std::atomic<uint64_t> position{0};
    std::atomic<uint64_t> applied{0};
    std::atomic<bool> rebuilding{false};
    std::atomic<uint64_t> rebuilds{0};
    // Built by another Projection::logic_version(): rebuilt beside the live copy at start.
    bool stale_logic = false;
    // The checkpoint persisted; written under apply_mu_ (by its holder, or by the writer of
    // the catch-up that holds it).
    std::atomic<uint64_t> flushed{0};
  };

  Impl(eventstore::EventStore& store, eventstore::KeyValueStore& kv,
       ProjectionRunnerOptions options)
      : store_(store), kv_(kv), options_(std::move(options)) {}

  ~Impl() override { Stop(); }

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
      slot->table = NewTable(*projection);
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
        if (parsed.logic_version() != projection->logic_version()) {
          slot->stale_logic = true;
          spdlog::warn(
              "projection {} was built by logic version {}, this build has {}: rebuilding it "
              "beside the live copy",
              std::string(projection->name()), parsed.logic_version(), projection->logic_version());
        }
        slot->flushed = parsed.checkpoint();
        if (absl::Status s = LoadEntities(*projection, slot->version, kv_, *slot->table); !s.ok()) {
          return s;
        }
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
    std::vector<std::string> stale;
    for (const auto& slot : slots_) {
      if (slot->stale_logic) stale.emplace_back(slot->projection->name());
    }
    if (options_.hooks.stale_logic_at_start) options_.hooks.stale_logic_at_start(stale);
    uint64_t from = UINT64_MAX;
    for (const auto& slot : slots_) from = std::min<uint64_t>(from, slot->position);
    if (slots_.empty()) return;
    thread_ = std::thread([this, from] { Follow(from + 1); });
    if (stale.empty()) return;
    upgrade_thread_ = std::thread([this, stale = std::move(stale)] {
      for (const std::string& name : stale) {
        if (stop_) return;
        absl::Status s = Rebuild(name);
        if (!s.ok()) {
          spdlog::error("rebuilding projection {} for its new logic version failed: {}", name,
                        s.ToString());
        }
        if (options_.hooks.stale_logic_rebuilt) options_.hooks.stale_logic_rebuilt(name, s);
      }
    });
  }

  void Stop() {
    if (stop_.exchange(true)) return;
    {
      std::lock_guard lock(sub_mu_);
      if (subscription_ != nullptr) subscription_->Cancel();
    }
    if (thread_.joinable()) thread_.join();
    if (upgrade_thread_.joinable()) upgrade_thread_.join();  // its rebuild sees stop_
    {
      std::lock_guard apply(apply_mu_);
      Flush();  // a clean stop leaves nothing to replay
    }
    std::lock_guard lock(sub_mu_);
    subscription_.reset();
  }

  absl::Status Read(absl::string_view name, uint64_t min_position, absl::Duration max_wait,
                    const std::function<void(const EntityTable&, uint64_t, uint32_t)>& read) const {
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
    read(*slot->table, slot->position, slot->version);
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
      s.rebuilds = slot->rebuilds;
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
    if (status.ok()) ++slot->rebuilds;
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

  static EventRouter RouterOf(const std::vector<const Slot*>& slots) {
    std::vector<const Projection*> projections;
    projections.reserve(slots.size());
    for (const Slot* slot : slots) projections.push_back(slot->projection.get());
    return EventRouter(projections);
  }

  EventRouter RouterOfAll() const {
    std::vector<const Slot*> all;
    for (const auto& slot : slots_) all.push_back(slot.get());
    return RouterOf(all);
  }

  void NotifyApplied() const {
    { std::lock_guard lock(wait_mu_); }
    applied_cv_.notify_all();
  }

  // Applies `page` to slot `index` where it has not seen it; requires that nothing else
  // applies to the slot (apply_mu_, or the slot's catch-up lane).
  void ApplyToSlot(size_t index, const DecodedPage& page) {
    Slot& slot = *slots_[index];
    {
      std::unique_lock lock(slot.mu);
      const uint64_t before = slot.position;
      if (page.last_position() <= before) return;
      ApplyPage(*slot.projection, index, *slot.table, page, before);
      slot.applied += page.CountAfter(before);
      slot.position = page.last_position();
    }
    NotifyApplied();
  }

  // The catch-up's view of the slots (CatchUpTarget); it runs under apply_mu_.
  size_t projection_count() const override { return slots_.size(); }
  uint64_t PersistedCheckpoint(size_t index) const override { return slots_[index]->flushed; }
  void Apply(size_t index, const DecodedPage& page) override { ApplyToSlot(index, page); }
  uint64_t AddChangesSince(size_t index, uint64_t persisted, eventstore::KvBatch& batch) override {
    Slot& slot = *slots_[index];
    std::unique_lock lock(slot.mu);
    const uint64_t checkpoint = slot.position;
    if (checkpoint != persisted) {
      AddChanges(*slot.projection, slot.version, *slot.table, batch);
      AddMeta(*slot.projection, slot.version, checkpoint, batch);
    }
    return checkpoint;
  }
  void SetPersisted(size_t index, uint64_t checkpoint) override {
    slots_[index]->flushed = checkpoint;
  }

  // Puts `batch` in the store unless an earlier write failed: after a lost write the store
  // must keep the last checkpoint that agrees with its entities, so that a restart replays
  // from there (nothing skipped).
  bool Persist(const eventstore::KvBatch& batch) override {
    if (persist_failed_) return false;
    absl::Status written = kv_.Write(batch);
    if (written.ok()) return true;
    persist_failed_ = true;
    spdlog::error(
        "projections: persisting read models failed, and no more will be persisted until "
        "restart (which resumes from the last checkpoint written): {}",
        written.ToString());
    return false;
  }

  // Far behind the head (a first start, a new projection): catch up in the pipeline; near
  // it: follow the subscription, apply every batch, and persist what was applied when the
  // live flush bounds say so. Either way each projection's entities and checkpoint go to the
  // store in one write.
  void Follow(uint64_t from) {
    {
      std::lock_guard apply(apply_mu_);
      while (!stop_ && store_.HeadPosition() >= from + options_.catch_up_lag_events) {
        from = CatchUp(store_, RouterOfAll(), from, store_.HeadPosition(),
                       {options_.page_events, options_.catch_up_flush_events}, &stop_, *this);
      }
      Flush();
    }
    EventRouter router = RouterOfAll();
    const absl::Duration interval = absl::Milliseconds(options_.live_flush_interval_ms);
    size_t unflushed = 0;                          // events applied since the last flush
    absl::Time flush_by = absl::InfiniteFuture();  // when they must be persisted
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
        const absl::Duration wait = std::clamp(flush_by - absl::Now(), absl::ZeroDuration(),
                                               absl::Milliseconds(kLiveWaitMs));
        absl::StatusOr<eventstore::SubscriptionBatch> batch = subscription_->Next(wait);
        if (!batch.ok()) {
          if (!stop_)
            spdlog::warn("projections stop following the log: {}", batch.status().ToString());
          return;  // Stop() persists what was applied
        }
        std::lock_guard apply(apply_mu_);
        if (!batch->events.empty()) {
          DecodedPage page;
          page.events = std::move(batch->events);
          router.Route(page);
          if (!page.decode_error.ok())
            spdlog::error("projections: {}", page.decode_error.ToString());
          for (size_t i = 0; i < slots_.size(); ++i) ApplyToSlot(i, page);
          from = page.last_position() + 1;
          if (unflushed == 0) flush_by = absl::Now() + interval;
          unflushed += page.events.size();
        }
        if (unflushed > 0 && (unflushed >= options_.live_flush_events || absl::Now() >= flush_by)) {
          Flush();
          unflushed = 0;
          flush_by = absl::InfiniteFuture();
        }
      }
    }
  }

  // Persists every projection's changed entities with its checkpoint, in one write;
  // requires apply_mu_.
  void Flush() {
    eventstore::KvBatch batch;
    std::vector<std::pair<Slot*, uint64_t>> checkpoints;
    for (const auto& slot : slots_) {
      std::unique_lock lock(slot->mu);
      if (slot->position == slot->flushed) continue;
      AddChanges(*slot->projection, slot->version, *slot->table, batch);
      AddMeta(*slot->projection, slot->version, slot->position, batch);
      checkpoints.emplace_back(slot.get(), slot->position);
    }
    if (batch.empty() || !Persist(batch)) return;
    for (auto [slot, checkpoint] : checkpoints) slot->flushed = checkpoint;
  }

  absl::Status RebuildSlot(Slot& slot) {
    const std::string name(slot.projection->name());
    const uint32_t old_version = slot.version;
    const uint32_t version = old_version + 1;
    std::unique_ptr<EntityTable> fresh = NewTable(*slot.projection);
    eventstore::KvBatch clear;
    clear.DeletePrefix(format::VersionSpace(name, version));  // an interrupted rebuild's leftovers
    if (absl::Status s = kv_.Write(clear); !s.ok()) return s;
    uint64_t next = 1;
    size_t pending = 0;
    // Catch up without holding anything: the live copy keeps serving and advancing.
    auto read_until = [&](uint64_t last) -> absl::Status {
      if (next > last) return absl::OkStatus();
      PageReader reader(store_, RouterOf({&slot}), next, last, kRebuildPageEvents, &stop_);
      while (true) {
        absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
        if (!page.ok()) return page.status();
        if (*page == nullptr) break;
        if (!(*page)->decode_error.ok()) return (*page)->decode_error;
        ApplyPage(*slot.projection, 0, *fresh, **page, 0);
        pending += (*page)->events.size();
        next = (*page)->last_position() + 1;
        if (pending >= kRebuildFlushEntitiesMax) {
          eventstore::KvBatch batch;
          AddChanges(*slot.projection, version, *fresh, batch);
          if (absl::Status s = kv_.Write(batch); !s.ok()) return s;
          pending = 0;
        }
      }
      if (stop_) return absl::CancelledError(absl::StrCat("rebuilding ", name, ": stopped"));
      return absl::OkStatus();
    };
    if (absl::Status s = read_until(slot.position); !s.ok()) return s;
    // Then, with the runner paused between batches, the last few events and the swap.
    std::lock_guard apply(apply_mu_);
    const uint64_t live = slot.position;
    if (absl::Status s = read_until(live); !s.ok()) return s;
    eventstore::KvBatch batch;
    AddChanges(*slot.projection, version, *fresh, batch);
    AddMeta(*slot.projection, version, live, batch);
    batch.DeletePrefix(format::VersionSpace(name, old_version));
    if (persist_failed_) {
      return absl::UnavailableError(
          absl::StrCat("rebuilding ", name, ": the read-model store failed a write"));
    }
    if (absl::Status s = kv_.Write(batch); !s.ok()) return s;
    {
      std::unique_lock lock(slot.mu);
      slot.table = std::move(fresh);
      slot.version = version;
      slot.flushed = live;
    }
    spdlog::info("projection {} rebuilt as version {} at position {}", name, version, live);
    return absl::OkStatus();
  }

  eventstore::EventStore& store_;
  eventstore::KeyValueStore& kv_;
  const ProjectionRunnerOptions options_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::thread thread_;
  std::thread upgrade_thread_;  // rebuilds the projections whose logic version changed
  std::atomic<bool> stop_{false};
  std::mutex sub_mu_;
  std::unique_ptr<eventstore::Subscription> subscription_;
  // One batch, one catch-up, or one rebuild's final catch-up and swap, at a time.
  std::mutex apply_mu_;
  std::atomic<bool> persist_failed_{false};  // a write failed: persist nothing more
  mutable std::mutex wait_mu_;
  mutable std::condition_variable applied_cv_;
};

ProjectionRunner::ProjectionRunner(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProjectionRunner::~ProjectionRunner() { impl_->Stop(); }

absl::StatusOr<std::unique_ptr<ProjectionRunner>> ProjectionRunner::Start(
    eventstore::EventStore& store, eventstore::KeyValueStore& kv,
    std::vector<std::unique_ptr<Projection>> projections, const ProjectionRunnerOptions& options) {
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  auto impl = std::make_unique<Impl>(store, kv, options);
  if (absl::Status s = impl->Load(std::move(projections)); !s.ok()) return s;
  impl->StartThread();
  return std::unique_ptr<ProjectionRunner>(new ProjectionRunner(std::move(impl)));
}

void ProjectionRunner::Stop() { impl_->Stop(); }

absl::Status ProjectionRunner::Read(
    absl::string_view name, uint64_t min_position, absl::Duration max_wait,
    const std::function<void(const EntityTable&, uint64_t)>& read) const {
  return impl_->Read(
      name, min_position, max_wait,
      [&](const EntityTable& table, uint64_t position, uint32_t) { read(table, position); });
}

absl::Status ProjectionRunner::ReadVersioned(
    absl::string_view name, uint64_t min_position, absl::Duration max_wait,
    const std::function<void(const EntityTable&, uint64_t, uint32_t)>& read) const {
  return impl_->Read(name, min_position, max_wait, read);
}

std::vector<ProjectionStatus> ProjectionRunner::Statuses() const { return impl_->Statuses(); }

absl::Status ProjectionRunner::Rebuild(absl::string_view name) { return impl_->Rebuild(name); }

bool ProjectionRunner::WaitForAll(uint64_t position, absl::Duration timeout) const {
  return impl_->WaitForAll(position, timeout);
}

}  // namespace reformlog::projections
