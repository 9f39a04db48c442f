// The official order of agencies: 党委, 人大, 政府, 政协, 法院, 检察院, 群团, then 事业单位, 乡镇,
// 街道; within a kind by rank, higher first; then by id.
#include "domain/official_order.h"

#include <algorithm>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::domain {
namespace {

namespace pb = ::reformlog::domain::v1;

struct Agency {
  pb::AgencyKind kind;
  pb::Rank rank;
  std::string id;
};

TEST(OfficialOrderTest, KindsThenRanksThenIds) {
  std::vector<Agency> agencies = {
      {pb::SUBDISTRICT, pb::SECTION_CHIEF, "jd"},
      {pb::PUBLIC_INSTITUTION, pb::UNIT_LEVEL, "sy"},
      {pb::MASS_ORGANIZATION, pb::SECTION_CHIEF, "qt"},
      {pb::PROCURATORATE, pb::SECTION_CHIEF, "jcy"},
      {pb::COURT, pb::SECTION_CHIEF, "fy"},
      {pb::CPPCC_ORGAN, pb::SECTION_CHIEF, "zx"},
      {pb::GOVERNMENT_DEPARTMENT, pb::SECTION_CHIEF, "b-gov"},
      {pb::GOVERNMENT_DEPARTMENT, pb::DIVISION_CHIEF, "z-gov"},
      {pb::GOVERNMENT_DEPARTMENT, pb::RANK_UNSPECIFIED, "a-gov"},
      {pb::GOVERNMENT_DEPARTMENT, pb::SECTION_CHIEF, "a-gov2"},
      {pb::PEOPLES_CONGRESS_ORGAN, pb::SECTION_CHIEF, "rd"},
      {pb::TOWN, pb::SECTION_CHIEF, "xz"},
      {pb::PARTY_DEPARTMENT, pb::SECTION_CHIEF, "dw"},
  };
  std::sort(agencies.begin(), agencies.end(), [](const Agency& a, const Agency& b) {
    return OfficiallyBefore(a.kind, a.rank, a.id, b.kind, b.rank, b.id);
  });
  std::vector<std::string> ids;
  for (const Agency& a : agencies) ids.push_back(a.id);
  EXPECT_THAT(ids, ::testing::ElementsAre("dw", "rd", "z-gov", "a-gov2", "b-gov", "a-gov", "zx",
                                          "fy", "jcy", "qt", "sy", "xz", "jd"));
  EXPECT_LT(KindOrder(pb::SUBDISTRICT), KindOrder(pb::AGENCY_KIND_UNSPECIFIED));
}

}  // namespace
}  // namespace reformlog::domain
