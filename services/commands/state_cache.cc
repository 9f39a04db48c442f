#include "services/commands/state_cache.h"

#include <algorithm>

#include "absl/hash/hash.h"

namespace reformlog::services {

void CommitOutcome::Resolve(bool durable) {
  {
    std::lock_guard lock(mu_);
    resolved_ = true;
    durable_ = durable;
  }
  cv_.notify_all();
}

bool CommitOutcome::Wait() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return resolved_; });
  return durable_;
}

bool CommitOutcome::resolved() {
  std::lock_guard lock(mu_);
  return resolved_;
}

StateCache::StateCache(size_t entries_max)
    : idle_max_per_shard_(std::max<size_t>(1, entries_max / kShards)) {}

StateCache::~StateCache() = default;

StateCache::Shard& StateCache::ShardOf(absl::string_view stream) {
  return shards_[absl::HashOf(stream) % kShards];
}

StateCache::Slot* StateCache::Pin(absl::string_view stream) {
  Shard& shard = ShardOf(stream);
  std::lock_guard lock(shard.mu);
  auto [it, inserted] = shard.slots.try_emplace(stream);
  if (inserted) {
    it->second = std::make_unique<Slot>();
    it->second->key = std::string(stream);
  }
  Slot* slot = it->second.get();
  if (!inserted && slot->pins_ == 0) shard.idle.erase(slot->idle_position_);
  ++slot->pins_;
  return slot;
}

void StateCache::Unpin(Slot* slot) {
  Shard& shard = ShardOf(slot->key);
  std::lock_guard lock(shard.mu);
  if (--slot->pins_ > 0) return;
  shard.idle.push_front(slot);
  slot->idle_position_ = shard.idle.begin();
  while (shard.idle.size() > idle_max_per_shard_) {
    Slot* oldest = shard.idle.back();
    shard.idle.pop_back();
    shard.slots.erase(shard.slots.find(oldest->key));  // unpinned: nobody holds it
  }
}

size_t StateCache::size() {
  size_t n = 0;
  for (Shard& shard : shards_) {
    std::lock_guard lock(shard.mu);
    n += shard.slots.size();
  }
  return n;
}

}  // namespace reformlog::services
