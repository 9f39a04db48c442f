// ToGrpcStatus's last-resort cut: a status message never exceeds kStatusMessageBytesMax bytes,
// never splits a UTF-8 character, and so reaches a gRPC client whole — where the same message
// uncut is lost to RESOURCE_EXHAUSTED (checked over a small real server on port 0).
#include "services/common/grpc_status.h"

#include <chrono>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "domain/refusal.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;

// `count` copies of `unit`.
std::string Repeat(const std::string& unit, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += unit;
  return out;
}

TEST(ClampStatusMessageTest, AMessageUpToTheLimitIsKeptWhole) {
  const std::string at_limit(kStatusMessageBytesMax, 'a');
  EXPECT_EQ(ClampStatusMessage(at_limit), at_limit);
  EXPECT_EQ(ClampStatusMessage("agency_id is empty"), "agency_id is empty");
}

TEST(ClampStatusMessageTest, AMessageOneByteOverTheLimitIsCutToIt) {
  const std::string over(kStatusMessageBytesMax + 1, 'a');
  const std::string tail = absl::StrCat("… (message cut: ", kStatusMessageBytesMax + 1, " bytes)");
  const std::string cut = ClampStatusMessage(over);
  EXPECT_EQ(cut.size(), kStatusMessageBytesMax);
  EXPECT_EQ(cut, absl::StrCat(std::string(kStatusMessageBytesMax - tail.size(), 'a'), tail));
}

TEST(ClampStatusMessageTest, ACutNeverSplitsACharacter) {
  const std::string message = Repeat("编", 1000);  // 3000 bytes
  const std::string tail = "… (message cut: 3000 bytes)";
  const std::string cut = ClampStatusMessage(message);
  ASSERT_LE(cut.size(), kStatusMessageBytesMax);
  ASSERT_GT(cut.size(), tail.size());
  const size_t kept = cut.size() - tail.size();
  EXPECT_EQ(kept % 3, 0u);
  EXPECT_GT(kept + 3, kStatusMessageBytesMax - tail.size());  // as many whole characters as fit
  EXPECT_EQ(cut, absl::StrCat(Repeat("编", kept / 3), tail));
}

TEST(LanguageTest, TheFirstTagOfAcceptLanguageChooses) {
  EXPECT_EQ(LanguageOf(""), Language::kChinese);
  EXPECT_EQ(LanguageOf("zh-CN"), Language::kChinese);
  EXPECT_EQ(LanguageOf("zh-CN,en;q=0.8"), Language::kChinese);
  EXPECT_EQ(LanguageOf("en"), Language::kEnglish);
  EXPECT_EQ(LanguageOf("EN-us, zh;q=0.5"), Language::kEnglish);
  EXPECT_EQ(LanguageOf(" en_GB ;q=1"), Language::kEnglish);
  EXPECT_EQ(LanguageOf("fr"), Language::kChinese);
  EXPECT_EQ(LanguageOf("eng"), Language::kChinese);  // not a tag of English
}

TEST(LanguageTest, ARefusalGoesOutInTheLanguageAskedForWithItsCode) {
  const absl::Status refusal = domain::RefusePrecondition(
      "agency-xq-dag (档案馆) 行政编制: quota 8, in post 8, withdrawing 2 would leave 6 (超编)",
      "攀枝花市西区档案馆行政编制数8名，实有8人，核减2名后将超编");
  const grpc::Status zh = ToGrpcStatus(refusal, Language::kChinese);
  EXPECT_EQ(zh.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(zh.error_message(), "攀枝花市西区档案馆行政编制数8名，实有8人，核减2名后将超编");
  const grpc::Status en = ToGrpcStatus(refusal, Language::kEnglish);
  EXPECT_EQ(en.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      en.error_message(),
      "agency-xq-dag (档案馆) 行政编制: quota 8, in post 8, withdrawing 2 would leave 6 (超编)");
  // A status no one has given Chinese words goes out as it is in either language.
  EXPECT_EQ(ToGrpcStatus(absl::NotFoundError("no agency x"), Language::kChinese).error_message(),
            "no agency x");
}

TEST(ClampStatusMessageTest, ToGrpcStatusKeepsTheCodeAndCutsTheMessage) {
  const grpc::Status s = ToGrpcStatus(absl::InvalidArgumentError(Repeat("字", 5000)));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_LE(s.error_message().size(), kStatusMessageBytesMax);
  EXPECT_TRUE(ToGrpcStatus(absl::OkStatus()).ok());
}

// Refuses GetAgency with a message of 5000 Chinese characters (15000 bytes): through
// ToGrpcStatus when the agency id is "clamped", as it is otherwise.
class LongRefusals final : public api::OrgQueries::CallbackService {
 public:
  grpc::ServerUnaryReactor* GetAgency(grpc::CallbackServerContext* context,
                                      const api::GetAgencyRequest* request,
                                      api::GetAgencyResponse* /*response*/) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    const std::string message = Repeat("字", 5000);
    reactor->Finish(request->agency_id() == "clamped"
                        ? ToGrpcStatus(absl::InvalidArgumentError(message))
                        : grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, message));
    return reactor;
  }
};

TEST(ClampStatusMessageTest, ACutMessageReachesTheClientWhereTheWholeOneIsLost) {
  LongRefusals service;
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(server, nullptr);
  auto stub = api::OrgQueries::NewStub(
      grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  auto call = [&](const std::string& agency_id) {
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    api::GetAgencyRequest request;
    request.set_agency_id(agency_id);
    api::GetAgencyResponse response;
    return stub->GetAgency(&context, request, &response);
  };

  const grpc::Status clamped = call("clamped");
  EXPECT_EQ(clamped.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(clamped.error_message(), ClampStatusMessage(Repeat("字", 5000)));

  // Why the cut exists: the same refusal uncut exceeds the client's metadata limit.
  EXPECT_EQ(call("whole").error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  server->Shutdown();
}

}  // namespace
}  // namespace reformlog::services
