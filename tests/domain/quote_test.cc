// QuoteValue, Utf8Prefix and ListSome: how messages echo what a caller sent — whole up to the
// limit, cut after it, never inside a UTF-8 character.
#include "domain/quote.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace reformlog::domain {
namespace {

// `count` copies of `unit`.
std::string Repeat(const std::string& unit, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += unit;
  return out;
}

TEST(QuoteValueTest, AValueUpToTheLimitIsQuotedWhole) {
  EXPECT_EQ(QuoteValue(""), "\"\"");
  EXPECT_EQ(QuoteValue("xq-dag"), "\"xq-dag\"");
  const std::string at_limit(kQuotedValueBytesMax, 'a');
  EXPECT_EQ(QuoteValue(at_limit), absl::StrCat("\"", at_limit, "\""));
}

TEST(QuoteValueTest, AValueOneByteOverTheLimitIsCutWithItsLength) {
  const std::string over(kQuotedValueBytesMax + 1, 'a');
  EXPECT_EQ(QuoteValue(over), absl::StrCat("\"", std::string(kQuotedPrefixBytesMax, 'a'), "…\" (",
                                           kQuotedValueBytesMax + 1, " bytes)"));
}

TEST(QuoteValueTest, AnEightKilobyteValueIsShort) {
  EXPECT_EQ(QuoteValue(std::string(8192, 'x')),
            absl::StrCat("\"", std::string(kQuotedPrefixBytesMax, 'x'), "…\" (8192 bytes)"));
}

TEST(QuoteValueTest, ACutNeverSplitsACharacter) {
  // 22 three-byte characters (66 bytes): 10 fit in kQuotedPrefixBytesMax (32), the 11th would
  // end at byte 33.
  EXPECT_EQ(QuoteValue(Repeat("区", 22)), absl::StrCat("\"", Repeat("区", 10), "…\" (66 bytes)"));
  // Four-byte characters: 8 of them are exactly 32 bytes.
  EXPECT_EQ(QuoteValue(Repeat("𠀀", 17)), absl::StrCat("\"", Repeat("𠀀", 8), "…\" (68 bytes)"));
}

TEST(Utf8PrefixTest, KeepsWholeCharactersOnly) {
  const std::string text = "a区b";  // 1 + 3 + 1 bytes
  EXPECT_EQ(Utf8Prefix(text, 0), "");
  EXPECT_EQ(Utf8Prefix(text, 1), "a");
  EXPECT_EQ(Utf8Prefix(text, 2), "a");    // inside 区
  EXPECT_EQ(Utf8Prefix(text, 3), "a");    // still inside 区
  EXPECT_EQ(Utf8Prefix(text, 4), "a区");  // exactly after it
  EXPECT_EQ(Utf8Prefix(text, 5), text);
  EXPECT_EQ(Utf8Prefix(text, 100), text);
}

TEST(Utf8PrefixTest, BytesThatAreNotUtf8AreCutWhereAsked) {
  // A run of continuation bytes has no character boundary to step back to.
  const std::string not_utf8(10, '\x80');
  EXPECT_EQ(Utf8Prefix(not_utf8, 6), std::string(6, '\x80'));
}

TEST(ListSomeTest, NamesUpToTheLimitThenCountsTheRest) {
  static_assert(kListedItemsMax == 10, "the expectations below name ten items");
  std::vector<std::string> items;
  for (size_t i = 1; i <= kListedItemsMax; ++i) items.push_back(absl::StrCat("p", i));
  EXPECT_EQ(ListSome({"a", "b"}), "a; b");
  EXPECT_EQ(ListSome(items), "p1; p2; p3; p4; p5; p6; p7; p8; p9; p10");
  items.emplace_back("p11");
  items.emplace_back("p12");
  EXPECT_EQ(ListSome(items), "p1; p2; p3; p4; p5; p6; p7; p8; p9; p10; … and 2 more (12 in all)");
}

}  // namespace
}  // namespace reformlog::domain
