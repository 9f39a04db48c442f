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

// A cell a spreadsheet would run as a formula goes out behind an apostrophe and comes back
// as it was; numbers with a sign and ordinary text are written as they are.
TEST(ReformctlCsvTest, FormulaCellsAreNeutralizedAndReadBack) {
  EXPECT_EQ(NeutralizeCell("=HYPERLINK(\"http://x\",\"点此\")"),
            "'=HYPERLINK(\"http://x\",\"点此\")");
  EXPECT_EQ(NeutralizeCell("+86 812"), "'+86 812");
  EXPECT_EQ(NeutralizeCell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(NeutralizeCell("-1+2"), "'-1+2");
  EXPECT_EQ(NeutralizeCell("\tcmd"), "'\tcmd");
  EXPECT_EQ(NeutralizeCell("'=already"), "''=already") << "an apostrophe of the value's own";
  EXPECT_EQ(NeutralizeCell("-1234.50"), "-1234.50");
  EXPECT_EQ(NeutralizeCell("+3"), "+3");
  EXPECT_EQ(NeutralizeCell("区财政局"), "区财政局");
  EXPECT_EQ(NeutralizeCell("it's"), "it's");
  EXPECT_EQ(NeutralizeCell(""), "");
  EXPECT_EQ(NeutralizeCell("-"), "'-");
  EXPECT_EQ(NeutralizeCell("-1."), "'-1.");

  const std::vector<std::string> values = {"=1+1", "'=1+1", "''@x", "-5", "-", "'", "a'=b", ""};
  CsvWriter writer({"value"});
  for (const std::string& v : values) writer.Add({v});
  absl::StatusOr<std::vector<CsvRow>> rows = ParseCsv(writer.text());
  ASSERT_TRUE(rows.ok()) << rows.status();
  ASSERT_EQ(rows->size(), values.size() + 1);
  for (size_t i = 0; i < values.size(); ++i) {
    EXPECT_THAT((*rows)[i + 1].fields, ElementsAre(values[i])) << "row " << i;
  }
  EXPECT_THAT(writer.text(), ::testing::HasSubstr("'=1+1")) << "what a spreadsheet opens";
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
