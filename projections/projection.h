// Projection: one read model, derived from the log by a pure Apply.
//
// A projection owns a key space of entities of one protobuf type (EntityTable). Apply is a
// pure function of the table and one event: no clock, no I/O, no randomness. Everything
// else — feeding events in order, persisting changed entities with the checkpoint in one
// batch, resuming, rebuilding beside the live copy — is the ProjectionRunner's.
#ifndef REFORMLOG_PROJECTIONS_PROJECTION_H_
#define REFORMLOG_PROJECTIONS_PROJECTION_H_

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "eventstore/types.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "projections/entity_table.h"

namespace reformlog::projections {

// One event as projections see it: the envelope and its decoded payload.
struct AppliedEvent {
  const eventstore::RecordedEvent& envelope;
  const google::protobuf::Message& payload;
  // The payload's type, looked up once (GetDescriptor() is a virtual call and a check that
  // the descriptors are built, each time).
  const google::protobuf::Descriptor* const payload_type = payload.GetDescriptor();

  // The payload as a T, or null. A descriptor comparison, not a dynamic_cast: projections
  // ask this of every event, and most answers are no.
  template <typename T>
  const T* As() const {
    static const google::protobuf::Descriptor* const descriptor = T::descriptor();
    return payload_type == descriptor ? static_cast<const T*>(&payload) : nullptr;
  }
};

class Projection {
 public:
  virtual ~Projection() = default;
  // Names the key space: lower-case letters and '_'.
  virtual absl::string_view name() const = 0;
  virtual const google::protobuf::Message& entity_prototype() const = 0;
  virtual void Apply(const AppliedEvent& event, EntityTable& table) const = 0;
  // The payload types for which Apply may change the table. The runner offers the projection
  // only events of these types (and decodes an event only when some projection takes it);
  // Apply must leave the table untouched for every other type. Empty, the default: every
  // event, the safe answer for a projection that does not say.
  virtual std::vector<const google::protobuf::Descriptor*> EventTypes() const { return {}; }
  // The version of Apply and of the entity format. Bump it whenever either changes: a model
  // persisted by another logic version (or by a build from before logic versions) is
  // rebuilt beside the live one when the runner starts, and swapped in once caught up.
  virtual uint32_t logic_version() const { return 1; }

  // Entities persisted in parts. A projection whose entity holds one long repeated message
  // field (a budget book's lines) may name it here: each element is then persisted as a record
  // of its own, under PartKey(element), and the rest of the entity (its header) as another,
  // and Apply changes such an entity through EntityTable::MutableParts, marking the header and
  // the elements it changes — so that an event rewrites what it changed, not the entity.
  // Null, the default: every entity is persisted whole, and a change rewrites it.
  virtual const google::protobuf::FieldDescriptor* parted_field() const { return nullptr; }
  // The key of an element of parted_field(): unique in its entity, the same as long as the
  // element is in it, and ordered as the elements are (bytewise) — loading the parts in key
  // order restores the field.
  virtual std::string PartKey(const google::protobuf::Message& element) const {
    (void)element;
    return std::string();
  }
};

// A set of event types, written once in a projection and used both to answer EventTypes()
// and to test a payload.
template <typename... Events>
struct EventSet {
  static std::vector<const google::protobuf::Descriptor*> Descriptors() {
    return {Events::descriptor()...};
  }
  // Whether `type` (AppliedEvent::payload_type) is one of Events.
  static bool Contains(const google::protobuf::Descriptor* type) {
    // Found once: Events::descriptor() is not free (it checks the descriptors are built).
    static const std::array<const google::protobuf::Descriptor*, sizeof...(Events)> descriptors = {
        Events::descriptor()...};
    return std::find(descriptors.begin(), descriptors.end(), type) != descriptors.end();
  }
};

// A projection whose entities are of type Entity.
template <typename Entity>
class TypedProjection : public Projection {
 public:
  const google::protobuf::Message& entity_prototype() const final {
    return Entity::default_instance();
  }
  void Apply(const AppliedEvent& event, EntityTable& table) const final {
    Table<Entity> typed(table);
    ApplyTyped(event, typed);
  }

 protected:
  virtual void ApplyTyped(const AppliedEvent& event, Table<Entity>& table) const = 0;
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_PROJECTION_H_
