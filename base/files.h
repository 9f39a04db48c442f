// Reading a small file whole, bounded: what a command-line tool or the server reads from a path
// a person gave (a key, a kept checkpoint), so that a path to something huge is refused instead
// of read into memory.
#ifndef REFORMLOG_BASE_FILES_H_
#define REFORMLOG_BASE_FILES_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"

namespace reformlog {

// The bytes of the file at `path`. NOT_FOUND when it cannot be opened; INVALID_ARGUMENT,
// naming the bound, when it holds more than `bytes_max` bytes.
absl::StatusOr<std::string> ReadSmallFile(const std::string& path, size_t bytes_max);

}  // namespace reformlog

#endif  // REFORMLOG_BASE_FILES_H_
