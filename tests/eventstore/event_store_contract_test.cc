// The EventStore contract (event_store.h), run against every implementation. Its limits, at
// and beyond each, are event_store_limits_test.cc.
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/eventstore/store_kinds.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::eventstore {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

NewEvent Event(std::string type, std::string data) {
  NewEvent e;
  e.type = std::move(type);
  e.data = std::move(data);
  e.effective_date = "2019-03-01";
  e.basis = {"攀委编〔2019〕12号", "中共攀枝花市委机构编制委员会", "2019-02-20",
             "西区机构改革方案"};
  return e;
}

Commit OneEvent(std::string commit_id, std::string stream, ExpectedVersion expected,
                std::string data = "payload") {
  Commit c;
  c.commit_id = std::move(commit_id);
  c.principal = "bianban-admin";
  c.writes.push_back({std::move(stream), expected, {Event("test.v1.Happened", std::move(data))}});
  return c;
}

class EventStoreContractTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    auto opened = OpenStore(GetParam(), dir_.Sub("store"), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  AppendResult MustAppend(const Commit& commit) {
    absl::StatusOr<AppendResult> result = store_->Append(commit);
    EXPECT_TRUE(result.ok()) << result.status();
    return result.ok() ? *result : AppendResult{};
  }

  std::vector<RecordedEvent> All() {
    absl::StatusOr<AllSlice> slice = store_->ReadAll(1, {}, kReadCountMax);
    EXPECT_TRUE(slice.ok()) << slice.status();
    return slice.ok() ? slice->events : std::vector<RecordedEvent>{};
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<EventStore> store_;
};

TEST_P(EventStoreContractTest, AppendAssignsPositionsVersionsAndMetadata) {
  Commit c = OneEvent("c1", "agency-1", ExpectedVersion::NoStream());
  c.correlation_id = "corr";
  c.causation_id = "cause";
  c.writes[0].events.push_back(Event("test.v1.Other", "two"));
  c.writes.push_back({"agency-2", ExpectedVersion::Any(), {Event("test.v1.Happened", "three")}});
  AppendResult r = MustAppend(c);
  EXPECT_EQ(r.first_position, 1u);
  EXPECT_EQ(r.last_position, 3u);
  EXPECT_FALSE(r.replayed);
  EXPECT_THAT(r.stream_versions,
              ElementsAre(StreamVersion{"agency-1", 2}, StreamVersion{"agency-2", 1}));
  EXPECT_EQ(r.recorded_at_us, absl::ToUnixMicros(clock_.Now()));
  EXPECT_EQ(store_->HeadPosition(), 3u);

  std::vector<RecordedEvent> all = All();
  ASSERT_THAT(all, SizeIs(3));
  EXPECT_EQ(all[0].position, 1u);
  EXPECT_EQ(all[0].stream_id, "agency-1");
  EXPECT_EQ(all[0].stream_version, 1u);
  EXPECT_EQ(all[1].stream_version, 2u);
  EXPECT_EQ(all[1].type, "test.v1.Other");
  EXPECT_EQ(all[1].data, "two");
  EXPECT_EQ(all[2].stream_id, "agency-2");
  for (const RecordedEvent& e : all) {
    EXPECT_EQ(e.principal, "bianban-admin");
    EXPECT_EQ(e.commit_id, "c1");
    EXPECT_EQ(e.correlation_id, "corr");
    EXPECT_EQ(e.causation_id, "cause");
    EXPECT_EQ(e.effective_date, "2019-03-01");
    EXPECT_EQ(e.basis.number, "攀委编〔2019〕12号");
    EXPECT_EQ(e.recorded_at_us, r.recorded_at_us);
    EXPECT_THAT(e.event_id, SizeIs(36));  // assigned UUID
  }
  EXPECT_NE(all[0].event_id, all[1].event_id);
}

TEST_P(EventStoreContractTest, EachExpectedVersionKind) {
  // NO_STREAM on a new stream, then refused once it exists.
  MustAppend(OneEvent("a", "s", ExpectedVersion::NoStream()));
  absl::StatusOr<AppendResult> r = store_->Append(OneEvent("b", "s", ExpectedVersion::NoStream()));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(r.status().message(), HasSubstr("stream s: expected no stream, actual 1"));
  // EXISTS.
  MustAppend(OneEvent("c", "s", ExpectedVersion::Exists()));
  r = store_->Append(OneEvent("d", "t", ExpectedVersion::Exists()));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(r.status().message(), HasSubstr("stream t: expected exists, actual 0"));
  // Exact.
  MustAppend(OneEvent("e", "s", ExpectedVersion::Exact(2)));
  r = store_->Append(OneEvent("f", "s", ExpectedVersion::Exact(2)));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(r.status().message(), HasSubstr("stream s: expected 2, actual 3"));
  // Exact(0) means no stream.
  MustAppend(OneEvent("g", "u", ExpectedVersion::Exact(0)));
  // ANY always holds.
  MustAppend(OneEvent("h", "s", ExpectedVersion::Any()));
  MustAppend(OneEvent("i", "v", ExpectedVersion::Any()));
  EXPECT_EQ(store_->HeadPosition(), 6u);
  EXPECT_EQ(*store_->CurrentStreamVersion("s"), 4u);
  EXPECT_EQ(*store_->CurrentStreamVersion("nothing"), 0u);
}

TEST_P(EventStoreContractTest, ConflictNamesEveryFailingStreamAndWritesNothing) {
  MustAppend(OneEvent("a", "agency-012", ExpectedVersion::Any()));
  MustAppend(OneEvent("b", "person-7", ExpectedVersion::Any()));
  Commit c = OneEvent("c", "agency-012", ExpectedVersion::Exact(3));
  c.writes.push_back({"person-7", ExpectedVersion::NoStream(), {Event("t.v1.E", "x")}});
  c.writes.push_back({"person-8", ExpectedVersion::NoStream(), {Event("t.v1.E", "x")}});
  c.checks.push_back({"agency-1", ExpectedVersion::Exists()});
  absl::StatusOr<AppendResult> r = store_->Append(c);
  ASSERT_EQ(r.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(r.status().message(), HasSubstr("stream agency-012: expected 3, actual 1"));
  EXPECT_THAT(r.status().message(), HasSubstr("stream person-7: expected no stream, actual 1"));
  EXPECT_THAT(r.status().message(), HasSubstr("stream agency-1: expected exists, actual 0"));
  EXPECT_THAT(r.status().message(), ::testing::Not(HasSubstr("person-8")));
  EXPECT_EQ(store_->HeadPosition(), 2u);
  EXPECT_EQ(*store_->CurrentStreamVersion("person-8"), 0u);
  // The failed commit id was not consumed: the corrected commit goes through.
  c.writes[0].expected = ExpectedVersion::Exact(1);
  c.writes[1].expected = ExpectedVersion::Exact(1);
  c.checks.clear();
  EXPECT_EQ(MustAppend(c).first_position, 3u);
}

TEST_P(EventStoreContractTest, ReadOnlyChecksGuardStreamsNotWritten) {
  MustAppend(OneEvent("a", "budget-7-2019", ExpectedVersion::Any()));
  Commit c = OneEvent("b", "agency-7", ExpectedVersion::NoStream());
  c.checks.push_back({"budget-7-2019", ExpectedVersion::Exact(1)});
  AppendResult r = MustAppend(c);
  EXPECT_THAT(r.stream_versions, ElementsAre(StreamVersion{"agency-7", 1}));
  EXPECT_EQ(*store_->CurrentStreamVersion("budget-7-2019"), 1u);

  MustAppend(OneEvent("c", "budget-7-2019", ExpectedVersion::Any()));
  Commit stale = OneEvent("d", "agency-7", ExpectedVersion::Exact(1));
  stale.checks.push_back({"budget-7-2019", ExpectedVersion::Exact(1)});
  absl::StatusOr<AppendResult> refused = store_->Append(stale);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kAborted);
  EXPECT_THAT(refused.status().message(), HasSubstr("stream budget-7-2019: expected 1, actual 2"));
  EXPECT_EQ(*store_->CurrentStreamVersion("agency-7"), 1u);
}

TEST_P(EventStoreContractTest, RetryReturnsOriginalResultAndWritesNothing) {
  Commit c = OneEvent("req-1", "agency-1", ExpectedVersion::NoStream());
  AppendResult first = MustAppend(c);
  MustAppend(OneEvent("req-2", "agency-1", ExpectedVersion::Any()));
  clock_.Advance(absl::Hours(1));
  AppendResult again = MustAppend(c);  // NoStream would fail now: it must not be re-decided
  EXPECT_TRUE(again.replayed);
  EXPECT_EQ(again.first_position, first.first_position);
  EXPECT_EQ(again.last_position, first.last_position);
  EXPECT_EQ(again.stream_versions, first.stream_versions);
  EXPECT_EQ(again.recorded_at_us, first.recorded_at_us);
  EXPECT_EQ(store_->HeadPosition(), 2u);
}

TEST_P(EventStoreContractTest, SameIdOtherContentIsAlreadyExists) {
  MustAppend(OneEvent("req-1", "agency-1", ExpectedVersion::NoStream(), "one"));
  for (const Commit& other : {OneEvent("req-1", "agency-1", ExpectedVersion::NoStream(), "two"),
                              OneEvent("req-1", "agency-2", ExpectedVersion::NoStream(), "one"),
                              OneEvent("req-1", "agency-1", ExpectedVersion::Any(), "one")}) {
    absl::StatusOr<AppendResult> r = store_->Append(other);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kAlreadyExists);
    EXPECT_THAT(r.status().message(), HasSubstr("req-1"));
  }
  Commit other_principal = OneEvent("req-1", "agency-1", ExpectedVersion::NoStream(), "one");
  other_principal.principal = "someone-else";
  EXPECT_EQ(store_->Append(other_principal).status().code(), absl::StatusCode::kAlreadyExists);
  EXPECT_EQ(store_->HeadPosition(), 1u);
}

TEST_P(EventStoreContractTest, FindCommitAndFingerprints) {
  Commit c = OneEvent("req-1", "agency-1", ExpectedVersion::NoStream());
  c.fingerprint = "digest-a";
  AppendResult first = MustAppend(c);
  absl::StatusOr<CommitRecord> found = store_->FindCommit("req-1");
  ASSERT_TRUE(found.ok()) << found.status();
  EXPECT_EQ(found->first_position, first.first_position);
  EXPECT_EQ(found->fingerprint, "digest-a");
  EXPECT_EQ(found->stream_versions, first.stream_versions);
  EXPECT_EQ(store_->FindCommit("req-2").status().code(), absl::StatusCode::kNotFound);
  // The fingerprint is part of the content: another digest under the same id is refused.
  c.fingerprint = "digest-b";
  EXPECT_EQ(store_->Append(c).status().code(), absl::StatusCode::kAlreadyExists);
  c.fingerprint = "digest-a";
  EXPECT_TRUE(MustAppend(c).replayed);
}

TEST_P(EventStoreContractTest, MalformedCommitsAreInvalidArgument) {
  struct Case {
    std::string name;
    Commit commit;
    std::string message;
  };
  std::vector<Case> cases;
  cases.push_back({"no id", OneEvent("", "s", ExpectedVersion::Any()), "commit id is empty"});
  Commit no_writes;
  no_writes.commit_id = "x";
  cases.push_back({"no writes", no_writes, "writes no stream"});
  cases.push_back(
      {"empty stream", OneEvent("x", "", ExpectedVersion::Any()), "stream id is empty"});
  cases.push_back({"nul", OneEvent("x", std::string("a\0b", 3), ExpectedVersion::Any()), "NUL"});
  Commit twice = OneEvent("x", "s", ExpectedVersion::Any());
  twice.writes.push_back(twice.writes[0]);
  cases.push_back({"twice", twice, "appears twice"});
  Commit check_written = OneEvent("x", "s", ExpectedVersion::Any());
  check_written.checks.push_back({"s", ExpectedVersion::Any()});
  cases.push_back({"check written", check_written, "appears twice"});
  Commit no_type = OneEvent("x", "s", ExpectedVersion::Any());
  no_type.writes[0].events[0].type.clear();
  cases.push_back({"no type", no_type, "event type is empty"});
  Commit bad_date = OneEvent("x", "s", ExpectedVersion::Any());
  bad_date.writes[0].events[0].effective_date = "2019-13-01";
  cases.push_back({"bad date", bad_date, "2019-13-01"});
  cases.push_back(
      {"bad utf-8", OneEvent("x", "agency-\xff", ExpectedVersion::Any()), "not valid UTF-8"});
  Commit bad_principal = OneEvent("x", "s", ExpectedVersion::Any());
  bad_principal.principal = "\xc3\x28";
  cases.push_back({"bad principal", bad_principal, "principal is not valid UTF-8"});
  Commit empty_write = OneEvent("x", "s", ExpectedVersion::Any());
  empty_write.writes[0].events.clear();
  cases.push_back({"empty write", empty_write, "has no events"});
  for (const Case& c : cases) {
    absl::StatusOr<AppendResult> r = store_->Append(c.commit);
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << c.name;
    EXPECT_THAT(r.status().message(), HasSubstr(c.message)) << c.name;
  }
  EXPECT_EQ(store_->HeadPosition(), 0u);
}

TEST_P(EventStoreContractTest, ReadStreamForwardAndBackward) {
  for (int i = 1; i <= 5; ++i) {
    MustAppend(OneEvent(absl::StrCat("a", i), "agency-1", ExpectedVersion::Any(), absl::StrCat(i)));
    MustAppend(OneEvent(absl::StrCat("b", i), "agency-10", ExpectedVersion::Any()));
  }
  auto data = [](const StreamSlice& s) {
    std::vector<std::string> out;
    for (const RecordedEvent& e : s.events) out.push_back(e.data);
    return out;
  };
  absl::StatusOr<StreamSlice> s = store_->ReadStream("agency-1", 0, ReadDirection::kForward, 0);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->stream_version, 5u);
  EXPECT_THAT(data(*s), ElementsAre("1", "2", "3", "4", "5"));
  EXPECT_THAT(data(*store_->ReadStream("agency-1", 3, ReadDirection::kForward, 2)),
              ElementsAre("3", "4"));
  EXPECT_THAT(data(*store_->ReadStream("agency-1", 0, ReadDirection::kBackward, 2)),
              ElementsAre("5", "4"));
  EXPECT_THAT(data(*store_->ReadStream("agency-1", 2, ReadDirection::kBackward, 0)),
              ElementsAre("2", "1"));
  EXPECT_THAT(data(*store_->ReadStream("agency-1", 9, ReadDirection::kForward, 0)), SizeIs(0));
  absl::StatusOr<StreamSlice> none = store_->ReadStream("agency-", 0, ReadDirection::kForward, 0);
  EXPECT_EQ(none->stream_version, 0u);
  EXPECT_THAT(none->events, SizeIs(0));
  EXPECT_EQ(s->events[1].position, 3u);
  EXPECT_EQ(s->events[1].stream_version, 2u);
}

