// EventFeed over a real reformd on port 0: reads, filters, errors, subscriptions (with a
// subscriber slower than the writer), health, reflection and shutdown; and the service alone,
// to show that its store reads wait for its readers pool, not for gRPC's threads.
#include "services/feed/event_feed_service.h"

#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "clients/cpp/reformlog_client.h"
#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/security/credentials.h"
#include "grpcpp/security/server_credentials.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "services/common/call_tracker.h"
#include "services/common/worker_pool.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_guard.h"

namespace reformlog::services {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

class EventFeedTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    auto server = ReformdServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    absl::StatusOr<std::string> token = client::ReadTokenFile(server_->admin_token_path());
    ASSERT_TRUE(token.ok()) << token.status();
    client::ClientOptions client_options;
    client_options.target = server_->address();
    client_options.token = *token;
    channel_ = client::MakeChannel(client_options);
    stub_ = api::v1::EventFeed::NewStub(channel_);
  }

  void Append(const std::string& commit_id, const std::string& stream, int events,
              const std::string& type = "org.v1.AgencyRenamed") {
    eventstore::Commit c;
    c.commit_id = commit_id;
    c.principal = "test";
    eventstore::StreamWrite write{stream, eventstore::ExpectedVersion::Any(), {}};
    for (int i = 0; i < events; ++i) {
      write.events.push_back({"", type, absl::StrCat(commit_id, "#", i), "2019-06-30", {}});
    }
    c.writes.push_back(std::move(write));
    ASSERT_TRUE(server_->store().Append(c).ok());
  }

  static std::unique_ptr<grpc::ClientContext> Context() {
    auto context = std::make_unique<grpc::ClientContext>();
    context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    return context;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<ReformdServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<api::v1::EventFeed::Stub> stub_;
};

TEST_F(EventFeedTest, ReadAllPagesAndFilters) {
  Append("a", "agency-1", 3);
  Append("b", "person-1", 2, "staffing.v1.PersonRegistered");
  Append("c", "agency-2", 1);
  api::v1::ReadAllRequest request;
  request.set_max_count(4);
  api::v1::ReadAllResponse response;
  ASSERT_TRUE(stub_->ReadAll(Context().get(), request, &response).ok());
  ASSERT_THAT(response.events(), SizeIs(4));
  EXPECT_EQ(response.events(0).position(), 1u);
  EXPECT_EQ(response.events(0).data(), "a#0");
  EXPECT_EQ(response.events(0).effective_date(), "2019-06-30");
  EXPECT_EQ(response.events(0).principal(), "test");
  EXPECT_EQ(response.events(0).recorded_at_us(), absl::ToUnixMicros(clock_.Now()));
  EXPECT_EQ(response.next_position(), 5u);
  EXPECT_EQ(response.head_position(), 6u);

  request.set_from_position(response.next_position());
  request.mutable_filter()->set_stream_prefix("agency-");
  ASSERT_TRUE(stub_->ReadAll(Context().get(), request, &response).ok());
  ASSERT_THAT(response.events(), SizeIs(1));
  EXPECT_EQ(response.events(0).stream_id(), "agency-2");

  request.Clear();
  request.mutable_filter()->add_event_types("staffing.v1.PersonRegistered");
  ASSERT_TRUE(stub_->ReadAll(Context().get(), request, &response).ok());
  ASSERT_THAT(response.events(), SizeIs(2));
  EXPECT_EQ(response.events(1).stream_version(), 2u);

  request.set_max_count(1'000'000);
  grpc::Status status = stub_->ReadAll(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("kReadCountMax"));
}

TEST_F(EventFeedTest, ReadStreamAndHead) {
  Append("a", "agency-1", 5);
  api::v1::ReadStreamRequest request;
  request.set_stream_id("agency-1");
  request.set_backward(true);
  request.set_max_count(2);
  api::v1::ReadStreamResponse response;
  ASSERT_TRUE(stub_->ReadStream(Context().get(), request, &response).ok());
  ASSERT_THAT(response.events(), SizeIs(2));
  EXPECT_EQ(response.events(0).stream_version(), 5u);
  EXPECT_EQ(response.stream_version(), 5u);

  request.set_stream_id("");
  grpc::Status status = stub_->ReadStream(Context().get(), request, &response);
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("stream_id"));

  api::v1::HeadResponse head;
  ASSERT_TRUE(stub_->Head(Context().get(), api::v1::HeadRequest(), &head).ok());
  EXPECT_EQ(head.head_position(), 5u);
}

