// DisplayWidth and IsValidUtf8 (clients/reformctl/utf8_text.h).
#include "clients/reformctl/utf8_text.h"

#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

TEST(ReformctlUtf8TextTest, WideCharactersTakeTwoCells) {
  EXPECT_EQ(DisplayWidth(""), 0u);
  EXPECT_EQ(DisplayWidth("abc"), 3u);
  EXPECT_EQ(DisplayWidth("编制"), 4u);
  EXPECT_EQ(DisplayWidth("a 行政编制 7"), 12u);
  EXPECT_EQ(DisplayWidth("西委编〔2019〕1号"), 17u);  // 〔 〕 are wide too
  EXPECT_EQ(DisplayWidth("—"), 1u);                   // an em dash is narrow
}

TEST(ReformctlUtf8TextTest, ABadByteCountsAsOneCellAndDecodingResumes) {
  EXPECT_EQ(DisplayWidth("\xff"), 1u);
  EXPECT_EQ(DisplayWidth("a\xffz"), 3u);
  EXPECT_EQ(DisplayWidth("\xe7\xbc"), 2u);  // a character cut short: two bytes, two cells
  EXPECT_EQ(DisplayWidth("\xff编制"), 5u);
}

TEST(ReformctlUtf8TextTest, ValidUtf8) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("行政编制 — 〔2019〕"));
  EXPECT_TRUE(IsValidUtf8(std::string("a\0b", 3)));
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\xe7\xbc"));          // cut short
  EXPECT_FALSE(IsValidUtf8("\xd6\xd0\xce\xc4"));  // 中文 in GB18030
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // an overlong '/'
}

}  // namespace
}  // namespace reformlog::ctl
