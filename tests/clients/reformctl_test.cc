// reformctl end to end against a real reformd on port 0: each subcommand's happy path and
// its error path, exit codes (0 ok, 1 rejected, 2 bad usage, 3 unreachable), --json, and
// tables that line up with Chinese text.
#include <iconv.h>

#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "clients/reformctl/cli.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/run_program.h"
#include "tests/testing/temp_dir.h"

namespace reformlog {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

using CtlRun = testing::ProgramRun;

// Runs reformctl with `args`; its output goes to files in `dir`.
CtlRun Reformctl(const std::string& dir, const std::vector<std::string>& args) {
  return testing::RunProgram(REFORMCTL_BINARY, args, dir);
}

class ReformctlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    services::ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    auto server = services::ReformdServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
  }

  // reformctl against our server, with a document basis and a date.
  CtlRun Ctl(std::vector<std::string> args, bool change = true,
             const std::string& date = "2019-03-01") {
    std::vector<std::string> all = {"--server", server_->address()};
    if (change) {
      all.insert(all.end(), {"--basis", "西委编〔2019〕1号", "--effective-date", date});
    }
    all.insert(all.end(), args.begin(), args.end());
    return Reformctl(dir_.path(), all);
  }

  void MustSucceed(std::vector<std::string> args, const std::string& date = "2019-03-01") {
    CtlRun run = Ctl(std::move(args), true, date);
    ASSERT_EQ(run.code, 0) << run.out << run.err;
  }

  void SetUpDistrict() {
    MustSucceed({"agency", "establish", "--id", "gov", "--name", "西区人民政府", "--kind",
                 "政府部门", "--rank", "正处级"},
                "2018-01-01");
    MustSucceed(
        {"agency", "establish", "--id", "jxj", "--name", "区经济和信息化局", "--kind",
         "government_department", "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
        "2018-01-01");
    MustSucceed({"agency", "establish", "--id", "kjj", "--name", "区科学技术局", "--kind",
                 "政府部门", "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
                "2018-01-01");
    MustSucceed({"quota", "grant", "jxj", "--category", "行政编制", "--count", "5"});
    MustSucceed({"quota", "grant", "kjj", "--category", "行政编制", "--count", "3"});
    MustSucceed({"person", "register", "--id", "p1", "--name", "张三", "--agency", "jxj",
                 "--category", "行政编制"});
    MustSucceed({"person", "register", "--id", "p2", "--name", "李四", "--agency", "kjj",
                 "--category", "行政编制"});
  }

  testing::TempDir dir_;
  std::unique_ptr<services::ReformdServer> server_;
};

TEST_F(ReformctlTest, AMergerWithItsPeopleThenTheTreeBeforeAndAfterAndTheLineage) {
  SetUpDistrict();
  CtlRun merged = Ctl({"agency", "merge", "--from", "jxj,kjj", "--into-id", "jxkj", "--into-name",
                       "区经济信息化和科学技术局", "--into-kind", "政府部门", "--into-rank",
                       "正科级", "--into-parent", "gov", "--into-jurisdiction", "西区"});
  ASSERT_EQ(merged.code, 0) << merged.err;
  EXPECT_THAT(merged.out, HasSubstr("recorded at position"));
  // "recorded at position N (...)": read the tree with min_position N.
  const std::vector<std::string> words = absl::StrSplit(merged.out, absl::ByAnyChar(" \n"));
  ASSERT_GE(words.size(), 4u);
  const std::string position = words[3];

  CtlRun before = Ctl({"--min-position", position, "tree", "--as-of", "2019-02-28"}, false);
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_THAT(before.out, HasSubstr("区经济和信息化局"));
  EXPECT_THAT(before.out, Not(HasSubstr("区经济信息化和科学技术局")));
  CtlRun after = Ctl({"tree", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("区经济信息化和科学技术局"));
  EXPECT_THAT(after.out, Not(HasSubstr("区科学技术局 ")));

  CtlRun lineage = Ctl({"lineage", "jxkj"}, false);
  ASSERT_EQ(lineage.code, 0) << lineage.err;
  EXPECT_THAT(lineage.out, HasSubstr("jxj 区经济和信息化局"));
  EXPECT_THAT(lineage.out, HasSubstr("merger"));
  EXPECT_THAT(lineage.out, HasSubstr("西委编〔2019〕1号"));

  CtlRun show = Ctl({"show", "jxkj"}, false);
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("established 区经济信息化和科学技术局"));
}

TEST_F(ReformctlTest, TablesLineUpWithChineseText) {
  SetUpDistrict();
  CtlRun tree = Ctl({"tree", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(tree.code, 0) << tree.err;
  std::vector<std::string> lines = absl::StrSplit(tree.out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 4u);
  // Header, rule and rows: the column after the name starts at the same display column.
  auto kind_column = [](const std::string& line, const std::string& marker) {
    const size_t at = line.find(marker);
    return at == std::string::npos ? std::string::npos : ctl::DisplayWidth(line.substr(0, at));
  };
  const size_t header = kind_column(lines[1], "kind");
  ASSERT_NE(header, std::string::npos) << tree.out;
  for (size_t i = 3; i < lines.size(); ++i) {
    EXPECT_EQ(kind_column(lines[i], "政府部门"), header) << tree.out;
  }
}

TEST_F(ReformctlTest, JsonIsTheProtobufMapping) {
  SetUpDistrict();
  CtlRun json = Ctl({"--json", "tree", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"agency_id\": \"jxj\""));
  EXPECT_THAT(json.out, HasSubstr("\"kind\": \"GOVERNMENT_DEPARTMENT\""));
  CtlRun result =
      Ctl({"--json", "quota", "grant", "jxj", "--category", "行政编制", "--count", "1"});
  ASSERT_EQ(result.code, 0) << result.err;
  EXPECT_THAT(result.out, HasSubstr("\"position\""));
}

TEST_F(ReformctlTest, ExitCodes) {
  SetUpDistrict();
  // 1: the server refuses (no vacancy), and says why.
  MustSucceed({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "2"});
  CtlRun full = Ctl({"person", "register", "--id", "p9", "--name", "王五", "--agency", "kjj",
                     "--category", "行政编制"});
  EXPECT_EQ(full.code, 1);
  EXPECT_THAT(full.err, HasSubstr("行政编制: quota 1, in post 1, requested +1"));
  // 2: bad usage, nothing sent.
  CtlRun no_basis = Reformctl(dir_.path(), {"--server", server_->address(), "quota", "grant", "jxj",
                                            "--category", "行政编制", "--count", "1"});
  EXPECT_EQ(no_basis.code, 2);
  EXPECT_THAT(no_basis.err, HasSubstr("--basis"));
  CtlRun bad_enum = Ctl({"quota", "grant", "jxj", "--category", "大编制", "--count", "1"});
  EXPECT_EQ(bad_enum.code, 2);
  EXPECT_THAT(bad_enum.err, HasSubstr("行政编制"));
  CtlRun missing = Ctl({"agency", "establish", "--id", "x"});
  EXPECT_EQ(missing.code, 2);
  CtlRun unknown = Ctl({"no-such-command"}, false);
  EXPECT_EQ(unknown.code, 2);
  // 3: nobody listens there.
  CtlRun unreachable =
      Reformctl(dir_.path(), {"--server", "127.0.0.1:1", "--timeout", "1", "tree"});
  EXPECT_EQ(unreachable.code, 3);
  EXPECT_THAT(unreachable.err, HasSubstr("cannot reach reformd at 127.0.0.1:1"));
}

TEST_F(ReformctlTest, EveryContextsChangesAndTheEventLog) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "town", "--name", "格里坪镇", "--kind", "乡镇",
               "--rank", "正科级"});
  MustSucceed({"power", "catalog", "--code", "QR-1", "--name", "确认事项", "--category", "行政确认",
               "--holder", "jxj"});
  MustSucceed({"power", "delegate", "--codes", "QR-1", "--from", "jxj", "--to", "town", "--mode",
               "委托下放"});
  MustSucceed({"power", "return", "--codes", "QR-1"});
  MustSucceed({"budget", "appropriate", "--agency", "jxj", "--year", "2019", "--fund",
               "一般公共预算", "--function", "2013601", "--economic", "30201", "--amount",
               "1000.50"});
  MustSucceed({"budget",     "disburse", "--agency",     "jxj",        "--year",
               "2019",       "--fund",   "一般公共预算", "--function", "2013601",
               "--economic", "30201",    "--amount",     "1000.50",    "--voucher",
               "v1",         "--date",   "2019-06-30",   "--purpose",  "办公费"});
  CtlRun overspent = Ctl({"budget",     "disburse", "--agency",     "jxj",        "--year",
                          "2019",       "--fund",   "一般公共预算", "--function", "2013601",
                          "--economic", "30201",    "--amount",     "0.01",       "--voucher",
                          "v2",         "--date",   "2019-06-30",   "--purpose",  "办公费"});
  EXPECT_EQ(overspent.code, 1);
  EXPECT_THAT(overspent.err, HasSubstr("available 0.00 元"));
  CtlRun bad_amount =
      Ctl({"budget", "appropriate", "--agency", "jxj", "--year", "2019", "--fund", "一般公共预算",
           "--function", "2013601", "--economic", "30201", "--amount", "1.005"});
  EXPECT_EQ(bad_amount.code, 2);
  MustSucceed({"plan", "draft", "--id", "xiqu-2019", "--title", "西区机构改革方案"});
  MustSucceed({"plan", "task", "add", "--plan", "xiqu-2019", "--id", "t1", "--agency", "jxj",
               "--kind", "三定印发", "--due", "2019-06-30"});
  MustSucceed({"agency", "mandate", "jxj", "--function", "工业运行监测", "--division",
               "office:办公室", "--quota", "行政编制=5", "--leader-posts", "正科级=1:局长"});
  MustSucceed(
      {"person", "appoint", "p1", "--agency", "jxj", "--rank", "正科级", "--title", "局长"});
  MustSucceed({"person", "depart", "p2", "--reason", "退休"});
  MustSucceed({"--plan", "xiqu-2019", "records", "lock", "--agencies", "jxj"});

  CtlRun events = Ctl({"events", "--type", "PowerDelegated"}, false);
  ASSERT_EQ(events.code, 0) << events.err;
  EXPECT_THAT(events.out, HasSubstr("power-QR-1  PowerDelegated"));
  EXPECT_THAT(events.out, HasSubstr("ENTRUSTED"));
  CtlRun status = Ctl({"status"}, false);
  ASSERT_EQ(status.code, 0) << status.err;
  EXPECT_THAT(status.out, HasSubstr("org"));
}

