// ReformdServer at start, secure by default: a fresh data directory gets the administrator
// `admin` and its token in <data_dir>/admin.token (owner-only), kept across restarts and
// re-issued only when asked; who may do what lives in the security log, not in the main log;
// plaintext off loopback and half-given TLS options are refused before anything is written,
// naming the option.
#include "services/reformd/reformd_server.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "clients/cpp/reformlog_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/security.grpc.pb.h"
#include "services/reformd/data_directory.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
using ::testing::HasSubstr;

class ReformdServerTest : public ::testing::Test {
 protected:
  ReformdOptions Options() {
    ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    return options;
  }

  // WhoAmI with `token`: the principal it authenticates, or the error code's name.
  static std::string WhoIs(const ReformdServer& server, const std::string& token) {
    client::ClientOptions options;
    options.target = server.address();
    options.token = token;
    auto principals = api::Principals::NewStub(client::MakeChannel(options));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    api::WhoAmIResponse me;
    const grpc::Status s = principals->WhoAmI(&context, api::WhoAmIRequest(), &me);
    return s.ok() ? me.principal().principal_id() : absl::StrCat("error ", s.error_code());
  }

  std::string TokenFile() const { return dir_.Sub("data") + "/" + kAdminTokenFile; }

  testing::TempDir dir_;
  testing::FakeClock clock_;
};

TEST_F(ReformdServerTest, AFreshDataDirectoryGetsAnAdministratorWithAnOwnerOnlyToken) {
  auto server = ReformdServer::Start(Options());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ((*server)->admin_token_path(), TokenFile());
  struct stat st {};
  ASSERT_EQ(stat(TokenFile().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  absl::StatusOr<std::string> token = client::ReadTokenFile(TokenFile());
  ASSERT_TRUE(token.ok()) << token.status();
  EXPECT_THAT(*token, ::testing::StartsWith("rlt_"));
  EXPECT_EQ(WhoIs(**server, *token), kBootstrapAdmin);
  EXPECT_EQ(WhoIs(**server, ""), absl::StrCat("error ", grpc::StatusCode::UNAUTHENTICATED));
  EXPECT_EQ(WhoIs(**server, "rlt_not-a-token"),
            absl::StrCat("error ", grpc::StatusCode::UNAUTHENTICATED));
  // Principals live in the security log: the main log, and the feed over it, stay empty.
  EXPECT_EQ((*server)->store().HeadPosition(), 0u);
}

// Every path under `dir` whose mode lets group or others in (symbolic links aside).
std::vector<std::string> OpenToOthers(const std::string& dir) {
  std::vector<std::string> open;
  if ((std::filesystem::status(dir).permissions() & std::filesystem::perms::group_all) !=
          std::filesystem::perms::none ||
      (std::filesystem::status(dir).permissions() & std::filesystem::perms::others_all) !=
          std::filesystem::perms::none) {
    open.push_back(dir);
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.is_symlink()) continue;
    const std::filesystem::perms p = entry.symlink_status().permissions();
    if ((p & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) !=
        std::filesystem::perms::none) {
      open.push_back(entry.path().string());
    }
  }
  return open;
}

// A data directory an older release (or a careless copy) left readable to every local account
// is made owner-only: the directory, every directory and file below it; a symbolic link is
// neither followed nor changed.
TEST(SecureDataDirectoryTest, MakesADirectoryAndEverythingBelowItOwnerOnly) {
  namespace fs = std::filesystem;
  testing::TempDir dir;
  const std::string data = dir.Sub("data");
  fs::create_directories(data + "/log/archive");
  for (const char* file : {"/admin.token", "/log/CURRENT", "/log/archive/000001.sst"}) {
    std::ofstream(data + file) << "x";
  }
  const fs::perms readable = fs::perms::group_read | fs::perms::others_read;
  for (const auto& entry : fs::recursive_directory_iterator(data)) {
    fs::permissions(entry.path(), readable | fs::perms::group_exec, fs::perm_options::add);
  }
  fs::permissions(data, readable | fs::perms::others_exec, fs::perm_options::add);
  fs::create_symlink(dir.Sub("elsewhere"), data + "/link");
  std::ofstream(dir.Sub("elsewhere")) << "x";
  fs::permissions(dir.Sub("elsewhere"), readable, fs::perm_options::add);
  ASSERT_EQ(OpenToOthers(data).size(), 6u);

  int tightened = 0;
  ASSERT_TRUE(SecureDataDirectory(data, &tightened).ok());
  EXPECT_EQ(tightened, 6);
  EXPECT_THAT(OpenToOthers(data), ::testing::IsEmpty());
  EXPECT_EQ(fs::status(data).permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(data + "/log/archive").permissions(), fs::perms::owner_all);
  EXPECT_EQ(fs::status(data + "/log/CURRENT").permissions(),
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_NE(fs::status(dir.Sub("elsewhere")).permissions() & fs::perms::others_read,
            fs::perms::none)
      << "the link's target is not ours to change";
  ASSERT_TRUE(SecureDataDirectory(data, &tightened).ok());
  EXPECT_EQ(tightened, 6) << "nothing left to do the second time";

  // A data directory that is a link to where the data lives: the target is tightened.
  fs::create_directories(dir.Sub("srv/data"));
  fs::permissions(dir.Sub("srv/data"), fs::perms::all);
  fs::create_directory_symlink(dir.Sub("srv/data"), dir.Sub("linked"));
  ASSERT_TRUE(SecureDataDirectory(dir.Sub("linked"), nullptr).ok());
  EXPECT_EQ(fs::status(dir.Sub("srv/data")).permissions(), fs::perms::owner_all);

  // A fresh directory is made owner-only; a path that is a file is refused by name.
  ASSERT_TRUE(SecureDataDirectory(dir.Sub("fresh/data"), nullptr).ok());
  EXPECT_EQ(fs::status(dir.Sub("fresh/data")).permissions(), fs::perms::owner_all);
  const absl::Status file = SecureDataDirectory(data + "/admin.token", nullptr);
  EXPECT_EQ(file.code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(file.message()), HasSubstr("admin.token: Not a directory"));
}

TEST_F(ReformdServerTest, StartMakesTheDataDirectoryOwnerOnly) {
  std::filesystem::create_directories(dir_.Sub("data"));
  std::filesystem::permissions(dir_.Sub("data"), std::filesystem::perms::all);
  auto server = ReformdServer::Start(Options());
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(std::filesystem::status(dir_.Sub("data")).permissions(),
            std::filesystem::perms::owner_all);
}

TEST_F(ReformdServerTest, TheTokenSurvivesARestartAndIsReissuedOnlyWhenAsked) {
  std::string first;
  {
    auto server = ReformdServer::Start(Options());
    ASSERT_TRUE(server.ok()) << server.status();
    first = *client::ReadTokenFile(TokenFile());
  }
  {
    auto server = ReformdServer::Start(Options());
    ASSERT_TRUE(server.ok()) << server.status();
    EXPECT_EQ(*client::ReadTokenFile(TokenFile()), first) << "a restart writes no new token";
    EXPECT_EQ(WhoIs(**server, first), kBootstrapAdmin);
  }
  ReformdOptions reset = Options();
  reset.reset_admin_token = true;
  auto server = ReformdServer::Start(reset);
  ASSERT_TRUE(server.ok()) << server.status();
  const std::string second = *client::ReadTokenFile(TokenFile());
  EXPECT_NE(second, first);
  EXPECT_EQ(WhoIs(**server, second), kBootstrapAdmin);
  EXPECT_EQ(WhoIs(**server, first), kBootstrapAdmin) << "the old token works until revoked";
}

TEST_F(ReformdServerTest, PlaintextOffLoopbackIsRefusedBeforeAnythingIsWritten) {
  ReformdOptions options = Options();
  options.listen = "0.0.0.0:0";
  auto server = ReformdServer::Start(options);
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(), HasSubstr("ReformdOptions.listen 0.0.0.0:0 is not a "
                                                   "loopback address and TLS is off"));
  EXPECT_THAT(server.status().message(), HasSubstr("insecure_plaintext_on_network"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("data"))) << "nothing is opened or written";

  options.insecure_plaintext_on_network = true;
  server = ReformdServer::Start(options);
  EXPECT_TRUE(server.ok()) << server.status();
}

TEST_F(ReformdServerTest, HalfGivenTlsOptionsAreRefusedNamingTheOption) {
  ReformdOptions options = Options();
  options.tls_cert_file = dir_.Sub("server.pem");
  EXPECT_THAT(ReformdServer::Start(options).status().message(),
              HasSubstr("ReformdOptions.tls_cert_file and tls_key_file go together"));
  options = Options();
  options.require_client_cert = true;
  EXPECT_THAT(ReformdServer::Start(options).status().message(),
              HasSubstr("need TLS: give tls_cert_file and tls_key_file"));
  options = Options();
  options.tls_cert_file = dir_.Sub("missing.pem");
  options.tls_key_file = dir_.Sub("missing-key.pem");
  EXPECT_THAT(ReformdServer::Start(options).status().message(),
              HasSubstr("ReformdOptions.tls_cert_file: cannot read"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("data")));
}

}  // namespace
}  // namespace reformlog::services

