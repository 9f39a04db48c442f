#include "base/files.h"

#include <fstream>
#include <string>

#include "gtest/gtest.h"
#include "tests/testing/temp_dir.h"

namespace reformlog {
namespace {

TEST(ReadSmallFileTest, ReadsUpToItsBoundAndRefusesMore) {
  testing::TempDir dir;
  const std::string path = dir.Sub("f");
  {
    std::ofstream out(path, std::ios::binary);
    out << std::string(16, 'x');
  }
  EXPECT_EQ(*ReadSmallFile(path, 16), std::string(16, 'x'));
  const absl::StatusOr<std::string> over = ReadSmallFile(path, 15);
  EXPECT_EQ(over.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(over.status().message().find("more than 15 bytes"), std::string::npos);
  EXPECT_EQ(ReadSmallFile(dir.Sub("none"), 16).status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(ReadSmallFile(dir.path(), 16).status().code(), absl::StatusCode::kNotFound)
      << "a directory is not a file";
}

}  // namespace
}  // namespace reformlog
