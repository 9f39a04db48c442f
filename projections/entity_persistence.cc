#include "projections/entity_persistence.h"

#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "projections/readmodel_format.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {
namespace {

namespace rm = ::reformlog::readmodel::v1;

// The entity without `field`: the field is set aside (a swap of its elements, not a copy) for
// the serialization and put back.
std::string SerializeHeader(google::protobuf::Message& entity,
                            const google::protobuf::FieldDescriptor& field) {
  std::unique_ptr<google::protobuf::Message> aside(entity.New());
  const google::protobuf::Reflection& reflection = *entity.GetReflection();
  reflection.SwapFields(&entity, aside.get(), {&field});
  std::string header = EntityTable::Serialize(entity);
  reflection.SwapFields(&entity, aside.get(), {&field});
  return header;
}

// Puts the changes of an entity with a parted field.
void AddPartedChange(const Projection& projection, uint32_t version,
                     const google::protobuf::FieldDescriptor& field, const std::string& key,
                     const EntityTable::Change& change, eventstore::KvBatch& batch) {
  const absl::string_view name = projection.name();
  auto put_part = [&](const google::protobuf::Message& element) {
    batch.Put(format::PartKey(name, version, key, projection.PartKey(element)),
              EntityTable::Serialize(element));
  };
  if (change.entity == nullptr) {
    batch.Delete(format::EntityKey(name, version, key));
    if (change.persisted) batch.DeletePrefix(format::EntityPartsPrefix(name, version, key));
    return;
  }
  if (change.parts == nullptr) {
    // Whole: the parts persisted before may include elements that are gone.
    if (change.persisted) batch.DeletePrefix(format::EntityPartsPrefix(name, version, key));
    batch.Put(format::EntityKey(name, version, key), SerializeHeader(*change.entity, field));
    const google::protobuf::Reflection& reflection = *change.entity->GetReflection();
    const int elements = reflection.FieldSize(*change.entity, &field);
    for (int i = 0; i < elements; ++i) {
      put_part(reflection.GetRepeatedMessage(*change.entity, &field, i));
    }
    return;
  }
  if (change.parts->header) {
    batch.Put(format::EntityKey(name, version, key), SerializeHeader(*change.entity, field));
  }
  for (const google::protobuf::Message* element : change.parts->elements) put_part(*element);
}

}  // namespace

std::unique_ptr<EntityTable> NewTable(const Projection& projection) {
  return std::make_unique<EntityTable>(projection.entity_prototype(), projection.parted_field());
}

void AddChanges(const Projection& projection, uint32_t version, EntityTable& table,
                eventstore::KvBatch& batch) {
  const google::protobuf::FieldDescriptor* field = table.parted_field();
  table.TakeChanges([&](const std::string& key, const EntityTable::Change& change) {
    if (field != nullptr) {
      AddPartedChange(projection, version, *field, key, change, batch);
    } else if (change.entity != nullptr) {
      batch.Put(format::EntityKey(projection.name(), version, key),
                EntityTable::Serialize(*change.entity));
    } else {
      batch.Delete(format::EntityKey(projection.name(), version, key));
    }
  });
}

void AddMeta(const Projection& projection, uint32_t version, uint64_t checkpoint,
             eventstore::KvBatch& batch) {
  rm::ProjectionMeta meta;
  meta.set_version(version);
  meta.set_checkpoint(checkpoint);
  meta.set_logic_version(projection.logic_version());
  batch.Put(format::MetaKey(projection.name()), meta.SerializeAsString());
}

absl::Status LoadEntities(const Projection& projection, uint32_t version,
                          eventstore::KeyValueStore& kv, EntityTable& table) {
  // Headers first: an entity's parts are appended to it.
  const std::string entities = format::VersionPrefix(projection.name(), version);
  absl::Status loaded = absl::OkStatus();
  absl::Status scanned = kv.Scan(entities, [&](absl::string_view key, absl::string_view value) {
    loaded = table.Load(key.substr(entities.size()), value);
    return loaded.ok();
  });
  if (!scanned.ok()) return scanned;
  if (!loaded.ok()) return loaded;
  if (table.parted_field() == nullptr) return absl::OkStatus();
  const std::string parts = format::PartsPrefix(projection.name(), version);
  std::string entity_key;
  scanned = kv.Scan(parts, [&](absl::string_view key, absl::string_view value) {
    absl::string_view rest = key.substr(parts.size());
    if (!format::ConsumeOrderedString(rest, entity_key)) {
      loaded = absl::DataLossError(absl::StrCat("read-model record \"", absl::CHexEscape(key),
                                                "\" is under ", parts, " but names no entity key"));
      return false;
    }
    loaded = table.LoadPart(entity_key, value);
    return loaded.ok();
  });
  if (!scanned.ok()) return scanned;
  return loaded;
}

}  // namespace reformlog::projections