// A page stops once its events reach kReadBytesMax: 12 events of 300 KiB come 7 to a page
// (the seventh takes it past 2 MiB), whichever read and direction, and the next page goes on.
TEST_P(EventStoreContractTest, ReadsAreBoundedInBytes) {
  constexpr size_t kBig = 300 << 10;
  for (int i = 0; i < 12; ++i) {
    MustAppend(OneEvent(absl::StrCat("big", i), "agency-big", ExpectedVersion::Any(),
                        std::string(kBig, static_cast<char>('a' + i))));
  }
  MustAppend(OneEvent("small", "agency-small", ExpectedVersion::Any()));
  absl::StatusOr<AllSlice> page = store_->ReadAll(1, {}, 0);
  ASSERT_TRUE(page.ok());
  ASSERT_THAT(page->events, SizeIs(7));
  size_t bytes = 0;
  for (const RecordedEvent& e : page->events) bytes += EventBytes(e);
  EXPECT_GE(bytes, kReadBytesMax);
  EXPECT_LT(bytes - EventBytes(page->events.back()), kReadBytesMax);
  EXPECT_EQ(page->next_position, 8u);
  page = store_->ReadAll(page->next_position, {}, 0);
  ASSERT_THAT(page->events, SizeIs(6));
  EXPECT_EQ(page->events.back().stream_id, "agency-small");
  page = store_->ReadAll(1, EventFilter{"agency-big", {}}, 0);
  EXPECT_THAT(page->events, SizeIs(7));

  absl::StatusOr<StreamSlice> forward =
      store_->ReadStream("agency-big", 0, ReadDirection::kForward, 0);
  ASSERT_TRUE(forward.ok());
  ASSERT_THAT(forward->events, SizeIs(7));
  EXPECT_EQ(forward->stream_version, 12u);
  absl::StatusOr<StreamSlice> backward =
      store_->ReadStream("agency-big", 0, ReadDirection::kBackward, 0);
  ASSERT_THAT(backward->events, SizeIs(7));
  EXPECT_EQ(backward->events.front().stream_version, 12u);
  // One event is always returned, whatever it weighs.
  forward = store_->ReadStream("agency-big", 12, ReadDirection::kForward, 1);
  EXPECT_THAT(forward->events, SizeIs(1));
}

