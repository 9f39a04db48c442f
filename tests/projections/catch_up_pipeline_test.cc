// CatchUp against a recording target: every page reaches every projection in log order, each
// flush point is ONE write holding every projection's changes and checkpoint, checkpoints count
// as persisted only once their write succeeded, and a stopped catch-up reads and writes nothing.
// (The runner's catch-up end to end — persisted, restarted, stopped half way: see
// projection_runner_test.cc.)
#include "projections/catch_up_pipeline.h"

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/entity_persistence.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "tests/projections/positions_seen.h"
#include "tests/testing/fake_clock.h"

namespace reformlog::projections {
namespace {

using testing::AppendSmallLog;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::PositionsIn;
using testing::PositionsSeen;

// Applies pages to in-memory tables; a projection's "changes" are one put of its position under
// "p<index>"; records every write, and fails them all when told to.
class RecordingTarget final : public CatchUpTarget {
 public:
  RecordingTarget(const std::vector<const Projection*>& projections, bool fail_writes)
      : projections_(projections),
        positions_(projections.size(), 0),
        persisted_(projections.size(), 0),
        fail_writes_(fail_writes) {
    for (const Projection* p : projections) tables_.push_back(NewTable(*p));
  }

  size_t projection_count() const override { return projections_.size(); }
  uint64_t PersistedCheckpoint(size_t index) const override { return persisted_[index]; }
  void Apply(size_t index, const DecodedPage& page) override {
    ApplyPage(*projections_[index], index, *tables_[index], page, positions_[index]);
    positions_[index] = page.last_position();
  }
  uint64_t AddChangesSince(size_t index, uint64_t persisted, eventstore::KvBatch& batch) override {
    if (positions_[index] != persisted) {
      batch.Put(absl::StrCat("p", index), absl::StrCat(positions_[index]));
    }
    return positions_[index];
  }
  bool Persist(const eventstore::KvBatch& batch) override {
    std::vector<std::string> ops;
    for (const eventstore::KvBatch::Op& op : batch.ops) ops.push_back(op.key + "=" + op.value);
    std::sort(ops.begin(), ops.end());  // the lanes add theirs in any order
    writes_.push_back(absl::StrJoin(ops, " "));
    return !fail_writes_;
  }
  void SetPersisted(size_t index, uint64_t checkpoint) override { persisted_[index] = checkpoint; }

  const EntityTable& table(size_t index) const { return *tables_[index]; }
  const std::vector<std::string>& writes() const { return writes_; }
  const std::vector<uint64_t>& persisted() const { return persisted_; }

 private:
  const std::vector<const Projection*> projections_;
  std::vector<std::unique_ptr<EntityTable>> tables_;
  std::vector<uint64_t> positions_;  // each touched only by its own lane
  std::vector<uint64_t> persisted_;  // by the writer
  std::vector<std::string> writes_;  // by the writer
  const bool fail_writes_;
};

class ProjectionCatchUpTest : public ::testing::Test {
 protected:
  void SetUp() override { AppendSmallLog(store_, /*commits=*/10, /*events_per_commit=*/3); }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  PositionsSeen agencies_{EventSet<domain::v1::AgencyEstablished>::Descriptors()};
  PositionsSeen everything_;
};

// Pages of 4 events, a flush point each 10 events read: after the pages ending at 12 and 24, and
// at the end (30).
TEST_F(ProjectionCatchUpTest, EachFlushPointIsOneWriteOfEveryProjection) {
  RecordingTarget target({&agencies_, &everything_}, /*fail_writes=*/false);
  const uint64_t next = CatchUp(store_, EventRouter({&agencies_, &everything_}), 1, 30,
                                {/*page_events=*/4, /*flush_events=*/10}, nullptr, target);
  EXPECT_EQ(next, 31u);
  EXPECT_THAT(target.writes(), ElementsAre("p0=12 p1=12", "p0=24 p1=24", "p0=30 p1=30"));
  EXPECT_THAT(target.persisted(), ElementsAre(30, 30));
  std::vector<uint64_t> odd;
  std::vector<uint64_t> all;
  for (uint64_t p = 1; p <= 30; ++p) {
    all.push_back(p);
    if (p % 2 == 1) odd.push_back(p);
  }
  EXPECT_EQ(PositionsIn(target.table(0)), odd);
  EXPECT_EQ(PositionsIn(target.table(1)), all);
}

TEST_F(ProjectionCatchUpTest, AFailedWritePersistsNoCheckpoint) {
  RecordingTarget target({&everything_}, /*fail_writes=*/true);
  const uint64_t next = CatchUp(store_, EventRouter({&everything_}), 1, 30,
                                {/*page_events=*/4, /*flush_events=*/10}, nullptr, target);
  EXPECT_EQ(next, 31u);
  EXPECT_EQ(target.writes().size(), 3u);
  EXPECT_THAT(target.persisted(), ElementsAre(0)) << "a checkpoint of a failed write";
  EXPECT_EQ(PositionsIn(target.table(0)).size(), 30u) << "the catch-up applies on regardless";
}

TEST_F(ProjectionCatchUpTest, AStoppedCatchUpReadsAndWritesNothing) {
  RecordingTarget target({&everything_}, /*fail_writes=*/false);
  const std::atomic<bool> stop{true};
  const uint64_t next = CatchUp(store_, EventRouter({&everything_}), 1, 30,
                                {/*page_events=*/4, /*flush_events=*/10}, &stop, target);
  EXPECT_EQ(next, 1u);
  EXPECT_THAT(target.writes(), IsEmpty());
  EXPECT_THAT(PositionsIn(target.table(0)), IsEmpty());
}

}  // namespace
}  // namespace reformlog::projections
