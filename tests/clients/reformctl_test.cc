// reformctl end to end against a real reformd on port 0: each subcommand's happy path and
// its error path, exit codes (0 ok, 1 rejected, 2 bad usage, 3 unreachable), --json, and
// tables that line up with Chinese text; powers, progress and export also over the demo
// district (clients/demo/xiqu-2019, loaded with `reformctl demo load`).
#include <iconv.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/time/time.h"
#include "clients/reformctl/csv_text.h"
#include "clients/reformctl/text_encoding.h"
#include "clients/reformctl/utf8_text.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/budget_queries.pb.h"
#include "reformlog/api/v1/org_queries.pb.h"
#include "reformlog/api/v1/power_queries.pb.h"
#include "reformlog/api/v1/reform_queries.pb.h"
#include "reformlog/api/v1/staffing_queries.pb.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/run_program.h"
#include "tests/testing/temp_dir.h"

namespace reformlog {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

using CtlRun = testing::ProgramRun;

constexpr char kEndOf2019[] = "2019-12-31";
// The demo district's ids (clients/demo/xiqu-2019/DATA.md).
constexpr char kTown[] = "xq-glpz";          // 格里坪镇
constexpr char kEnforcement[] = "xq-zhzfj";  // 综合行政执法局
constexpr char kApproval[] = "xq-xzspj";     // 行政审批局
constexpr char kBianban[] = "xq-bianban";    // 编办
constexpr char kDemoPlan[] = "xiqu-2019-reform";

// `text` as protobuf JSON of M (what --json prints); a test failure when it is not.
template <typename M>
M FromJson(const std::string& text) {
  M message;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << text;
  return message;
}

// A CSV text as rows of fields, the header first; a test failure when it does not parse.
std::vector<std::vector<std::string>> Csv(const std::string& text) {
  absl::StatusOr<std::vector<ctl::CsvRow>> rows = ctl::ParseCsv(text);
  EXPECT_TRUE(rows.ok()) << rows.status() << "\n" << text;
  std::vector<std::vector<std::string>> out;
  if (!rows.ok()) return out;
  for (ctl::CsvRow& row : *rows) out.push_back(std::move(row.fields));
  for (const auto& row : out) EXPECT_EQ(row.size(), out.front().size()) << text;
  return out;
}

// The index of `name` in a CSV header; a test failure when it is not there.
size_t Column(const std::vector<std::string>& header, const std::string& name) {
  const auto it = std::find(header.begin(), header.end(), name);
  EXPECT_NE(it, header.end()) << "no column " << name;
  return static_cast<size_t>(it - header.begin());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// The display column at which `marker` starts in `line`; npos when it is not there.
size_t DisplayColumn(const std::string& line, const std::string& marker) {
  const size_t at = line.find(marker);
  return at == std::string::npos ? std::string::npos : ctl::DisplayWidth(line.substr(0, at));
}

// UTF-8 → GB18030 with iconv, independently of reformctl.
std::string Gb18030(std::string utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(cd, reinterpret_cast<iconv_t>(-1));
  std::string out(utf8.size() * 2 + 16, '\0');
  char* ip = utf8.data();
  char* op = out.data();
  size_t il = utf8.size();
  size_t ol = out.size();
  EXPECT_NE(iconv(cd, &ip, &il, &op, &ol), static_cast<size_t>(-1));
  iconv_close(cd);
  out.resize(out.size() - ol);
  return out;
}

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

  // reformctl against our server: a change with a document basis and a date; a query once
  // the read models have applied every change before it (read-your-writes: they apply the
  // log asynchronously).
  CtlRun Ctl(std::vector<std::string> args, bool change = true,
             const std::string& date = "2019-03-01") {
    std::vector<std::string> all = {"--server", server_->address()};
    if (change) {
      all.insert(all.end(), {"--basis", "西委编〔2019〕1号", "--effective-date", date});
    } else if (std::find(args.begin(), args.end(), "--min-position") == args.end()) {
      all.insert(all.end(), {"--min-position", absl::StrCat(server_->store().HeadPosition())});
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

// --dry-run: the server decides the change and says what it would record; nothing is
// recorded, and a change that does not hold is refused just the same.
TEST_F(ReformctlTest, DryRunSaysWhatWouldBeRecordedAndRecordsNothing) {
  SetUpDistrict();
  const uint64_t head = server_->store().HeadPosition();
  CtlRun ok = Ctl({"--dry-run", "person", "register", "--id", "p8", "--name", "赵六", "--agency",
                   "kjj", "--category", "行政编制"});
  ASSERT_EQ(ok.code, 0) << ok.err;
  EXPECT_THAT(ok.out, HasSubstr("dry run: the change holds and would record 2 events "
                                "(PersonRegistered, RosterChanged); nothing was recorded"));
  EXPECT_EQ(server_->store().HeadPosition(), head);
  EXPECT_EQ(Ctl({"person", "show", "p8"}, false).code, 1);

  MustSucceed({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "2"});
  const uint64_t after = server_->store().HeadPosition();
  CtlRun refused = Ctl({"--dry-run", "person", "register", "--id", "p9", "--name", "王五",
                        "--agency", "kjj", "--category", "行政编制"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("行政编制: quota 1, in post 1, requested +1"));
  EXPECT_EQ(server_->store().HeadPosition(), after);

  CtlRun json = Ctl(
      {"--json", "--dry-run", "quota", "grant", "kjj", "--category", "行政编制", "--count", "1"});
  ASSERT_EQ(json.code, 0) << json.err;
  EXPECT_THAT(json.out, HasSubstr("\"dry_run\": true"));
  EXPECT_EQ(server_->store().HeadPosition(), after);

  // An import is a dry run unless --commit: asking for both is a usage error.
  CtlRun both = Ctl({"--dry-run", "import", "roster", dir_.Sub("none.csv"), "--commit"});
  EXPECT_EQ(both.code, 2);
  EXPECT_THAT(both.err, HasSubstr("contradict"));
  EXPECT_EQ(server_->store().HeadPosition(), after);
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

// Issue 5's command line, path by path: each is there and answers --help.
TEST_F(ReformctlTest, EverySubcommandOfTheCommandLineExists) {
  const std::vector<std::vector<std::string>> paths = {{"agency", "establish"},
                                                       {"agency", "rename"},
                                                       {"agency", "merge"},
                                                       {"agency", "split"},
                                                       {"agency", "abolish"},
                                                       {"agency", "mandate"},
                                                       {"quota", "grant"},
                                                       {"quota", "withdraw"},
                                                       {"quota", "transfer"},
                                                       {"person", "register"},
                                                       {"person", "transfer"},
                                                       {"person", "depart"},
                                                       {"person", "show"},
                                                       {"power", "catalog"},
                                                       {"power", "delegate"},
                                                       {"power", "concentrate"},
                                                       {"power", "return"},
                                                       {"power", "show"},
                                                       {"budget", "appropriate"},
                                                       {"budget", "disburse"},
                                                       {"budget", "show"},
                                                       {"plan", "draft"},
                                                       {"plan", "approve"},
                                                       {"plan", "close"},
                                                       {"plan", "task", "add"},
                                                       {"plan", "task", "complete"},
                                                       {"tree"},
                                                       {"lineage"},
                                                       {"staffing"},
                                                       {"check"},
                                                       {"people"},
                                                       {"powers"},
                                                       {"performance"},
                                                       {"progress"},
                                                       {"events"},
                                                       {"watch"},
                                                       {"import"},
                                                       {"export"},
                                                       {"demo", "load"}};
  for (std::vector<std::string> path : paths) {
    path.push_back("--help");
    CtlRun help = Reformctl(dir_.path(), path);
    EXPECT_EQ(help.code, 0) << absl::StrJoin(path, " ") << "\n" << help.err;
    EXPECT_THAT(help.out, HasSubstr("Usage")) << absl::StrJoin(path, " ");
  }
}

TEST_F(ReformctlTest, RestructuresAndTransfersEachRecordedOrRefused) {
  SetUpDistrict();  // jxj: 5 行政编制, p1; kjj: 3 行政编制, p2
  MustSucceed({"agency", "rename", "jxj", "区经济和信息化局（新）"});
  CtlRun rename_unknown = Ctl({"agency", "rename", "nope", "无名局"});
  EXPECT_EQ(rename_unknown.code, 1);
  EXPECT_THAT(rename_unknown.err, HasSubstr("NOT_FOUND"));

  MustSucceed({"quota", "transfer", "--from", "jxj", "--to", "kjj", "--category", "行政编制",
               "--count", "1"});
  CtlRun too_much = Ctl({"quota", "transfer", "--from", "jxj", "--to", "kjj", "--category",
                         "行政编制", "--count", "99"});
  EXPECT_EQ(too_much.code, 1);
  EXPECT_THAT(too_much.err, HasSubstr("FAILED_PRECONDITION"));
  CtlRun over_withdrawn =
      Ctl({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "99"});
  EXPECT_EQ(over_withdrawn.code, 1);

  // 人员转隶: p1 moves with one 行政编制; asked again, p1 is no longer at jxj.
  MustSucceed({"person", "transfer", "--from", "jxj", "--to", "kjj", "--people", "p1", "--quota",
               "行政编制=1"});
  CtlRun moved_twice = Ctl({"person", "transfer", "--from", "jxj", "--to", "kjj", "--people", "p1",
                            "--quota", "行政编制=1"});
  EXPECT_EQ(moved_twice.code, 1);
  EXPECT_THAT(moved_twice.err, HasSubstr("p1"));
  CtlRun bad_quota = Ctl({"person", "transfer", "--from", "jxj", "--to", "kjj", "--people", "p1",
                          "--quota", "行政编制"});
  EXPECT_EQ(bad_quota.code, 2);
  CtlRun people = Ctl({"--json", "people", "kjj"}, false);
  ASSERT_EQ(people.code, 0) << people.err;
  EXPECT_EQ(FromJson<api::v1::ListPeopleResponse>(people.out).people_size(), 2);

  CtlRun depart_unknown = Ctl({"person", "depart", "nobody", "--reason", "退休"});
  EXPECT_EQ(depart_unknown.code, 1);
  EXPECT_THAT(depart_unknown.err, HasSubstr("NOT_FOUND"));
  CtlRun depart_reason = Ctl({"person", "depart", "p2", "--reason", "跳槽"});
  EXPECT_EQ(depart_reason.code, 2);
  EXPECT_THAT(depart_reason.err, HasSubstr("退休"));

  CtlRun mandate_count = Ctl({"agency", "mandate", "kjj", "--quota", "行政编制=abc"});
  EXPECT_EQ(mandate_count.code, 2);
  CtlRun mandate_unknown = Ctl({"agency", "mandate", "nope", "--function", "科技管理"});
  EXPECT_EQ(mandate_unknown.code, 1);

  // kjj (5 行政编制, p1 and p2) splits in two; every quota unit and person goes to one part.
  const std::string part = R"({"kind": "GOVERNMENT_DEPARTMENT", "rank": "SECTION_CHIEF",
                               "parent_id": "gov", "jurisdiction": "西区"})";
  const std::string parts = dir_.Sub("parts.json");
  std::ofstream(parts) << R"({"parts": [{"agency": {"agency_id": "kjj-a", "name": "区科技局",)"
                       << part.substr(1) << R"(, "quotas": [{"category": "ADMINISTRATIVE",
                          "count": 3}], "person_ids": ["p1"]}, {"agency": {"agency_id": "kjj-b",
                          "name": "区知识产权局",)"
                       << part.substr(1) << R"(, "quotas": [{"category": "ADMINISTRATIVE",
                          "count": 2}], "person_ids": ["p2"]}]})";
  const std::string short_parts = dir_.Sub("short.json");
  std::ofstream(short_parts)
      << R"({"parts": [{"agency": {"agency_id": "kjj-a", "name": "区科技局",)" << part.substr(1)
      << R"(, "quotas": [{"category": "ADMINISTRATIVE",
                                "count": 5}], "person_ids": ["p1"]}]})";
  CtlRun left_out = Ctl({"agency", "split", "kjj", "--parts", short_parts});
  EXPECT_EQ(left_out.code, 1) << left_out.err;
  CtlRun no_file = Ctl({"agency", "split", "kjj", "--parts", dir_.Sub("missing.json")});
  EXPECT_EQ(no_file.code, 2);
  MustSucceed({"agency", "split", "kjj", "--parts", parts});

  CtlRun merge_usage = Ctl({"agency", "merge", "--from", "jxj,kjj-a"});
  EXPECT_EQ(merge_usage.code, 2);
  EXPECT_THAT(merge_usage.err, HasSubstr("--absorb-into"));
  CtlRun merge_unknown = Ctl({"agency", "merge", "--from", "jxj,nope", "--absorb-into", "jxj"});
  EXPECT_EQ(merge_unknown.code, 1);
  MustSucceed({"agency", "merge", "--from", "jxj,kjj-a", "--absorb-into", "jxj"});

  MustSucceed({"agency", "abolish", "kjj-b", "--successor", "jxj", "--reason", "职能整合"});
  CtlRun abolished_twice = Ctl({"agency", "abolish", "kjj-b", "--successor", "jxj"});
  EXPECT_EQ(abolished_twice.code, 1);

  CtlRun staffing = Ctl({"--json", "staffing", "--agency", "jxj"}, false);
  ASSERT_EQ(staffing.code, 0) << staffing.err;
  const auto figures = FromJson<api::v1::GetStaffingResponse>(staffing.out);
  ASSERT_EQ(figures.agencies_size(), 1);
  EXPECT_EQ(figures.agencies(0).total().quota(), 3 + 3 + 2) << staffing.out;
  EXPECT_EQ(figures.agencies(0).total().in_post(), 2) << staffing.out;
}

