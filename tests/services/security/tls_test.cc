// reformd over TLS, with certificates made by openssl in the test's directory: a client that
// trusts the CA connects and authenticates with its token; one that trusts another CA, or
// speaks plaintext, does not get through. A client certificate signed by the client CA
// authenticates the principal registered with its common name; with require_client_cert a
// connection without one is refused.
#include <chrono>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include "clients/cpp/reformlog_client.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/security.grpc.pb.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/run_program.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;

// Makes ca.pem, server.pem/key (for 127.0.0.1), client.pem/key (CN=finance-system, signed by
// the CA) and other-ca.pem (a CA nothing is signed by) in `dir`.
const char kMakeCertificates[] = R"(set -e
cd "$1"
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }
key ca.key; key other-ca.key; key server.key; key client.key
openssl req -x509 -new -key ca.key -out ca.pem -days 2 -subj "/CN=Reformlog Test CA"
openssl req -x509 -new -key other-ca.key -out other-ca.pem -days 2 -subj "/CN=Another CA"
openssl req -new -key server.key -out server.csr -subj "/CN=reformd"
printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\n' > server.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out server.pem -days 2 -extfile server.ext 2>/dev/null
openssl req -new -key client.key -out client.csr -subj "/CN=finance-system"
openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial -out client.pem -days 2 2>/dev/null
)";

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const testing::ProgramRun made =
        testing::RunProgram("/bin/sh", {"-c", kMakeCertificates, "sh", dir_.path()}, dir_.path());
    ASSERT_EQ(made.code, 0) << made.err;
  }

  ReformdOptions Options(bool require_client_cert) const {
    ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    options.tls_cert_file = dir_.Sub("server.pem");
    options.tls_key_file = dir_.Sub("server.key");
    options.tls_client_ca_file = dir_.Sub("ca.pem");
    options.require_client_cert = require_client_cert;
    return options;
  }

  // WhoAmI over a channel with these settings: the principal, or the status code.
  std::string WhoAmI(const ReformdServer& server, const std::string& ca, const std::string& token,
                     bool client_cert, bool tls = true) const {
    client::ClientOptions options;
    options.target = server.address();
    options.token = token;
    options.tls.enabled = tls;
    options.tls.root_certs_pem = Read(dir_.Sub(ca));
    if (client_cert) {
      options.tls.client_cert_pem = Read(dir_.Sub("client.pem"));
      options.tls.client_key_pem = Read(dir_.Sub("client.key"));
    }
    auto stub = api::Principals::NewStub(client::MakeChannel(options));
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    api::WhoAmIResponse me;
    const grpc::Status s = stub->WhoAmI(&context, api::WhoAmIRequest(), &me);
    return s.ok() ? me.principal().principal_id() : absl::StrCat("error ", s.error_code());
  }

  std::string AdminToken() const {
    return *client::ReadTokenFile(dir_.Sub("data") + "/" + kAdminTokenFile);
  }

  testing::TempDir dir_;
};

TEST_F(TlsTest, AClientThatTrustsTheCaConnectsAndOthersDoNot) {
  auto server = ReformdServer::Start(Options(false));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(WhoAmI(**server, "ca.pem", AdminToken(), false), kBootstrapAdmin);
  const std::string unavailable = absl::StrCat("error ", grpc::StatusCode::UNAVAILABLE);
  EXPECT_EQ(WhoAmI(**server, "other-ca.pem", AdminToken(), false), unavailable);
  EXPECT_EQ(WhoAmI(**server, "ca.pem", AdminToken(), false, /*tls=*/false), unavailable);
}

TEST_F(TlsTest, AClientCertificateAuthenticatesItsPrincipal) {
  {
    auto server = ReformdServer::Start(Options(false));
    ASSERT_TRUE(server.ok()) << server.status();
    // Unknown to reformd yet: the certificate alone authenticates no one.
    EXPECT_EQ(WhoAmI(**server, "ca.pem", "", true),
              absl::StrCat("error ", grpc::StatusCode::UNAUTHENTICATED));
    client::ClientOptions admin;
    admin.target = (*server)->address();
    admin.token = AdminToken();
    admin.tls.enabled = true;
    admin.tls.root_certs_pem = Read(dir_.Sub("ca.pem"));
    auto principals = api::Principals::NewStub(client::MakeChannel(admin));
    api::AddPrincipalRequest add;
    add.mutable_header()->set_request_id("add-finance");
    add.mutable_header()->mutable_basis()->set_number("西财〔2019〕1号");
    add.set_principal_id("finance-system");
    add.set_display_name("区财政局预算一体化系统");
    add.set_certificate_cn("finance-system");
    add.add_grants()->set_role(pb::ROLE_FINANCE);
    grpc::ClientContext context;
    api::SecurityCommandResponse added;
    const grpc::Status s = principals->AddPrincipal(&context, add, &added);
    ASSERT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(WhoAmI(**server, "ca.pem", "", true), "finance-system");
  }
  auto server = ReformdServer::Start(Options(true));
  ASSERT_TRUE(server.ok()) << server.status();
  EXPECT_EQ(WhoAmI(**server, "ca.pem", "", true), "finance-system");
  EXPECT_EQ(WhoAmI(**server, "ca.pem", AdminToken(), false),
            absl::StrCat("error ", grpc::StatusCode::UNAVAILABLE))
      << "require_client_cert: no certificate, no connection";
}

}  // namespace
}  // namespace reformlog::services
