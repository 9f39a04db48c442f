// ReformdServer's options at their limits: a principal of eventstore::kPrincipalBytesMax bytes
// is recorded with every command; one byte more is refused when the server starts (naming the
// option and the limit), before anything is opened — not by the store on every command.
#include "services/reformd/reformd_server.h"

#include <chrono>
#include <filesystem>
#include <memory>
#include <string>

#include "eventstore/limits.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::HasSubstr;

using testing::requests::Fill;

class ReformdServerTest : public ::testing::Test {
 protected:
  ReformdOptions Options(std::string principal) {
    ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    options.principal = std::move(principal);
    return options;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
};

TEST_F(ReformdServerTest, APrincipalAtItsLimitIsRecordedWithEveryCommand) {
  const std::string principal = Fill(eventstore::kPrincipalBytesMax);
  auto server = ReformdServer::Start(Options(principal));
  ASSERT_TRUE(server.ok()) << server.status();
  auto org = api::OrgCommands::NewStub(
      grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials()));
  api::EstablishAgencyRequest r = testing::requests::EstablishAgency(
      "xiqu-bianban", "中共攀枝花市西区委员会机构编制委员会办公室", pb::PARTY_DEPARTMENT);
  r.mutable_header()->set_request_id("establish-1");
  r.mutable_header()->mutable_basis()->set_number("西委编〔2019〕1号");
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  api::CommandResult result;
  const grpc::Status s = org->EstablishAgency(&context, r, &result);
  ASSERT_TRUE(s.ok()) << s.error_message();
  absl::StatusOr<eventstore::AllSlice> log = (*server)->store().ReadAll(1, {}, 0);
  ASSERT_TRUE(log.ok()) << log.status();
  ASSERT_FALSE(log->events.empty());
  for (const eventstore::RecordedEvent& e : log->events) EXPECT_EQ(e.principal, principal);
}

TEST_F(ReformdServerTest, APrincipalOnePastItsLimitIsRefusedAtStart) {
  auto server = ReformdServer::Start(Options(Fill(eventstore::kPrincipalBytesMax + 1)));
  EXPECT_EQ(server.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(server.status().message(),
              HasSubstr("ReformdOptions.principal is 257 bytes; the limit kPrincipalBytesMax is "
                        "256"));
  EXPECT_FALSE(std::filesystem::exists(dir_.Sub("data"))) << "nothing is opened or written";
}

}  // namespace
}  // namespace reformlog::services
