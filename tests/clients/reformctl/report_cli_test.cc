// reformctl report against the demo district.
//  * final-accounts: the nine tables of the 编办's 2019 决算 against the figures DATA.md works
//    out by hand, as CSV and as an xlsx read back cell by cell (Python's zipfile and XML
//    parser, independently of libxlsxwriter);
//  * reconcile: the seed's own narrative (its figures transcribed in data/) disagrees with the
//    ledger and with itself where DATA.md says it does; figures taken from the ledger agree; a
//    claims file that is not one is a usage error.
#include <algorithm>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "clients/reformctl/csv_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "nlohmann/json.hpp"
#include "reformlog/api/v1/staffing_queries.pb.h"
#include "tests/clients/reformctl/reformctl_fixture.h"
#include "tests/testing/run_program.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;

const std::string kSeedNarrative = std::string(REFORMLOG_SOURCE_DIR) +
                                   "/tests/clients/reformctl/data/xiqu-bianban-2019-narrative.txt";

std::string WriteClaims(const TempDir& dir, const std::string& name, const std::string& text) {
  std::string path = dir.Sub(name);
  std::ofstream(path) << text;
  return path;
}

// Table number → (first label of a row → the row), from the report as CSV: a table starts at
// its "表N 标题" row; a row is keyed by its first non-empty cell of the first two (the 科目编码,
// else the name: "合计").
using Rows = std::map<std::string, std::vector<std::string>>;
std::map<std::string, Rows> TablesOf(const std::string& csv) {
  std::map<std::string, Rows> tables;
  std::string current;
  absl::StatusOr<std::vector<ctl::CsvRow>> parsed = ctl::ParseCsv(csv);
  EXPECT_TRUE(parsed.ok()) << parsed.status();
  if (!parsed.ok()) return tables;
  for (const ctl::CsvRow& parsed_row : *parsed) {
    const std::vector<std::string>& row = parsed_row.fields;
    if (row.size() == 1 && absl::StartsWith(row[0], "表")) {
      current = std::string(absl::string_view(row[0]).substr(0, row[0].find(' ')));
      continue;
    }
    if (current.empty() || row.size() < 2) continue;
    tables[current][row[0].empty() ? row[1] : row[0]] = row;
  }
  return tables;
}

