// KeyValueStore: where read models keep their state and checkpoints.
//
// Read models are derived from the log, so their store is separate from it: its writes are
// not fsynced one by one (a crash loses at most a tail that is replayed from the last
// checkpoint written), but each Write() is atomic — a projection's entities and its
// checkpoint go in one batch, so after any crash they agree.
//
// Keys are byte strings, ordered bytewise. Thread-safe.
#ifndef REFORMLOG_EVENTSTORE_KV_STORE_H_
#define REFORMLOG_EVENTSTORE_KV_STORE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reformlog::eventstore {

struct KvBatch {
  struct Op {
    enum class Kind : uint8_t { kPut, kDelete, kDeletePrefix } kind;
    std::string key;  // the prefix, for kDeletePrefix
    std::string value;
  };
  std::vector<Op> ops;

  void Put(std::string key, std::string value) {
    ops.push_back({Op::Kind::kPut, std::move(key), std::move(value)});
  }
  void Delete(std::string key) { ops.push_back({Op::Kind::kDelete, std::move(key), {}}); }
  void DeletePrefix(std::string prefix) {
    ops.push_back({Op::Kind::kDeletePrefix, std::move(prefix), {}});
  }
  bool empty() const { return ops.empty(); }
};

class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;
  // The value, or std::nullopt when the key is absent.
  virtual absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) = 0;
  // Calls fn(key, value) for every key with the prefix, in key order, until fn returns false.
  virtual absl::Status Scan(
      absl::string_view prefix,
      const std::function<bool(absl::string_view, absl::string_view)>& fn) = 0;
  // Applies every operation, in order, atomically.
  virtual absl::Status Write(const KvBatch& batch) = 0;
};

// Opens (creating if needed) a RocksDB-backed store in `path`.
absl::StatusOr<std::unique_ptr<KeyValueStore>> OpenRocksKeyValueStore(const std::string& path);

// An in-memory store, for tests and transient read models.
std::unique_ptr<KeyValueStore> NewInMemoryKeyValueStore();

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_KV_STORE_H_