namespace reformlog::services {
namespace {

// A connection with no call open is closed after connection_idle_max (GOAWAY), and the
// client's next call opens a new one.
TEST(ReformdConnectionsTest, AnIdleConnectionIsClosedAndTheClientReconnects) {
  testing::TempDir dir;
  testing::FakeClock clock;
  ReformdOptions options;
  options.data_dir = dir.Sub("data");
  options.listen = "127.0.0.1:0";
  options.clock = &clock;
  options.connection_idle_max = absl::Milliseconds(500);
  auto server = ReformdServer::Start(options);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::string> token = client::ReadTokenFile((*server)->admin_token_path());
  ASSERT_TRUE(token.ok());
  client::ClientOptions client_options;
  client_options.target = (*server)->address();
  client_options.token = *token;
  std::shared_ptr<grpc::Channel> channel = client::MakeChannel(client_options);
  auto principals = api::Principals::NewStub(channel);
  auto who_am_i = [&] {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    api::WhoAmIResponse me;
    return principals->WhoAmI(&context, api::WhoAmIRequest(), &me);
  };
  ASSERT_TRUE(who_am_i().ok());
  EXPECT_EQ(channel->GetState(false), GRPC_CHANNEL_READY);
  bool closed = false;
  for (int i = 0; i < 100 && !closed; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    closed = channel->GetState(false) != GRPC_CHANNEL_READY;
  }
  EXPECT_TRUE(closed) << "the idle connection is still open";
  EXPECT_TRUE(who_am_i().ok());
}

}  // namespace
}  // namespace reformlog::services
