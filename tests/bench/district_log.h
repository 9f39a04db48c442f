// The generated district log of readmodel_bench, written directly with domain events (as the
// decisions would have made them) in large commits: kAgencies agencies under one government,
// each with a mandate, quota and people; a power list; budgets, one of them kBudgetLines lines;
// then people and payments until the log is long enough.
#ifndef REFORMLOG_TESTS_BENCH_DISTRICT_LOG_H_
#define REFORMLOG_TESTS_BENCH_DISTRICT_LOG_H_

#include <cstddef>
#include <cstdint>

#include "eventstore/event_store.h"

namespace reformlog::bench {

inline constexpr int kAgencies = 2'000;
inline constexpr int kBudgetLines = 20'000;

// A district: kAgencies agencies under one government, each with a mandate, quota and
// people; a power list; budgets, one of them kBudgetLines lines. Returns the head.
// Exits the process when the store refuses a commit.
uint64_t GenerateDistrict(eventstore::EventStore& store, size_t events_min);

}  // namespace reformlog::bench

#endif  // REFORMLOG_TESTS_BENCH_DISTRICT_LOG_H_
