// Every input limit of the event store (limits.h), at the limit and one past it, against
// every implementation: at the limit the commit is accepted and reads back byte for byte;
// one past it is INVALID_ARGUMENT naming the limit, and nothing is written (the head, the
// commit id and the stream stay as they were). Text limits count bytes, not characters, so
// the text is filled with three-byte characters (编) where it can be.
#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/event_store.h"
#include "eventstore/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/eventstore/store_kinds.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::eventstore {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

// `bytes` bytes of valid UTF-8: as many 编 (3 bytes each) as fit, then ASCII.
std::string Fill(size_t bytes, char ascii = 'x') {
  std::string out;
  out.reserve(bytes);
  for (size_t i = 0; i + 3 <= bytes; i += 3) out += "编";
  out.append(bytes - out.size(), ascii);
  return out;
}

NewEvent Event(std::string data = "payload") {
  NewEvent e;
  e.type = "test.v1.Happened";
  e.data = std::move(data);
  e.effective_date = "2019-03-01";
  e.basis = {"攀委编〔2019〕12号", "中共攀枝花市委机构编制委员会", "2019-02-20",
             "西区机构改革方案"};
  return e;
}

Commit OneEvent(std::string commit_id, std::string stream) {
  Commit c;
  c.commit_id = std::move(commit_id);
  c.principal = "bianban-admin";
  c.writes.push_back({std::move(stream), ExpectedVersion::Any(), {Event()}});
  return c;
}

// One limit: `make(n)` builds a commit whose limited quantity is exactly n.
struct LimitCase {
  std::string name;
  size_t limit;
  std::string limit_name;  // the message of a refusal names it
  std::function<Commit(size_t n)> make;
};

std::vector<LimitCase> CommitLimits() {
  std::vector<LimitCase> cases;
  auto field = [&](const std::string& name, size_t limit, std::string limit_name,
                   const std::function<void(Commit&, size_t)>& set) {
    cases.push_back({name, limit, std::move(limit_name), [name, set](size_t n) {
                       Commit c = OneEvent(absl::StrCat(name, "-", n), absl::StrCat(name, "-", n));
                       set(c, n);
                       return c;
                     }});
  };
  field("event-data", kEventDataBytesMax, "kEventDataBytesMax",
        [](Commit& c, size_t n) { c.writes[0].events[0].data = std::string(n, 'd'); });
  field("stream-id", kStreamIdBytesMax, "kStreamIdBytesMax",
        [](Commit& c, size_t n) { c.writes[0].stream_id = Fill(n, 's'); });
  field("checked-stream-id", kStreamIdBytesMax, "kStreamIdBytesMax", [](Commit& c, size_t n) {
    c.checks.push_back({Fill(n, 'k'), ExpectedVersion::NoStream()});
  });
  field("event-type", kEventTypeBytesMax, "kEventTypeBytesMax",
        [](Commit& c, size_t n) { c.writes[0].events[0].type = Fill(n, 't'); });
  field("commit-id", kIdBytesMax, "kIdBytesMax",
        [](Commit& c, size_t n) { c.commit_id = Fill(n, 'c'); });
  field("event-id", kIdBytesMax, "kIdBytesMax",
        [](Commit& c, size_t n) { c.writes[0].events[0].event_id = Fill(n, 'e'); });
  field("correlation-id", kIdBytesMax, "kIdBytesMax",
        [](Commit& c, size_t n) { c.correlation_id = Fill(n, 'r'); });
  field("causation-id", kIdBytesMax, "kIdBytesMax",
        [](Commit& c, size_t n) { c.causation_id = Fill(n, 'a'); });
  field("fingerprint", kIdBytesMax, "kIdBytesMax",
        [](Commit& c, size_t n) { c.fingerprint = std::string(n, 'f'); });
  field("principal", kPrincipalBytesMax, "kPrincipalBytesMax",
        [](Commit& c, size_t n) { c.principal = Fill(n, 'p'); });
  field("basis-number", kBasisFieldBytesMax, "kBasisFieldBytesMax",
        [](Commit& c, size_t n) { c.writes[0].events[0].basis.number = Fill(n, 'n'); });
  field("basis-issuer", kBasisFieldBytesMax, "kBasisFieldBytesMax",
        [](Commit& c, size_t n) { c.writes[0].events[0].basis.issuer = Fill(n, 'i'); });
  field("basis-title", kBasisFieldBytesMax, "kBasisFieldBytesMax",
        [](Commit& c, size_t n) { c.writes[0].events[0].basis.title = Fill(n, 'l'); });
  // A later event of the commit, whose basis differs from the first's.
  field("second-event-basis", kBasisFieldBytesMax, "kBasisFieldBytesMax", [](Commit& c, size_t n) {
    NewEvent second = Event();
    second.basis.title = Fill(n, 'l');
    c.writes[0].events.push_back(second);
  });

  cases.push_back(
      {"events-per-commit", kEventsPerCommitMax, "kEventsPerCommitMax", [](size_t n) {
         Commit c = OneEvent(absl::StrCat("events-", n), absl::StrCat("bulk-", n));
         c.writes[0].events.assign(n - 1, Event("x"));
         c.writes.push_back({absl::StrCat("bulk-last-", n), ExpectedVersion::Any(), {Event("y")}});
         return c;
       }});
  // Written streams and checked ones together.
  cases.push_back(
      {"streams-per-commit", kStreamsPerCommitMax, "kStreamsPerCommitMax", [](size_t n) {
         Commit c;
         c.commit_id = absl::StrCat("streams-", n);
         for (size_t i = 0; i < n / 2; ++i) {
           c.writes.push_back(
               {absl::StrCat("person-", n, "-", i), ExpectedVersion::Any(), {Event("")}});
         }
         for (size_t i = n / 2; i < n; ++i) {
           c.checks.push_back({absl::StrCat("agency-", n, "-", i), ExpectedVersion::NoStream()});
         }
         return c;
       }});
  // What counts: every event's data, type, id, date and basis, and every written stream id.
  cases.push_back({"commit-bytes", kCommitBytesMax, "kCommitBytesMax", [](size_t n) {
                     Commit c;
                     c.commit_id = absl::StrCat("bytes-", n);
                     c.writes.push_back({absl::StrCat("s", n), ExpectedVersion::Any(), {}});
                     size_t left = n - c.writes[0].stream_id.size();
                     while (left > 0) {
                       NewEvent e;
                       e.type = "t";
                       e.data = std::string(std::min(left - 1, kEventDataBytesMax), 'b');
                       left -= e.type.size() + e.data.size();
                       c.writes[0].events.push_back(std::move(e));
                     }
                     return c;
                   }});
  return cases;
}

