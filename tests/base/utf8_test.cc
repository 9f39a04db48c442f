#include "base/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace reformlog {
namespace {

TEST(Utf8Test, AcceptsEveryShortestFormUpToTheLastScalarValue) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("区委编办 ASCII 0"));
  EXPECT_TRUE(IsValidUtf8(std::string("\0", 1)));  // U+0000
  EXPECT_TRUE(IsValidUtf8("\x7F"));                // U+007F
  EXPECT_TRUE(IsValidUtf8("\xC2\x80"));            // U+0080, the first two-byte form
  EXPECT_TRUE(IsValidUtf8("\xDF\xBF"));            // U+07FF
  EXPECT_TRUE(IsValidUtf8("\xE0\xA0\x80"));        // U+0800
  EXPECT_TRUE(IsValidUtf8("\xED\x9F\xBF"));        // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xEE\x80\x80"));        // U+E000, just above them
  EXPECT_TRUE(IsValidUtf8("\xEF\xBF\xBF"));        // U+FFFF
  EXPECT_TRUE(IsValidUtf8("\xF0\x90\x80\x80"));    // U+10000
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));    // U+10FFFF, the last
  EXPECT_TRUE(IsValidUtf8("\xF0\xA0\x80\x80"));    // U+20000 (a CJK Extension B character)
}

TEST(Utf8Test, RefusesMalformedOverlongSurrogateAndOutOfRangeSequences) {
  EXPECT_FALSE(IsValidUtf8("\x80"));              // a continuation byte first
  EXPECT_FALSE(IsValidUtf8("\xC0\x80"));          // overlong U+0000
  EXPECT_FALSE(IsValidUtf8("\xC1\xBF"));          // overlong U+007F
  EXPECT_FALSE(IsValidUtf8("\xE0\x9F\xBF"));      // overlong U+07FF
  EXPECT_FALSE(IsValidUtf8("\xF0\x8F\xBF\xBF"));  // overlong U+FFFF
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // U+D800, a surrogate
  EXPECT_FALSE(IsValidUtf8("\xED\xBF\xBF"));      // U+DFFF
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(IsValidUtf8("\xFF"));
  EXPECT_FALSE(IsValidUtf8("\xE5\x8C"));      // truncated 区
  EXPECT_FALSE(IsValidUtf8("ok\xE5\x8C"));    // truncated at the end of the text
  EXPECT_FALSE(IsValidUtf8("\xE5\x41\xBA"));  // a non-continuation inside
  EXPECT_FALSE(IsValidUtf8("\xC2"));
}

}  // namespace
}  // namespace reformlog
