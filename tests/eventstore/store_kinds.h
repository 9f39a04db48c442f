// The EventStore implementations a parameterized test runs against, each opened fresh:
//
//   class MyTest : public ::testing::TestWithParam<StoreKind> { … OpenStore(GetParam(), …) … };
//   INSTANTIATE_TEST_SUITE_P(AllStores, MyTest, ::testing::ValuesIn(kAllStoreKinds),
//                            StoreKindName);
#ifndef REFORMLOG_TESTS_EVENTSTORE_STORE_KINDS_H_
#define REFORMLOG_TESTS_EVENTSTORE_STORE_KINDS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "eventstore/event_store.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/rocks_event_store.h"
#include "gtest/gtest.h"

namespace reformlog::eventstore {

enum class StoreKind { kInMemory, kRocks };
inline constexpr StoreKind kAllStoreKinds[] = {StoreKind::kInMemory, StoreKind::kRocks};

// A new, empty store of `kind`; a RocksDB one in `path` (which must not exist yet). `clock`
// must outlive the store.
inline absl::StatusOr<std::unique_ptr<EventStore>> OpenStore(StoreKind kind,
                                                             const std::string& path,
                                                             const Clock& clock) {
  if (kind == StoreKind::kInMemory) return std::make_unique<InMemoryEventStore>(clock);
  RocksEventStoreOptions options;
  options.path = path;
  options.clock = &clock;
  absl::StatusOr<std::unique_ptr<RocksEventStore>> opened = RocksEventStore::Open(options);
  if (!opened.ok()) return opened.status();
  return std::unique_ptr<EventStore>(std::move(*opened));
}

// "InMemory" or "Rocks": the suffix of each instantiated test's name.
inline std::string StoreKindName(const ::testing::TestParamInfo<StoreKind>& info) {
  return info.param == StoreKind::kInMemory ? "InMemory" : "Rocks";
}

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_TESTS_EVENTSTORE_STORE_KINDS_H_