class EventStoreLimitsTest : public ::testing::TestWithParam<StoreKind> {
 protected:
  void SetUp() override {
    auto opened = OpenStore(GetParam(), dir_.Sub("store"), clock_);
    ASSERT_TRUE(opened.ok()) << opened.status();
    store_ = std::move(*opened);
  }

  // The commit's events read back exactly as sent, at the positions of `result`.
  void ExpectStored(const Commit& c, const AppendResult& result) {
    std::vector<RecordedEvent> stored;
    for (uint64_t from = result.first_position; from <= result.last_position;) {
      absl::StatusOr<AllSlice> page = store_->ReadAll(from, {}, kReadCountMax);
      ASSERT_TRUE(page.ok()) << page.status();
      ASSERT_FALSE(page->events.empty());
      for (RecordedEvent& e : page->events) {
        if (e.position <= result.last_position) stored.push_back(std::move(e));
      }
      from = page->next_position;
    }
    size_t i = 0;
    for (const StreamWrite& w : c.writes) {
      for (const NewEvent& sent : w.events) {
        ASSERT_LT(i, stored.size());
        const RecordedEvent& e = stored[i++];
        EXPECT_EQ(e.stream_id, w.stream_id);
        EXPECT_EQ(e.type, sent.type);
        EXPECT_EQ(e.data, sent.data);
        if (!sent.event_id.empty()) {
          EXPECT_EQ(e.event_id, sent.event_id);
        }
        EXPECT_EQ(e.basis, sent.basis);
        EXPECT_EQ(e.principal, c.principal);
        EXPECT_EQ(e.commit_id, c.commit_id);
        EXPECT_EQ(e.correlation_id, c.correlation_id);
        EXPECT_EQ(e.causation_id, c.causation_id);
      }
    }
    EXPECT_EQ(i, stored.size());
    absl::StatusOr<CommitRecord> record = store_->FindCommit(c.commit_id);
    ASSERT_TRUE(record.ok()) << record.status();
    EXPECT_EQ(record->fingerprint, c.fingerprint);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<EventStore> store_;
};

TEST_P(EventStoreLimitsTest, EachCommitLimitAcceptsItsMaxAndRefusesOneMoreWritingNothing) {
  for (const LimitCase& c : CommitLimits()) {
    SCOPED_TRACE(c.name);
    const Commit at = c.make(c.limit);
    absl::StatusOr<AppendResult> accepted = store_->Append(at);
    ASSERT_TRUE(accepted.ok()) << accepted.status();
    ExpectStored(at, *accepted);

    const uint64_t head = store_->HeadPosition();
    const Commit over = c.make(c.limit + 1);
    absl::StatusOr<AppendResult> refused = store_->Append(over);
    EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(refused.status().message(), HasSubstr(c.limit_name));
    EXPECT_EQ(store_->HeadPosition(), head) << "a refused commit wrote something";
    EXPECT_EQ(store_->FindCommit(over.commit_id).status().code(), absl::StatusCode::kNotFound);
    for (const StreamWrite& w : over.writes) {
      absl::StatusOr<uint64_t> version = store_->CurrentStreamVersion(w.stream_id);
      if (version.ok()) {
        EXPECT_EQ(*version, 0u) << w.stream_id.substr(0, 40);
      }
    }
  }
}

TEST_P(EventStoreLimitsTest, ReadCountAcceptsItsMaxAndRefusesOneMore) {
  ASSERT_TRUE(store_->Append(OneEvent("c", "s")).ok());
  absl::StatusOr<StreamSlice> stream =
      store_->ReadStream("s", 0, ReadDirection::kForward, kReadCountMax);
  ASSERT_TRUE(stream.ok()) << stream.status();
  EXPECT_THAT(stream->events, SizeIs(1));
  stream = store_->ReadStream("s", 0, ReadDirection::kBackward, kReadCountMax + 1);
  EXPECT_EQ(stream.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(stream.status().message(), HasSubstr("kReadCountMax"));

  absl::StatusOr<AllSlice> all = store_->ReadAll(1, {}, kReadCountMax);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_THAT(all->events, SizeIs(1));
  all = store_->ReadAll(1, {}, kReadCountMax + 1);
  EXPECT_EQ(all.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(all.status().message(), HasSubstr("kReadCountMax"));
}

TEST_P(EventStoreLimitsTest, FilterLimitsAcceptTheirMaxAndRefuseOneMore) {
  ASSERT_TRUE(store_->Append(OneEvent("c", "agency-1")).ok());
  EventFilter at;
  at.stream_prefix = Fill(kStreamIdBytesMax, 'a');
  at.event_types.assign(kEventTypesPerFilterMax, "test.v1.Happened");
  EventFilter long_prefix = at;
  long_prefix.stream_prefix += "a";
  EventFilter many_types = at;
  many_types.event_types.emplace_back("test.v1.Other");

  absl::StatusOr<AllSlice> read = store_->ReadAll(1, at, 0);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->events.empty());
  EXPECT_TRUE(store_->Subscribe(1, at).ok());
  for (const auto& [filter, limit] : {std::pair{long_prefix, "kStreamIdBytesMax"},
                                      std::pair{many_types, "kEventTypesPerFilterMax"}}) {
    read = store_->ReadAll(1, filter, 0);
    EXPECT_EQ(read.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(read.status().message(), HasSubstr(limit));
    absl::StatusOr<std::unique_ptr<Subscription>> subscription = store_->Subscribe(1, filter);
    EXPECT_EQ(subscription.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(subscription.status().message(), HasSubstr(limit));
  }
}

// A filtered read scans at most kReadAllScanMax records: a match that many records from the
// start is found by the first read; one record further, the first read stops short of it
// (empty, saying where to go on) and the next finds it.
TEST_P(EventStoreLimitsTest, FilteredReadScansAtMostItsMax) {
  auto fill = [&](size_t events, const std::string& tag) {
    for (size_t written = 0; written < events;) {
      Commit c;
      c.commit_id = absl::StrCat(tag, "-", written);
      c.writes.push_back({absl::StrCat("other-", tag), ExpectedVersion::Any(), {}});
      const size_t n = std::min(events - written, kEventsPerCommitMax);
      c.writes[0].events.assign(n, Event("x"));
      ASSERT_TRUE(store_->Append(c).ok());
      written += n;
    }
  };
  EventFilter wanted;
  wanted.stream_prefix = "wanted-";

  fill(kReadAllScanMax - 1, "a");
  ASSERT_TRUE(store_->Append(OneEvent("wanted-at", "wanted-at")).ok());
  absl::StatusOr<AllSlice> read = store_->ReadAll(1, wanted, 0);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_THAT(read->events, SizeIs(1));
  EXPECT_EQ(read->events[0].position, kReadAllScanMax);

  const uint64_t start = store_->HeadPosition() + 1;
  fill(kReadAllScanMax, "b");
  ASSERT_TRUE(store_->Append(OneEvent("wanted-over", "wanted-over")).ok());
  read = store_->ReadAll(start, wanted, 0);
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->events.empty());
  EXPECT_EQ(read->next_position, start + kReadAllScanMax);
  read = store_->ReadAll(read->next_position, wanted, 0);
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_THAT(read->events, SizeIs(1));
  EXPECT_EQ(read->events[0].stream_id, "wanted-over");
}

INSTANTIATE_TEST_SUITE_P(AllStores, EventStoreLimitsTest, ::testing::ValuesIn(kAllStoreKinds),
                         StoreKindName);

}  // namespace
}  // namespace reformlog::eventstore
