// TempDir: a fresh directory for one test, removed with everything in it afterwards.
#ifndef REFORMLOG_TESTS_TESTING_TEMP_DIR_H_
#define REFORMLOG_TESTS_TESTING_TEMP_DIR_H_

#include <cstdlib>
#include <filesystem>
#include <string>

namespace reformlog::testing {

class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TEST_TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/reformlog-XXXXXX";
    char* made = mkdtemp(pattern.data());
    if (made == nullptr) std::abort();  // no temp directory: nothing sensible can run
    path_ = made;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_TEMP_DIR_H_
