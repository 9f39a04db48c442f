// Enum values as users read and type them (clients/reformctl/enums.h).
#include "clients/reformctl/enums.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;
using ::testing::HasSubstr;

TEST(ReformctlEnumsTest, ValuesPrintAsTheirLabel) {
  EXPECT_EQ(Label(pb::ADMINISTRATIVE), "行政编制");
  EXPECT_EQ(Label(pb::SECTION_CHIEF), "正科级");
  EXPECT_EQ(Label(pb::QUOTA_CATEGORY_UNSPECIFIED), "QUOTA_CATEGORY_UNSPECIFIED") << "no label";
  EXPECT_EQ(EnumLabel(pb::QuotaCategory_descriptor(), 999), "999") << "no such value";
}

TEST(ReformctlEnumsTest, TheLabelTheNameOrTheNameInAnyCase) {
  for (const char* text : {"行政编制", "ADMINISTRATIVE", "administrative", "Administrative"}) {
    absl::StatusOr<int> value = ParseEnumValue(pb::QuotaCategory_descriptor(), text);
    ASSERT_TRUE(value.ok()) << text << ": " << value.status();
    EXPECT_EQ(*value, pb::ADMINISTRATIVE) << text;
  }
  EXPECT_EQ(ParseEnum<pb::Rank>("--rank", "正科级"), pb::SECTION_CHIEF);
}

TEST(ReformctlEnumsTest, AnythingElseListsEverySpellingAccepted) {
  for (const char* text : {"大编制", "QUOTA_CATEGORY_UNSPECIFIED", "", "1"}) {
    absl::StatusOr<int> value = ParseEnumValue(pb::QuotaCategory_descriptor(), text);
    ASSERT_FALSE(value.ok()) << text;
    EXPECT_EQ(value.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_EQ(value.status().message(),
              absl::StrCat("\"", text,
                           "\" is not one of: 行政编制/administrative, "
                           "政法专项编制/politics_and_law, 事业编制/public_service, "
                           "工勤编制/support_staff, 专项编制/special_purpose"));
  }
}

TEST(ReformctlEnumsTest, ParseEnumEndsWithBadUsageNamingTheOption) {
  try {
    ParseEnum<pb::QuotaCategory>("--category", "大编制");
    FAIL() << "no Exit";
  } catch (const Exit& e) {
    EXPECT_EQ(e.code, kExitUsage);
    EXPECT_THAT(e.message, HasSubstr("--category: \"大编制\" is not one of: 行政编制/"));
  }
}

}  // namespace
}  // namespace reformlog::ctl
