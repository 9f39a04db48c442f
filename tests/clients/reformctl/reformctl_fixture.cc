#include "tests/clients/reformctl/reformctl_fixture.h"

#include <iconv.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "clients/reformctl/csv_text.h"
#include "clients/reformctl/lang.h"
#include "clients/reformctl/text_encoding.h"
#include "clients/reformctl/utf8_text.h"

namespace reformlog::testing {
namespace {

// In-process tests of reformctl's building blocks read its English mode too (lang.h); the
// Chinese ones set Chinese themselves.
class EnglishEnvironment : public ::testing::Environment {
 public:
  void SetUp() override { ctl::SetLang(ctl::Lang::kEn); }
};
[[maybe_unused]] ::testing::Environment* const kEnglishEnvironment =
    ::testing::AddGlobalTestEnvironment(new EnglishEnvironment);

}  // namespace

std::vector<std::vector<std::string>> Csv(const std::string& text) {
  absl::StatusOr<std::vector<ctl::CsvRow>> rows = ctl::ParseCsv(text);
  EXPECT_TRUE(rows.ok()) << rows.status() << "\n" << text;
  std::vector<std::vector<std::string>> out;
  if (!rows.ok()) return out;
  for (ctl::CsvRow& row : *rows) out.push_back(std::move(row.fields));
  for (const auto& row : out) EXPECT_EQ(row.size(), out.front().size()) << text;
  return out;
}

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

size_t DisplayColumn(const std::string& line, const std::string& marker) {
  const size_t at = line.find(marker);
  return at == std::string::npos ? std::string::npos : ctl::DisplayWidth(line.substr(0, at));
}

std::string Gb18030(std::string utf8) {
  iconv_t cd = iconv_open("GB18030", "UTF-8");
  EXPECT_NE(reinterpret_cast<intptr_t>(cd), -1);  // iconv_open's (iconv_t)-1
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

std::vector<std::string> EnglishUnlessAsked(const std::vector<std::string>& args) {
  for (const std::string& arg : args) {
    if (arg == "--lang" || arg.rfind("--lang=", 0) == 0) return args;
  }
  std::vector<std::string> english = {"--lang", "en"};
  english.insert(english.end(), args.begin(), args.end());
  return english;
}

CtlRun Reformctl(const std::string& dir, const std::vector<std::string>& args) {
  return RunProgram(REFORMCTL_BINARY, EnglishUnlessAsked(args), dir);
}

void ReformctlTest::SetUp() {
  services::ReformdOptions options;
  options.data_dir = dir_.Sub("data");
  options.listen = "127.0.0.1:0";
  auto server = services::ReformdServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  server_ = std::move(*server);
}

CtlRun ReformctlTest::Ctl(std::vector<std::string> args, bool change, const std::string& date) {
  std::vector<std::string> all = {"--server", server_->address(), "--token-file",
                                  server_->admin_token_path()};
  if (change) {
    all.insert(all.end(), {"--basis", "西委编〔2019〕1号", "--effective-date", date});
  } else if (std::find(args.begin(), args.end(), "--min-position") == args.end()) {
    all.insert(all.end(), {"--min-position", absl::StrCat(server_->store().HeadPosition())});
  }
  all.insert(all.end(), args.begin(), args.end());
  return Reformctl(dir_.path(), all);
}

void ReformctlTest::MustSucceed(std::vector<std::string> args, const std::string& date) {
  CtlRun run = Ctl(std::move(args), true, date);
  ASSERT_EQ(run.code, 0) << run.out << run.err;
}

void ReformctlTest::SetUpDistrict() {
  MustSucceed({"agency", "establish", "--id", "gov", "--name", "西区人民政府", "--kind", "政府部门",
               "--rank", "正处级"},
              "2018-01-01");
  MustSucceed(
      {"agency", "establish", "--id", "jxj", "--name", "区经济和信息化局", "--kind",
       "government_department", "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
      "2018-01-01");
  MustSucceed({"agency", "establish", "--id", "kjj", "--name", "区科学技术局", "--kind", "政府部门",
               "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
              "2018-01-01");
  MustSucceed({"quota", "grant", "jxj", "--category", "行政编制", "--count", "5"});
  MustSucceed({"quota", "grant", "kjj", "--category", "行政编制", "--count", "3"});
  MustSucceed({"person", "register", "--id", "p1", "--name", "张三", "--agency", "jxj",
               "--category", "行政编制", "--reason", "考录"});
  MustSucceed({"person", "register", "--id", "p2", "--name", "李四", "--agency", "kjj",
               "--category", "行政编制", "--reason", "考录"});
}

void DemoDistrictCtlTest::SetUp() {
  ReformctlTest::SetUp();
  CtlRun load = Ctl({"demo", "load"}, false);
  ASSERT_EQ(load.code, 0) << load.out << load.err;
  const uint64_t head = server_->store().HeadPosition();
  ASSERT_TRUE(server_->projections().WaitForAll(head, absl::Seconds(60)))
      << "the read models did not reach " << head;
}

CtlRun DemoDistrictCtlTest::Query(std::vector<std::string> args) {
  CtlRun run = Ctl(std::move(args), false);
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  return run;
}

std::vector<std::vector<std::string>> DemoDistrictCtlTest::Export(std::vector<std::string> args) {
  const std::string path = dir_.Sub("export.csv");
  args.insert(args.begin(), "export");
  args.insert(args.end(), {"--out", path});
  Query(args);
  // Read as `reformctl import` reads a file: the byte-order mark of the default encoding off.
  const std::string bytes = ReadFile(path);
  EXPECT_EQ(bytes.substr(0, 3), "\xEF\xBB\xBF") << "an exported file starts with a BOM";
  absl::StatusOr<std::string> text = ctl::ToUtf8(bytes, "auto");
  EXPECT_TRUE(text.ok()) << text.status();
  return Csv(text.ok() ? *text : "");
}

}  // namespace reformlog::testing