TEST_F(DemoDistrictCtlTest, TheNineFinalAccountsTablesHoldTheFiguresOfDataMd) {
  const CtlRun run = Query({"--lang", "zh", "report", "final-accounts", "--agency", kBianban,
                            "--year", "2019", "--format", "csv"});
  auto tables = TablesOf(run.out);
  ASSERT_EQ(tables.size(), 12u) << run.out;  // the nine, and the three projects' 绩效 tables
  // 表1: 收入 113.77 + 0.03 + 年初 15.18 = 128.98 = 支出 128.57 + 年末 0.41; by 类.
  Rows& t1 = tables["表1"];
  EXPECT_EQ(t1["一、一般公共预算财政拨款收入"][1], "113.77");
  EXPECT_EQ(t1["一、一般公共预算财政拨款收入"][2], "一、一般公共服务支出");
  EXPECT_EQ(t1["一、一般公共预算财政拨款收入"][3], "98.63");  // 87.54 + 11.09
  EXPECT_EQ(t1["八、其他收入"][1], "0.03");
  EXPECT_EQ(t1["本年收入合计"][1], "113.80");
  EXPECT_EQ(t1["本年收入合计"][3], "128.57");
  EXPECT_EQ(t1["年初结转和结余"][1], "15.18");
  EXPECT_EQ(t1["年初结转和结余"][3], "0.41");
  EXPECT_EQ(t1["收入总计"][1], "128.98");
  EXPECT_EQ(t1["收入总计"][3], "128.98");
  // 表3: by function, 基本 125.70 + 项目 2.87.
  Rows& t3 = tables["表3"];
  EXPECT_THAT(t3["合计"], ::testing::ElementsAre("", "合计", "128.57", "125.70", "2.87", "0.00",
                                                 "0.00", "0.00"));
  EXPECT_EQ(t3["2013601"][1], "行政运行");
  EXPECT_EQ(t3["2013601"][2], "87.54");
  EXPECT_EQ(t3["2120802"][4], "2.87");
  EXPECT_EQ(t3["210"][2], "7.66");  // 6.29 + 0.74 + 0.63
  // 表4: 财政拨款 年初 15.18 + 收入 113.77 = 支出 128.57 + 年末 0.38.
  Rows& t4 = tables["表4"];
  EXPECT_EQ(t4["收入总计"][1], "128.95");
  EXPECT_EQ(t4["收入总计"][3], "128.95");
  EXPECT_EQ(t4["年初财政拨款结转和结余"][1], "15.18");
  EXPECT_EQ(t4["年初财政拨款结转和结余"][2], "年末财政拨款结转和结余");
  EXPECT_EQ(t4["年初财政拨款结转和结余"][3], "0.38");
  EXPECT_EQ(t4["年初财政拨款结转和结余"][4], "0.25");
  EXPECT_EQ(t4["年初财政拨款结转和结余"][5], "0.13");
  EXPECT_EQ(tables["表5"]["合计"][2], "125.70");
  // 表6: 人员经费 110.91, 公用经费 14.79, 办公费 7.97.
  Rows& t6 = tables["表6"];
  EXPECT_EQ(t6["人员经费"][2], "110.91");
  EXPECT_EQ(t6["公用经费"][2], "14.79");
  EXPECT_EQ(t6["30201"][2], "7.97");
  EXPECT_EQ(t6["30113"][2], "10.29");
  EXPECT_EQ(tables["表7"]["决算数"][1], "0.00");
  Rows& t8 = tables["表8"];
  EXPECT_THAT(t8["2120802"], ::testing::ElementsAre("2120802", "土地开发支出", "3.00", "0.00",
                                                    "2.87", "0.00", "2.87", "0.13"));
  EXPECT_EQ(tables["表9"]["合计"][2], "0.00");
  EXPECT_THAT(run.out, HasSubstr("本部门本年度无此项收支，故本表为空表。"));
  // 项目绩效目标完成情况: 机构改革业务费, 2.37 of 2.50 spent (94.8%), every indicator met.
  EXPECT_THAT(run.out, HasSubstr("表10-3 项目绩效目标完成情况表（机构改革业务费）"));
  EXPECT_THAT(run.out, HasSubstr("预算数 2.50 万元，执行数 2.37 万元，执行率 94.80%"));
  EXPECT_EQ(tables["表10-1"]["产出指标"][5], "是");
}

