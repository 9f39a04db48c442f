// reformctl import (clients/reformctl/import_cli.cc) end to end: a dry run unless --commit,
// idempotent re-runs, every bad row reported with its line, GB18030 files.
#include <cstdint>
#include <fstream>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class ImportTest : public ReformctlTest {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    std::string path = dir_.Sub(name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  uint64_t Head() { return server_->store().HeadPosition(); }
};

TEST_F(ImportTest, AGoodRosterIsCheckedThenImportedOnceOnly) {
  SetUpDistrict();
  const std::string file = Write("roster.csv",
                                 "person_id,name,agency_id,category,post\n"
                                 "r1,王一,jxj,行政编制,科员\n"
                                 "r2,王二,jxj,行政编制,科员\n"
                                 "r3,\"王三, 副\",kjj,ADMINISTRATIVE,科员\n");
  const uint64_t before = Head();
  CtlRun dry = Ctl({"import", "roster", file});
  ASSERT_EQ(dry.code, 0) << dry.err;
  EXPECT_THAT(dry.out, HasSubstr("dry run: 3 rows in 2 commands would be imported"));
  EXPECT_EQ(Head(), before) << "a dry run writes nothing";
  CtlRun real = Ctl({"import", "roster", file, "--commit"});
  ASSERT_EQ(real.code, 0) << real.err;
  EXPECT_THAT(real.out, HasSubstr("imported 3 rows in 2 commands\n"));
  const uint64_t after = Head();
  EXPECT_GT(after, before);
  CtlRun again = Ctl({"import", "roster", file, "--commit"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("imported 0 rows in 0 commands; 3 rows were recorded before"));
  EXPECT_EQ(Head(), after) << "re-running the import writes nothing new";
}

TEST_F(ImportTest, EveryBadRowIsReportedAndNothingIsWritten) {
  SetUpDistrict();
  const std::string file = Write("bad.csv",
                                 "人员编号,姓名,单位编号,编制类别,岗位\n"
                                 "b1,甲,jxj,行政编制,科员\n"
                                 "b2,乙,jxj,大编制,科员\n"
                                 "b3,,jxj,行政编制,科员\n"
                                 "b1,丁,jxj,行政编制,科员\n"
                                 "b5,戊,kjj,行政编制,科员\n"
                                 "b6,己,kjj,行政编制,科员\n"
                                 "b7,庚,kjj,行政编制,科员\n");
  const uint64_t before = Head();
  CtlRun run = Ctl({"import", "roster", file, "--commit"});
  EXPECT_EQ(run.code, 1);
  EXPECT_THAT(run.err, HasSubstr("bad.csv:3: category: \"大编制\" is not one of"));
  EXPECT_THAT(run.err, HasSubstr("bad.csv:4: name is empty"));
  EXPECT_THAT(run.err, HasSubstr("bad.csv:5: person_id b1 appears earlier in the file"));
  // kjj has 3 行政编制 and 1 person: the server refuses the three newcomers together, and the
  // row beyond its 2 vacancies is the one named (not the two that fit).
  EXPECT_THAT(run.err, HasSubstr("bad.csv:8: 区科学技术局 行政编制: 2 vacancies; this is row 3"));
  EXPECT_THAT(run.err, Not(HasSubstr("bad.csv:6:")));
  EXPECT_THAT(run.err, Not(HasSubstr("bad.csv:7:")));
  EXPECT_THAT(run.err, HasSubstr("7 rows: 4 are bad; nothing was written"));
  EXPECT_EQ(Head(), before);

  CtlRun skip = Ctl({"import", "roster", file, "--commit", "--skip-bad"});
  ASSERT_EQ(skip.code, 0) << skip.err;
  EXPECT_THAT(skip.out, HasSubstr("imported 3 rows in 2 commands; 4 bad rows skipped"));

  // The causes fixed (the rows corrected, one more 编制 for kjj), the same import run again
  // imports exactly what is missing — and once more, nothing.
  MustSucceed({"quota", "grant", "kjj", "--category", "行政编制", "--count", "1"});
  const std::string fixed = Write("bad.csv",
                                  "人员编号,姓名,单位编号,编制类别,岗位\n"
                                  "b1,甲,jxj,行政编制,科员\n"
                                  "b2,乙,jxj,行政编制,科员\n"
                                  "b3,丙,jxj,行政编制,科员\n"
                                  "b4,丁,jxj,行政编制,科员\n"
                                  "b5,戊,kjj,行政编制,科员\n"
                                  "b6,己,kjj,行政编制,科员\n"
                                  "b7,庚,kjj,行政编制,科员\n");
  CtlRun rerun = Ctl({"import", "roster", fixed, "--commit"});
  ASSERT_EQ(rerun.code, 0) << rerun.err;
  EXPECT_THAT(rerun.out, HasSubstr("imported 4 rows in 2 commands; 3 rows were recorded before"));
  const uint64_t complete = Head();
  CtlRun again = Ctl({"import", "roster", fixed, "--commit"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out, HasSubstr("imported 0 rows in 0 commands; 7 rows were recorded before"));
  EXPECT_EQ(Head(), complete);

  // A missing --basis is one usage error, before any row is read.
  CtlRun no_basis = Ctl({"import", "roster", fixed}, /*change=*/false);
  EXPECT_EQ(no_basis.code, 2);
  EXPECT_THAT(no_basis.err, HasSubstr("--basis"));
  EXPECT_THAT(no_basis.err, Not(HasSubstr("rows")));

  CtlRun header =
      Ctl({"import", "roster", Write("header.csv", "person_id,nom,agency_id\nx,y,z\n")});
  EXPECT_EQ(header.code, 2);
  EXPECT_THAT(header.err, HasSubstr("missing column name (姓名), category (编制类别)"));
  EXPECT_THAT(header.err, HasSubstr("unknown column nom"));
}

TEST_F(ImportTest, Gb18030PowerListsAndBudgetLines) {
  SetUpDistrict();
  const std::string utf8 =
      "事项编码,事项名称,权力类别,实施主体,设定依据\n"
      "XK-9,工业产品生产许可,行政许可,jxj,《工业产品生产许可证管理条例》\n"
      "CF-9,违法生产的处罚,行政处罚,jxj,《产品质量法》\n";
  CtlRun powers = Ctl({"import", "powers", Write("powers-gb.csv", Gb18030(utf8)), "--commit"});
  ASSERT_EQ(powers.code, 0) << powers.err;
  EXPECT_THAT(powers.out, HasSubstr("imported 2 rows in 1 commands"));

  CtlRun budget = Ctl({"import", "budget",
                       Write("budget.csv",
                             "agency_id,fiscal_year,fund_source,function_code,economic_code,kind,"
                             "project_id,amount_yuan\n"
                             "jxj,2019,一般公共预算,2013601,30201,基本支出,,797.00\n"
                             "jxj,2019,一般公共预算,2013601,30101,基本支出,,23.19\n"),
                       "--commit"});
  ASSERT_EQ(budget.code, 0) << budget.err;
  EXPECT_THAT(budget.out, HasSubstr("imported 2 rows in 2 commands"));
  CtlRun bad_amount = Ctl({"import", "budget",
                           Write("budget-bad.csv",
                                 "agency_id,fiscal_year,fund_source,function_code,economic_code,"
                                 "kind,project_id,amount_yuan\n"
                                 "jxj,2019,一般公共预算,20136,30201,基本支出,,1.234\n")});
  EXPECT_EQ(bad_amount.code, 1);
  EXPECT_THAT(bad_amount.err, HasSubstr("budget-bad.csv:2: amount_yuan \"1.234\""));
}

}  // namespace
}  // namespace reformlog::testing
