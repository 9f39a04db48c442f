// ProjectionAdmin over a real reformd: a burst of rebuild requests for one projection shares
// one rebuild, and callers that gave up do not queue rebuilds of their own.
#include "services/admin/projection_admin_service.h"

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/admin.grpc.pb.h"
#include "tests/testing/reformd_fixture.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;

class ProjectionAdminTest : public testing::ReformdFixture {
 protected:
  void SetUp() override {
    ReformdFixture::SetUp();
    admin_ = api::ProjectionAdmin::NewStub(Channel());
    // A log long enough that a rebuild takes a while: events no projection reads.
    for (int c = 0; c < 40; ++c) {
      eventstore::Commit commit;
      commit.commit_id = absl::StrCat("filler-", c);
      commit.principal = "test";
      eventstore::StreamWrite write{
          absl::StrCat("filler-", c), eventstore::ExpectedVersion::Any(), {}};
      for (int e = 0; e < 500; ++e) {
        write.events.push_back({"", "test.v1.Filler", std::string(200, 'x'), "", {}});
      }
      commit.writes.push_back(std::move(write));
      ASSERT_TRUE(server_->store().Append(commit).ok());
    }
  }
  api::ProjectionState Org() {
    api::ProjectionStatusResponse status;
    EXPECT_TRUE(admin_->Status(Context().get(), api::ProjectionStatusRequest(), &status).ok());
    for (const api::ProjectionState& p : status.projections()) {
      if (p.name() == "org") return p;
    }
    return {};
  }
  std::unique_ptr<api::ProjectionAdmin::Stub> admin_;
};

TEST_F(ProjectionAdminTest, ABurstOfRebuildRequestsSharesOneRebuild) {
  constexpr int kCallers = 50;
  std::atomic<int> ok{0};
  std::atomic<int> gave_up{0};
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i) {
    callers.emplace_back([&] {
      grpc::ClientContext context;
      context.set_deadline(std::chrono::system_clock::now() + std::chrono::milliseconds(500));
      api::RebuildProjectionRequest request;
      request.set_name("org");
      api::RebuildProjectionResponse response;
      const grpc::Status s = admin_->Rebuild(&context, request, &response);
      (s.ok() ? ok : gave_up)++;
    });
  }
  for (std::thread& t : callers) t.join();
  EXPECT_EQ(ok + gave_up, kCallers);
  // Whatever the callers saw, the server ran one rebuild, or two when the burst straddled
  // the end of the first — never one per caller.
  api::ProjectionState org;
  for (int i = 0; i < 600; ++i) {
    org = Org();
    if (!org.rebuilding()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_FALSE(org.rebuilding());
  EXPECT_GE(org.rebuilds(), 1u);
  EXPECT_LE(org.rebuilds(), 2u);

  api::RebuildProjectionRequest unknown;
  unknown.set_name("no-such-model");
  api::RebuildProjectionResponse response;
  ExpectStatus(admin_->Rebuild(Context().get(), unknown, &response), grpc::StatusCode::NOT_FOUND,
               "no projection \"no-such-model\"");
}

}  // namespace
}  // namespace reformlog::services