TEST_F(DemoDistrictCtlTest, TheFinalAccountsWorkbookHasASheetATableAndNumbersForMoney) {
  const std::string path = dir_.Sub("2019.xlsx");
  const CtlRun run = Query({"--lang", "zh", "report", "final-accounts", "--agency", kBianban,
                            "--year", "2019", "--out", path});
  EXPECT_THAT(run.out, HasSubstr("12 张表（xlsx"));
  // Every cell of the first and sixth sheets, read with Python's standard library:
  // "SHEET REF n VALUE" for a number, "SHEET REF s TEXT" for a (shared) string.
  const ProgramRun cells = RunProgram(
      "/usr/bin/python3",
      {"-c",
       "import sys, zipfile, xml.etree.ElementTree as E\n"
       "ns = {'m': 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'}\n"
       "z = zipfile.ZipFile(sys.argv[1])\n"
       "strings = [''.join(t.text or '' for t in si.iter('{%s}t' % ns['m'])) for si in "
       "E.fromstring(z.read('xl/sharedStrings.xml')).findall('m:si', ns)]\n"
       "names = [s.get('name') for s in E.fromstring(z.read('xl/workbook.xml')).iter('{%s}sheet' "
       "% ns['m'])]\n"
       "print('SHEETS', '|'.join(names))\n"
       "for n in (1, 6):\n"
       "  for c in E.fromstring(z.read('xl/worksheets/sheet%d.xml' % n)).iter('{%s}c' % ns['m']):\n"
       "    v = c.find('m:v', ns)\n"
       "    if v is None: continue\n"
       "    if c.get('t') == 's': print(n, c.get('r'), 's', strings[int(v.text)])\n"
       "    else: print(n, c.get('r'), 'n', v.text)\n",
       path},
      dir_.path());
  ASSERT_EQ(cells.code, 0) << cells.err;
  EXPECT_THAT(cells.out, HasSubstr("SHEETS 表1 收入支出决算总表|表2 收入决算表|表3 支出决算表|"
                                   "表4 财政拨款收入支出决算总表|"));
  // Sheet 1: title, unit, header, then the rows; amounts are numbers in 万元.
  for (const char* cell :
       {"1 A1 s 表1 收入支出决算总表", "1 A2 s 单位：万元", "1 A3 s 收入项目",
        "1 A4 s 一、一般公共预算财政拨款收入", "1 B4 n 113.77", "1 C4 s 一、一般公共服务支出",
        "1 D4 n 98.63", "1 B15 n 128.98", "1 D15 n 128.98", "6 B5 s 人员经费", "6 C5 n 110.91"}) {
    EXPECT_THAT(cells.out, HasSubstr(absl::StrCat(cell, "\n")));
  }
}