TEST_F(ReformctlTest, PowerListChangesEachRecordedOrRefused) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "zfj", "--name", "区综合行政执法局", "--kind",
               "政府部门", "--rank", "正科级", "--role", "综合行政执法局"});
  MustSucceed({"power", "catalog", "--code", "CF-1", "--name", "违法排污的处罚", "--category",
               "行政处罚", "--holder", "jxj"});
  MustSucceed({"power", "catalog", "--code", "XK-1", "--name", "生产许可", "--category", "行政许可",
               "--holder", "jxj"});
  CtlRun duplicate = Ctl({"power", "catalog", "--code", "CF-1", "--name", "另一个", "--category",
                          "行政处罚", "--holder", "jxj"});
  EXPECT_EQ(duplicate.code, 1);
  EXPECT_THAT(duplicate.err, HasSubstr("ALREADY_EXISTS"));
  CtlRun category = Ctl({"power", "catalog", "--code", "X-2", "--name", "某事项", "--category",
                         "行政大权", "--holder", "jxj"});
  EXPECT_EQ(category.code, 2);
  CtlRun not_a_town = Ctl({"power", "delegate", "--codes", "XK-1", "--from", "jxj", "--to", "kjj",
                           "--mode", "直接下放"});
  EXPECT_EQ(not_a_town.code, 1);
  EXPECT_THAT(not_a_town.err, HasSubstr("乡镇 or 街道"));
  CtlRun not_holder = Ctl({"power", "delegate", "--codes", "XK-1", "--from", "kjj", "--to", "zfj",
                           "--mode", "直接下放"});
  EXPECT_EQ(not_holder.code, 1);
  CtlRun bad_mode = Ctl(
      {"power", "delegate", "--codes", "XK-1", "--from", "jxj", "--to", "kjj", "--mode", "随便"});
  EXPECT_EQ(bad_mode.code, 2);
  CtlRun licensing = Ctl({"power", "concentrate", "--codes", "XK-1", "--to", "zfj"});
  EXPECT_EQ(licensing.code, 1);
  EXPECT_THAT(licensing.err, HasSubstr("takes only 行政处罚 and 行政强制"));
  CtlRun no_role = Ctl({"power", "concentrate", "--codes", "CF-1", "--to", "kjj"});
  EXPECT_EQ(no_role.code, 1);
  MustSucceed({"power", "concentrate", "--codes", "CF-1", "--to", "zfj"});
  CtlRun counts = Ctl({"--json", "powers", "--counts", "--holder", "zfj"}, false);
  ASSERT_EQ(counts.code, 0) << counts.err;
  const auto c = FromJson<api::v1::CountPowersResponse>(counts.out);
  ASSERT_EQ(c.holders_size(), 1);
  ASSERT_EQ(c.holders(0).categories_size(), 1);
  EXPECT_EQ(c.holders(0).categories(0).category(), domain::v1::PENALTY);
  ASSERT_EQ(c.holders(0).categories(0).by_held_as_size(), 1);
  EXPECT_EQ(c.holders(0).categories(0).by_held_as(0).held_as(), domain::v1::CONCENTRATED);
}

