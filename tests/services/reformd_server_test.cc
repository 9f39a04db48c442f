// ReformdServer at start, secure by default: a fresh data directory gets the administrator
// `admin` and its token in <data_dir>/admin.token (owner-only), kept across restarts and
// re-issued only when asked; who may do what lives in the security log, not in the main log;
// plaintext off loopback and half-given TLS options are refused before anything is written,
// naming the option.
#include "services/reformd/reformd_server.h"

#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "clients/cpp/reformlog_client.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/security.grpc.pb.h"
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