// As JSON (money in fen): in every table by 支出功能分类, 合计 = Σ 类, a 类 = Σ its 款 and a
// 款 = Σ its 项, column by column; and a format that is not one is a usage error.
TEST_F(DemoDistrictCtlTest, TheFinalAccountsAsJsonAddUpLevelByLevel) {
  const CtlRun run = Query(
      {"report", "final-accounts", "--agency", kBianban, "--year", "2019", "--format", "json"});
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  EXPECT_EQ(doc["tables"][0]["unit"], "分");
  EXPECT_EQ(doc["year"], 2019);
  ASSERT_EQ(doc["tables"].size(), 12u);
  int checked = 0;
  for (const auto& table : doc["tables"]) {
    if (table["header"][0] != "科目编码" || table["number"] == "表6") continue;
    const auto& rows = table["rows"];
    for (size_t parent = 0; parent < rows.size(); ++parent) {
      const std::string code = rows[parent][0];
      const size_t child_length = code.empty() ? 3 : code.size() + 2;
      for (size_t column = 2; column < rows[parent].size(); ++column) {
        int64_t sum = 0;
        for (const auto& row : rows) {
          const std::string c = row[0];
          if (c.size() == child_length && absl::StartsWith(c, code))
            sum += row[column].get<int64_t>();
        }
        if (child_length > 7) continue;  // a 项 has no parts
        EXPECT_EQ(sum, rows[parent][column].get<int64_t>())
            << table["number"] << " " << code << " column " << column;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50);

  const CtlRun bad =
      Ctl({"report", "final-accounts", "--agency", kBianban, "--year", "2019", "--format", "pdf"},
          false);
  EXPECT_EQ(bad.code, 2);
  EXPECT_THAT(bad.err, HasSubstr("is not one of xlsx, csv, json, html, text"));
  const CtlRun xlsx =
      Ctl({"report", "final-accounts", "--agency", kBianban, "--year", "2019", "--format", "xlsx"},
          false);
  EXPECT_EQ(xlsx.code, 2);
  EXPECT_THAT(xlsx.err, HasSubstr("give --out FILE.xlsx"));
  const CtlRun unknown =
      Ctl({"report", "final-accounts", "--agency", kBianban, "--year", "1999"}, false);
  EXPECT_EQ(unknown.code, 1);
}

// The year-end statistics of 西区 2019 agree with 四清两对应 (`check 西区 --as-of 2019-12-31`)
// agency for agency, and their 增减员 with the staff-changes export of the year.
TEST_F(DemoDistrictCtlTest, TheYearEndStatisticsAgreeWithTheCheckAndTheStaffChanges) {
  const CtlRun run = Query(
      {"report", "staffing-stats", "--jurisdiction", "西区", "--year", "2019", "--format", "json"});
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["tables"].size(), 5u);
  const auto check = FromJson<::reformlog::api::v1::CheckJurisdictionResponse>(
      Query({"--json", "check", "西区", "--as-of", kEndOf2019}).out);
  const auto& total = doc["tables"][0]["rows"][0];  // 合计: 机构数, 编制数, 实有人数, 空编, 超编
  EXPECT_EQ(total[0], "合计");
  EXPECT_EQ(total[1].get<int64_t>(), check.totals().agencies());
  EXPECT_EQ(total[2].get<int64_t>(), check.totals().total().quota());
  EXPECT_EQ(total[3].get<int64_t>(), check.totals().total().in_post());
  EXPECT_EQ(total[4].get<int64_t>(), check.totals().total().vacancies());
  EXPECT_EQ(total[5].get<int64_t>(), check.totals().total().over());
  const auto& posts = doc["tables"][2]["rows"][0];
  EXPECT_EQ(posts[1].get<int64_t>(), check.totals().leader_posts_approved());
  EXPECT_EQ(posts[2].get<int64_t>(), check.totals().leaders_appointed());
  // By category, the same sums.
  int64_t quota = 0;
  for (size_t i = 1; i < doc["tables"][1]["rows"].size(); ++i) {
    quota += doc["tables"][1]["rows"][i][1].get<int64_t>();
  }
  EXPECT_EQ(quota, check.totals().total().quota());
  // 增员 and 减员: the subtotals are the export's counts.
  const auto changes = Export({"staff-changes", "--jurisdiction", "西区", "--year", "2019"});
  ASSERT_FALSE(changes.empty());
  std::map<std::string, int64_t> exported;
  for (size_t i = 1; i < changes.size(); ++i) {
    int64_t n = 0;
    ASSERT_TRUE(absl::SimpleAtoi(changes[i][Column(changes[0], "count")], &n));
    exported[changes[i][Column(changes[0], "kind")]] += n;
  }
  std::map<std::string, int64_t> reported;
  for (const auto& row : doc["tables"][3]["rows"]) {
    if (row[1] == "小计") reported[row[0]] = row[2].get<int64_t>();
  }
  EXPECT_EQ(reported, exported);
  EXPECT_GT(reported["增员"], 0);
  // Every agency, the ceased ones marked with how they went.
  EXPECT_THAT(run.out, HasSubstr("已撤并：并入"));
}

// The 权责清单 on 2019-12-31: the seed's counts (92 items passed to 格里坪镇, 57 直接 and 35
// 委托; 724 concentrated in 综合行政执法局, 174 in 行政审批局), a table per holder.
TEST_F(DemoDistrictCtlTest, ThePowerListForPublicationHasTheSeedsCountsAndATablePerHolder) {
  const CtlRun run = Query({"report", "powers", "--as-of", kEndOf2019, "--format", "json"});
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  const auto& summary = doc["tables"][0];
  std::map<std::string, std::vector<nlohmann::json>> holders;
  for (const auto& row : summary["rows"]) holders[row[1]] = row;
  const auto column = [&](const std::string& name) {
    const auto& header = summary["header"];
    return static_cast<size_t>(std::find(header.begin(), header.end(), name) - header.begin());
  };
  EXPECT_EQ(holders[kTown][column("事项数")], 92);
  EXPECT_EQ(holders[kTown][column("直接下放")], 57);
  EXPECT_EQ(holders[kTown][column("委托下放")], 35);
  EXPECT_EQ(holders[kEnforcement][column("相对集中")], 724);
  EXPECT_EQ(holders[kApproval][column("相对集中")], 174);
  // A table per holder after the summary, its rows numbered from 1.
  EXPECT_EQ(doc["tables"].size(), summary["rows"].size());  // the 合计 row ↔ the summary table
  const CtlRun town = Query({"--lang", "zh", "report", "powers", "--as-of", kEndOf2019, "--holder",
                             kTown, "--format", "csv"});
  EXPECT_THAT(town.out, HasSubstr("表2 攀枝花市西区格里坪镇人民政府权责清单"));
  EXPECT_THAT(town.out, HasSubstr("\"92\","));
  // The department that passed an item on, by its name.
  EXPECT_THAT(town.out, HasSubstr("\"委托下放\",\"攀枝花市西区农业农村局\""));
}

TEST_F(DemoDistrictCtlTest, ReconcilingTheSeedsNarrativeFindsWhereItContradictsTheLedgerAndItself) {
  const CtlRun run = Ctl({"--lang", "zh", "report", "reconcile", "--agency", kBianban, "--year",
                          "2019", "--claims", kSeedNarrative},
                         false);
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_THAT(run.err, HasSubstr("发现 23 处不一致"));
  for (const char* finding : {
           "收支总计：报告为 254.64 万元，账载 128.98 万元",
           "收支总计.上年：报告为 276.42 万元，账载 153.37 万元",
           "-21.78 ÷ 276.42 = -7.88%（所报增减率是以本年数 254.64 为分母算出的）",
           "= 113.77 + 15.18 = 128.95（差 0.03）",
           "88.21% + 11.77% = 99.98%，不是 100%",
           "2013601：报告为 87.55 万元，账载 87.54 万元",
           "财政拨款收支总计：报告为 242.34 万元，账载 128.95 万元",
           "一般公共预算财政拨款支出.增减：报告为 -12.51 万元，账载 -12.49 万元",
           "人员经费：报告为 113.78 万元，账载 110.91 万元",
           "——同一指标两个数",
       }) {
    EXPECT_THAT(run.out, HasSubstr(finding));
  }
  EXPECT_THAT(run.out, HasSubstr("核对 61 个数字（xq-bianban 2019年度，账至日志位置"));
}

// The printable page: every table, and the template's charts as inline SVG — 收、支总计 of 2018
// and 2019 as bars, the structure of income and of expenditure as pies with their shares.
TEST_F(DemoDistrictCtlTest, TheFinalAccountsPageHasEveryTableAndTheCharts) {
  const std::string path = dir_.Sub("2019.html");
  Query({"report", "final-accounts", "--agency", kBianban, "--year", "2019", "--out", path});
  const std::string html = ReadFile(path);
  size_t svgs = 0;
  for (size_t at = html.find("<svg"); at != std::string::npos; at = html.find("<svg", at + 1)) {
    ++svgs;
  }
  EXPECT_EQ(svgs, 3u);
  for (const char* text :
       {"<h2>表1 收入支出决算总表</h2>", "<h2>表9 国有资本经营预算财政拨款支出决算表</h2>",
        "图1 收、支决算总计变动情况", ">2018年收入总计</text>", ">153.37</text>",
        "一般公共预算 113.77 万元（88.21%）", "年初结转和结余 15.18 万元（11.77%）",
        "基本支出 125.70 万元（97.77%）", "项目支出 2.87 万元（2.23%）"}) {
    EXPECT_THAT(html, HasSubstr(text));
  }
}

// `performance` shows each project's targets against its actuals, not only the scores.
TEST_F(DemoDistrictCtlTest, PerformanceShowsEachIndicatorsTargetAndActual) {
  const CtlRun run = Query({"--lang", "zh", "performance", "--agency", kBianban, "--year", "2019"});
  EXPECT_THAT(run.out, HasSubstr("机构改革业务费"));
  EXPECT_THAT(run.out, HasSubstr("99.48"));
  EXPECT_THAT(run.out, HasSubstr("项目绩效目标完成情况表（机构编制核查及实名制系统维护专项经费）"));
  EXPECT_THAT(run.out, HasSubstr("≥1000人次"));
  EXPECT_THAT(run.out, HasSubstr("1500人次"));
}

// Round trip: the figures `report narrative` takes from the ledger reconcile clean.
TEST_F(DemoDistrictCtlTest, TheNarrativeFromTheLedgerReconcilesClean) {
  const std::string path = dir_.Sub("narrative.txt");
  Query({"report", "narrative", "--agency", kBianban, "--year", "2019", "--out", path});
  EXPECT_THAT(ReadFile(path), HasSubstr("收支总计 = 128.98\n收支总计.上年 = 153.37\n"));
  const CtlRun run =
      Ctl({"report", "reconcile", "--agency", kBianban, "--year", "2019", "--claims", path}, false);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("all agree"));
}

