// Named limits of the event store. Every one is checked at the edge and a violation is
// INVALID_ARGUMENT naming the limit (see commit_validation.h). Units are last in names.
#ifndef REFORMLOG_EVENTSTORE_LIMITS_H_
#define REFORMLOG_EVENTSTORE_LIMITS_H_

#include <cstddef>
#include <cstdint>

namespace reformlog::eventstore {

// One event's payload (`data`).
inline constexpr size_t kEventDataBytesMax = 1 << 20;  // 1 MiB
// A commit, summed over every event's data, type, ids and metadata.
inline constexpr size_t kCommitBytesMax = 16 << 20;  // 16 MiB
inline constexpr size_t kEventsPerCommitMax = 10'000;
// Streams written plus streams only checked, in one commit.
inline constexpr size_t kStreamsPerCommitMax = 2'000;
inline constexpr size_t kStreamIdBytesMax = 256;
inline constexpr size_t kEventTypeBytesMax = 256;
inline constexpr size_t kIdBytesMax = 128;  // commit, event, correlation and causation ids
inline constexpr size_t kPrincipalBytesMax = 256;
inline constexpr size_t kBasisFieldBytesMax = 1024;

// Reads.
inline constexpr size_t kReadCountMax = 10'000;     // events returned by one read call
inline constexpr size_t kReadCountDefault = 1'000;  // when the caller asks for 0
inline constexpr size_t kReadAllScanMax = 100'000;  // records a filtered read may skip
// A read call's events, summed by EventBytes (types.h): a page stops once it holds this much,
// so it holds at most this plus one event (an event is at most kEventDataBytesMax of data).
// Half of gRPC's default message size, so that a page always fits one response.
inline constexpr size_t kReadBytesMax = 2 << 20;  // 2 MiB
inline constexpr size_t kEventTypesPerFilterMax = 64;

// Subscriptions: the most events a subscriber holds between two polls. A subscriber
// pulls; a slow one reads from the log at its own pace and is never dropped.
inline constexpr size_t kSubscriptionBatchEventsMax = 512;

// Group commit (RocksEventStore).
inline constexpr size_t kGroupCommitsMax = 512;      // commits in one WriteBatch
inline constexpr size_t kGroupBytesMax = 32 << 20;   // bytes in one WriteBatch
inline constexpr size_t kPendingCommitsMax = 8'192;  // Append blocks beyond this

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_LIMITS_H_
