// The C++ client against small real gRPC servers on port 0.
//  * Retries: command and query services refuse a given number of attempts before they
//    answer; a command is retried on ABORTED with the same request id, up to the bound, and a
//    query is not.
//  * Subscriptions: a fake event feed over a log the test appends to, which can drop every
//    stream after a number of events; several subscribers on one client at once, each with its
//    own filter and position, each stopped on its own or all by Stop(), and new ones after.
#include "clients/cpp/reformlog_client.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <iterator>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/server.h"
#include "grpcpp/server_builder.h"
#include "gtest/gtest.h"

namespace reformlog::client {
namespace {

using ::testing::Each;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
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

// The longest any wait below lasts: reached only when the client is broken (an event or a
// return that never comes), so that such a test fails instead of hanging. No wait here ends on
// time when the client works; each ends on the outcome it waits for.
constexpr absl::Duration kWaitMax = absl::Seconds(60);

constexpr char kRenamed[] = "reformlog.domain.v1.AgencyRenamed";
constexpr char kRegistered[] = "reformlog.domain.v1.PersonRegistered";
// A filter with this stream prefix is refused by the fake feed (INVALID_ARGUMENT).
constexpr char kRefusedPrefix[] = "refused-";

// The event at `position` of the fake feed's log: streams and types take turns, so that each
// filter below selects a different part of the log.
api::Event LogEvent(uint64_t position) {
  static constexpr const char* kStreams[] = {"agency-1", "agency-2", "person-1"};
  api::Event event;
  event.set_position(position);
  event.set_stream_id(kStreams[position % std::size(kStreams)]);
  event.set_type(position % 2 == 0 ? kRenamed : kRegistered);
  event.set_data(absl::StrCat("event ", position));
  return event;
}

bool Selects(const api::EventFilter& filter, const api::Event& event) {
  return absl::StartsWith(event.stream_id(), filter.stream_prefix()) &&
         (filter.event_types().empty() ||
          std::find(filter.event_types().begin(), filter.event_types().end(), event.type()) !=
              filter.event_types().end());
}

api::EventFilter Filter(const std::string& stream_prefix,
                        const std::vector<std::string>& event_types = {}) {
  api::EventFilter filter;
  filter.set_stream_prefix(stream_prefix);
  for (const std::string& type : event_types) filter.add_event_types(type);
  return filter;
}

// The oracle: the positions a subscription from `from_position` with `filter` must receive, in
// order, of the log up to `head`.
std::vector<uint64_t> Selected(uint64_t from_position, const api::EventFilter& filter,
                               uint64_t head) {
  std::vector<uint64_t> positions;
  for (uint64_t position = std::max<uint64_t>(from_position, 1); position <= head; ++position) {
    if (Selects(filter, LogEvent(position))) positions.push_back(position);
  }
  return positions;
}

std::vector<uint64_t> Positions(uint64_t first, uint64_t last) {
  std::vector<uint64_t> positions;
  for (uint64_t position = first; position <= last; ++position) positions.push_back(position);
  return positions;
}

// An event feed over a log (LogEvent(1), LogEvent(2), …) the test appends to. A subscription
// is sent the events its filter selects from its position on, then caught_up_at_position once,
// then each selected event as it is appended. After DropEveryStreamAfter(n), a stream ends
// UNAVAILABLE once it has sent n events; a filter with kRefusedPrefix is refused.
class FakeFeed final : public api::EventFeed::CallbackService {
 public:
  explicit FakeFeed(uint64_t head) : head_(head) {}

  // Appends `events` events and sends them to every open stream that selects them.
  void Append(uint64_t events) {
    std::vector<Stream*> streams;
    {
      std::lock_guard lock(mu_);
      head_ += events;
      for (const std::unique_ptr<Stream>& stream : streams_) streams.push_back(stream.get());
    }
    for (Stream* stream : streams) stream->Pump();
  }

  void DropEveryStreamAfter(int events) {
    std::lock_guard lock(mu_);
    drop_after_events_ = events;
  }

  // The from_position of every subscription asked for, in the order they came.
  std::vector<uint64_t> from_positions() {
    std::lock_guard lock(mu_);
    return from_positions_;
  }