// Round trip: the tables exported as CSV and as JSON reconcile clean; a figure typed wrong in
// them is found with the table, row and column it is in.
TEST_F(DemoDistrictCtlTest, TheExportedTablesReconcileCleanAndATypoIsFound) {
  for (const char* extension : {"csv", "json"}) {
    const std::string path = dir_.Sub(absl::StrCat("tables.", extension));
    Query({"report", "final-accounts", "--agency", kBianban, "--year", "2019", "--out", path});
    const CtlRun clean = Ctl(
        {"report", "reconcile", "--agency", kBianban, "--year", "2019", "--tables", path}, false);
    EXPECT_EQ(clean.code, 0) << extension << clean.out << clean.err;
    EXPECT_THAT(clean.out, HasSubstr("all agree")) << extension;
  }
  std::string csv = ReadFile(dir_.Sub("tables.csv"));
  const size_t at = csv.find("\"87.54\"");
  ASSERT_NE(at, std::string::npos);
  csv.replace(at, 7, "\"87.45\"");
  const std::string typo = dir_.Sub("typo.csv");
  std::ofstream(typo) << csv;
  const CtlRun run = Ctl({"--lang", "zh", "report", "reconcile", "--agency", kBianban, "--year",
                          "2019", "--tables", typo},
                         false);
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.out, HasSubstr("表3 2013601 本年支出合计：报告为 87.45 万元，账载 87.54 万元"));
  EXPECT_THAT(run.out, HasSubstr("表3 20136 本年支出合计 为 98.63，而其下各级之和为 98.54"));
}