TEST_P(EventStoreContractTest, ReadAllWithFilters) {
  for (int i = 1; i <= 6; ++i) {
    Commit c = OneEvent(absl::StrCat("c", i),
                        i % 2 ? absl::StrCat("agency-", i) : absl::StrCat("person-", i),
                        ExpectedVersion::Any(), absl::StrCat(i));
    c.writes[0].events[0].type = i % 3 ? "org.v1.Renamed" : "org.v1.Abolished";
    MustAppend(c);
  }
  EventFilter agencies{"agency-", {}};
  absl::StatusOr<AllSlice> s = store_->ReadAll(2, agencies, 0);
  ASSERT_TRUE(s.ok());
  ASSERT_THAT(s->events, SizeIs(2));
  EXPECT_EQ(s->events[0].position, 3u);
  EXPECT_EQ(s->events[1].position, 5u);
  EXPECT_EQ(s->next_position, 7u);

  EventFilter abolished{"", {"org.v1.Abolished"}};
  s = store_->ReadAll(0, abolished, 0);
  ASSERT_THAT(s->events, SizeIs(2));
  EXPECT_EQ(s->events[0].position, 3u);
  EXPECT_EQ(s->events[1].position, 6u);

  EventFilter both{"person-", {"org.v1.Abolished", "org.v1.Renamed"}};
  s = store_->ReadAll(0, both, 2);
  ASSERT_THAT(s->events, SizeIs(2));
  EXPECT_EQ(s->next_position, 5u);  // stopped at max_count; continue from here
  s = store_->ReadAll(s->next_position, both, 2);
  ASSERT_THAT(s->events, SizeIs(1));
  EXPECT_EQ(s->events[0].position, 6u);

  s = store_->ReadAll(99, {}, 0);
  EXPECT_THAT(s->events, SizeIs(0));
  EXPECT_EQ(s->next_position, 99u);
}

