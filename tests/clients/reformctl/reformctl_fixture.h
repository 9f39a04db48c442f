// What the end-to-end tests of reformctl's subcommands share: a real reformd on port 0 with its
// own temp dir (ReformctlTest), the same with the demo district loaded (DemoDistrictCtlTest),
// running the reformctl binary against it, and reading its output back — protobuf JSON, CSV,
// table columns by display width.
#ifndef REFORMLOG_TESTS_CLIENTS_REFORMCTL_REFORMCTL_FIXTURE_H_
#define REFORMLOG_TESTS_CLIENTS_REFORMCTL_REFORMCTL_FIXTURE_H_

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/run_program.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::testing {

using CtlRun = ProgramRun;

inline constexpr char kEndOf2019[] = "2019-12-31";
// The demo district's ids (clients/demo/xiqu-2019/DATA.md).
inline constexpr char kTown[] = "xq-glpz";          // 格里坪镇
inline constexpr char kEnforcement[] = "xq-zhzfj";  // 综合行政执法局
inline constexpr char kApproval[] = "xq-xzspj";     // 行政审批局
inline constexpr char kBianban[] = "xq-bianban";    // 编办
inline constexpr char kDemoPlan[] = "xiqu-2019-reform";

// `text` as protobuf JSON of M (what --json prints); a test failure when it is not.
template <typename M>
M FromJson(const std::string& text) {
  M message;
  const auto status = google::protobuf::util::JsonStringToMessage(text, &message);
  EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << text;
  return message;
}

// A CSV text as rows of fields, the header first; a test failure when it does not parse.
std::vector<std::vector<std::string>> Csv(const std::string& text);
// The index of `name` in a CSV header; a test failure when it is not there.
size_t Column(const std::vector<std::string>& header, const std::string& name);
// The bytes of the file at `path` ("" when it cannot be read).
std::string ReadFile(const std::string& path);
// The display column at which `marker` starts in `line`; npos when it is not there.
size_t DisplayColumn(const std::string& line, const std::string& marker);
// UTF-8 → GB18030 with iconv, independently of reformctl.
std::string Gb18030(std::string utf8);

// `args` with "--lang en" in front unless they choose a language: the end-to-end tests of
// what reformctl does read its English mode; the Chinese tests (chinese_output_test.cc) ask
// for Chinese, as a user gets it by default.
std::vector<std::string> EnglishUnlessAsked(const std::vector<std::string>& args);

// Runs reformctl with EnglishUnlessAsked(`args`); its output goes to files in `dir`.
CtlRun Reformctl(const std::string& dir, const std::vector<std::string>& args);

class ReformctlTest : public ::testing::Test {
 protected:
  void SetUp() override;

  // reformctl against our server: a change with a document basis and a date; a query once
  // the read models have applied every change before it (read-your-writes: they apply the
  // log asynchronously).
  CtlRun Ctl(std::vector<std::string> args, bool change = true,
             const std::string& date = "2019-03-01");
  void MustSucceed(std::vector<std::string> args, const std::string& date = "2019-03-01");
  // gov (西区人民政府) with jxj (5 行政编制, p1 张三) and kjj (3 行政编制, p2 李四) under it.
  void SetUpDistrict();

  TempDir dir_;
  std::unique_ptr<services::ReformdServer> server_;
};

// The demo district (DOMAIN.md §7), loaded with `reformctl demo load`, read through reformctl.
class DemoDistrictCtlTest : public ReformctlTest {
 protected:
  void SetUp() override;

  // A query that must succeed.
  CtlRun Query(std::vector<std::string> args);
  // Exports `args` to a file and reads it back as rows, the header first.
  std::vector<std::vector<std::string>> Export(std::vector<std::string> args);
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_CLIENTS_REFORMCTL_REFORMCTL_FIXTURE_H_
