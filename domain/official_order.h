// The official order agencies are listed in (the order of a 机构编制 table or a 三定 list):
// by kind — 党委, 人大, 政府, 政协, 法院, 检察院, 群团, then 事业单位, 乡镇, 街道 — within a kind
// by rank, higher first (正处级 before 正科级; no rank last), then by id. Pure functions.
#ifndef REFORMLOG_DOMAIN_OFFICIAL_ORDER_H_
#define REFORMLOG_DOMAIN_OFFICIAL_ORDER_H_

#include <tuple>

#include "absl/strings/string_view.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::domain {

// The place of `kind` in the official order, from 0; unknown kinds after every known one.
inline int KindOrder(v1::AgencyKind kind) {
  switch (kind) {
    case v1::PARTY_DEPARTMENT:
      return 0;
    case v1::PEOPLES_CONGRESS_ORGAN:
      return 1;
    case v1::GOVERNMENT_DEPARTMENT:
      return 2;
    case v1::CPPCC_ORGAN:
      return 3;
    case v1::COURT:
      return 4;
    case v1::PROCURATORATE:
      return 5;
    case v1::MASS_ORGANIZATION:
      return 6;
    case v1::PUBLIC_INSTITUTION:
      return 7;
    case v1::TOWN:
      return 8;
    case v1::SUBDISTRICT:
      return 9;
    default:
      return 10;
  }
}

// Whether the agency (kind_a, rank_a, id_a) comes before (kind_b, rank_b, id_b).
inline bool OfficiallyBefore(v1::AgencyKind kind_a, v1::Rank rank_a, absl::string_view id_a,
                             v1::AgencyKind kind_b, v1::Rank rank_b, absl::string_view id_b) {
  // Rank numbers grow downwards (正厅级 = 1 … 股级 = 7); unspecified (0) goes last.
  auto rank_order = [](v1::Rank r) {
    return r == v1::RANK_UNSPECIFIED ? 100 : static_cast<int>(r);
  };
  return std::make_tuple(KindOrder(kind_a), rank_order(rank_a), id_a) <
         std::make_tuple(KindOrder(kind_b), rank_order(rank_b), id_b);
}

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_OFFICIAL_ORDER_H_
