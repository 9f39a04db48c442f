// Values of subcommand options (clients/reformctl/option_values.h): lists, CATEGORY=COUNT,
// JSON files; what does not parse is bad usage naming the option.
#include "clients/reformctl/option_values.h"

#include <fstream>
#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::ctl {
namespace {

namespace pb = ::reformlog::domain::v1;
using ::reformlog::api::v1::SplitAgencyRequest;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// The Exit `f` ends with; a test failure when it returns.
template <typename F>
Exit ExitOf(F f) {
  try {
    f();
  } catch (const Exit& e) {
    return e;
  }
  ADD_FAILURE() << "no Exit";
  return Exit{kExitOk, ""};
}

TEST(ReformctlOptionValuesTest, ListsSplitAtAsciiAndFullWidthCommas) {
  EXPECT_THAT(SplitList("a,b,c"), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitList(" a , b ,,c, "), ElementsAre("a", "b", "c"));
  EXPECT_THAT(SplitList("p1，p2，p3"), ElementsAre("p1", "p2", "p3"));
  EXPECT_THAT(SplitList("p1，p2,p3"), ElementsAre("p1", "p2", "p3"));
  EXPECT_THAT(SplitList("a ，b"), ElementsAre("a ", "b")) << "as the header says";
  EXPECT_THAT(SplitList(""), IsEmpty());
  EXPECT_THAT(SplitList(" , ，"), IsEmpty());
}

TEST(ReformctlOptionValuesTest, QuotaCounts) {
  const pb::QuotaCount q = ParseQuotaCount("--quota", "事业编制=3", "行政编制=7");
  EXPECT_EQ(q.category(), pb::PUBLIC_SERVICE);
  EXPECT_EQ(q.count(), 3);
  Exit no_count = ExitOf([] { ParseQuotaCount("--quota", "行政编制", "行政编制=7"); });
  EXPECT_EQ(no_count.code, kExitUsage);
  EXPECT_EQ(no_count.message, "--quota \"行政编制\" is not CATEGORY=COUNT, e.g. 行政编制=7");
  Exit bad_count = ExitOf([] { ParseQuotaCount("--quota", "行政编制=x", "行政编制=2"); });
  EXPECT_EQ(bad_count.message, "--quota \"行政编制=x\" is not CATEGORY=COUNT, e.g. 行政编制=2");
  Exit category = ExitOf([] { ParseQuotaCount("--quota", "大编制=1", "行政编制=7"); });
  EXPECT_EQ(category.code, kExitUsage);
  EXPECT_THAT(category.message, HasSubstr("--quota: \"大编制\" is not one of: 行政编制/"));
}

TEST(ReformctlOptionValuesTest, JsonFiles) {
  testing::TempDir dir;
  const std::string good = dir.Sub("parts.json");
  std::ofstream(good) << R"({"parts": [{"agency": {"agency_id": "a", "name": "甲"}}]})";
  const auto request = ReadJsonFile<SplitAgencyRequest>("--parts", good);
  ASSERT_EQ(request.parts_size(), 1);
  EXPECT_EQ(request.parts(0).agency().name(), "甲");

  const std::string missing = dir.Sub("missing.json");
  Exit no_file = ExitOf([&] { ReadJsonFile<SplitAgencyRequest>("--parts", missing); });
  EXPECT_EQ(no_file.code, kExitUsage);
  EXPECT_EQ(no_file.message, "--parts: cannot read " + missing);

  const std::string bad = dir.Sub("bad.json");
  std::ofstream(bad) << R"({"parts": [{"nope": 1}]})";
  Exit not_json = ExitOf([&] { ReadJsonFile<SplitAgencyRequest>("--parts", bad); });
  EXPECT_EQ(not_json.code, kExitUsage);
  EXPECT_THAT(not_json.message, HasSubstr("--parts " + bad + ": INVALID_ARGUMENT"));
}

}  // namespace
}  // namespace reformlog::ctl