class ImportTest : public ReformctlTest {
 protected:
  std::string Write(const std::string& name, const std::string& text) {
    const std::string path = dir_.Sub(name);
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
  EXPECT_THAT(real.out,
              HasSubstr("imported 3 rows in 2 commands; 0 commands were already recorded"));
  const uint64_t after = Head();
  EXPECT_GT(after, before);
  CtlRun again = Ctl({"import", "roster", file, "--commit"});
  ASSERT_EQ(again.code, 0) << again.err;
  EXPECT_THAT(again.out,
              HasSubstr("imported 0 rows in 0 commands; 2 commands were already recorded"));
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
  // kjj has 3 行政编制 and 1 person: the server refuses the three newcomers together.
  EXPECT_THAT(run.err, HasSubstr("bad.csv:6:"));
  EXPECT_THAT(run.err, HasSubstr("quota 3, in post 1, requested +3"));
  EXPECT_THAT(run.err, HasSubstr("nothing was written"));
  EXPECT_EQ(Head(), before);

  CtlRun skip = Ctl({"import", "roster", file, "--commit", "--skip-bad"});
  ASSERT_EQ(skip.code, 0) << skip.err;
  EXPECT_THAT(skip.out, HasSubstr("imported 1 rows in 1 commands"));
  EXPECT_THAT(skip.out, HasSubstr("6 bad rows skipped"));

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
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  ASSERT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string in = utf8;
  std::string out(in.size() * 2, '\0');
  char* ip = in.data();
  char* op = out.data();
  size_t il = in.size();
  size_t ol = out.size();
  ASSERT_NE(iconv(cd, &ip, &il, &op, &ol), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - ol);
  CtlRun powers = Ctl({"import", "powers", Write("powers-gb.csv", out), "--commit"});
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
}  // namespace reformlog