TEST_P(EventStoreContractTest, SubscriptionCatchesUpThenGoesLiveWithoutGapOrDuplicate) {
  for (int i = 1; i <= 700; ++i) {
    MustAppend(OneEvent(absl::StrCat("c", i), absl::StrCat("s", i % 7), ExpectedVersion::Any()));
  }
  absl::StatusOr<std::unique_ptr<Subscription>> sub = store_->Subscribe(101, {});
  ASSERT_TRUE(sub.ok());
  std::vector<uint64_t> seen;
  bool caught_up = false;
  uint64_t caught_up_at = 0;
  while (!caught_up) {
    absl::StatusOr<SubscriptionBatch> batch = (*sub)->Poll();
    ASSERT_TRUE(batch.ok()) << batch.status();
    EXPECT_LE(batch->events.size(), kSubscriptionBatchEventsMax);
    for (const RecordedEvent& e : batch->events) seen.push_back(e.position);
    caught_up = batch->caught_up;
    caught_up_at = batch->caught_up_position;
  }
  EXPECT_EQ(caught_up_at, 700u);
  // Live: a writer thread appends while the subscriber reads.
  std::thread writer([&] {
    for (int i = 701; i <= 1000; ++i) {
      MustAppend(OneEvent(absl::StrCat("c", i), "live", ExpectedVersion::Any()));
    }
  });
  while (seen.size() < 900) {
    absl::StatusOr<SubscriptionBatch> batch = (*sub)->Next(absl::Seconds(10));
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_FALSE(batch->Empty()) << "no live event within 10 s";
    EXPECT_FALSE(batch->caught_up);  // exactly once
    for (const RecordedEvent& e : batch->events) seen.push_back(e.position);
  }
  writer.join();
  ASSERT_THAT(seen, SizeIs(900));
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], 101 + i);
}