TEST_F(DemoDistrictCtlTest, FiguresThatFollowTheLedgerAgree) {
  const std::string claims = WriteClaims(dir_, "clean.txt",
                                         "[一]\n收支总计 = 128.98\n收支总计.上年 = 153.37\n"
                                         "收支总计.增减 = -24.39\n收支总计.增减率 = -15.90%\n"
                                         "[二]\n本年支出合计 = 128.57\n基本支出 = 125.70\n"
                                         "项目支出 = 2.87\n本年支出合计 = 基本支出 + 项目支出\n"
                                         "机关运行经费 = 14.79\n机关运行经费.增减率 = -1.92%\n");
  const CtlRun run = Ctl(
      {"report", "reconcile", "--agency", kBianban, "--year", "2019", "--claims", claims}, false);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("checked 10 figures (xq-bianban 2019"));
  EXPECT_THAT(run.out, HasSubstr("all agree"));
}

TEST_F(DemoDistrictCtlTest, AClaimsFileThatIsNotOneIsAUsageErrorNamingTheLine) {
  const std::string claims = WriteClaims(dir_, "bad.txt", "收支总计 = 128.98\n收支总计 128.98\n");
  const CtlRun run = Ctl({"--lang", "zh", "report", "reconcile", "--agency", kBianban, "--year",
                          "2019", "--claims", claims},
                         false);
  EXPECT_EQ(run.code, 2);
  EXPECT_THAT(run.err, HasSubstr("第2行：应为“指标 = 数值”"));
  const CtlRun missing = Ctl({"report", "reconcile", "--agency", kBianban, "--year", "2019",
                              "--claims", dir_.Sub("none.txt")},
                             false);
  EXPECT_EQ(missing.code, 2);
  EXPECT_THAT(missing.err, HasSubstr("--claims"));
}

}  // namespace
}  // namespace reformlog::testing
