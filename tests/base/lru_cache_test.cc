#include "base/lru_cache.h"

#include <string>

#include "absl/strings/string_view.h"
#include "gtest/gtest.h"

namespace reformlog {
namespace {

TEST(LruCacheTest, ForgetsTheLeastRecentlyUsedWhenFull) {
  LruCache<std::string, int> cache(2);
  cache.Put("a", 1);
  cache.Put("b", 2);
  ASSERT_NE(cache.Get(absl::string_view("a")), nullptr);  // a is now the most recent
  cache.Put("c", 3);                                      // b goes
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_EQ(cache.Get(std::string("b")), nullptr);
  ASSERT_NE(cache.Get(std::string("a")), nullptr);
  EXPECT_EQ(*cache.Get(std::string("a")), 1);
  EXPECT_EQ(*cache.Get(std::string("c")), 3);
}

TEST(LruCacheTest, PutReplacesAndCountsAsAUse) {
  LruCache<std::string, int> cache(2);
  cache.Put("a", 1);
  cache.Put("b", 2);
  cache.Put("a", 10);  // a is the most recent again
  cache.Put("c", 3);   // so b goes
  EXPECT_EQ(cache.Get(std::string("b")), nullptr);
  EXPECT_EQ(*cache.Get(std::string("a")), 10);
  cache.Erase(std::string("a"));
  EXPECT_EQ(cache.Get(std::string("a")), nullptr);
  EXPECT_EQ(cache.size(), 1u);
  cache.Clear();
  EXPECT_EQ(cache.size(), 0u);
}

TEST(LruCacheTest, HoldsExactlyItsCapacity) {
  LruCache<int, int> cache(3);
  for (int i = 0; i < 100; ++i) cache.Put(i, i);
  EXPECT_EQ(cache.size(), 3u);
  for (int i = 97; i < 100; ++i) EXPECT_NE(cache.Get(i), nullptr) << i;
  EXPECT_EQ(cache.Get(96), nullptr);
  EXPECT_EQ((LruCache<int, int>(0).capacity()), 1u);  // at least one
}

}  // namespace
}  // namespace reformlog
