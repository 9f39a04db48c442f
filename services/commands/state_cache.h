// StateCache: the folded decision state of every stream a command used recently, each behind
// its own lock, so that the commands of one process take turns on a consistency boundary
// (an agency, a budget) instead of racing each other to the store.
//
// A slot holds one stream's state as of a version. Only the thread holding the slot's lock
// reads or changes it, so a state is changed in place: a command costs what its events cost
// to apply, not a copy of the agency it touches. A state may be ahead of the store by commits
// that are queued but not yet durable (`pending`): the next command on the stream decides
// against them without waiting for the fsync, and the store's expected-version checks make
// it fail (ABORTED) if one of them does not become durable.
//
// Slots in use are pinned and never evicted; idle slots are kept up to a bound
// (kStateCacheEntriesMax over all shards) and evicted least recently used first.
// Thread-safe.
#ifndef REFORMLOG_SERVICES_COMMANDS_STATE_CACHE_H_
#define REFORMLOG_SERVICES_COMMANDS_STATE_CACHE_H_

#include <array>
#include <condition_variable>
#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <typeindex>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"
#include "services/domain/timeline.h"

namespace reformlog::services {

// Idle states kept across commands, over all shards.
inline constexpr size_t kStateCacheEntriesMax = 200'000;

// Whether a commit a state has already applied became durable. Set once by the command
// that appended it; waited on by commands that decided against it and must not answer
// before they know (a refusal or a dry run, which the store does not check).
class CommitOutcome {
 public:
  void Resolve(bool durable);
  // Blocks until resolved; true when the commit is durable.
  bool Wait();
  bool resolved();

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool resolved_ = false;
  bool durable_ = false;
};

class StateCache {
 public:
  // One stream's state. Every field but `key` is guarded by `mu`.
  struct Slot {
    std::mutex mu;
    std::string key;

    bool loaded = false;  // false: read the stream from the store before use
    uint64_t version = 0;
    std::type_index type = typeid(void);
    std::shared_ptr<void> state;
    // Applies an event taking effect on a date (domain::ApplyOn).
    void (*apply)(void* state, const google::protobuf::Message& event,
                  absl::string_view effective_date) = nullptr;
    // The latest effective date among the stream's events: a command taking effect before
    // it is a late entry (services/domain/timeline.h).
    std::string latest_effective;
    // Where late entries start from, kept while they keep falling in one window (a stream
    // holding a change dated ahead, say): the state as of `late_base_date` (every event dated
    // on or before it) and the events dated after it, in effect order. Valid for a command
    // dated from late_base_date up to, not including, the first of `later`. Empty: none.
    std::shared_ptr<void> late_base;
    std::string late_base_date;
    std::vector<domain::DatedEvent> later;
    // The last commit applied to `state` before it was known to be durable.
    std::shared_ptr<CommitOutcome> pending;

    // Forgets the state: the next user reads it from the store.
    void Unload() {
      loaded = false;
      version = 0;
      type = typeid(void);
      state.reset();
      apply = nullptr;
      latest_effective.clear();
      late_base.reset();
      late_base_date.clear();
      later.clear();
      pending.reset();
    }

   private:
    friend class StateCache;
    int pins_ = 0;                              // guarded by the shard's lock
    std::list<Slot*>::iterator idle_position_;  // valid while pins_ == 0
  };

  explicit StateCache(size_t entries_max = kStateCacheEntriesMax);
  ~StateCache();
  StateCache(const StateCache&) = delete;
  StateCache& operator=(const StateCache&) = delete;

  // The slot of `stream`, created if absent, pinned until Unpin. Does not lock it.
  Slot* Pin(absl::string_view stream);
  // Ends one Pin. The caller must have unlocked the slot, and must not use it afterwards.
  void Unpin(Slot* slot);

  size_t size();

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    absl::flat_hash_map<std::string, std::unique_ptr<Slot>> slots;
    std::list<Slot*> idle;  // unpinned slots, most recently used first
  };
  Shard& ShardOf(absl::string_view stream);

  const size_t idle_max_per_shard_;
  std::array<Shard, kShards> shards_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_STATE_CACHE_H_
