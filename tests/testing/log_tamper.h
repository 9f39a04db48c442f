// The tamper tool: what an attacker with the data directory and plain RocksDB can do to a
// closed event store, so that tests can check each change is detected at the right place.
// Every function opens the raw database at `path` (every column family), makes one change,
// and closes it; an error names what could not be done (the store is open, no such event).
#ifndef REFORMLOG_TESTS_TESTING_LOG_TAMPER_H_
#define REFORMLOG_TESTS_TESTING_LOG_TAMPER_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"

namespace reformlog::testing {

// Flips one bit of one byte of the stored event at `position` (a byte of its payload, in the
// middle of the record) — the record still parses.
absl::Status FlipEventByte(const std::string& path, uint64_t position);
// Changes a stored event's principal (the record is re-encoded, and parses).
absl::Status RewritePrincipal(const std::string& path, uint64_t first_position,
                              uint64_t last_position, const std::string& principal);
// Removes the stored event at `position`.
absl::Status DeleteEvent(const std::string& path, uint64_t position);
// Exchanges the stored events at two positions, each re-encoded to claim its new position.
absl::Status SwapEvents(const std::string& path, uint64_t first, uint64_t second);
// A careful attacker: recomputes the hash chain from `from_position` on over the events as
// they are now (and leaves the Merkle tree as it was).
absl::Status RewriteChain(const std::string& path, uint64_t from_position);
// The thorough attacker: drops the hash chain and the Merkle tree and marks the store as
// format 1, so that the next open recomputes them over the altered events.
absl::Status Rechain(const std::string& path);
// Writes a raw value under a key of a column family.
absl::Status PutRaw(const std::string& path, const std::string& family, const std::string& key,
                    const std::string& value);

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_TESTING_LOG_TAMPER_H_
