// Offline verification of a stopped reformd's data directory, or of a copy of one (the
// `reformd --verify` mode): both logs recomputed in full, every stored checkpoint checked, and
// each checkpoint an auditor kept elsewhere checked against the log it names.
//
// Opening a format-1 store chains it in place (eventstore/rocks_format.h), as reformd would.
// Nothing else is written. A data directory in use by a running reformd is refused (the
// store's lock): verify that one online with `reformctl admin verify`.
#ifndef REFORMLOG_SERVICES_REFORMD_VERIFY_DATA_DIRECTORY_H_
#define REFORMLOG_SERVICES_REFORMD_VERIFY_DATA_DIRECTORY_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "services/integrity/log_keeper.h"

namespace reformlog::services {

struct VerifyDataDirectoryOptions {
  std::string data_dir;
  // The checkpoint key's public half (PEM); empty = <data_dir>/keys/checkpoint.pub.pem.
  std::string public_key_file;
  // Checkpoint files kept off the host (checkpoint_note.h); each names its log.
  std::vector<std::string> kept_checkpoint_files;
};

// One report per log (main, then security), then one per kept checkpoint. An error only
// when something cannot be read at all (no such directory, no key, a file that is not a
// checkpoint, the store locked by a running reformd).
absl::StatusOr<std::vector<integrity::LogReport>> VerifyDataDirectory(
    const VerifyDataDirectoryOptions& options);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_REFORMD_VERIFY_DATA_DIRECTORY_H_
