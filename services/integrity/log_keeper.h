// LogKeeper: keeps one log honest — signs checkpoints of it (periodically and on demand),
// verifies it on open and on request, and stops it taking writes when it has been altered.
//
// Verification, for a log and its stored checkpoints (checkpoint_note.h):
//  * on open: the latest checkpoint's signature and its chain hash and root against the log
//    at that size, then every record after it recomputed (VerifiableLog::Verify) — the cost
//    is the records since the last checkpoint, not the log's size (without a checkpoint, the
//    last kCheckpointEventsMax records);
//  * full: every record from position 1 and every checkpoint.
// The report names the first bad position. A log whose records were rewritten and whose
// chain was recomputed (so that it is consistent with itself) differs from the checkpoints
// signed before: the report then names the range between the last checkpoint that still
// holds and the first that does not. When a log is found altered, RefuseAppends stops its
// writes until it is restored and reformd restarted; intact() stays false.
//
// Thread safety: every method may be called from any thread.
#ifndef REFORMLOG_SERVICES_INTEGRITY_LOG_KEEPER_H_
#define REFORMLOG_SERVICES_INTEGRITY_LOG_KEEPER_H_

#include <atomic>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/clock.h"
#include "base/signature.h"
#include "eventstore/checkpoint_note.h"
#include "eventstore/verifiable_log.h"

namespace reformlog::services::integrity {

// A checkpoint is signed when the log has grown and either this long has passed since the
// last one or this many events were appended since.
inline constexpr absl::Duration kCheckpointInterval = absl::Minutes(5);
inline constexpr uint64_t kCheckpointEventsMax = 10'000;
// A full verification recomputes the log this many events at a time, and looks between two
// runs whether it was asked to stop (Stop(): reformd shutting down).
inline constexpr uint64_t kVerifyChunkEvents = 100'000;

struct LogReport {
  std::string log;
  bool intact = true;
  uint64_t verified_from = 0;  // positions verified_from … verified_to were recomputed
  uint64_t verified_to = 0;
  uint64_t checkpoints_checked = 0;
  uint64_t first_bad_position = 0;  // when !intact
  std::string problem;              // when !intact, in English
};

class LogKeeper {
 public:
  // `log`, `verifier`, `signer` and `clock` must outlive the keeper. Without a signer (an
  // offline verification) the keeper verifies and signs nothing.
  LogKeeper(std::string name, eventstore::VerifiableLog& log, const VerifyingKey& verifier,
            const SigningKey* signer, const Clock& clock,
            uint64_t verify_chunk_events = kVerifyChunkEvents);

  const std::string& name() const { return name_; }
  const std::string& public_key_pem() const { return verifier_.public_pem(); }
  bool intact() const { return intact_.load(); }

  absl::StatusOr<LogReport> VerifyOnOpen();
  // CANCELLED when Stop() was called before it finished.
  absl::StatusOr<LogReport> VerifyFull();
  // A running VerifyFull returns CANCELLED at its next chunk, and every later one at once.
  void Stop() { stopped_ = true; }
  // Checks a checkpoint kept elsewhere (by an auditor, off the host) against the log: its
  // signature, and the log's chain hash and root at its size. INVALID_ARGUMENT when the text
  // is not a checkpoint of this log.
  absl::StatusOr<LogReport> VerifyKept(absl::string_view checkpoint_text);

  // Signs and stores a checkpoint of the head (the latest one when the log has not grown
  // since). FAILED_PRECONDITION on an altered log: its head is not signed.
  absl::StatusOr<eventstore::CheckpointNote> SignNow();
  // Signs when due (see kCheckpointInterval); nullopt when not.
  absl::StatusOr<std::optional<eventstore::CheckpointNote>> SignIfDue();

 private:
  // Checks one stored checkpoint against the log; the problem when it does not hold.
  std::optional<std::string> CheckCheckpoint(const eventstore::StoredCheckpoint& stored,
                                             eventstore::CheckpointNote* note);
  std::optional<std::string> CheckNote(const eventstore::CheckpointNote& note);
  LogReport Altered(LogReport report, uint64_t position, std::string problem);

  const std::string name_;
  eventstore::VerifiableLog& log_;
  const VerifyingKey& verifier_;
  const SigningKey* const signer_;
  const Clock& clock_;
  const uint64_t verify_chunk_events_;
  std::atomic<bool> intact_{true};
  std::atomic<bool> stopped_{false};
  std::mutex sign_mu_;                              // one signer at a time
  std::optional<eventstore::CheckpointNote> last_;  // guarded by sign_mu_
};

// The checkpoint key under `data_dir`/keys: loaded, or made with `algorithm` on first start
// (private key 0600). INVALID_ARGUMENT when the file exists and is not a usable key.
absl::StatusOr<SigningKey> LoadOrCreateCheckpointKey(const std::string& data_dir,
                                                     SignatureAlgorithm algorithm);

}  // namespace reformlog::services::integrity

#endif  // REFORMLOG_SERVICES_INTEGRITY_LOG_KEEPER_H_
