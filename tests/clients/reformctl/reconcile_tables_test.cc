// Reconciling a report's tables (clients/reformctl/reconcile_tables.h): read back as CSV and
// JSON, compared with the ledger's figure by figure, summed level by level, and refused when a
// file is not in the export's layout.
#include "clients/reformctl/reconcile_tables.h"

#include <string>
#include <vector>

#include "domain/refusal.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::ctl::reconcile {
namespace {

using report::Cell;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A ledger table by 支出功能分类: 合计 100 = 201 (60 = 20136 = 2013601 60) + 208 (40).
std::vector<report::Table> Ledger() {
  report::Table t{"表3", "支出决算表", {"科目编码", "科目名称", "本年支出合计"},
                  {},    "",           report::kUnitWan};
  auto row = [](std::string code, std::string name, int64_t wan) {
    return std::vector<Cell>{Cell::Text(std::move(code)), Cell::Text(std::move(name)),
                             Cell::Money(wan * 1'000'000)};
  };
  t.rows = {row("", "合计", 100), row("201", "一般公共服务支出", 60),
            row("20136", "其他共产党事务支出", 60), row("2013601", "行政运行", 60),
            row("208", "社会保障和就业支出", 40)};
  return {t};
}

std::string Csv(const std::string& total, const std::string& item) {
  return "\"西区编办 2019年度部门决算\"\r\n"
         "\"表3 支出决算表\"\r\n\"单位：万元\"\r\n"
         "\"科目编码\",\"科目名称\",\"本年支出合计\"\r\n"
         "\"\",\"合计\",\"" +
         total +
         "\"\r\n"
         "\"201\",\"一般公共服务支出\",\"60.00\"\r\n"
         "\"20136\",\"其他共产党事务支出\",\"60.00\"\r\n"
         "\"2013601\",\"行政运行\",\"" +
         item +
         "\"\r\n"
         "\"208\",\"社会保障和就业支出\",\"40.00\"\r\n";
}

TEST(ReconcileTablesTest, TheLedgersOwnTablesAreClean) {
  absl::StatusOr<std::vector<ClaimedTable>> tables = ReadTablesCsv(Csv("100.00", "60.00"));
  ASSERT_TRUE(tables.ok()) << tables.status();
  ASSERT_EQ(tables->size(), 1u);
  EXPECT_EQ((*tables)[0].number, "表3");
  EXPECT_EQ((*tables)[0].lines[0], 5);
  EXPECT_THAT(ReconcileTables(*tables, Ledger()), IsEmpty());
}

TEST(ReconcileTablesTest, AFigureOffTheLedgerAndASumThatDoesNotHoldAreFound) {
  absl::StatusOr<std::vector<ClaimedTable>> tables = ReadTablesCsv(Csv("100.00", "61.50"));
  ASSERT_TRUE(tables.ok());
  const std::vector<Finding> findings = ReconcileTables(*tables, Ledger());
  EXPECT_THAT(findings, Contains(AllOf(
                            Field(&Finding::kind, Finding::Kind::kLedger), Field(&Finding::line, 8),
                            Field(&Finding::zh, HasSubstr("表3 2013601 本年支出合计：报告为 61.50 "
                                                          "万元，账载 60.00 万元")))));
  EXPECT_THAT(findings, Contains(AllOf(Field(&Finding::kind, Finding::Kind::kSum),
                                       Field(&Finding::zh, HasSubstr("表3 20136 本年支出合计 为 "
                                                                     "60.00，而其下各级之和为 "
                                                                     "61.50")))));
}

TEST(ReconcileTablesTest, MissingAndUnknownRowsAndTablesAreSaid) {
  std::string csv = Csv("100.00", "60.00");
  csv.replace(csv.find("\"208\""), 5, "\"209\"");
  csv += "\"表99 另一张表\"\r\n\"单位：万元\"\r\n\"a\",\"b\"\r\n\"1\",\"2\"\r\n";
  absl::StatusOr<std::vector<ClaimedTable>> tables = ReadTablesCsv(csv);
  ASSERT_TRUE(tables.ok()) << tables.status();
  const std::vector<Finding> findings = ReconcileTables(*tables, Ledger());
  EXPECT_THAT(findings, Contains(Field(&Finding::zh, HasSubstr("表3 209：账中无此行"))));
  EXPECT_THAT(findings,
              Contains(Field(&Finding::zh, HasSubstr("表3 208：账中有此行，报告中没有"))));
  EXPECT_THAT(findings, Contains(Field(&Finding::zh, HasSubstr("表99 另一张表：账中无此表"))));
  EXPECT_TRUE(ReconcileTables({}, Ledger()).front().zh.find("报告中没有此表") != std::string::npos);
}

TEST(ReconcileTablesTest, JsonInFenReadsBackTheSame) {
  const std::string json = R"({"tables": [{"number": "表3", "title": "支出决算表", "unit": "分",
      "header": ["科目编码", "科目名称", "本年支出合计"],
      "rows": [["", "合计", 100000000], ["201", "一般公共服务支出", 60000000],
               ["20136", "其他共产党事务支出", 60000000], ["2013601", "行政运行", 60000000],
               ["208", "社会保障和就业支出", 40000000]]}]})";
  absl::StatusOr<std::vector<ClaimedTable>> tables = ReadTablesJson(json);
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_THAT(ReconcileTables(*tables, Ledger()), IsEmpty());
}

TEST(ReconcileTablesTest, AFileNotInTheExportsLayoutIsRefusedSayingWhy) {
  absl::StatusOr<std::vector<ClaimedTable>> before = ReadTablesCsv("\"a\",\"b\"\r\n");
  ASSERT_FALSE(before.ok());
  EXPECT_THAT(before.status().message(), HasSubstr("line 1: a row before any table"));
  absl::StatusOr<std::vector<ClaimedTable>> ragged =
      ReadTablesCsv("\"表3 支出决算表\"\r\n\"a\",\"b\"\r\n\"1\",\"2\",\"3\"\r\n");
  ASSERT_FALSE(ragged.ok());
  EXPECT_THAT(domain::ChineseText(ragged.status()), HasSubstr("第3行：有3格，而表3的表头有2格"));
  for (const char* json :
       {"{", "[]", R"({"tables": [{"number": 3}]})",
        R"({"tables": [{"number": "表1", "header": ["a"], "rows": [[1.5]]}]})",
        R"({"tables": [{"number": "表1", "header": ["a"], "rows": [[1, 2]]}]})",
        R"({"tables": [{"number": "表1", "header": ["a"], "unit": "分",
            "rows": [[-9223372036854775808]]}]})",
        R"({"tables": [{"number": "表1", "header": ["a"], "rows": [[18446744073709551615]]}]})"}) {
    absl::StatusOr<std::vector<ClaimedTable>> bad = ReadTablesJson(json);
    EXPECT_FALSE(bad.ok()) << json;
    EXPECT_EQ(bad.status().code(), absl::StatusCode::kInvalidArgument) << json;
  }
}

}  // namespace
}  // namespace reformlog::ctl::reconcile
