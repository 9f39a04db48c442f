// CSV read and written (clients/reformctl/csv_text.h): quoting both ways, the line each row
// starts on, CRLF.
#include "clients/reformctl/csv_text.h"

#include <string>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

using ::testing::ElementsAre;

TEST(ReformctlCsvTest, RowsWithQuotedFieldsAndTheLineEachStartsOn) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(
      "code,name\r\n"
      "\n"
      "XK-1,\"许可, 临时\"\n"
      "XK-2,\"say \"\"yes\"\"\"\n"
      "XK-3,\"two\nlines\"\n"
      "XK-4,");
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), 5u);
  EXPECT_EQ((*rows)[0].line, 1);
  EXPECT_THAT((*rows)[0].fields, ElementsAre("code", "name"));
  EXPECT_EQ((*rows)[1].line, 3) << "the empty line 2 is no row";
  EXPECT_THAT((*rows)[1].fields, ElementsAre("XK-1", "许可, 临时"));
  EXPECT_THAT((*rows)[2].fields, ElementsAre("XK-2", "say \"yes\""));
  EXPECT_EQ((*rows)[3].line, 5);
  EXPECT_THAT((*rows)[3].fields, ElementsAre("XK-3", "two\nlines"));
  EXPECT_EQ((*rows)[4].line, 7);
  EXPECT_THAT((*rows)[4].fields, ElementsAre("XK-4", "")) << "the last line needs no newline";
}

TEST(ReformctlCsvTest, NothingIsNoRows) {
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv("");
  ASSERT_TRUE(rows.ok()) << rows.status();
  EXPECT_TRUE(rows->empty());
}

TEST(ReformctlCsvTest, EveryFieldQuotedEveryLineEndedByCrLf) {
  CsvWriter csv({"code", "name"});
  EXPECT_EQ(csv.rows(), 0u);
  csv.Add({"XK-1", "许可, 临时"});
  csv.Add({"XK-2", "say \"yes\""});
  csv.Add({"", "two\nlines"});
  EXPECT_EQ(csv.rows(), 3u);
  EXPECT_EQ(csv.text(),
            "\"code\",\"name\"\r\n"
            "\"XK-1\",\"许可, 临时\"\r\n"
            "\"XK-2\",\"say \"\"yes\"\"\"\r\n"
            "\"\",\"two\nlines\"\r\n");
  absl::StatusOr<std::vector<CsvRow>> back = ParseCsv(csv.text());
  ASSERT_TRUE(back.ok()) << back.status();
  ASSERT_EQ(back->size(), 4u);
  EXPECT_THAT((*back)[2].fields, ElementsAre("XK-2", "say \"yes\""));
  EXPECT_THAT((*back)[3].fields, ElementsAre("", "two\nlines"));
}

TEST(ReformctlCsvDeathTest, ARowUnlikeTheHeaderIsAProgrammerError) {
  CsvWriter csv({"a", "b"});
  EXPECT_DEATH(csv.Add({"only one"}), "a CSV row of 1 fields under a header of 2");
}

}  // namespace
}  // namespace reformlog::ctl
