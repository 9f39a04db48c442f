// Table (clients/reformctl/table.h): columns line up by display width, numbers right-aligned,
// no trailing spaces.
#include "clients/reformctl/table.h"

#include <sstream>
#include <string>

#include "clients/reformctl/utf8_text.h"
#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

std::string Printed(const Table& table) {
  std::ostringstream out;
  table.Print(out);
  return out.str();
}

TEST(ReformctlTableTest, ChineseTextTakesTwoCellsAndNumbersAlignRight) {
  Table table({"agency", "name", "quota"});
  table.AlignRight({2});
  table.Add({"jxj", "区经济和信息化局", "5"});
  table.Add({"town", "格里坪镇", "12"});
  EXPECT_EQ(Printed(table),
            "agency  name              quota\n"
            "------  ----------------  -----\n"
            "jxj     区经济和信息化局      5\n"
            "town    格里坪镇             12\n");
}

TEST(ReformctlTableTest, ShortRowsAreFilledAndTrailingSpacesCut) {
  Table table({"a", "b", "c"});
  table.Add({"1"});
  table.Add({"1", "", "3", "beyond the header"});
  EXPECT_EQ(Printed(table),
            "a  b  c\n"
            "-  -  -\n"
            "1\n"
            "1     3\n");
}

TEST(ReformctlTableTest, AnEmptyTablePrintsItsHeaderAndRule) {
  Table table({"file", "commands"});
  EXPECT_TRUE(table.empty());
  EXPECT_EQ(Printed(table), "file  commands\n----  --------\n");
  table.Add({"a.jsonl", "3"});
  EXPECT_FALSE(table.empty());
}

// The width a test sets, restored after it.
class TableWidth {
 public:
  explicit TableWidth(size_t width) : saved_(TableWidthMax()) { SetTableWidthMax(width); }
  ~TableWidth() { SetTableWidthMax(saved_); }

 private:
  size_t saved_;
};

TEST(ReformctlTableTest, OnANarrowTerminalTheWidestTextColumnIsCutNeverANumber) {
  TableWidth narrow(30);
  Table table({"agency", "name", "quota"});
  table.AlignRight({2});
  table.Add({"jxj", "攀枝花市西区经济和信息化局", "12345"});
  const std::string printed = Printed(table);
  EXPECT_EQ(printed,
            "agency  name             quota\n"
            "------  ---------------  -----\n"
            "jxj     攀枝花市西区经…  12345\n");
  for (const std::string line :
       {"agency  name             quota", "jxj     攀枝花市西区经…  12345"}) {
    EXPECT_LE(DisplayWidth(line), 30u) << line;
  }
}

TEST(ReformctlTableTest, UnlimitedWidthKeepsEveryCellWhole) {
  TableWidth wide(kTableWidthUnlimited);
  Table table({"agency", "name"});
  table.Add({"jxj", std::string(60, 'x')});
  EXPECT_NE(Printed(table).find(std::string(60, 'x')), std::string::npos);
}

TEST(ReformctlTableTest, ColumnsAreNeverNarrowerThanTheirHeaderOrTheMinimum) {
  TableWidth tiny(10);
  Table table({"identifier", "name"});
  table.Add({"a-very-long-identifier", "名称很长很长很长很长"});
  const std::string printed = Printed(table);
  // Each column keeps max(header, kColumnWidthMin) cells: wider than 10 in all, but no less.
  EXPECT_NE(printed.find("identifier  name"), std::string::npos) << printed;
  EXPECT_EQ(printed,
            "identifier  name\n"
            "----------  --------\n"
            "a-very-lo…  名称很…\n");
}

}  // namespace
}  // namespace reformlog::ctl