TEST_F(ReformctlTest, PowersOnADateWithTheirModeAndDelegatingDepartment) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "town", "--name", "格里坪镇", "--kind", "乡镇",
               "--rank", "正科级", "--jurisdiction", "西区"},
              "2018-01-01");
  MustSucceed({"power", "catalog", "--code", "QR-1", "--name", "农村宅基地确认", "--category",
               "行政确认", "--holder", "jxj", "--legal-basis", "《土地管理法》"},
              "2019-01-01");
  MustSucceed({"power", "catalog", "--code", "XK-1", "--name", "临时占道许可", "--category",
               "行政许可", "--holder", "jxj"},
              "2019-01-01");
  MustSucceed({"power", "delegate", "--codes", "QR-1", "--from", "jxj", "--to", "town", "--mode",
               "委托下放"});
  MustSucceed({"power", "delegate", "--codes", "XK-1", "--from", "jxj", "--to", "town", "--mode",
               "直接下放"});

  CtlRun before = Ctl({"powers", "--as-of", "2019-02-28"}, false);
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_THAT(before.out, HasSubstr("2 items"));
  EXPECT_THAT(before.out, HasSubstr("本部门"));
  EXPECT_THAT(before.out, Not(HasSubstr("委托下放")));

  CtlRun after = Ctl({"powers", "--as-of", "2019-03-01", "--holder", "town"}, false);
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("as of 2019-03-01"));
  EXPECT_THAT(after.out, HasSubstr("town 格里坪镇"));
  // The "held as" and "delegated by" columns line up under their headers.
  std::vector<std::string> lines = absl::StrSplit(after.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << after.out;  // summary, header, rule, 2 items
  const size_t held_as = DisplayColumn(lines[1], "held as");
  const size_t delegated_by = DisplayColumn(lines[1], "delegated by");
  EXPECT_EQ(DisplayColumn(lines[3], "委托下放"), held_as) << after.out;
  EXPECT_EQ(DisplayColumn(lines[4], "直接下放"), held_as) << after.out;
  EXPECT_EQ(DisplayColumn(lines[3], "jxj "), delegated_by) << after.out;

  CtlRun json = Ctl({"--json", "powers", "--as-of", "2019-03-01", "--category", "行政确认"}, false);
  ASSERT_EQ(json.code, 0) << json.err;
  const auto list = FromJson<api::v1::ListPowersResponse>(json.out);
  ASSERT_EQ(list.items_size(), 1) << json.out;
  const api::v1::PowerHolding& item = list.items(0);
  EXPECT_EQ(item.code(), "QR-1");
  EXPECT_EQ(item.holder_agency_id(), "town");
  EXPECT_EQ(item.held_as(), domain::v1::ENTRUSTED);
  EXPECT_EQ(item.delegated_by_agency_id(), "jxj");
  EXPECT_EQ(item.acts_in_name_of_agency_id(), "jxj") << "委托下放: in the department's name";
  EXPECT_EQ(item.since().effective_date(), "2019-03-01");
  EXPECT_EQ(item.since().basis_number(), "西委编〔2019〕1号");

  CtlRun counts = Ctl({"powers", "--counts", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(counts.code, 0) << counts.err;
  EXPECT_THAT(counts.out, HasSubstr("2 items, 1 holders"));
  lines = absl::StrSplit(counts.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u) << counts.out;  // summary, header, rule, 2 categories, 合计
  EXPECT_THAT(lines[1], HasSubstr("直接下放"));
  EXPECT_THAT(lines[1], HasSubstr("委托下放"));
  EXPECT_THAT(lines[5], HasSubstr("合计"));
  const auto count_json = FromJson<api::v1::CountPowersResponse>(
      Ctl({"--json", "powers", "--counts", "--as-of", "2019-03-01"}, false).out);
  EXPECT_EQ(count_json.items(), 2);
  ASSERT_EQ(count_json.holders_size(), 1);
  EXPECT_EQ(count_json.holders(0).holder_agency_id(), "town");

  CtlRun show = Ctl({"power", "show", "QR-1", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("设定依据: 《土地管理法》"));
  EXPECT_THAT(show.out,
              HasSubstr("held by town 格里坪镇 as 委托下放, passed on by jxj, acting in the name "
                        "of jxj (since 2019-03-01 西委编〔2019〕1号)"));
  EXPECT_THAT(show.out, HasSubstr("2019-01-01"));  // catalogued
  CtlRun not_yet = Ctl({"power", "show", "QR-1", "--as-of", "2018-12-31"}, false);
  ASSERT_EQ(not_yet.code, 0) << not_yet.err;
  EXPECT_THAT(not_yet.out, HasSubstr("QR-1: not yet listed on 2018-12-31"));
  const auto history = FromJson<api::v1::GetPowerHistoryResponse>(
      Ctl({"--json", "power", "show", "QR-1"}, false).out);
  ASSERT_EQ(history.changes_size(), 2);
  EXPECT_EQ(history.changes(0).change(), api::v1::HolderChange::CATALOGUED);
  EXPECT_EQ(history.changes(1).mode(), domain::v1::ENTRUSTED);

  CtlRun unknown = Ctl({"power", "show", "NOPE-1"}, false);
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
  CtlRun bad_date = Ctl({"powers", "--as-of", "2019-02-30"}, false);
  EXPECT_EQ(bad_date.code, 1);
  EXPECT_THAT(bad_date.err, HasSubstr("INVALID_ARGUMENT"));
  CtlRun unknown_holder = Ctl({"powers", "--holder", "nope"}, false);
  EXPECT_EQ(unknown_holder.code, 1);
  CtlRun bad_category = Ctl({"powers", "--category", "行政大权"}, false);
  EXPECT_EQ(bad_category.code, 2);
  EXPECT_THAT(bad_category.err, HasSubstr("行政许可"));
  CtlRun counts_by_category = Ctl({"powers", "--counts", "--category", "行政许可"}, false);
  EXPECT_EQ(counts_by_category.code, 2);
  CtlRun unreachable =
      Reformctl(dir_.path(), {"--server", "127.0.0.1:1", "--timeout", "1", "powers", "--counts"});
  EXPECT_EQ(unreachable.code, 3);
}

TEST_F(ReformctlTest, ProgressOfAPlanDoneDueAndOverdueWithWhatDidEachTask) {
  SetUpDistrict();
  MustSucceed(
      {"plan", "draft", "--id", "p19", "--title", "西区机构改革方案", "--jurisdiction", "西区"},
      "2019-01-10");
  MustSucceed({"plan", "approve", "p19"}, "2019-02-26");
  MustSucceed({"plan", "task", "add", "--plan", "p19", "--id", "t1", "--agency", "jxj", "--kind",
               "三定印发", "--due", "2019-06-30"},
              "2019-02-26");
  MustSucceed({"plan", "task", "add", "--plan", "p19", "--id", "t2", "--agency", "kjj", "--kind",
               "其他任务", "--due", "2019-04-30", "--description", "清理档案"},
              "2019-02-26");
  MustSucceed({"agency", "mandate", "jxj", "--function", "工业运行监测", "--quota", "行政编制=5"},
              "2019-05-24");

  CtlRun may = Ctl({"progress", "p19", "--as-of", "2019-05-01"}, false);
  ASSERT_EQ(may.code, 0) << may.err;
  EXPECT_THAT(may.out, HasSubstr("2 tasks: 0 done, 1 due, 1 overdue"));
  CtlRun june = Ctl({"progress", "p19", "--as-of", "2019-06-01"}, false);
  ASSERT_EQ(june.code, 0) << june.err;
  EXPECT_THAT(june.out, HasSubstr("2 tasks: 1 done, 0 due, 1 overdue"));
  EXPECT_THAT(june.out, HasSubstr("approved 2019-02-26 西委编〔2019〕1号"));
  // The agency table and the task table line up with the Chinese names.
  std::vector<std::string> lines = absl::StrSplit(june.out, '\n', absl::SkipEmpty());
  size_t task_header = 0;
  for (size_t i = 0; i < lines.size(); ++i)
    task_header = lines[i].rfind("task", 0) == 0 ? i : task_header;
  ASSERT_EQ(task_header + 4, lines.size()) << june.out;  // header, rule, t1, t2
  const size_t state = DisplayColumn(lines[task_header], "state");
  EXPECT_EQ(DisplayColumn(lines[task_header + 2], "done"), state) << june.out;
  EXPECT_EQ(DisplayColumn(lines[task_header + 3], "overdue"), state) << june.out;
  EXPECT_THAT(lines[task_header + 2], HasSubstr("2019-05-24 西委编〔2019〕1号"));
  EXPECT_THAT(lines[task_header + 2], HasSubstr("MandateIssued"));

  const auto progress = FromJson<api::v1::GetPlanProgressResponse>(
      Ctl({"--json", "progress", "p19", "--as-of", "2019-06-01"}, false).out);
  EXPECT_EQ(progress.plan().overall().done(), 1);
  EXPECT_EQ(progress.plan().overall().overdue(), 1);
  ASSERT_EQ(progress.tasks_size(), 2);
  EXPECT_EQ(progress.tasks(0).state(), api::v1::TaskStatus::DONE);
  EXPECT_EQ(progress.tasks(0).completed_by().effective_date(), "2019-05-24");
  EXPECT_FALSE(progress.tasks(0).completed_by().event_type().empty());
  EXPECT_EQ(progress.tasks(1).state(), api::v1::TaskStatus::OVERDUE);
  ASSERT_EQ(progress.agencies_size(), 2);
  EXPECT_EQ(progress.agencies(0).agency_id(), "jxj");
  EXPECT_EQ(progress.agencies(0).counts().done(), 1);
  EXPECT_EQ(progress.agencies(1).counts().overdue(), 1);

  MustSucceed({"plan", "task", "complete", "--plan", "p19", "--id", "t2", "--note", "已清理"},
              "2019-06-10");
  CtlRun done = Ctl({"progress", "p19", "--as-of", "2019-06-30"}, false);
  ASSERT_EQ(done.code, 0) << done.err;
  EXPECT_THAT(done.out, HasSubstr("2 tasks: 2 done, 0 due, 0 overdue"));
  CtlRun plans = Ctl({"progress", "--as-of", "2019-06-30"}, false);
  ASSERT_EQ(plans.code, 0) << plans.err;
  EXPECT_THAT(plans.out, HasSubstr("1 plans"));
  EXPECT_THAT(plans.out, HasSubstr("p19"));
  EXPECT_THAT(plans.out, HasSubstr("approved"));

  MustSucceed({"plan", "close", "p19"}, "2019-07-05");
  CtlRun open = Ctl({"progress", "--as-of", kEndOf2019}, false);
  ASSERT_EQ(open.code, 0) << open.err;
  EXPECT_THAT(open.out, HasSubstr("0 plans"));
  CtlRun closed = Ctl({"progress", "--as-of", kEndOf2019, "--include-closed"}, false);
  ASSERT_EQ(closed.code, 0) << closed.err;
  EXPECT_THAT(closed.out, HasSubstr("closed"));

  CtlRun unknown = Ctl({"progress", "nope"}, false);
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
  CtlRun too_early = Ctl({"progress", "p19", "--as-of", "2019-01-01"}, false);
  EXPECT_EQ(too_early.code, 1);
  CtlRun mixed = Ctl({"progress", "p19", "--jurisdiction", "西区"}, false);
  EXPECT_EQ(mixed.code, 2);
  CtlRun approve_unknown = Ctl({"plan", "approve", "nope"});
  EXPECT_EQ(approve_unknown.code, 1);
  CtlRun complete_unknown = Ctl({"plan", "task", "complete", "--plan", "p19", "--id", "nope"});
  EXPECT_EQ(complete_unknown.code, 1);
  CtlRun bad_kind = Ctl({"plan", "task", "add", "--plan", "p19", "--id", "t3", "--agency", "jxj",
                         "--kind", "喝茶", "--due", "2019-08-01"});
  EXPECT_EQ(bad_kind.code, 2);
}

TEST_F(ReformctlTest, ExportQuotesFieldsWritesGb18030AndRefusesBadUsage) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "qt", "--name", "区\"数字\",经济局", "--kind",
               "政府部门", "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
              "2018-01-01");
  CtlRun out =
      Ctl({"export", "agencies", "--as-of", "2019-03-01", "--jurisdiction", "西区"}, false);
  ASSERT_EQ(out.code, 0) << out.err;
  const auto rows = Csv(out.out);
  ASSERT_EQ(rows.size(), 1u + 3u) << out.out;  // header; jxj, kjj, qt (gov has no jurisdiction)
  const size_t name = Column(rows[0], "name");
  const size_t kind = Column(rows[0], "kind");
  std::map<std::string, std::string> names;
  for (size_t i = 1; i < rows.size(); ++i) {
    names[rows[i][0]] = rows[i][name];
    EXPECT_EQ(rows[i][kind], "政府部门");
  }
  EXPECT_EQ(names["qt"], "区\"数字\",经济局");
  EXPECT_EQ(names["jxj"], "区经济和信息化局");

  // --out, and GB18030: the same text, encoded as iconv encodes it.
  const std::string utf8_path = dir_.Sub("agencies.csv");
  const std::string gb_path = dir_.Sub("agencies-gb.csv");
  CtlRun utf8 = Ctl({"export", "tree", "--as-of", "2019-03-01", "--out", utf8_path}, false);
  ASSERT_EQ(utf8.code, 0) << utf8.err;
  EXPECT_THAT(utf8.out, HasSubstr("exported 4 rows of agencies to " + utf8_path));
  CtlRun gb =
      Ctl({"export", "tree", "--as-of", "2019-03-01", "--out", gb_path, "--encoding", "gb18030"},
          false);
  ASSERT_EQ(gb.code, 0) << gb.err;
  const std::string utf8_text = ReadFile(utf8_path);
  const std::string gb_text = ReadFile(gb_path);
  EXPECT_NE(gb_text, utf8_text);
  EXPECT_EQ(gb_text, Gb18030(utf8_text));
  absl::StatusOr<std::string> back = ctl::ToUtf8(gb_text, "gb18030");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, utf8_text);

  auto usage = [&](std::vector<std::string> args, const std::string& message) {
    CtlRun run = Ctl(std::move(args), false);
    EXPECT_EQ(run.code, 2) << run.out << run.err;
    EXPECT_THAT(run.err, HasSubstr(message));
  };
  usage({"export", "budgets"}, "is not one of: agencies, staffing");
  usage({"export", "staffing", "--jurisdiction", "西区", "--as-of", "2019-03-01"},
        "export staffing does not take --as-of (agencies, powers, power-counts, plans, "
        "progress do)");
  usage({"export", "staffing"}, "give --agency or --jurisdiction");
  usage({"export", "budget-lines", "--agency", "jxj"}, "give --agency and --year");
  usage({"export", "agencies", "--encoding", "latin1"}, "latin1 is not utf-8 or gb18030");
  usage({"export", "agencies", "--out", dir_.Sub("no/such/dir/a.csv")}, "cannot write");
  usage({"--json", "export", "agencies"}, "--json does not apply");
  usage({"export", "powers", "--category", "行政大权"}, "行政许可");
  CtlRun unknown = Ctl({"export", "budget-lines", "--agency", "nope", "--year", "2019"}, false);
  EXPECT_EQ(unknown.code, 1) << unknown.out << unknown.err;
  CtlRun unreachable =
      Reformctl(dir_.path(), {"--server", "127.0.0.1:1", "--timeout", "1", "export", "agencies"});
  EXPECT_EQ(unreachable.code, 3);
}

