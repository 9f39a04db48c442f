// The key layout of the read-model store (eventstore/kv_store.h), as a grammar.
//
//   p/<projection>/meta                      → ProjectionMeta {version, checkpoint, logic_version}
//   p/<projection>/v<version>/e/<entity key> → the projection's entity message
//
// A projection's live entities are those of the version its meta names. A rebuild writes
// the next version beside them and switches the meta (and deletes the old version) in the
// batch that carries its checkpoint. Every batch that changes entities also writes the
// meta, so entities and checkpoint always agree.
#ifndef REFORMLOG_PROJECTIONS_READMODEL_FORMAT_H_
#define REFORMLOG_PROJECTIONS_READMODEL_FORMAT_H_

#include <cstdint>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace reformlog::projections::format {

inline std::string MetaKey(absl::string_view projection) {
  return absl::StrCat("p/", projection, "/meta");
}

inline std::string VersionPrefix(absl::string_view projection, uint32_t version) {
  return absl::StrCat("p/", projection, "/v", version, "/e/");
}

inline std::string EntityKey(absl::string_view projection, uint32_t version,
                             absl::string_view key) {
  return absl::StrCat(VersionPrefix(projection, version), key);
}

}  // namespace reformlog::projections::format

#endif  // REFORMLOG_PROJECTIONS_READMODEL_FORMAT_H_
