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