// The demo district (DOMAIN.md §7) read through reformctl.
class DemoDistrictCtlTest : public ReformctlTest {
 protected:
  void SetUp() override {
    ReformctlTest::SetUp();
    CtlRun load = Ctl({"demo", "load"}, false);
    ASSERT_EQ(load.code, 0) << load.out << load.err;
    const uint64_t head = server_->store().HeadPosition();
    ASSERT_TRUE(server_->projections().WaitForAll(head, absl::Seconds(60)))
        << "the read models did not reach " << head;
  }

  CtlRun Query(std::vector<std::string> args) {
    CtlRun run = Ctl(std::move(args), false);
    EXPECT_EQ(run.code, 0) << run.out << run.err;
    return run;
  }

  // Exports `args` to a file and reads it back as rows, the header first.
  std::vector<std::vector<std::string>> Export(std::vector<std::string> args) {
    const std::string path = dir_.Sub("export.csv");
    args.insert(args.begin(), "export");
    args.insert(args.end(), {"--out", path});
    Query(args);
    return Csv(ReadFile(path));
  }
};

TEST_F(DemoDistrictCtlTest, PowersPerHolderAndCategory) {
  auto counts = [&](const std::string& holder) {
    return FromJson<api::v1::CountPowersResponse>(
        Query({"--json", "powers", "--counts", "--as-of", kEndOf2019, "--holder", holder}).out);
  };
  // 格里坪镇: 92 items, some 直接下放 and some 委托下放.
  const auto town = counts(kTown);
  EXPECT_EQ(town.items(), 92);
  ASSERT_EQ(town.holders_size(), 1);
  std::map<domain::v1::DelegationMode, int64_t> by_mode;
  for (const auto& c : town.holders(0).categories()) {
    for (const auto& m : c.by_held_as()) by_mode[m.held_as()] += m.items();
  }
  EXPECT_GT(by_mode[domain::v1::DIRECT], 0);
  EXPECT_GT(by_mode[domain::v1::ENTRUSTED], 0);
  EXPECT_EQ(by_mode[domain::v1::DIRECT] + by_mode[domain::v1::ENTRUSTED], 92);
  // 724 penalty items concentrated in the 综合行政执法局, 174 licensing in the 行政审批局.
  for (const auto& [holder, category, items] :
       {std::tuple{kEnforcement, domain::v1::PENALTY, 724},
        std::tuple{kApproval, domain::v1::LICENSING, 174}}) {
    const auto bureau = counts(holder);
    ASSERT_EQ(bureau.holders_size(), 1) << holder;
    ASSERT_EQ(bureau.holders(0).categories_size(), 1) << holder;
    const auto& c = bureau.holders(0).categories(0);
    EXPECT_EQ(c.category(), category);
    EXPECT_EQ(c.items(), items);
    ASSERT_EQ(c.by_held_as_size(), 1);
    EXPECT_EQ(c.by_held_as(0).held_as(), domain::v1::CONCENTRATED);
  }
  CtlRun before = Query({"powers", "--counts", "--as-of", "2019-11-30", "--holder", kEnforcement});
  EXPECT_THAT(before.out, HasSubstr(": 0 items, 0 holders"));
  CtlRun table = Query({"powers", "--counts", "--as-of", kEndOf2019, "--holder", kEnforcement});
  EXPECT_THAT(table.out, HasSubstr("行政处罚    724       724"));

  // Each of the town's items, with the department that passed it on.
  CtlRun items = Query({"powers", "--as-of", kEndOf2019, "--holder", kTown});
  std::vector<std::string> lines = absl::StrSplit(items.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u + 92u) << items.out;
  EXPECT_THAT(lines[0], HasSubstr("92 items"));
  const size_t held_as = DisplayColumn(lines[1], "held as");
  for (size_t i = 3; i < lines.size(); ++i) {
    const size_t direct = DisplayColumn(lines[i], "直接下放");
    EXPECT_EQ(direct != std::string::npos ? direct : DisplayColumn(lines[i], "委托下放"), held_as)
        << lines[i];
  }
  const auto list = FromJson<api::v1::ListPowersResponse>(
      Query({"--json", "powers", "--as-of", kEndOf2019, "--holder", kTown}).out);
  ASSERT_EQ(list.items_size(), 92);
  for (const auto& item : list.items()) {
    EXPECT_FALSE(item.delegated_by_agency_id().empty()) << item.code();
    EXPECT_EQ(item.acts_in_name_of_agency_id(), item.held_as() == domain::v1::ENTRUSTED
                                                    ? item.delegated_by_agency_id()
                                                    : std::string(kTown))
        << item.code();
  }
  CtlRun show = Query({"power", "show", list.items(0).code(), "--as-of", kEndOf2019});
  EXPECT_THAT(show.out, HasSubstr(absl::StrCat("held by ", kTown)));
  EXPECT_THAT(show.out, HasSubstr(list.items(0).delegated_by_agency_id()));
}

