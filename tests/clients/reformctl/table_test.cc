// Table (clients/reformctl/table.h): columns line up by display width, numbers right-aligned,
// no trailing spaces.
#include "clients/reformctl/table.h"

#include <sstream>
#include <string>

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

}  // namespace
}  // namespace reformlog::ctl
