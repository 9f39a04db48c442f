// The C++ client's retries, against a small real gRPC server (port 0) whose command and query
// services refuse a given number of attempts before they answer: a command is retried on
// ABORTED with the same request id, up to the bound, and a query is not.
#include "clients/cpp/reformlog_client.h"

#include <algorithm>
#include <iterator>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace reformlog::client {
namespace {

using ::testing::Each;
using ::testing::Not;
using ::testing::SizeIs;

// What the server answers the first `refusals` attempts of a call, the rest being answered OK.
struct Refusal {
  grpc::StatusCode code = grpc::StatusCode::ABORTED;
  int refusals = 0;
};

// Answers attempt n (from 1) "attempt n: …" with the refusal's code while n ≤ refusals,
// remembering the request id of every attempt.
class RefusingOrgCommands final : public api::OrgCommands::CallbackService {
 public:
  explicit RefusingOrgCommands(Refusal refusal) : refusal_(refusal) {}

  grpc::ServerUnaryReactor* EstablishAgency(grpc::CallbackServerContext* context,
                                            const api::EstablishAgencyRequest* request,
                                            api::CommandResult* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    std::lock_guard lock(mu_);
    request_ids_.push_back(request->header().request_id());
    const int attempt = static_cast<int>(request_ids_.size());
    if (attempt <= refusal_.refusals) {
      reactor->Finish(grpc::Status(
          refusal_.code, absl::StrCat("attempt ", attempt, ": another commit was first")));
    } else {
      response->set_position(42);
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

  std::vector<std::string> request_ids() {
    std::lock_guard lock(mu_);
    return request_ids_;
  }

 private:
  const Refusal refusal_;
  std::mutex mu_;
  std::vector<std::string> request_ids_;
};

class RefusingOrgQueries final : public api::OrgQueries::CallbackService {
 public:
  explicit RefusingOrgQueries(Refusal refusal) : refusal_(refusal) {}

  grpc::ServerUnaryReactor* GetAgency(grpc::CallbackServerContext* context,
                                      const api::GetAgencyRequest* /*request*/,
                                      api::GetAgencyResponse* response) override {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    std::lock_guard lock(mu_);
    const int attempt = ++attempts_;
    if (attempt <= refusal_.refusals) {
      reactor->Finish(grpc::Status(refusal_.code, absl::StrCat("attempt ", attempt)));
    } else {
      response->set_position(7);
      reactor->Finish(grpc::Status::OK);
    }
    return reactor;
  }

  int attempts() {
    std::lock_guard lock(mu_);
    return attempts_;
  }

 private:
  const Refusal refusal_;
  std::mutex mu_;
  int attempts_ = 0;
};

class ClientRetryTest : public ::testing::Test {
 protected:
  // Starts the server with both services refusing as given, and a client of it that waits
  // milliseconds, not seconds, between attempts.
  void Start(Refusal commands, Refusal queries) {
    commands_ = std::make_unique<RefusingOrgCommands>(commands);
    queries_ = std::make_unique<RefusingOrgQueries>(queries);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(commands_.get());
    builder.RegisterService(queries_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    ClientOptions options;
    options.target = absl::StrCat("127.0.0.1:", port);
    options.deadline = absl::Seconds(30);
    options.backoff_initial = absl::Milliseconds(1);
    options.backoff_max = absl::Milliseconds(4);
    absl::StatusOr<std::unique_ptr<ReformlogClient>> client = ReformlogClient::Connect(options);
    ASSERT_TRUE(client.ok()) << client.status();
    client_ = *std::move(client);
  }

  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown();
  }

  absl::StatusOr<api::CommandResult> Establish(const std::string& request_id) {
    api::EstablishAgencyRequest request;
    request.mutable_header()->set_request_id(request_id);
    request.mutable_header()->mutable_basis()->set_number("西委编〔2019〕1号");
    request.mutable_agency()->set_agency_id("xq-dag");
    return client_->Call(client_->org(), &api::OrgCommands::Stub::EstablishAgency, request);
  }

  std::unique_ptr<RefusingOrgCommands> commands_;
  std::unique_ptr<RefusingOrgQueries> queries_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<ReformlogClient> client_;
};

TEST_F(ClientRetryTest, AnAbortedCommandIsRetriedWithItsRequestId) {
  Start({grpc::StatusCode::ABORTED, 3}, {});
  absl::StatusOr<api::CommandResult> result = Establish("req-7");
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_EQ(result->position(), 42u);
  EXPECT_THAT(commands_->request_ids(), SizeIs(4));
  EXPECT_THAT(commands_->request_ids(), Each("req-7"));
}

TEST_F(ClientRetryTest, ARequestIdTheClientFillsInIsTheSameInEveryAttempt) {
  Start({grpc::StatusCode::ABORTED, 2}, {});
  ASSERT_TRUE(Establish("").ok());
  const std::vector<std::string> ids = commands_->request_ids();
  ASSERT_THAT(ids, SizeIs(3));
  EXPECT_THAT(ids, Each(Not("")));
  EXPECT_THAT(ids, Each(ids[0]));
}

TEST_F(ClientRetryTest, ACommandGivesUpAfterTheBoundWithTheLastStatus) {
  Start({grpc::StatusCode::ABORTED, 1000}, {});
  absl::StatusOr<api::CommandResult> result = Establish("req-8");
  EXPECT_EQ(result.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(result.status().message(),
            absl::StrCat("attempt ", kAttemptsMaxDefault, ": another commit was first"));
  EXPECT_THAT(commands_->request_ids(), SizeIs(kAttemptsMaxDefault));
  EXPECT_THAT(commands_->request_ids(), Each("req-8"));
}

TEST_F(ClientRetryTest, UnavailableIsStillRetriedForCommands) {
  Start({grpc::StatusCode::UNAVAILABLE, 2}, {});
  ASSERT_TRUE(Establish("req-9").ok());
  EXPECT_THAT(commands_->request_ids(), SizeIs(3));
}

TEST_F(ClientRetryTest, OtherRefusalsOfACommandAreNotRetried) {
  Start({grpc::StatusCode::FAILED_PRECONDITION, 1}, {});
  EXPECT_EQ(Establish("req-10").status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(commands_->request_ids(), SizeIs(1));
}

TEST_F(ClientRetryTest, AQueryIsNotRetriedOnAborted) {
  Start({}, {grpc::StatusCode::ABORTED, 1});
  absl::StatusOr<api::GetAgencyResponse> response = client_->Call(
      client_->org_queries(), &api::OrgQueries::Stub::GetAgency, api::GetAgencyRequest());
  EXPECT_EQ(response.status().code(), absl::StatusCode::kAborted);
  EXPECT_EQ(queries_->attempts(), 1);
}

TEST_F(ClientRetryTest, AQueryIsRetriedOnUnavailable) {
  Start({}, {grpc::StatusCode::UNAVAILABLE, 2});
  absl::StatusOr<api::GetAgencyResponse> response = client_->Call(
      client_->org_queries(), &api::OrgQueries::Stub::GetAgency, api::GetAgencyRequest());
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->position(), 7u);
  EXPECT_EQ(queries_->attempts(), 3);
}

TEST(RetryBackoffTest, DoublesUpToTheMaximumAndJittersWithinTheUpperHalf) {
  ClientOptions options;
  options.backoff_initial = absl::Milliseconds(100);
  options.backoff_max = absl::Seconds(2);
  // 100, 200, 400, 800, 1600, then 2000 ms for every later retry.
  const absl::Duration expected[] = {absl::Milliseconds(100),  absl::Milliseconds(200),
                                     absl::Milliseconds(400),  absl::Milliseconds(800),
                                     absl::Milliseconds(1600), absl::Seconds(2),
                                     absl::Seconds(2)};
  for (int retry = 0; retry < static_cast<int>(std::size(expected)); ++retry) {
    const absl::Duration d = expected[retry];
    absl::Duration lowest = absl::InfiniteDuration();
    absl::Duration highest = -absl::InfiniteDuration();
    for (int draw = 0; draw < 200; ++draw) {
      const absl::Duration wait = RetryBackoff(options, retry);
      ASSERT_GE(wait, d / 2) << "retry " << retry;
      ASSERT_LE(wait, d) << "retry " << retry;
      lowest = std::min(lowest, wait);
      highest = std::max(highest, wait);
    }
    // Jitter: 200 draws from [d/2, d) are not all the same.
    EXPECT_LT(lowest, highest) << "retry " << retry;
  }
}

}  // namespace
}  // namespace reformlog::client