TEST_P(EventStoreContractTest, SubscriptionFilterAndEmptyLog) {
  absl::StatusOr<std::unique_ptr<Subscription>> sub = store_->Subscribe(0, {"agency-", {}});
  ASSERT_TRUE(sub.ok());
  absl::StatusOr<SubscriptionBatch> batch = (*sub)->Poll();
  ASSERT_TRUE(batch.ok());
  EXPECT_TRUE(batch->caught_up);
  EXPECT_EQ(batch->caught_up_position, 0u);
  MustAppend(OneEvent("p", "person-1", ExpectedVersion::Any()));
  MustAppend(OneEvent("a", "agency-1", ExpectedVersion::Any()));
  batch = (*sub)->Next(absl::Seconds(10));
  ASSERT_TRUE(batch.ok());
  ASSERT_THAT(batch->events, SizeIs(1));
  EXPECT_EQ(batch->events[0].stream_id, "agency-1");
  EXPECT_EQ((*sub)->next_position(), 3u);
}

TEST_P(EventStoreContractTest, SlowSubscriberIsNeverDropped) {
  absl::StatusOr<std::unique_ptr<Subscription>> sub = store_->Subscribe(1, {});
  ASSERT_TRUE(sub.ok());
  // The writer gets far ahead of a subscriber that has not read at all.
  Commit bulk;
  bulk.commit_id = "bulk";
  bulk.writes.push_back({"s", ExpectedVersion::Any(), {}});
  bulk.writes[0].events.assign(5 * kSubscriptionBatchEventsMax, Event("t.v1.E", "x"));
  MustAppend(bulk);
  std::vector<uint64_t> seen;
  while (seen.size() < bulk.writes[0].events.size()) {
    absl::StatusOr<SubscriptionBatch> batch = (*sub)->Next(absl::Seconds(10));
    ASSERT_TRUE(batch.ok()) << batch.status();
    ASSERT_FALSE(batch->Empty());
    EXPECT_LE(batch->events.size(), kSubscriptionBatchEventsMax);
    for (const RecordedEvent& e : batch->events) seen.push_back(e.position);
  }
  for (size_t i = 0; i < seen.size(); ++i) ASSERT_EQ(seen[i], i + 1);
}

