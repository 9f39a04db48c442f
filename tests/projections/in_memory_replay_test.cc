// ReplayInMemory: the read models as of a position — the end of the commit it falls in —
// applied_through saying which, nothing for position 0, and DATA_LOSS naming an event that does
// not decode. (Replay against the runner's models, for every projection: see
// projection_runner_test.cc.)
#include "projections/in_memory_replay.h"

#include <cstdint>
#include <vector>

#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "tests/projections/positions_seen.h"
#include "tests/testing/fake_clock.h"

namespace reformlog::projections {
namespace {

using testing::AppendSmallLog;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::PositionsIn;
using testing::PositionsSeen;

class ProjectionReplayTest : public ::testing::Test {
 protected:
  // Commits of three events: positions 1–3, 4–6, 7–9, 10–12.
  void SetUp() override { AppendSmallLog(store_, /*commits=*/4, /*events_per_commit=*/3); }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  PositionsSeen agencies_{EventSet<domain::v1::AgencyEstablished>::Descriptors()};
  PositionsSeen everything_;
};

TEST_F(ProjectionReplayTest, APositionInsideACommitMeansTheWholeCommit) {
  uint64_t through = 0;
  auto tables = ReplayInMemory(store_, {&agencies_, &everything_}, 5, &through);
  ASSERT_TRUE(tables.ok()) << tables.status();
  EXPECT_EQ(through, 6u);
  ASSERT_EQ(tables->size(), 2u);
  EXPECT_THAT(PositionsIn(*(*tables)[0]), ElementsAre(1, 3, 5));
  EXPECT_THAT(PositionsIn(*(*tables)[1]), ElementsAre(1, 2, 3, 4, 5, 6));
}

TEST_F(ProjectionReplayTest, PositionZeroIsTheEmptyModelAndBeyondTheHeadIsTheHead) {
  uint64_t through = 99;
  auto empty = ReplayInMemory(store_, {&everything_}, 0, &through);
  ASSERT_TRUE(empty.ok()) << empty.status();
  EXPECT_EQ(through, 0u);
  ASSERT_EQ(empty->size(), 1u);
  EXPECT_THAT(PositionsIn(*(*empty)[0]), IsEmpty());
  auto all = ReplayInMemory(store_, {&everything_}, 1'000, &through);
  ASSERT_TRUE(all.ok()) << all.status();
  EXPECT_EQ(through, 12u);
  EXPECT_EQ(PositionsIn(*(*all)[0]).size(), 12u);
}

TEST_F(ProjectionReplayTest, AnEventThatDoesNotDecodeIsDataLossNamingIt) {
  eventstore::Commit commit;
  commit.commit_id = "garbled";
  eventstore::NewEvent garbled = testing::SmallLogEvent(13);
  garbled.data = "\xff\xff\xff";
  commit.writes.push_back({"garbled", eventstore::ExpectedVersion(), {garbled}});
  ASSERT_TRUE(store_.Append(commit).ok());
  auto before = ReplayInMemory(store_, {&everything_}, 12);
  EXPECT_TRUE(before.ok()) << before.status();
  auto through = ReplayInMemory(store_, {&everything_}, 13);
  EXPECT_EQ(through.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(through.status().message(), HasSubstr("event at position 13"));
}

}  // namespace
}  // namespace reformlog::projections