TEST_F(DemoDistrictCtlTest, TheReformPlanEveryTaskDoneWithTheEventThatDidIt) {
  CtlRun plan = Query({"progress", kDemoPlan, "--as-of", kEndOf2019});
  EXPECT_THAT(plan.out, HasSubstr("78 tasks: 78 done, 0 due, 0 overdue"));
  EXPECT_THAT(plan.out, HasSubstr("西区机构改革方案"));
  const auto progress = FromJson<api::v1::GetPlanProgressResponse>(
      Query({"--json", "progress", kDemoPlan, "--as-of", kEndOf2019}).out);
  ASSERT_EQ(progress.tasks_size(), 78);
  for (const auto& t : progress.tasks()) {
    EXPECT_EQ(t.state(), api::v1::TaskStatus::DONE) << t.task_id();
    EXPECT_GT(t.completed_by().position(), 0u) << t.task_id();
    EXPECT_FALSE(t.completed_by().basis_number().empty()) << t.task_id();
  }
  // Before the reform, the tasks were still due.
  CtlRun early = Query({"progress", kDemoPlan, "--as-of", "2019-03-01"});
  EXPECT_THAT(early.out, Not(HasSubstr("78 done")));
  CtlRun plans = Query({"progress", "--as-of", kEndOf2019, "--jurisdiction", "西区"});
  EXPECT_THAT(plans.out, HasSubstr("1 plans"));
  EXPECT_THAT(plans.out, HasSubstr(kDemoPlan));
}

