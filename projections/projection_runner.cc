#include "projections/projection_runner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "google/protobuf/arena.h"
#include "projections/domain/event_codec.h"
#include "projections/entity_persistence.h"
#include "projections/readmodel_format.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"
#include "spdlog/spdlog.h"

namespace reformlog::projections {
namespace {

namespace rm = ::reformlog::readmodel::v1;

// The arena of a page grows in blocks of at most this many bytes (a page of decoded events
// is a few MB).
constexpr size_t kPageArenaBlockBytesMax = 1 << 20;

google::protobuf::ArenaOptions PageArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.max_block_size = kPageArenaBlockBytesMax;
  return options;
}

// A page of the log, decoded once: the payload of every event some projection takes (on the
// page's arena), and for each projection the events it takes, in log order.
struct DecodedPage {
  std::vector<eventstore::RecordedEvent> events;  // in position order, never empty
  google::protobuf::Arena arena{PageArenaOptions()};
  std::vector<const google::protobuf::Message*> payloads;  // null: no projection takes it
  std::vector<std::vector<uint32_t>> routes;               // per projection: event indices
  absl::Status decode_error;  // the first event that did not decode (it is skipped)

  uint64_t last_position() const { return events.back().position; }
  // How many of the events come after `position`.
  size_t CountAfter(uint64_t position) const {
    return static_cast<size_t>(
        events.end() -
        std::partition_point(events.begin(), events.end(), [&](const eventstore::RecordedEvent& e) {
          return e.position <= position;
        }));
  }
};

// Which projections take which event types, and the decoding of pages for them. Used by one
// thread at a time.
class EventRouter {
 public:
  explicit EventRouter(const std::vector<const Projection*>& projections) {
    for (const Projection* projection : projections) {
      std::vector<const google::protobuf::Descriptor*> types = projection->EventTypes();
      takes_.emplace_back(types.begin(), types.end());
    }
  }

  // Decodes `page.events` and routes them; an event that does not decode is skipped and
  // named in page.decode_error.
  void Route(DecodedPage& page) {
    page.payloads.assign(page.events.size(), nullptr);
    page.routes.assign(takes_.size(), {});
    for (size_t i = 0; i < page.events.size(); ++i) {
      const eventstore::RecordedEvent& event = page.events[i];
      const TypeRoute& route = RouteOf(event.type);
      if (route.takers.empty()) continue;  // unknown (a newer writer), or taken by nobody
      absl::StatusOr<const google::protobuf::Message*> payload =
          domain::DecodeEventOnArena(*route.prototype, event.data, page.arena);
      if (!payload.ok()) {
        if (page.decode_error.ok()) {
          page.decode_error = absl::DataLossError(
              absl::StrCat("event at position ", event.position, ": ", payload.status().message()));
        }
        continue;
      }
      page.payloads[i] = *payload;
      for (uint32_t taker : route.takers) page.routes[taker].push_back(static_cast<uint32_t>(i));
    }
  }

 private:
  struct TypeRoute {
    const google::protobuf::Message* prototype = nullptr;
    std::vector<uint32_t> takers;  // projection indices
  };

  const TypeRoute& RouteOf(const std::string& type) {
    auto it = routes_.find(type);
    if (it != routes_.end()) return it->second;
    TypeRoute route;
    route.prototype = domain::EventPrototype(type);
    if (route.prototype != nullptr) {
      for (size_t p = 0; p < takes_.size(); ++p) {
        if (takes_[p].empty() || takes_[p].contains(route.prototype->GetDescriptor())) {
          route.takers.push_back(static_cast<uint32_t>(p));
        }
      }
    }
    return routes_.emplace(type, std::move(route)).first->second;
  }

  std::vector<absl::flat_hash_set<const google::protobuf::Descriptor*>> takes_;  // empty: all
  absl::flat_hash_map<std::string, TypeRoute> routes_;
};

// Reads the log from `from` through `last` in pages on its own thread, decoding and routing
// each, at most kReadAheadPagesMax pages ahead of the consumer.
class PageReader {
 public:
  PageReader(eventstore::EventStore& store, EventRouter router, uint64_t from, uint64_t last,
             size_t page_events, const std::atomic<bool>* stop = nullptr)
      : store_(store),
        router_(std::move(router)),
        last_(last),
        page_events_(page_events),
        stop_(stop),
        thread_([this, from] { Read(from); }) {}

  ~PageReader() {
    {
      std::lock_guard lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

  // The next page, or null after the last one; the store's error when a read failed.
  absl::StatusOr<std::shared_ptr<DecodedPage>> Next() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !pages_.empty() || done_; });
    if (pages_.empty()) {
      if (!error_.ok()) return error_;
      return nullptr;
    }
    std::shared_ptr<DecodedPage> page = std::move(pages_.front());
    pages_.pop_front();
    cv_.notify_all();
    return page;
  }