  // Waits until `count` subscriptions have been asked for (false: not within kWaitMax).
  bool WaitForSubscriptions(size_t count) {
    std::unique_lock lock(mu_);
    return subscribed_.wait_for(lock, absl::ToChronoNanoseconds(kWaitMax),
                                [&] { return from_positions_.size() >= count; });
  }

  grpc::ServerWriteReactor<api::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* /*context*/, const api::SubscribeRequest* request) override {
    Stream* stream = nullptr;
    {
      std::lock_guard lock(mu_);
      from_positions_.push_back(request->from_position());
      streams_.push_back(std::make_unique<Stream>(*this, *request));
      stream = streams_.back().get();
    }
    subscribed_.notify_all();
    stream->Pump();
    return stream;
  }

 private:
  // One subscription's stream. Owned by the feed, not deleted when done, so that Append() may
  // wake any stream it saw without racing its end.
  class Stream final : public grpc::ServerWriteReactor<api::SubscribeResponse> {
   public:
    Stream(FakeFeed& feed, const api::SubscribeRequest& request)
        : feed_(feed),
          filter_(request.filter()),
          next_(std::max<uint64_t>(request.from_position(), 1)) {
      if (absl::StartsWith(filter_.stream_prefix(), kRefusedPrefix)) {
        refusal_ = grpc::Status(
            grpc::StatusCode::INVALID_ARGUMENT,
            absl::StrCat("stream prefix ", filter_.stream_prefix(), ": the fake feed refuses it"));
      }
    }

    // Sends what is due unless a write is outstanding: the end of the stream, the next event
    // selected, or the catch-up. Never called with the feed's mutex held: gRPC may run
    // OnWriteDone inside StartWrite.
    void Pump() {
      std::optional<grpc::Status> end;
      const api::SubscribeResponse* item = nullptr;
      {
        std::lock_guard lock(feed_.mu_);
        if (writing_ || ended_) return;
        end = DueEnd();
        if (end.has_value()) {
          ended_ = true;
        } else {
          item = DueItem();
          if (item == nullptr) return;  // nothing until Append()
          writing_ = true;
        }
      }
      if (end.has_value()) {
        Finish(*end);
      } else {
        StartWrite(item);
      }
    }

    void OnWriteDone(bool ok) override {
      {
        std::lock_guard lock(feed_.mu_);
        writing_ = false;
        if (!ok) cancelled_ = true;
      }
      Pump();
    }

    void OnCancel() override {
      {
        std::lock_guard lock(feed_.mu_);
        cancelled_ = true;
      }
      Pump();
    }

    void OnDone() override {}

   private:
    // With the feed's mutex held.
    std::optional<grpc::Status> DueEnd() {
      if (!refusal_.ok()) return refusal_;
      if (cancelled_) return grpc::Status::CANCELLED;
      if (feed_.drop_after_events_.has_value() && events_sent_ == *feed_.drop_after_events_) {
        return grpc::Status(grpc::StatusCode::UNAVAILABLE, "the fake feed dropped the stream");
      }
      return std::nullopt;
    }

    // With the feed's mutex held. Each write has a message of its own, kept as long as the
    // stream: gRPC reads it after the mutex is released, and no later write may touch it.
    const api::SubscribeResponse* DueItem() {
      for (; next_ <= feed_.head_; ++next_) {
        api::Event event = LogEvent(next_);
        if (!Selects(filter_, event)) continue;
        ++next_;
        ++events_sent_;
        *sent_.emplace_back().mutable_event() = std::move(event);
        return &sent_.back();
      }
      if (caught_up_sent_) return nullptr;
      caught_up_sent_ = true;
      sent_.emplace_back().set_caught_up_at_position(feed_.head_);
      return &sent_.back();
    }

    FakeFeed& feed_;
    const api::EventFilter filter_;
    grpc::Status refusal_;
    // The rest under feed_.mu_.
    uint64_t next_;
    int events_sent_ = 0;
    bool caught_up_sent_ = false;
    bool writing_ = false;
    bool cancelled_ = false;
    bool ended_ = false;
    std::deque<api::SubscribeResponse> sent_;
  };

