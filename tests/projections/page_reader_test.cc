// PageReader: every event of [from, last] once, in pages of at most page_events, in log order,
// then the end; a failed read ends the pages with the store's error; a stop ends the reading.
#include "projections/page_reader.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/projections/positions_seen.h"
#include "tests/testing/fake_clock.h"

namespace reformlog::projections {
namespace {

using testing::AppendSmallLog;
using testing::PositionsSeen;

// The in-memory store, but every ReadAll from `fail_from` on fails (UNAVAILABLE), and ReadAll
// calls are counted.
class FlakyStore final : public eventstore::EventStore {
 public:
  explicit FlakyStore(eventstore::EventStore& store, uint64_t fail_from)
      : store_(store), fail_from_(fail_from) {}

  using EventStore::Append;
  absl::StatusOr<eventstore::AppendResult> Append(const eventstore::Commit& commit,
                                                  absl::FunctionRef<void()> queued) override {
    return store_.Append(commit, queued);
  }
  absl::StatusOr<eventstore::StreamSlice> ReadStream(absl::string_view stream_id,
                                                     uint64_t from_version,
                                                     eventstore::ReadDirection direction,
                                                     size_t max_count) override {
    return store_.ReadStream(stream_id, from_version, direction, max_count);
  }
  absl::StatusOr<eventstore::AllSlice> ReadAll(uint64_t from_position,
                                               const eventstore::EventFilter& filter,
                                               size_t max_count) override {
    ++reads_;
    if (from_position >= fail_from_) return absl::UnavailableError("the disk is gone");
    return store_.ReadAll(from_position, filter, max_count);
  }
  uint64_t HeadPosition() const override { return store_.HeadPosition(); }
  absl::StatusOr<eventstore::CommitRecord> FindCommit(absl::string_view commit_id) override {
    return store_.FindCommit(commit_id);
  }
  absl::StatusOr<uint64_t> CurrentStreamVersion(absl::string_view stream_id) override {
    return store_.CurrentStreamVersion(stream_id);
  }
  absl::StatusOr<std::unique_ptr<eventstore::Subscription>> Subscribe(
      uint64_t from_position, eventstore::EventFilter filter) override {
    return store_.Subscribe(from_position, std::move(filter));
  }

  int reads() const { return reads_; }

 private:
  eventstore::EventStore& store_;
  const uint64_t fail_from_;
  std::atomic<int> reads_{0};
};

class ProjectionPageReaderTest : public ::testing::Test {
 protected:
  void SetUp() override { AppendSmallLog(store_, /*commits=*/10, /*events_per_commit=*/3); }

  // The positions of the pages `reader` hands out until the end (or an error: `*error`).
  static std::vector<std::vector<uint64_t>> Drain(PageReader& reader, absl::Status* error) {
    std::vector<std::vector<uint64_t>> pages;
    while (true) {
      absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
      if (!page.ok()) {
        *error = page.status();
        break;
      }
      if (*page == nullptr) break;
      EXPECT_EQ((*page)->routes.size(), 1u) << "a page not routed";
      std::vector<uint64_t> positions;
      for (const eventstore::RecordedEvent& e : (*page)->events) positions.push_back(e.position);
      pages.push_back(std::move(positions));
    }
    return pages;
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  PositionsSeen everything_;
};

TEST_F(ProjectionPageReaderTest, EveryEventOfTheRangeOnceInPagesThenTheEnd) {
  ASSERT_EQ(store_.HeadPosition(), 30u);
  PageReader reader(store_, EventRouter({&everything_}), /*from=*/4, /*last=*/26,
                    /*page_events=*/5);
  absl::Status error;
  const std::vector<std::vector<uint64_t>> pages = Drain(reader, &error);
  EXPECT_TRUE(error.ok()) << error;
  std::vector<uint64_t> read;
  for (const std::vector<uint64_t>& page : pages) {
    EXPECT_LE(page.size(), 5u);
    read.insert(read.end(), page.begin(), page.end());
  }
  std::vector<uint64_t> expected;
  for (uint64_t p = 4; p <= 26; ++p) expected.push_back(p);
  EXPECT_EQ(read, expected);
  absl::StatusOr<std::shared_ptr<DecodedPage>> after = reader.Next();
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(*after, nullptr) << "a page after the end";
}

TEST_F(ProjectionPageReaderTest, AFailedReadEndsThePagesWithTheStoresError) {
  FlakyStore flaky(store_, /*fail_from=*/11);
  PageReader reader(flaky, EventRouter({&everything_}), 1, 30, /*page_events=*/5);
  absl::Status error;
  const std::vector<std::vector<uint64_t>> pages = Drain(reader, &error);
  EXPECT_EQ(error.code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ(error.message(), "the disk is gone");
  ASSERT_EQ(pages.size(), 2u) << "the pages read before the failure come first";
  EXPECT_EQ(pages[1].back(), 10u);
}

TEST_F(ProjectionPageReaderTest, AStoppedReaderReadsNothing) {
  FlakyStore counting(store_, /*fail_from=*/UINT64_MAX);
  const std::atomic<bool> stop{true};
  PageReader reader(counting, EventRouter({&everything_}), 1, 30, /*page_events=*/5, &stop);
  absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
  ASSERT_TRUE(page.ok()) << page.status();
  EXPECT_EQ(*page, nullptr);
  EXPECT_EQ(counting.reads(), 0);
}

}  // namespace
}  // namespace reformlog::projections