TEST_F(DemoDistrictCtlTest, EveryReadModelExportsAsCsvWithARowPerEntity) {
  // Agencies: as many rows as the tree has nodes.
  const auto tree = FromJson<api::v1::GetOrgTreeResponse>(
      Query({"--json", "tree", "--as-of", kEndOf2019, "--jurisdiction", "西区"}).out);
  auto agencies = Export({"agencies", "--as-of", kEndOf2019, "--jurisdiction", "西区"});
  ASSERT_FALSE(agencies.empty());
  EXPECT_THAT(std::vector<std::string>(agencies[0].begin(), agencies[0].begin() + 3),
              ElementsAre("agency_id", "name", "extra_names"));
  EXPECT_EQ(agencies.size(), 1u + static_cast<size_t>(tree.nodes_size()));

  // Staffing: a row per agency and category, summing to the jurisdiction's totals.
  const auto check =
      FromJson<api::v1::CheckJurisdictionResponse>(Ctl({"--json", "check", "西区"}, false).out);
  auto staffing = Export({"staffing", "--jurisdiction", "西区"});
  ASSERT_FALSE(staffing.empty());
  int64_t quota = 0, in_post = 0;
  for (size_t i = 1; i < staffing.size(); ++i) {
    int64_t q = 0, p = 0;
    ASSERT_TRUE(absl::SimpleAtoi(staffing[i][Column(staffing[0], "quota")], &q));
    ASSERT_TRUE(absl::SimpleAtoi(staffing[i][Column(staffing[0], "in_post")], &p));
    quota += q;
    in_post += p;
  }
  EXPECT_EQ(quota, check.totals().total().quota());
  EXPECT_EQ(in_post, check.totals().total().in_post());
  EXPECT_GE(Export({"leader-posts", "--jurisdiction", "西区"}).size(), 2u);

  // People: a row each, as many as are in post.
  auto people = Export({"people", "--jurisdiction", "西区"});
  EXPECT_EQ(static_cast<int64_t>(people.size()) - 1, in_post);
  EXPECT_THAT(std::vector<std::string>(people[0].begin(), people[0].begin() + 5),
              ElementsAre("person_id", "name", "agency_id", "category", "post"));
  EXPECT_EQ(Export({"people", "--agency", kBianban}).size(),
            1u + static_cast<size_t>(FromJson<api::v1::ListPeopleResponse>(
                                         Query({"--json", "people", kBianban}).out)
                                         .people_size()));

  // Powers: the town's 92 items; the first five columns are what `import powers` reads.
  auto powers = Export({"powers", "--as-of", kEndOf2019, "--holder", kTown});
  ASSERT_EQ(powers.size(), 1u + 92u);
  EXPECT_THAT(std::vector<std::string>(powers[0].begin(), powers[0].begin() + 5),
              ElementsAre("code", "name", "category", "holder_agency_id", "legal_basis"));
  for (size_t i = 1; i < powers.size(); ++i) {
    EXPECT_EQ(powers[i][Column(powers[0], "holder_agency_id")], kTown);
    EXPECT_THAT(powers[i][Column(powers[0], "held_as")], ::testing::AnyOf("直接下放", "委托下放"));
  }
  // Every item of the district, over more than one page (1,000 items a page), each once.
  const auto all_counts = FromJson<api::v1::CountPowersResponse>(
      Query({"--json", "powers", "--counts", "--as-of", kEndOf2019}).out);
  ASSERT_GT(all_counts.items(), 1000);
  auto all = Export({"powers", "--as-of", kEndOf2019});
  EXPECT_EQ(static_cast<int64_t>(all.size()) - 1, all_counts.items());
  std::set<std::string> codes;
  for (size_t i = 1; i < all.size(); ++i) codes.insert(all[i][0]);
  EXPECT_EQ(codes.size(), all.size() - 1);
  auto counts = Export({"power-counts", "--as-of", kEndOf2019});
  std::map<std::string, int64_t> items_by_holder;
  for (size_t i = 1; i < counts.size(); ++i) {
    int64_t n = 0;
    ASSERT_TRUE(absl::SimpleAtoi(counts[i][Column(counts[0], "items")], &n));
    items_by_holder[counts[i][0]] += n;
  }
  EXPECT_EQ(items_by_holder[kTown], 92);
  EXPECT_EQ(items_by_holder[kEnforcement], 724);
  EXPECT_EQ(items_by_holder[kApproval], 174);

  // The 编办's 2019 budget: its lines, and roll-ups whose total is the seed's 收入总计 128.98
  // 万元 and 本年支出 128.57 万元.
  const auto budget = FromJson<api::v1::GetBudgetResponse>(
      Query({"--json", "budget", "show", "--agency", kBianban, "--year", "2019"}).out);
  auto lines = Export({"budget-lines", "--agency", kBianban, "--year", "2019"});
  EXPECT_EQ(lines.size(), 1u + static_cast<size_t>(budget.lines_size()));
  auto rollups = Export({"budget-rollups", "--agency", kBianban, "--year", "2019"});
  ASSERT_GE(rollups.size(), 2u);
  EXPECT_EQ(rollups[1][Column(rollups[0], "group")], "total");
  EXPECT_EQ(rollups[1][Column(rollups[0], "budget_yuan")], "1289800.00");
  EXPECT_EQ(rollups[1][Column(rollups[0], "disbursed_yuan")], "1285700.00");
  std::map<std::string, int> groups;
  for (size_t i = 1; i < rollups.size(); ++i) ++groups[rollups[i][Column(rollups[0], "group")]];
  EXPECT_EQ(groups["project"], 3);
  EXPECT_EQ(groups["three_public"], 5);
  EXPECT_EQ(groups["agency_operating"], 1);

  // Performance: the three projects, 机构改革业务费 executed at 94.80%.
  auto performance = Export({"performance", "--agency", kBianban, "--year", "2019"});
  ASSERT_EQ(performance.size(), 1u + 3u);
  std::map<std::string, std::string> rates;
  for (size_t i = 1; i < performance.size(); ++i) {
    rates[performance[i][Column(performance[0], "name")]] =
        performance[i][Column(performance[0], "execution_rate")];
  }
  EXPECT_EQ(rates["机构改革业务费"], "94.80%");

  // Progress: the plan's 78 tasks, each done by a recorded event; the plan on its own row.
  auto tasks = Export({"progress", "--plan", kDemoPlan, "--as-of", kEndOf2019});
  ASSERT_EQ(tasks.size(), 1u + 78u);
  for (size_t i = 1; i < tasks.size(); ++i) {
    EXPECT_EQ(tasks[i][Column(tasks[0], "state")], "done");
    EXPECT_FALSE(tasks[i][Column(tasks[0], "completed_basis")].empty());
    if (tasks[i][Column(tasks[0], "kind")] == "三定印发") {
      EXPECT_EQ(tasks[i][Column(tasks[0], "completed_event")], "MandateIssued");
    }
  }
  EXPECT_EQ(Export({"progress", "--as-of", kEndOf2019}).size(), 1u + 78u);
  auto plans = Export({"plans", "--as-of", kEndOf2019});
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[1][Column(plans[0], "tasks")], "78");
  EXPECT_EQ(plans[1][Column(plans[0], "done")], "78");
}

}  // namespace
}  // namespace reformlog
