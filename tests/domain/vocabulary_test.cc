// The shape checks of the domain vocabulary (domain/vocabulary.h) at their named
// limits: the limit itself is valid, one past it is INVALID_ARGUMENT naming the field and the
// limit. Text limits count bytes, not characters.
#include "domain/vocabulary.h"

#include <functional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/requests.h"

namespace reformlog::domain {
namespace {

using ::testing::HasSubstr;

using testing::requests::Fill;

struct Case {
  std::string name;
  std::function<absl::Status()> at_limit;
  std::function<absl::Status()> past_limit;
  std::vector<std::string> refusal_names;  // what the refusal's message must say
};

// A name that would rewrite the terminal it is shown on, or show itself reversed, is refused
// with the code point and where it is; tab and line feed (a note's lines) and every CJK
// character are text.
TEST(ValidateTextTest, ControlCharactersAndDirectionOverridesAreRefused) {
  struct Refused {
    std::string text;
    std::string says;
  };
  // The bidirectional characters below are the attack under test.
  // NOLINTBEGIN(misc-misleading-bidirectional)
  const std::vector<Refused> refused = {
      {"财政局\x1b[31m", "U+001B at byte 9"},  // a terminal escape
      {"\xe2\x80\xae"
       "局政财",
       "U+202E at byte 0"},                  // RIGHT-TO-LEFT OVERRIDE
      {"财政局\r西区", "U+000D at byte 9"},  // a carriage return overwrites the line
      {"a\x7f", "U+007F at byte 1"},
      {"a\xc2\x85", "U+0085 at byte 1"},  // NEL, a C1 control
      {"a\xe2\x81\xa6"
       "b",
       "U+2066 at byte 1"},                   // LEFT-TO-RIGHT ISOLATE
      {"a\xe2\x80\x8f", "U+200F at byte 1"},  // RIGHT-TO-LEFT MARK
      {std::string("a\0b", 3), "U+0000 at byte 1"},
  };
  // NOLINTEND(misc-misleading-bidirectional)
  for (const Refused& r : refused) {
    const absl::Status s = ValidateText("agency.name", r.text, true);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << r.says;
    EXPECT_THAT(std::string(s.message()), HasSubstr("agency.name holds the control character"));
    EXPECT_THAT(std::string(s.message()), HasSubstr(r.says));
  }
  for (const std::string ok :
       {"攀枝花市西区财政局", "第一行\n第二行\t备注", "Ａ－１号 (ABC) «»", "𠀀"}) {
    EXPECT_TRUE(ValidateText("note", ok, true).ok()) << ok;
  }
}

TEST(VocabularyLimitsTest, EachLimitIsValidAndOnePastItIsRefusedByName) {
  const std::vector<Case> cases = {
      {"entity id",
       [] { return ValidateId("agency_id", std::string(kEntityIdBytesMax, 'a')); },
       [] { return ValidateId("agency_id", std::string(kEntityIdBytesMax + 1, 'a')); },
       {"agency_id", "kEntityIdBytesMax (64 bytes)"}},
      {"required text",
       [] { return ValidateText("name", Fill(kTextBytesMax), true); },
       [] { return ValidateText("name", Fill(kTextBytesMax + 1), true); },
       {"name is 1025 bytes", "kTextBytesMax is 1024"}},
      {"optional text",
       [] { return ValidateText("note", Fill(kTextBytesMax), false); },
       [] { return ValidateText("note", Fill(kTextBytesMax + 1), false); },
       {"note is 1025 bytes", "kTextBytesMax is 1024"}},
      {"first fiscal year",
       [] { return ValidateFiscalYear(kFiscalYearMin); },
       [] { return ValidateFiscalYear(kFiscalYearMin - 1); },
       {"fiscal_year 1948", "1949–2200"}},
      {"last fiscal year",
       [] { return ValidateFiscalYear(kFiscalYearMax); },
       [] { return ValidateFiscalYear(kFiscalYearMax + 1); },
       {"fiscal_year 2201", "1949–2200"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_TRUE(c.at_limit().ok()) << c.at_limit();
    const absl::Status refused = c.past_limit();
    EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
    for (const std::string& name : c.refusal_names) {
      EXPECT_THAT(std::string(refused.message()), HasSubstr(name));
    }
  }
}

}  // namespace
}  // namespace reformlog::domain
