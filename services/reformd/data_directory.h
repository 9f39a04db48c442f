// The data directory's protection: the log, the read models, the security log and the
// administrator's token are the owner's alone (等保: the files of a system of record are not
// readable by other local accounts).
#ifndef REFORMLOG_SERVICES_REFORMD_DATA_DIRECTORY_H_
#define REFORMLOG_SERVICES_REFORMD_DATA_DIRECTORY_H_

#include <string>

#include "absl/status/status.h"

namespace reformlog::services {

// The permissions reformd gives what it keeps: directories rwx------, files rw------- (a
// file's owner bits are kept as they are; group and other bits are cleared).
inline constexpr unsigned kDataDirectoryMode = 0700;
inline constexpr unsigned kDataFileMode = 0600;
// The umask reformd runs under, so that what RocksDB creates later is owner-only too.
inline constexpr unsigned kDataUmask = 0077;

// Creates `dir` (and its parents) if missing, then makes it and everything below it
// owner-only: directories kDataDirectoryMode, files without group or other bits. Symbolic
// links are neither followed nor changed. Returns the number of entries tightened through
// `tightened` (may be null), or an error naming the path that could not be created, read or
// changed.
absl::Status SecureDataDirectory(const std::string& dir, int* tightened);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_REFORMD_DATA_DIRECTORY_H_
