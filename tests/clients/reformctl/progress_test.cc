// Progress (clients/reformctl/progress.h) when stderr is not a terminal: a line each tenth and
// at the end.
#include "clients/reformctl/progress.h"

#include <unistd.h>

#include <iostream>
#include <sstream>
#include <string>

#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

// What `updates` print on std::cerr.
template <typename F>
std::string Stderr(F updates) {
  std::ostringstream captured;
  std::streambuf* const old = std::cerr.rdbuf(captured.rdbuf());
  updates();
  std::cerr.rdbuf(old);
  return captured.str();
}

TEST(ReformctlProgressTest, ALineEachTenthAndAtTheEnd) {
  if (isatty(2) != 0) GTEST_SKIP() << "stderr is a terminal: Progress draws a bar";
  EXPECT_EQ(Stderr([] {
              Progress progress("importing", 20);
              for (size_t done = 1; done <= 20; ++done) progress.Update(done);
            }),
            "importing: 2/20\nimporting: 4/20\nimporting: 6/20\nimporting: 8/20\n"
            "importing: 10/20\nimporting: 12/20\nimporting: 14/20\nimporting: 16/20\n"
            "importing: 18/20\nimporting: 20/20\n");
  EXPECT_EQ(Stderr([] {
              Progress progress("checking", 3);
              for (size_t done = 1; done <= 3; ++done) progress.Update(done);
            }),
            "checking: 1/3\nchecking: 2/3\nchecking: 3/3\n");
}

TEST(ReformctlProgressTest, NothingForFewerThanTwo) {
  EXPECT_EQ(Stderr([] {
              Progress progress("demo load", 1);
              progress.Update(1);
            }),
            "");
}

}  // namespace
}  // namespace reformlog::ctl