 private:
  void Read(uint64_t next) {
    absl::Status error = absl::OkStatus();
    while (next <= last_ && (stop_ == nullptr || !*stop_)) {
      absl::StatusOr<eventstore::AllSlice> slice = store_.ReadAll(next, {}, page_events_);
      if (!slice.ok()) {
        error = slice.status();
        break;
      }
      std::vector<eventstore::RecordedEvent>& events = slice->events;
      while (!events.empty() && events.back().position > last_) events.pop_back();
      if (events.empty()) break;
      auto page = std::make_shared<DecodedPage>();
      page->events = std::move(events);
      router_.Route(*page);
      next = page->last_position() + 1;
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return pages_.size() < kReadAheadPagesMax || closed_; });
      if (closed_) break;
      pages_.push_back(std::move(page));
      cv_.notify_all();
    }
    std::lock_guard lock(mu_);
    done_ = true;
    error_ = error;
    cv_.notify_all();
  }

  eventstore::EventStore& store_;
  EventRouter router_;
  const uint64_t last_;
  const size_t page_events_;
  const std::atomic<bool>* const stop_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<DecodedPage>> pages_;
  bool done_ = false;    // the reader has finished
  bool closed_ = false;  // the consumer has gone
  absl::Status error_;
  std::thread thread_;  // last: starts once everything above is ready
};

// Applies the events of `page` that come after `after` and that projection `index` takes.
void ApplyPage(const Projection& projection, size_t index, EntityTable& table,
               const DecodedPage& page, uint64_t after) {
  for (uint32_t i : page.routes[index]) {
    const eventstore::RecordedEvent& event = page.events[i];
    if (event.position <= after) continue;
    projection.Apply(AppliedEvent{event, *page.payloads[i]}, table);
  }
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
    // Built by another Projection::logic_version(): rebuilt beside the live copy at start.
    bool stale_logic = false;
    // The checkpoint persisted; written under apply_mu_ (by its holder, or by the writer of
    // the catch-up that holds it).
    std::atomic<uint64_t> flushed{0};
  };

  Impl(eventstore::EventStore& store, eventstore::KeyValueStore& kv,
       const ProjectionRunnerOptions& options)
      : store_(store), kv_(kv), options_(options) {}

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
    uint64_t from = UINT64_MAX;
    for (const auto& slot : slots_) from = std::min<uint64_t>(from, slot->position);
    if (slots_.empty()) return;
    thread_ = std::thread([this, from] { Follow(from + 1); });
    std::vector<std::string> stale;
    for (const auto& slot : slots_) {
      if (slot->stale_logic) stale.emplace_back(slot->projection->name());
    }
    if (stale.empty()) return;
    upgrade_thread_ = std::thread([this, stale = std::move(stale)] {
      for (const std::string& name : stale) {
        if (stop_) return;
        if (absl::Status s = Rebuild(name); !s.ok()) {
          spdlog::error("rebuilding projection {} for its new logic version failed: {}", name,
                        s.ToString());
        }
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
  class CatchUpPipeline;

  Slot* Find(absl::string_view name) const {
    for (const auto& slot : slots_) {
      if (slot->projection->name() == name) return slot.get();
    }
    return nullptr;
  }

  EventRouter RouterOf(const std::vector<const Slot*>& slots) const {
    std::vector<const Projection*> projections;
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

  // Puts `batch` in the store unless an earlier write failed: after a lost write the store
  // must keep the last checkpoint that agrees with its entities, so that a restart replays
  // from there (nothing skipped).
  bool Persist(const eventstore::KvBatch& batch) {
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
        from = CatchUp(from, store_.HeadPosition());
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

  // Catches up from `from` through `last` in the pipeline; the next position to read.
  // Requires apply_mu_.
  uint64_t CatchUp(uint64_t from, uint64_t last);

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

// The catch-up: the calling thread hands pages from a PageReader to one lane per projection;
// each lane applies them to its projection and, at each flush point, serialises its changes
// and checkpoint; the writer thread puts a flush point's changes of every lane in one write.
class ProjectionRunner::Impl::CatchUpPipeline {
 public:
  explicit CatchUpPipeline(Impl& runner) : runner_(runner), lanes_(runner.slots_.size()) {
    for (size_t i = 0; i < lanes_.size(); ++i) {
      lanes_[i].persisted = runner_.slots_[i]->flushed;
      lanes_[i].thread = std::thread([this, i] { RunLane(i); });
    }
    writer_ = std::thread([this] { RunWriter(); });
  }

  // Gives `page` to every lane, after waiting for room; then, when `flush`, a flush point.
  void Push(std::shared_ptr<const DecodedPage> page, bool flush) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pages_in_lanes_ < kReadAheadPagesMax; });
    ++pages_in_lanes_;
    page_lanes_left_[page.get()] = lanes_.size();
    for (Lane& lane : lanes_) lane.queue.push_back(Item{page, flush, false});
    cv_.notify_all();
  }

  // A last flush point; returns once every lane has applied everything and it is written.
  void Finish() {
    {
      std::lock_guard lock(mu_);
      for (Lane& lane : lanes_) lane.queue.push_back(Item{nullptr, true, true});
      cv_.notify_all();
    }
    for (Lane& lane : lanes_) lane.thread.join();
    {
      std::lock_guard lock(mu_);
      lanes_done_ = true;
      cv_.notify_all();
    }
    writer_.join();
  }

 private:
  struct Item {
    std::shared_ptr<const DecodedPage> page;  // null: a flush point only
    bool flush = false;
    bool last = false;
  };
  struct Lane {
    std::deque<Item> queue;
    std::thread thread;
    uint64_t persisted = 0;  // the checkpoint of the lane's last flush
    size_t flushes = 0;      // flush points the lane has passed
  };
  // The changes of every lane at one flush point.
  struct Write {
    eventstore::KvBatch batch;
    std::vector<std::pair<Slot*, uint64_t>> checkpoints;
    size_t lanes = 0;  // lanes that have added theirs
  };

  void RunLane(size_t index) {
    Lane& lane = lanes_[index];
    while (true) {
      Item item;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !lane.queue.empty(); });
        item = std::move(lane.queue.front());
        lane.queue.pop_front();
      }
      if (item.page != nullptr) {
        runner_.ApplyToSlot(index, *item.page);
        std::lock_guard lock(mu_);
        if (--page_lanes_left_[item.page.get()] == 0) {
          page_lanes_left_.erase(item.page.get());
          --pages_in_lanes_;
          cv_.notify_all();
        }
      }
      if (item.flush) AddFlush(index, lane);
      if (item.last) return;
    }
  }

  // Serialises the lane's changes and checkpoint into the write of its next flush point.
  void AddFlush(size_t index, Lane& lane) {
    const size_t flush = lane.flushes++;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return flush < written_ + kPendingWritesMax; });
    }
    Slot& slot = *runner_.slots_[index];
    eventstore::KvBatch batch;
    uint64_t checkpoint = 0;
    {
      std::unique_lock lock(slot.mu);
      checkpoint = slot.position;
      if (checkpoint != lane.persisted) {
        AddChanges(*slot.projection, slot.version, *slot.table, batch);
        AddMeta(*slot.projection, slot.version, checkpoint, batch);
        lane.persisted = checkpoint;
      }
    }
    std::lock_guard lock(mu_);
    Write& write = writes_[flush];
    if (!batch.empty()) {
      std::move(batch.ops.begin(), batch.ops.end(), std::back_inserter(write.batch.ops));
      write.checkpoints.emplace_back(&slot, checkpoint);
    }
    if (++write.lanes == lanes_.size()) cv_.notify_all();
  }

  void RunWriter() {
    while (true) {
      Write write;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] {
          return (!writes_.empty() && writes_.begin()->second.lanes == lanes_.size()) ||
                 lanes_done_;
        });
        if (writes_.empty() || writes_.begin()->second.lanes < lanes_.size()) return;
        write = std::move(writes_.begin()->second);
        writes_.erase(writes_.begin());
      }
      if (!write.batch.empty() && runner_.Persist(write.batch)) {
        for (auto [slot, checkpoint] : write.checkpoints) slot->flushed = checkpoint;
      }
      std::lock_guard lock(mu_);
      ++written_;
      cv_.notify_all();
    }
  }

  Impl& runner_;
  std::mutex mu_;  // guards everything below but the threads
  std::condition_variable cv_;
  std::vector<Lane> lanes_;
  size_t pages_in_lanes_ = 0;  // pages some lane has not yet applied
  std::map<const DecodedPage*, size_t> page_lanes_left_;
  std::map<size_t, Write> writes_;  // by flush point
  size_t written_ = 0;              // flush points written (or failed)
  bool lanes_done_ = false;
  std::thread writer_;
};

