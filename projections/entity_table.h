// EntityTable: the state of one projection — protobuf entities of one type, by key — and
// the record of what changed since the changes were last taken (to persist them).
//
// What changed is kept per entity: the whole entity (created, replaced, erased), or — for a
// table whose entities persist one repeated message field element by element (its parted
// field: Projection::parted_field) and changed through MutableParts — the entity but that
// field (its header) and which elements of the field. Persisting then rewrites those
// elements, not the entity: the cost of a change does not grow with the field.
//
// Not thread-safe: the projection runner guards each table with its own lock.
#ifndef REFORMLOG_PROJECTIONS_ENTITY_TABLE_H_
#define REFORMLOG_PROJECTIONS_ENTITY_TABLE_H_

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace reformlog::projections {

class EntityTable {
 public:
  // What changed of an entity changed through MutableParts.
  struct PartChanges {
    bool header = false;  // the entity but its parted field
    // Elements of the parted field that changed or were added.
    absl::flat_hash_set<const google::protobuf::Message*> elements;
  };

  // One changed entity, as TakeChanges reports it.
  struct Change {
    // The entity; null when erased. TakeChanges's caller may change it only to put it back as
    // it was before returning (AddChanges sets the parted field aside to write the header).
    google::protobuf::Message* entity = nullptr;
    // Whether a persisted form of the entity may exist: it was loaded, or taken before.
    bool persisted = false;
    // What changed; null when the whole entity did (created, replaced through Mutable,
    // erased, or changed through MutableParts while its persisted form was whole).
    const PartChanges* parts = nullptr;
  };

 private:
  enum class Changed : uint8_t { kNo, kParts, kWhole };
  // How the entity is persisted: not (yet), header and parts apart, or whole — the header
  // holding the parted field, as loaded from a store written before the table had one.
  enum class Stored : uint8_t { kNo, kParted, kWhole };
  // An erased entity stays as a tombstone (null message, changed) until its change is taken,
  // so that the iterators in changed_ stay valid: std::map never moves a node.
  struct Entry {
    std::unique_ptr<google::protobuf::Message> message;
    std::unique_ptr<PartChanges> parts;  // when changed is kParts
    Changed changed = Changed::kNo;
    Stored stored = Stored::kNo;
  };
  using Entries = std::map<std::string, Entry, std::less<>>;

 public:
  // `prototype` is the entity type's default instance; it must outlive the table.
  // `parted_field`, when given, is a repeated message field of it (Projection::parted_field).
  explicit EntityTable(const google::protobuf::Message& prototype,
                       const google::protobuf::FieldDescriptor* parted_field = nullptr)
      : prototype_(prototype), parted_field_(parted_field) {}

  const google::protobuf::Message& prototype() const { return prototype_; }
  const google::protobuf::FieldDescriptor* parted_field() const { return parted_field_; }

  const google::protobuf::Message* Find(absl::string_view key) const;
  // The entity under `key`, created empty if absent; marked changed, wholly. The pointer stays
  // valid until the entity is erased or the table destroyed.
  google::protobuf::Message* Mutable(absl::string_view key);
  void Erase(absl::string_view key);
  size_t size() const { return live_; }

  // Changes to some parts of one entity (MutableParts); valid while the entity is not erased.
  class PartsMarker {
   public:
    google::protobuf::Message* entity() const { return it_->second.message.get(); }
    // The entity but its parted field changed.
    void HeaderChanged() const { table_->MarkParts(it_, nullptr); }
    // `element`, an element of the entity's parted field, changed or was added. It must stay
    // in the field until the changes are taken: only a whole change (Mutable) removes elements.
    void PartChanged(const google::protobuf::Message& element) const {
      table_->MarkParts(it_, &element);
    }

   private:
    friend class EntityTable;
    PartsMarker(EntityTable* table, Entries::iterator it) : table_(table), it_(it) {}
    EntityTable* table_;
    Entries::iterator it_;
  };
  // The entity under `key`, for a change of some of its parts: created empty and marked changed
  // wholly if absent; otherwise nothing is marked until the marker says what changed. In a
  // table without a parted field, the same as Mutable.
  PartsMarker MutableParts(absl::string_view key);

  // Every entity in key order.
  void ForEach(
      const std::function<void(const std::string&, const google::protobuf::Message&)>& fn) const;

  // Calls fn(key, change) for every entity changed since changes were last taken, in key order;
  // then forgets the changes.
  void TakeChanges(absl::FunctionRef<void(const std::string& key, const Change& change)> fn);
  // Forgets the changes (a table that is never persisted).
  void ForgetChanges();
  // The bytes under which an entity is persisted (deterministic serialization).
  static std::string Serialize(const google::protobuf::Message& entity);
  // Puts a persisted entity back in place of any under `key`, without marking it changed.
  // DATA_LOSS if it does not parse.
  absl::Status Load(absl::string_view key, absl::string_view bytes);
  // Appends a persisted element to the parted field of the entity under `key` (created empty if
  // absent), without marking anything changed: load an entity's header first, then its
  // elements in order. DATA_LOSS if it does not parse, FAILED_PRECONDITION without a parted
  // field.
  absl::Status LoadPart(absl::string_view key, absl::string_view bytes);

  // Same keys with byte-identical entities (deterministic serialization).
  bool Equals(const EntityTable& other) const;
  // A canonical text form of every entity (UTF-8 kept readable), for golden tests.
  std::string Render() const;

 private:
  void MarkWhole(Entries::iterator it);
  // Marks `element` changed, or the header when it is null.
  void MarkParts(Entries::iterator it, const google::protobuf::Message* element);
  // The entry under `key`, a live entity (created if absent or erased).
  Entries::iterator Live(absl::string_view key);

  const google::protobuf::Message& prototype_;
  const google::protobuf::FieldDescriptor* const parted_field_;
  Entries entities_;
  size_t live_ = 0;                         // entries that are not tombstones
  std::vector<Entries::iterator> changed_;  // each changed entry once
};

// Typed access to a table whose entities are of type T.
template <typename T>
class Table {
 public:
  // EntityTable::PartsMarker with the entity typed.
  class Parts {
   public:
    T& entity() const { return *static_cast<T*>(marker_.entity()); }
    void HeaderChanged() const { marker_.HeaderChanged(); }
    void PartChanged(const google::protobuf::Message& element) const {
      marker_.PartChanged(element);
    }

   private:
    friend class Table;
    explicit Parts(EntityTable::PartsMarker marker) : marker_(marker) {}
    EntityTable::PartsMarker marker_;
  };

  explicit Table(EntityTable& table) : table_(table) {}
  const T* Find(absl::string_view key) const { return static_cast<const T*>(table_.Find(key)); }
  T* Mutable(absl::string_view key) { return static_cast<T*>(table_.Mutable(key)); }
  Parts MutableParts(absl::string_view key) { return Parts(table_.MutableParts(key)); }
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
