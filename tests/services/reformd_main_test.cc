// The reformd binary as an operator runs it: it prints where to connect, serves, and on
// SIGTERM or SIGINT shuts down cleanly with exit status 0, keeping every commit.
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/cpp/reformlog_client.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

struct Child {
  pid_t pid = -1;
  int out = -1;  // the child's stdout
};

Child Spawn(const std::vector<std::string>& args) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  Child child;
  EXPECT_EQ(posix_spawn(&child.pid, argv[0], &actions, nullptr, argv.data(), environ), 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  child.out = fds[0];
  return child;
}

// Reads the child's stdout until a line starting with `prefix`; returns the rest of it.
std::string ReadLineAfter(int fd, const std::string& prefix) {
  std::string buffer;
  char c;
  while (read(fd, &c, 1) == 1) {
    if (c != '\n') {
      buffer.push_back(c);
      continue;
    }
    if (buffer.rfind(prefix, 0) == 0) return buffer.substr(prefix.size());
    buffer.clear();
  }
  return "";
}

int WaitExit(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

class ReformdMainTest : public ::testing::TestWithParam<int> {};

constexpr rlim_t kLowSoftFileLimit = 256;

TEST_P(ReformdMainTest, ServesThenStopsCleanlyOnSignal) {
  testing::TempDir dir;
  // Started with a low open-file soft limit (inherited), as a login shell would give it.
  rlimit low{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &low), 0);
  const rlimit ours = low;
  low.rlim_cur = std::min<rlim_t>(low.rlim_max, kLowSoftFileLimit);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &low), 0);
  Child child = Spawn({REFORMD_BINARY, "--data_dir=" + dir.Sub("data"), "--listen=127.0.0.1:0"});
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &ours), 0);
  const std::string address = ReadLineAfter(child.out, "reformd listening on ");
  ASSERT_FALSE(address.empty());
  // The first start wrote the administrator's token; calls without it are refused.
  absl::StatusOr<std::string> token = client::ReadTokenFile(dir.Sub("data") + "/admin.token");
  ASSERT_TRUE(token.ok()) << token.status();
  client::ClientOptions options;
  options.target = address;
  options.token = *token;
  auto stub = api::v1::EventFeed::NewStub(client::MakeChannel(options));
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  api::v1::HeadResponse head;
  ASSERT_TRUE(stub->Head(&context, api::v1::HeadRequest(), &head).ok());
  EXPECT_EQ(head.head_position(), 0u);
  auto anonymous =
      api::v1::EventFeed::NewStub(grpc::CreateChannel(address, grpc::InsecureChannelCredentials()));
  grpc::ClientContext anonymous_context;
  EXPECT_EQ(anonymous->Head(&anonymous_context, api::v1::HeadRequest(), &head).error_code(),
            grpc::StatusCode::UNAUTHENTICATED);
  // Its open-file soft limit is raised to the hard one (connections and RocksDB's files).
  std::ifstream limits(absl::StrCat("/proc/", child.pid, "/limits"));
  std::string line;
  while (std::getline(limits, line) && !absl::StartsWith(line, "Max open files")) {
  }
  const std::vector<std::string> fields = absl::StrSplit(line, ' ', absl::SkipEmpty());
  ASSERT_EQ(fields.size(), 6u) << line;  // Max open files SOFT HARD files
  EXPECT_EQ(fields[3], fields[4]) << line;
  EXPECT_EQ(fields[3], absl::StrCat(ours.rlim_max)) << line;
  ASSERT_EQ(kill(child.pid, GetParam()), 0);
  EXPECT_EQ(WaitExit(child.pid), 0);
  close(child.out);
  // What reformd wrote — RocksDB's files, logs and manifests, the token — is the owner's alone
  // (it runs under umask 077), whatever this test process's umask.
  namespace fs = std::filesystem;
  const fs::perms others = fs::perms::group_all | fs::perms::others_all;
  int files = 0;
  for (const auto& entry : fs::recursive_directory_iterator(dir.Sub("data"))) {
    ++files;
    EXPECT_EQ(entry.symlink_status().permissions() & others, fs::perms::none) << entry.path();
  }
  EXPECT_GT(files, 10);
}

INSTANTIATE_TEST_SUITE_P(Signals, ReformdMainTest, ::testing::Values(SIGTERM, SIGINT));

TEST(ReformdFlagsTest, HelpListsEveryFlagWithItsHelp) {
  Child child = Spawn({REFORMD_BINARY, "--help"});
  std::string out;
  char buffer[4096];
  for (ssize_t n; (n = read(child.out, buffer, sizeof(buffer))) > 0;) {
    out.append(buffer, static_cast<size_t>(n));
  }
  close(child.out);
  WaitExit(child.pid);  // abseil ends --help with status 1
  EXPECT_THAT(out, ::testing::Not(::testing::HasSubstr("No flags matched")));
  for (const char* flag : {"--data_dir", "--listen", "--tls_cert_file", "--command_threads",
                           "--digest", "--verify", "--shutdown_grace_seconds"}) {
    EXPECT_THAT(out, ::testing::HasSubstr(flag)) << out;
  }
  EXPECT_THAT(out, ::testing::HasSubstr("Embedded RocksDB data directory"));
}

TEST(ReformdFlagsTest, MissingDataDirIsAUsageError) {
  Child child = Spawn({REFORMD_BINARY, "--listen=127.0.0.1:0"});
  EXPECT_EQ(WaitExit(child.pid), 2);
  close(child.out);
}

TEST(ReformdFlagsTest, PlaintextOffLoopbackIsRefusedUnlessAskedFor) {
  testing::TempDir dir;
  Child refused = Spawn({REFORMD_BINARY, "--data_dir=" + dir.Sub("data"), "--listen=0.0.0.0:0"});
  EXPECT_EQ(WaitExit(refused.pid), 1);
  close(refused.out);
  EXPECT_FALSE(std::filesystem::exists(dir.Sub("data"))) << "refused before anything was written";

  Child asked = Spawn({REFORMD_BINARY, "--data_dir=" + dir.Sub("data"), "--listen=0.0.0.0:0",
                       "--insecure_plaintext_on_network"});
  EXPECT_FALSE(ReadLineAfter(asked.out, "reformd listening on ").empty());
  ASSERT_EQ(kill(asked.pid, SIGTERM), 0);
  EXPECT_EQ(WaitExit(asked.pid), 0);
  close(asked.out);
}

TEST(ReformdFlagsTest, UnusableDataDirFailsWithStatusOne) {
  testing::TempDir dir;
  Child child =
      Spawn({REFORMD_BINARY, "--data_dir=/proc/reformlog-cannot-be-here", "--listen=127.0.0.1:0"});
  EXPECT_EQ(WaitExit(child.pid), 1);
  close(child.out);
}

}  // namespace
}  // namespace reformlog::services