  std::mutex mu_;
  std::condition_variable subscribed_;
  uint64_t head_;
  std::optional<int> drop_after_events_;
  std::vector<uint64_t> from_positions_;
  std::vector<std::unique_ptr<Stream>> streams_;
};

// A Subscribe() call on a thread of its own, and what it received. It ends itself (on_event
// returns false) once it has received `events_wanted` events; RequestStop() ends it sooner,
// and so does destroying it.
class Subscriber {
 public:
  Subscriber(ReformlogClient& client, uint64_t from_position, api::EventFilter filter,
             size_t events_wanted = std::numeric_limits<size_t>::max())
      : thread_([this, &client, from_position, filter = std::move(filter),
                 events_wanted](const std::stop_token& stop) {
          absl::Status status = client.Subscribe(
              from_position, filter,
              [&](const api::Event& event) {
                std::lock_guard lock(mu_);
                positions_.push_back(event.position());
                return positions_.size() < events_wanted;
              },
              [&](uint64_t /*head*/) {
                std::lock_guard lock(mu_);
                ++caught_up_calls_;
                changed_.notify_all();
                return true;
              },
              stop);
          std::lock_guard lock(mu_);
          status_ = std::move(status);
          returned_ = true;
          changed_.notify_all();
        }) {}

  // False if the call returned without catching up, or neither came within kWaitMax.
  bool WaitCaughtUp() {
    std::unique_lock lock(mu_);
    changed_.wait_for(lock, absl::ToChronoNanoseconds(kWaitMax),
                      [this] { return caught_up_calls_ > 0 || returned_; });
    return caught_up_calls_ > 0;
  }
  // False if the call did not return within kWaitMax.
  bool WaitReturned() {
    std::unique_lock lock(mu_);
    return changed_.wait_for(lock, absl::ToChronoNanoseconds(kWaitMax),
                             [this] { return returned_; });
  }

  void RequestStop() { thread_.request_stop(); }

  std::vector<uint64_t> positions() {
    std::lock_guard lock(mu_);
    return positions_;
  }
  int caught_up_calls() {
    std::lock_guard lock(mu_);
    return caught_up_calls_;
  }
  // What Subscribe returned (UNKNOWN until it has).
  absl::Status status() {
    std::lock_guard lock(mu_);
    return status_;
  }

 private:
  std::mutex mu_;
  std::condition_variable changed_;
  std::vector<uint64_t> positions_;
  int caught_up_calls_ = 0;
  bool returned_ = false;
  absl::Status status_ = absl::UnknownError("Subscribe has not returned");
  std::jthread thread_;  // last: stopped and joined before the rest is destroyed
};

// The log holds this many events when a test starts.
constexpr uint64_t kLogEvents = 30;

class ClientSubscribeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(&feed_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    ASSERT_NE(port, 0);
    target_ = absl::StrCat("127.0.0.1:", port);
    client_ = NewClient(absl::Milliseconds(1));
    ASSERT_NE(client_, nullptr);
  }

  // Cancels the streams still open, so that shutting down does not wait for them.
  void TearDown() override {
    if (server_ != nullptr) server_->Shutdown(std::chrono::system_clock::now());
  }

