// EntityTable: the state of one projection — protobuf entities of one type, by key — and
// the record of which keys changed since the changes were last taken (to persist them).
//
// Not thread-safe: the projection runner guards each table with its own lock.
#ifndef REFORMLOG_PROJECTIONS_ENTITY_TABLE_H_
#define REFORMLOG_PROJECTIONS_ENTITY_TABLE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace reformlog::projections {

class EntityTable {
 public:
  // `prototype` is the entity type's default instance; it must outlive the table.
  explicit EntityTable(const google::protobuf::Message& prototype) : prototype_(prototype) {}

  const google::protobuf::Message& prototype() const { return prototype_; }

  const google::protobuf::Message* Find(absl::string_view key) const;
  // The entity under `key`, created empty if absent; marked changed. The pointer stays valid
  // until the entity is erased or the table destroyed.
  google::protobuf::Message* Mutable(absl::string_view key);
  void Erase(absl::string_view key);
  size_t size() const { return live_; }

  // Every entity in key order.
  void ForEach(
      const std::function<void(const std::string&, const google::protobuf::Message&)>& fn) const;

  // Changes since the last call: key → serialized entity, or nullopt when erased.
  std::vector<std::pair<std::string, std::optional<std::string>>> TakeChanges();
  // The same without copies: calls fn(key, entity) for every key changed since changes were
  // last taken, in key order, with a null entity when it was erased; then forgets them.
  void TakeChanges(
      absl::FunctionRef<void(const std::string& key, const google::protobuf::Message* entity)> fn);
  // Forgets the changes (a table that is never persisted).
  void ForgetChanges();
  // The bytes under which an entity is persisted (deterministic serialization).
  static std::string Serialize(const google::protobuf::Message& entity);
  // Puts a persisted entity back, without marking it changed. DATA_LOSS if it does not parse.
  absl::Status Load(absl::string_view key, absl::string_view bytes);

  // Same keys with byte-identical entities (deterministic serialization).
  bool Equals(const EntityTable& other) const;
  // A canonical text form of every entity (UTF-8 kept readable), for golden tests.
  std::string Render() const;

 private:
  // An erased entity stays as a tombstone (null message, changed) until its change is taken,
  // so that the iterators in changed_ stay valid: std::map never moves a node.
  struct Entry {
    std::unique_ptr<google::protobuf::Message> message;
    bool changed = false;
  };
  using Entries = std::map<std::string, Entry, std::less<>>;

  void MarkChanged(Entries::iterator it);

  const google::protobuf::Message& prototype_;
  Entries entities_;
  size_t live_ = 0;                         // entries that are not tombstones
  std::vector<Entries::iterator> changed_;  // each changed entry once
};

// Typed access to a table whose entities are of type T.
template <typename T>
class Table {
 public:
  explicit Table(EntityTable& table) : table_(table) {}
  const T* Find(absl::string_view key) const { return static_cast<const T*>(table_.Find(key)); }
  T* Mutable(absl::string_view key) { return static_cast<T*>(table_.Mutable(key)); }
  void Erase(absl::string_view key) { table_.Erase(key); }
  void ForEach(const std::function<void(const std::string&, const T&)>& fn) const {
    table_.ForEach([&](const std::string& key, const google::protobuf::Message& m) {
      fn(key, static_cast<const T&>(m));
    });
  }
  size_t size() const { return table_.size(); }

 private:
  EntityTable& table_;
};

// Read-only typed access.
template <typename T>
class ConstTable {
 public:
  explicit ConstTable(const EntityTable& table) : table_(table) {}
  const T* Find(absl::string_view key) const { return static_cast<const T*>(table_.Find(key)); }
  void ForEach(const std::function<void(const std::string&, const T&)>& fn) const {
    table_.ForEach([&](const std::string& key, const google::protobuf::Message& m) {
      fn(key, static_cast<const T&>(m));
    });
  }
  size_t size() const { return table_.size(); }

 private:
  const EntityTable& table_;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_ENTITY_TABLE_H_
