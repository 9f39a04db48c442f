// The key layout of the read-model store (eventstore/kv_store.h), as a grammar.
//
//   p/<projection>/meta                      → ProjectionMeta {version, checkpoint, logic_version}
//   p/<projection>/v<version>/e/<entity key> → the projection's entity message; for a projection
//                                              that persists a field in parts
//                                              (Projection::parted_field), the entity without it
//   p/<projection>/v<version>/s/<ordered entity key><part key>
//                                            → one element of the entity's parted field, under its
//                                              Projection::PartKey
//
//   <ordered s> = s with each 0x00 byte written 0x00 0xFF, then 0x00 0x01. It is self-delimiting
//   and keeps order (ordered strings compare bytewise as the strings do, and none is a prefix of
//   another), so the parts of one entity are contiguous, in part-key order.
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

inline constexpr char kOrderedEscape = '\x00';
inline constexpr char kOrderedEscapedZero = '\xff';
inline constexpr char kOrderedEnd = '\x01';

inline std::string MetaKey(absl::string_view projection) {
  return absl::StrCat("p/", projection, "/meta");
}

// Every record of one version: its entities and their parts.
inline std::string VersionSpace(absl::string_view projection, uint32_t version) {
  return absl::StrCat("p/", projection, "/v", version, "/");
}

inline std::string VersionPrefix(absl::string_view projection, uint32_t version) {
  return absl::StrCat(VersionSpace(projection, version), "e/");
}

inline std::string EntityKey(absl::string_view projection, uint32_t version,
                             absl::string_view key) {
  return absl::StrCat(VersionPrefix(projection, version), key);
}

inline std::string PartsPrefix(absl::string_view projection, uint32_t version) {
  return absl::StrCat(VersionSpace(projection, version), "s/");
}

// Appends <ordered s> to `out`.
inline void AppendOrderedString(absl::string_view s, std::string& out) {
  for (char c : s) {
    out.push_back(c);
    if (c == kOrderedEscape) out.push_back(kOrderedEscapedZero);
  }
  out.push_back(kOrderedEscape);
  out.push_back(kOrderedEnd);
}

// Takes one <ordered s> off the front of `in` into `out`; false when `in` does not start with
// one.
inline bool ConsumeOrderedString(absl::string_view& in, std::string& out) {
  out.clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != kOrderedEscape) {
      out.push_back(in[i]);
    } else if (i + 1 < in.size() && in[i + 1] == kOrderedEscapedZero) {
      out.push_back(kOrderedEscape);
      ++i;
    } else if (i + 1 < in.size() && in[i + 1] == kOrderedEnd) {
      in.remove_prefix(i + 2);
      return true;
    } else {
      return false;
    }
  }
  return false;
}

// Appends `v` so that appended values compare bytewise as the numbers do: big-endian, the sign
// bit flipped.
inline void AppendOrderedInt32(int32_t v, std::string& out) {
  const uint32_t u = static_cast<uint32_t>(v) ^ 0x8000'0000u;
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<char>(u >> shift));
}

inline void AppendOrderedUint64(uint64_t v, std::string& out) {
  for (int shift = 56; shift >= 0; shift -= 8) out.push_back(static_cast<char>(v >> shift));
}

// The prefix of every part of the entity under `key`.
inline std::string EntityPartsPrefix(absl::string_view projection, uint32_t version,
                                     absl::string_view key) {
  std::string prefix = PartsPrefix(projection, version);
  AppendOrderedString(key, prefix);
  return prefix;
}

inline std::string PartKey(absl::string_view projection, uint32_t version, absl::string_view key,
                           absl::string_view part_key) {
  return absl::StrCat(EntityPartsPrefix(projection, version, key), part_key);
}

}  // namespace reformlog::projections::format

#endif  // REFORMLOG_PROJECTIONS_READMODEL_FORMAT_H_
