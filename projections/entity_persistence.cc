#include "projections/entity_persistence.h"

#include <string>
#include <utility>

#include "projections/readmodel_format.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::projections {

namespace rm = ::reformlog::readmodel::v1;

void AddChanges(const Projection& projection, uint32_t version, EntityTable& table,
                eventstore::KvBatch& batch) {
  table.TakeChanges([&](const std::string& key, const google::protobuf::Message* entity) {
    std::string kv_key = format::EntityKey(projection.name(), version, key);
    if (entity != nullptr) {
      batch.Put(std::move(kv_key), EntityTable::Serialize(*entity));
    } else {
      batch.Delete(std::move(kv_key));
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

absl::Status LoadRecord(const Projection&, EntityTable& table, absl::string_view key,
                        absl::string_view bytes) {
  return table.Load(key, bytes);
}

}  // namespace reformlog::projections
