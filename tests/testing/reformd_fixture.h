// ReformdFixture: a gtest fixture with a real reformd — the whole server, as `reformd` runs
// it — on 127.0.0.1 port 0, over a fresh temporary data directory, with a fake clock whose
// today is 2019-07-01. Tests derive from it, call ReformdFixture::SetUp() first in their own
// SetUp and make the stubs they need from Channel(): its calls carry the token of the
// administrator reformd created on first start (AdminToken()). ChannelWith(token) makes a
// channel for another principal.
//
// Header() makes a command header with a fresh request id, the document `basis_` (a test may
// set another in its constructor) and the given effective date; Must() sends a command that
// has to succeed and returns its log position.
#ifndef REFORMLOG_TESTS_TESTING_REFORMD_FIXTURE_H_
#define REFORMLOG_TESTS_TESTING_REFORMD_FIXTURE_H_

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "clients/cpp/reformlog_client.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/common.pb.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::testing {

class ReformdFixture : public ::testing::Test {
 protected:
  // How long any one call of a test may take before it fails instead of hanging.
  static constexpr std::chrono::seconds kCallDeadline{30};

  void SetUp() override {
    services::ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    auto server = services::ReformdServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    absl::StatusOr<std::string> token = client::ReadTokenFile(server_->admin_token_path());
    ASSERT_TRUE(token.ok()) << token.status();
    admin_token_ = *token;
    channel_ = ChannelWith(admin_token_);
  }

  const std::shared_ptr<grpc::Channel>& Channel() const { return channel_; }
  const std::string& AdminToken() const { return admin_token_; }

  // A channel whose calls carry `token` (none when empty) and ask for `language`: English by
  // default, the texts these tests read (the Chinese ones are read where asked for).
  std::shared_ptr<grpc::Channel> ChannelWith(const std::string& token,
                                             const std::string& language = "en") const {
    client::ClientOptions options;
    options.target = server_->address();
    options.token = token;
    options.language = language;
    return client::MakeChannel(options);
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto c = std::make_unique<grpc::ClientContext>();
    c->set_deadline(std::chrono::system_clock::now() + kCallDeadline);
    return c;
  }

  api::v1::CommandHeader Header(const std::string& date) { return Header(date, basis_); }

  api::v1::CommandHeader Header(const std::string& date, const std::string& document) {
    api::v1::CommandHeader h;
    h.set_request_id(absl::StrCat("req-", ++requests_));
    h.mutable_basis()->set_number(document);
    h.set_effective_date(date);
    return h;
  }

  // Sends `request` (its header replaced by Header(date, document), `basis_` when no
  // document is given) through `call(context, request, result)`; the command must succeed.
  // Returns its position.
  template <typename Request, typename Call>
  uint64_t Must(Call call, Request request, const std::string& date = "2019-03-01",
                const std::string& document = "") {
    *request.mutable_header() = Header(date, document.empty() ? basis_ : document);
    api::v1::CommandResult result;
    grpc::Status s = call(Context().get(), request, &result);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return result.position();
  }

  // A call's status has `code` and its message names `text`.
  static void ExpectStatus(const grpc::Status& s, grpc::StatusCode code, const std::string& text) {
    EXPECT_EQ(s.error_code(), code) << s.error_message();
    EXPECT_NE(s.error_message().find(text), std::string::npos)
        << "\"" << s.error_message() << "\" does not name \"" << text << "\"";
  }

  std::string basis_ = "西委编〔2019〕1号";
  TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<services::ReformdServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::string admin_token_;
  int requests_ = 0;
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_REFORMD_FIXTURE_H_