TEST_P(EventStoreContractTest, SubscriptionNotifiesAndCancels) {
  absl::StatusOr<std::unique_ptr<Subscription>> sub = store_->Subscribe(1, {});
  ASSERT_TRUE(sub.ok());
  ASSERT_TRUE((*sub)->Poll()->caught_up);
  std::mutex mu;
  std::condition_variable cv;
  bool ready = false;
  (*sub)->NotifyWhenReady([&] {
    std::lock_guard lock(mu);
    ready = true;
    cv.notify_all();
  });
  MustAppend(OneEvent("a", "s", ExpectedVersion::Any()));
  {
    std::unique_lock lock(mu);
    ASSERT_TRUE(cv.wait_for(lock, std::chrono::seconds(10), [&] { return ready; }));
  }
  EXPECT_THAT((*sub)->Poll()->events, SizeIs(1));

  std::thread canceller([&] { (*sub)->Cancel(); });
  absl::StatusOr<SubscriptionBatch> blocked = (*sub)->Next(absl::Seconds(30));
  canceller.join();
  // Either the cancel landed before Next started or it woke it: both end the subscription.
  if (blocked.ok()) blocked = (*sub)->Next(absl::Seconds(30));
  EXPECT_EQ(blocked.status().code(), absl::StatusCode::kCancelled);
}

TEST_P(EventStoreContractTest, ConcurrentWritersKeepVersionsContiguousAndPositionsGapless) {
  constexpr int kThreads = 8;
  constexpr int kCommitsPerThread = 50;
  std::mutex mu;
  std::vector<AppendResult> acknowledged;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kCommitsPerThread; ++i) {
        const std::string stream = absl::StrCat("shared-", i % 3);
        while (true) {  // read the version, expect it exactly, retry on conflict
          uint64_t version = *store_->CurrentStreamVersion(stream);
          Commit c = OneEvent(absl::StrCat("t", t, "-", i, "-v", version), stream,
                              ExpectedVersion::Exact(version), absl::StrCat(t, "/", i));
          absl::StatusOr<AppendResult> r = store_->Append(c);
          if (r.ok()) {
            std::lock_guard lock(mu);
            acknowledged.push_back(*r);
            break;
          }
          ASSERT_EQ(r.status().code(), absl::StatusCode::kAborted) << r.status();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_THAT(acknowledged, SizeIs(kThreads * kCommitsPerThread));
  std::vector<RecordedEvent> all = All();
  ASSERT_THAT(all, SizeIs(kThreads * kCommitsPerThread));
  std::map<std::string, uint64_t> versions;
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].position, i + 1);
    EXPECT_EQ(all[i].stream_version, ++versions[all[i].stream_id]);
  }
  for (const AppendResult& r : acknowledged) {
    const RecordedEvent& e = all[r.first_position - 1];
    EXPECT_EQ(e.stream_id, r.stream_versions[0].stream_id);
    EXPECT_EQ(e.stream_version, r.stream_versions[0].version);
  }
}

INSTANTIATE_TEST_SUITE_P(AllStores, EventStoreContractTest, ::testing::ValuesIn(kAllStoreKinds),
                         StoreKindName);

}  // namespace
}  // namespace reformlog::eventstore