  // A client of the fake feed that waits `backoff` before reconnecting (twice that at most).
  std::unique_ptr<ReformlogClient> NewClient(absl::Duration backoff) {
    ClientOptions options;
    options.target = target_;
    options.backoff_initial = backoff;
    options.backoff_max = 2 * backoff;
    absl::StatusOr<std::unique_ptr<ReformlogClient>> client = ReformlogClient::Connect(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  FakeFeed feed_{kLogEvents};
  std::unique_ptr<grpc::Server> server_;
  std::string target_;
  std::unique_ptr<ReformlogClient> client_;
};

TEST_F(ClientSubscribeTest, ConcurrentSubscribersEachReceiveTheirOwnEventsInOrder) {
  constexpr uint64_t kLiveEvents = 15;
  constexpr uint64_t kHead = kLogEvents + kLiveEvents;
  struct Want {
    uint64_t from_position;
    api::EventFilter filter;
  };
  const std::vector<Want> wants = {
      {1, Filter("agency-")},
      {12, Filter("")},
      {5, Filter("", {kRenamed})},
      {1, Filter("person-", {kRegistered})},
      {kLogEvents + 8, Filter("agency-2")},  // beyond the head: live events only
  };
  // Each ends itself after the last event it must receive, all of them live ones.
  std::vector<std::unique_ptr<Subscriber>> subscribers;
  for (const Want& want : wants) {
    const size_t events = Selected(want.from_position, want.filter, kHead).size();
    ASSERT_GT(events, Selected(want.from_position, want.filter, kLogEvents).size());
    subscribers.push_back(
        std::make_unique<Subscriber>(*client_, want.from_position, want.filter, events));
  }
  // Every subscription is open from here until it has received the live events.
  for (const std::unique_ptr<Subscriber>& subscriber : subscribers) {
    ASSERT_TRUE(subscriber->WaitCaughtUp());
  }
  feed_.Append(kLiveEvents);

  for (size_t i = 0; i < wants.size(); ++i) {
    SCOPED_TRACE(absl::StrCat("subscriber ", i, " from ", wants[i].from_position, " filter ",
                              wants[i].filter.ShortDebugString()));
    ASSERT_TRUE(subscribers[i]->WaitReturned());
    EXPECT_TRUE(subscribers[i]->status().ok()) << subscribers[i]->status();
    EXPECT_EQ(subscribers[i]->positions(),
              Selected(wants[i].from_position, wants[i].filter, kHead));
    EXPECT_EQ(subscribers[i]->caught_up_calls(), 1);
  }
  EXPECT_THAT(feed_.from_positions(), SizeIs(wants.size()));  // none reconnected
}

TEST_F(ClientSubscribeTest, StoppingOneSubscriptionLeavesTheOthersRunning) {
  constexpr uint64_t kLiveEvents = 10;
  Subscriber first(*client_, 1, Filter(""), kLogEvents + kLiveEvents);
  Subscriber stopped(*client_, 1, Filter(""));
  Subscriber third(*client_, 1, Filter("agency-"), Selected(1, Filter("agency-"), 40).size());
  ASSERT_TRUE(first.WaitCaughtUp());
  ASSERT_TRUE(stopped.WaitCaughtUp());
  ASSERT_TRUE(third.WaitCaughtUp());

  stopped.RequestStop();
  ASSERT_TRUE(stopped.WaitReturned());
  EXPECT_TRUE(stopped.status().ok()) << stopped.status();
  feed_.Append(kLiveEvents);

  ASSERT_TRUE(first.WaitReturned());
  ASSERT_TRUE(third.WaitReturned());
  EXPECT_TRUE(first.status().ok()) << first.status();
  EXPECT_TRUE(third.status().ok()) << third.status();
  EXPECT_EQ(first.positions(), Positions(1, kLogEvents + kLiveEvents));
  EXPECT_EQ(third.positions(), Selected(1, Filter("agency-"), kLogEvents + kLiveEvents));
  // The stopped one received nothing after its stop, not even the events appended after it.
  EXPECT_EQ(stopped.positions(), Positions(1, kLogEvents));

  // A subscription started after one was stopped works as any other.
  Subscriber later(*client_, kLogEvents + 1, Filter("person-"),
                   Selected(kLogEvents + 1, Filter("person-"), kLogEvents + kLiveEvents).size());
  ASSERT_TRUE(later.WaitReturned());
  EXPECT_TRUE(later.status().ok()) << later.status();
  EXPECT_EQ(later.positions(),
            Selected(kLogEvents + 1, Filter("person-"), kLogEvents + kLiveEvents));
}

TEST_F(ClientSubscribeTest, StopEndsTheRunningSubscriptionsAndNoLaterOne) {
  Subscriber first(*client_, 1, Filter(""));
  Subscriber second(*client_, 3, Filter("agency-1"));
  ASSERT_TRUE(first.WaitCaughtUp());
  ASSERT_TRUE(second.WaitCaughtUp());

  client_->Stop();
  ASSERT_TRUE(first.WaitReturned());
  ASSERT_TRUE(second.WaitReturned());
  EXPECT_TRUE(first.status().ok()) << first.status();
  EXPECT_TRUE(second.status().ok()) << second.status();
  EXPECT_EQ(first.positions(), Positions(1, kLogEvents));
  EXPECT_EQ(second.positions(), Selected(3, Filter("agency-1"), kLogEvents));

  // After Stop() the client still subscribes: the catch-up, then live events.
  Subscriber later(*client_, kLogEvents - 5, Filter(""), 10);
  ASSERT_TRUE(later.WaitCaughtUp());
  feed_.Append(4);
  ASSERT_TRUE(later.WaitReturned());
  EXPECT_TRUE(later.status().ok()) << later.status();
  EXPECT_EQ(later.positions(), Positions(kLogEvents - 5, kLogEvents + 4));
}

TEST_F(ClientSubscribeTest, ResumesAfterEachDisconnectWithNoGapAndNoDuplicate) {
  constexpr int kEventsPerStream = 4;
  feed_.DropEveryStreamAfter(kEventsPerStream);
  const api::EventFilter filter = Filter("agency-");
  Subscriber subscriber(*client_, 2, filter);
  ASSERT_TRUE(subscriber.WaitCaughtUp());
  subscriber.RequestStop();
  ASSERT_TRUE(subscriber.WaitReturned());
  EXPECT_TRUE(subscriber.status().ok()) << subscriber.status();

  const std::vector<uint64_t> expected = Selected(2, filter, kLogEvents);
  EXPECT_EQ(subscriber.positions(), expected);
  EXPECT_EQ(subscriber.caught_up_calls(), 1);
  // Each reconnect asks for the position after the last event delivered.
  std::vector<uint64_t> from_positions = {2};
  for (size_t i = kEventsPerStream - 1; i < expected.size(); i += kEventsPerStream) {
    from_positions.push_back(expected[i] + 1);
  }
  EXPECT_EQ(feed_.from_positions(), from_positions);
}

TEST_F(ClientSubscribeTest, AStopEndsTheWaitBeforeAReconnect) {
  // Every stream is dropped at once, and the client waits 90 s to 3 min before reconnecting:
  // longer than kWaitMax, so a return within it was not the wait running out; short enough
  // that a broken client fails the test well within ctest's timeout.
  feed_.DropEveryStreamAfter(0);
  std::unique_ptr<ReformlogClient> patient = NewClient(absl::Minutes(3));
  ASSERT_NE(patient, nullptr);

  Subscriber own_stop(*patient, 1, Filter(""));
  ASSERT_TRUE(feed_.WaitForSubscriptions(1));
  own_stop.RequestStop();
  ASSERT_TRUE(own_stop.WaitReturned());
  EXPECT_TRUE(own_stop.status().ok()) << own_stop.status();

  Subscriber client_stop(*patient, 1, Filter(""));
  ASSERT_TRUE(feed_.WaitForSubscriptions(2));
  patient->Stop();
  ASSERT_TRUE(client_stop.WaitReturned());
  EXPECT_TRUE(client_stop.status().ok()) << client_stop.status();

  EXPECT_THAT(own_stop.positions(), IsEmpty());
  EXPECT_THAT(client_stop.positions(), IsEmpty());
  EXPECT_THAT(feed_.from_positions(), ElementsAre(1, 1));  // neither reconnected
}

TEST_F(ClientSubscribeTest, AStopRequestedBeforehandEndsTheCallBeforeItConnects) {
  std::stop_source stop;
  stop.request_stop();
  int events = 0;
  const absl::Status status = client_->Subscribe(
      1, Filter(""),
      [&](const api::Event& /*event*/) {
        ++events;
        return true;
      },
      nullptr, stop.get_token());
  EXPECT_TRUE(status.ok()) << status;
  EXPECT_EQ(events, 0);
  EXPECT_THAT(feed_.from_positions(), IsEmpty());
}

TEST_F(ClientSubscribeTest, ARefusedSubscriptionReturnsTheRefusal) {
  const absl::Status status = client_->Subscribe(
      1, Filter(absl::StrCat(kRefusedPrefix, "x")),
      [](const api::Event& /*event*/) { return true; }, nullptr);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(status.message(), "stream prefix refused-x: the fake feed refuses it");
  EXPECT_THAT(feed_.from_positions(), SizeIs(1));  // not retried
}

}  // namespace
}  // namespace reformlog::client
