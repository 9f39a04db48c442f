#include "services/commands/state_cache.h"

#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace reformlog::services {
namespace {

TEST(StateCacheTest, ASlotKeepsItsStateBetweenUses) {
  StateCache cache;
  StateCache::Slot* slot = cache.Pin("agency-a");
  slot->loaded = true;
  slot->version = 7;
  cache.Unpin(slot);
  StateCache::Slot* again = cache.Pin("agency-a");
  EXPECT_EQ(again, slot);
  EXPECT_TRUE(again->loaded);
  EXPECT_EQ(again->version, 7u);
  cache.Unpin(again);
  EXPECT_EQ(cache.size(), 1u);
}

TEST(StateCacheTest, IdleSlotsAreBoundedAndAPinnedSlotIsNeverEvicted) {
  constexpr size_t kEntriesMax = 64;
  StateCache cache(kEntriesMax);
  StateCache::Slot* pinned = cache.Pin("agency-pinned");
  pinned->loaded = true;
  pinned->version = 3;
  for (int i = 0; i < 10'000; ++i) {
    StateCache::Slot* slot = cache.Pin(absl::StrCat("person-", i));
    slot->loaded = true;
    cache.Unpin(slot);
    ASSERT_LE(cache.size(), kEntriesMax + 1) << "after " << i + 1 << " streams";
  }
  EXPECT_EQ(cache.Pin("agency-pinned"), pinned);
  EXPECT_TRUE(pinned->loaded);
  EXPECT_EQ(pinned->version, 3u);
  cache.Unpin(pinned);
  cache.Unpin(pinned);
}

TEST(StateCacheTest, TheMostRecentlyUsedSlotStaysWhileOthersComeAndGo) {
  StateCache cache(/*entries_max=*/1'600);
  StateCache::Slot* hot = cache.Pin("agency-hot");
  hot->version = 42;
  cache.Unpin(hot);
  for (int i = 0; i < 20'000; ++i) {
    cache.Unpin(cache.Pin(absl::StrCat("person-", i)));
    StateCache::Slot* used = cache.Pin("agency-hot");
    ASSERT_EQ(used->version, 42u) << "evicted after " << i + 1 << " other streams";
    cache.Unpin(used);
  }
}

TEST(StateCacheTest, UnloadForgetsTheState) {
  StateCache cache;
  StateCache::Slot* slot = cache.Pin("budget-a-2019");
  slot->loaded = true;
  slot->version = 5;
  slot->state = std::make_shared<int>(1);
  slot->pending = std::make_shared<CommitOutcome>();
  slot->Unload();
  EXPECT_FALSE(slot->loaded);
  EXPECT_EQ(slot->version, 0u);
  EXPECT_EQ(slot->state, nullptr);
  EXPECT_EQ(slot->pending, nullptr);
  cache.Unpin(slot);
}

TEST(CommitOutcomeTest, WaitReturnsWhetherTheCommitBecameDurable) {
  CommitOutcome durable;
  EXPECT_FALSE(durable.resolved());
  std::thread resolver([&] { durable.Resolve(true); });
  EXPECT_TRUE(durable.Wait());
  resolver.join();
  EXPECT_TRUE(durable.resolved());

  CommitOutcome failed;
  failed.Resolve(false);
  EXPECT_FALSE(failed.Wait());
}

}  // namespace
}  // namespace reformlog::services