uint64_t ProjectionRunner::Impl::CatchUp(uint64_t from, uint64_t last) {
  PageReader reader(store_, RouterOfAll(), from, last, options_.page_events, &stop_);
  CatchUpPipeline pipeline(*this);
  size_t since_flush = 0;
  while (true) {
    absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
    if (!page.ok()) {
      spdlog::error("projections cannot read the log: {}", page.status().ToString());
      break;
    }
    if (*page == nullptr) break;
    if (!(*page)->decode_error.ok())
      spdlog::error("projections: {}", (*page)->decode_error.ToString());
    from = (*page)->last_position() + 1;
    since_flush += (*page)->events.size();
    const bool flush = since_flush >= options_.catch_up_flush_events;
    if (flush) since_flush = 0;
    pipeline.Push(std::move(*page), flush);
  }
  pipeline.Finish();
  return from;
}

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
  for (const Projection* p : projections) tables.push_back(NewTable(*p));
  if (up_to == 0) return tables;
  PageReader reader(store, EventRouter(projections), 1, up_to, kRebuildPageEvents);
  while (true) {
    absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
    if (!page.ok()) return page.status();
    if (*page == nullptr) break;
    if (!(*page)->decode_error.ok()) return (*page)->decode_error;
    for (size_t i = 0; i < projections.size(); ++i) {
      ApplyPage(*projections[i], i, *tables[i], **page, 0);
    }
  }
  for (const auto& table : tables) table->ForgetChanges();  // nothing is persisted
  return tables;
}

}  // namespace reformlog::projections