TEST_F(EventFeedTest, SubscribeCatchesUpThenStreamsLive) {
  Append("a", "agency-1", 3);
  Append("b", "person-1", 3);
  api::v1::SubscribeRequest request;
  request.set_from_position(2);
  request.mutable_filter()->set_stream_prefix("agency-");
  auto context = Context();
  auto reader = stub_->Subscribe(context.get(), request);
  api::v1::SubscribeResponse item;
  std::vector<uint64_t> positions;
  while (reader->Read(&item) && item.has_event()) positions.push_back(item.event().position());
  EXPECT_EQ(item.caught_up_at_position(), 6u);
  EXPECT_EQ(positions, (std::vector<uint64_t>{2, 3}));

  Append("c", "person-2", 1);
  Append("d", "agency-3", 2);
  ASSERT_TRUE(reader->Read(&item));
  EXPECT_EQ(item.event().position(), 8u);
  ASSERT_TRUE(reader->Read(&item));
  EXPECT_EQ(item.event().position(), 9u);
  context->TryCancel();
  while (reader->Read(&item)) {
  }
  EXPECT_EQ(reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
}

TEST_F(EventFeedTest, SubscriberSlowerThanTheWriterGetsEveryEventInOrder) {
  constexpr int kCommits = 400;
  constexpr int kEventsPerCommit = 50;
  api::v1::SubscribeRequest request;
  auto context = Context();
  auto reader = stub_->Subscribe(context.get(), request);
  std::thread writer([&] {
    for (int i = 0; i < kCommits; ++i)
      Append(absl::StrCat("w", i), absl::StrCat("s", i % 9), kEventsPerCommit);
  });
  api::v1::SubscribeResponse item;
  uint64_t expected = 1;
  int caught_up = 0;
  while (expected <= static_cast<uint64_t>(kCommits) * kEventsPerCommit) {
    ASSERT_TRUE(reader->Read(&item)) << "stream ended at position " << expected;
    if (!item.has_event()) {
      ++caught_up;
      continue;
    }
    ASSERT_EQ(item.event().position(), expected);
    ++expected;
    // Slower than the writer: the writer finishes long before the reader does.
    if (expected % 1000 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  writer.join();
  EXPECT_EQ(caught_up, 1);
  context->TryCancel();
  while (reader->Read(&item)) {
  }
}

// A principal holds at most kSubscriptionsPerPrincipalMax subscriptions open (a client that
// opens them and never reads cannot take the server's memory); one more is refused naming the
// limit, and a slot is free again once a subscription ends.
TEST_F(EventFeedTest, SubscriptionsPerPrincipalAreBounded) {
  Append("a", "agency-1", 2);
  struct Open {
    std::unique_ptr<grpc::ClientContext> context;
    std::unique_ptr<grpc::ClientReader<api::v1::SubscribeResponse>> reader;
  };
  // A subscription that has caught up (so the server holds its slot), or its end status.
  const auto subscribe = [&](Open& open) -> grpc::Status {
    open.context = Context();
    open.reader = stub_->Subscribe(open.context.get(), api::v1::SubscribeRequest());
    api::v1::SubscribeResponse item;
    while (open.reader->Read(&item)) {
      if (item.has_caught_up_at_position()) return grpc::Status::OK;
    }
    return open.reader->Finish();
  };
  std::vector<Open> open(kSubscriptionsPerPrincipalMax);
  for (Open& o : open) ASSERT_TRUE(subscribe(o).ok());

  Open one_more;
  const grpc::Status refused = subscribe(one_more);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_THAT(refused.error_message(),
              HasSubstr("principal admin has 16 subscriptions open, the limit per principal "
                        "(kSubscriptionsPerPrincipalMax 16)"));

  open[0].context->TryCancel();
  api::v1::SubscribeResponse item;
  while (open[0].reader->Read(&item)) {
  }
  EXPECT_EQ(open[0].reader->Finish().error_code(), grpc::StatusCode::CANCELLED);
  // The slot frees when the server has finished the call: soon after, not at once.
  grpc::Status again = subscribe(one_more);
  for (int i = 0; i < 100 && again.error_code() == grpc::StatusCode::RESOURCE_EXHAUSTED; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    again = subscribe(one_more);
  }
  EXPECT_TRUE(again.ok()) << again.error_message();
  for (Open* o : {&one_more}) o->context->TryCancel();
  for (Open& o : open) o.context->TryCancel();
}

TEST(SubscriptionSlotsTest, BoundedInAllAndPerPrincipal) {
  SubscriptionSlots slots(FeedLimits{.subscriptions_max = 3, .subscriptions_per_principal_max = 2});
  auto a1 = slots.Acquire("a");
  auto a2 = slots.Acquire("a");
  ASSERT_TRUE(a1.ok() && a2.ok());
  const absl::Status a3 = slots.Acquire("a").status();
  EXPECT_EQ(a3.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(a3.message()), HasSubstr("kSubscriptionsPerPrincipalMax 2"));
  auto b1 = slots.Acquire("b");
  ASSERT_TRUE(b1.ok());
  const absl::Status b2 = slots.Acquire("b").status();
  EXPECT_EQ(b2.code(), absl::StatusCode::kResourceExhausted);
  EXPECT_THAT(std::string(b2.message()),
              HasSubstr("3 subscriptions open, its limit (kSubscriptionsMax 3)"));
  a1->reset();  // one of a's ends
  EXPECT_TRUE(slots.Acquire("b").ok()) << "a slot in all is free again (and released at once)";
  auto a4 = slots.Acquire("a");
  EXPECT_TRUE(a4.ok()) << a4.status();
}

TEST_F(EventFeedTest, BadSubscriptionIsRefused) {
  api::v1::SubscribeRequest request;
  request.mutable_filter()->add_event_types("");
  auto context = Context();
  auto reader = stub_->Subscribe(context.get(), request);
  api::v1::SubscribeResponse item;
  EXPECT_FALSE(reader->Read(&item));
  grpc::Status status = reader->Finish();
  EXPECT_EQ(status.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(status.error_message(), HasSubstr("empty event type"));
}

TEST_F(EventFeedTest, HealthServiceReportsServing) {
  grpc::GenericStub generic(channel_);
  grpc::Slice no_bytes(std::string{});  // HealthCheckRequest{service: ""} encodes as no bytes
  grpc::ByteBuffer request(&no_bytes, 1);
  grpc::ByteBuffer response;
  std::mutex mu;
  std::condition_variable cv;
  bool done = false;
  grpc::Status status;
  auto context = Context();
  generic.UnaryCall(context.get(), "/grpc.health.v1.Health/Check", grpc::StubOptions(), &request,
                    &response, [&](grpc::Status s) {
                      std::lock_guard lock(mu);
                      status = std::move(s);
                      done = true;
                      cv.notify_all();
                    });
  std::unique_lock lock(mu);
  cv.wait(lock, [&] { return done; });
  ASSERT_TRUE(status.ok()) << status.error_message();
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_EQ(bytes, std::string("\x08\x01", 2));  // HealthCheckResponse{status: SERVING}
}

TEST_F(EventFeedTest, ReflectionListsTheFeed) {
  grpc::GenericStub generic(channel_);
  grpc::CompletionQueue cq;
  auto context = Context();
  auto call = generic.PrepareCall(
      context.get(), "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo", &cq);
  void* tag = nullptr;
  bool ok = false;
  auto next = [&](intptr_t want) {
    EXPECT_TRUE(cq.Next(&tag, &ok));
    EXPECT_EQ(reinterpret_cast<intptr_t>(tag), want);
    return ok;
  };
  call->StartCall(reinterpret_cast<void*>(1));
  ASSERT_TRUE(next(1));
  grpc::Slice slice(std::string("\x3a\x00", 2));  // ServerReflectionRequest{list_services: ""}
  grpc::ByteBuffer request(&slice, 1);
  call->Write(request, reinterpret_cast<void*>(2));
  ASSERT_TRUE(next(2));
  grpc::ByteBuffer response;
  call->Read(&response, reinterpret_cast<void*>(3));
  ASSERT_TRUE(next(3));
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(response.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  EXPECT_THAT(bytes, HasSubstr("reformlog.api.v1.EventFeed"));
  EXPECT_THAT(bytes, HasSubstr("grpc.health.v1.Health"));
  context->TryCancel();
  grpc::Status finish_status;
  call->Finish(&finish_status, reinterpret_cast<void*>(4));
  next(4);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
}

TEST_F(EventFeedTest, ShutdownEndsSubscriptionsAndKeepsEveryCommit) {
  Append("a", "agency-1", 2);
  api::v1::SubscribeRequest request;
  auto context = Context();
  auto reader = stub_->Subscribe(context.get(), request);
  api::v1::SubscribeResponse item;
  while (reader->Read(&item) && item.has_event()) {
  }
  ASSERT_EQ(item.caught_up_at_position(), 2u);
  server_->Shutdown(absl::Milliseconds(200));
  EXPECT_FALSE(reader->Read(&item));
  EXPECT_FALSE(reader->Finish().ok());
  server_.reset();

  ReformdOptions options;
  options.data_dir = dir_.Sub("data");
  options.listen = "127.0.0.1:0";
  auto restarted = ReformdServer::Start(options);
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  EXPECT_EQ((*restarted)->store().HeadPosition(), 2u);
}

// The service on a store of its own, with a readers pool the test can hold.
TEST(EventFeedReadersTest, StoreReadsRunOnTheReadersPoolNotOnGrpcThreads) {
  eventstore::InMemoryEventStore store;
  CallTracker calls;
  WorkerPool readers(1);
  testing::TestGuard guard;
  EventFeedService service(store, calls, readers, guard.guard());
  grpc::ServerBuilder builder;
  int port = 0;
  builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
  builder.RegisterService(&service);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  ASSERT_NE(port, 0);
  client::ClientOptions client_options;
  client_options.target = absl::StrCat("127.0.0.1:", port);
  client_options.token = guard.admin_token();
  auto stub = api::v1::EventFeed::NewStub(client::MakeChannel(client_options));
  eventstore::Commit c;
  c.commit_id = "c1";
  c.principal = "test";
  c.writes.push_back({"agency-a",
                      eventstore::ExpectedVersion::Any(),
                      {{"", "org.v1.AgencyRenamed", "x", "2019-06-30", {}}}});
  ASSERT_TRUE(store.Append(c).ok());

  // The only reader is held: a page of the log waits for it, Head does not.
  absl::Notification release;
  ASSERT_TRUE(readers.Submit([&] { release.WaitForNotification(); }));
  grpc::ClientContext read_context;
  api::v1::ReadAllRequest read;
  api::v1::ReadAllResponse page;
  absl::Notification read_done;
  grpc::Status read_status;
  stub->async()->ReadAll(&read_context, &read, &page, [&](grpc::Status s) {
    read_status = std::move(s);
    read_done.Notify();
  });
  grpc::ClientContext head_context;
  head_context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  api::v1::HeadResponse head;
  ASSERT_TRUE(stub->Head(&head_context, api::v1::HeadRequest(), &head).ok());
  EXPECT_EQ(head.head_position(), 1u);
  EXPECT_FALSE(read_done.HasBeenNotified());  // still queued behind the held reader

  release.Notify();
  ASSERT_TRUE(read_done.WaitForNotificationWithTimeout(absl::Seconds(30)));
  ASSERT_TRUE(read_status.ok()) << read_status.error_message();
  EXPECT_THAT(page.events(), SizeIs(1));
  server->Shutdown();
}

}  // namespace
}  // namespace reformlog::services
