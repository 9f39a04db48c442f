// UTF-8 and GB18030 (clients/reformctl/text_encoding.h), both ways, and the refusals.
#include "clients/reformctl/text_encoding.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

using ::testing::HasSubstr;

constexpr char kUtf8[] = "中文,编制";
// The same text in GB18030: 中 D6D0, 文 CEC4, 编 B1E0, 制 D6C6.
constexpr char kGb18030[] = "\xd6\xd0\xce\xc4,\xb1\xe0\xd6\xc6";

TEST(ReformctlTextEncodingTest, Gb18030AndItsSubsetsReadAsUtf8) {
  for (const char* encoding : {"gb18030", "GBK", "gb2312", "auto"}) {
    absl::StatusOr<std::string> text = ToUtf8(kGb18030, encoding);
    ASSERT_TRUE(text.ok()) << encoding << ": " << text.status();
    EXPECT_EQ(*text, kUtf8) << encoding;
  }
}

TEST(ReformctlTextEncodingTest, Utf8StaysAsItIsWithoutItsBom) {
  for (const char* encoding : {"utf-8", "UTF8", "auto"}) {
    EXPECT_EQ(*ToUtf8(kUtf8, encoding), kUtf8) << encoding;
    EXPECT_EQ(*ToUtf8(std::string("\xEF\xBB\xBF") + kUtf8, encoding), kUtf8) << encoding;
  }
}

TEST(ReformctlTextEncodingTest, BadBytesAndUnknownEncodingsAreRefused) {
  absl::StatusOr<std::string> not_utf8 = ToUtf8(kGb18030, "utf-8");
  ASSERT_FALSE(not_utf8.ok());
  EXPECT_EQ(not_utf8.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(not_utf8.status().message(), "the file is not valid UTF-8 (try --encoding gb18030)");
  // 0x81 opens a two- or four-byte GB18030 sequence; ',' cannot continue it.
  absl::StatusOr<std::string> not_gb = ToUtf8("ab\x81,", "gb18030");
  ASSERT_FALSE(not_gb.ok());
  EXPECT_EQ(not_gb.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(not_gb.status().message(), "the file is not valid GB18030 at byte 2");
  absl::StatusOr<std::string> latin1 = ToUtf8("abc", "latin1");
  ASSERT_FALSE(latin1.ok());
  EXPECT_EQ(latin1.status().message(), "--encoding latin1 is not utf-8, gb18030 or auto");
}

TEST(ReformctlTextEncodingTest, Utf8WritesAsGb18030OrAsItIs) {
  EXPECT_EQ(*FromUtf8(kUtf8, "gb18030"), kGb18030);
  EXPECT_EQ(*FromUtf8(kUtf8, "UTF-8"), kUtf8);
  EXPECT_TRUE(FromUtf8("", "gb18030").ok()) << "an empty text probes the encoding";
  absl::StatusOr<std::string> gbk = FromUtf8(kUtf8, "gbk");
  ASSERT_FALSE(gbk.ok());
  EXPECT_EQ(gbk.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(gbk.status().message(), "--encoding gbk is not utf-8-bom, utf-8 or gb18030");
  absl::StatusOr<std::string> not_utf8 = FromUtf8(kGb18030, "gb18030");
  ASSERT_FALSE(not_utf8.ok());
  EXPECT_THAT(not_utf8.status().message(), HasSubstr("not valid UTF-8"));
}

}  // namespace
}  // namespace reformlog::ctl
