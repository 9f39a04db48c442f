// LruCache: a map bounded to `capacity` entries that, when full, forgets the entry used
// least recently (instead of clearing everything, which makes every lookup after the
// clearing a miss at once). Get and Put are O(1) on average and count as a use.
//
// Not thread-safe: the owner locks around it (every cache of ours has a lock already).
// Values are returned by pointer, valid until the next Put or Erase.
#ifndef REFORMLOG_BASE_LRU_CACHE_H_
#define REFORMLOG_BASE_LRU_CACHE_H_

#include <cstddef>
#include <list>
#include <utility>

#include "absl/container/flat_hash_map.h"

namespace reformlog {

template <typename Key, typename Value>
class LruCache {
 public:
  // `capacity` ≥ 1.
  explicit LruCache(size_t capacity) : capacity_(capacity < 1 ? 1 : capacity) {}

  // The value under `key` (marked most recently used), or null.
  template <typename K>
  Value* Get(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return &it->second->second;
  }

  // Sets `key` to `value` (most recently used), forgetting the least recently used entry
  // when the cache is full.
  void Put(const Key& key, Value value) {
    if (auto it = index_.find(key); it != index_.end()) {
      it->second->second = std::move(value);
      order_.splice(order_.begin(), order_, it->second);
      return;
    }
    if (index_.size() >= capacity_) {
      index_.erase(order_.back().first);
      order_.pop_back();
    }
    order_.emplace_front(key, std::move(value));
    index_.emplace(key, order_.begin());
  }

  template <typename K>
  void Erase(const K& key) {
    auto it = index_.find(key);
    if (it == index_.end()) return;
    order_.erase(it->second);
    index_.erase(it);
  }

  void Clear() {
    index_.clear();
    order_.clear();
  }

  size_t size() const { return index_.size(); }
  size_t capacity() const { return capacity_; }

 private:
  using Entry = std::pair<Key, Value>;
  size_t capacity_;
  std::list<Entry> order_;  // most recently used first
  absl::flat_hash_map<Key, typename std::list<Entry>::iterator>
      index_;  // heterogeneous for strings
};

}  // namespace reformlog

#endif  // REFORMLOG_BASE_LRU_CACHE_H_
