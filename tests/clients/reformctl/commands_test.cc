// reformctl's command line as main() registers it (clients/reformctl/commands.h): every
// subcommand path is there and answers --help.
#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;

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
                                                       {"quota-use", "request"},
                                                       {"quota-use", "approve"},
                                                       {"quota-use", "decline"},
                                                       {"quota-use", "withdraw"},
                                                       {"quota-use", "policy"},
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
    path.emplace_back("--help");
    CtlRun help = Reformctl(dir_.path(), path);
    EXPECT_EQ(help.code, 0) << absl::StrJoin(path, " ") << "\n" << help.err;
    EXPECT_THAT(help.out, HasSubstr("Usage")) << absl::StrJoin(path, " ");
  }
}

}  // namespace
}  // namespace reformlog::testing
