// A signed checkpoint of a log, as text an auditor keeps off the host (in the style of the
// signed notes of transparency logs):
//
//   reformlog checkpoint v1
//   log main
//   size 3746
//   digest sm3
//   chain 5c1f…(64 hex digits)
//   root 9a0e…(64 hex digits)
//   time 2026-12-07T08:00:00Z
//
//   — sm2 3f9c2a7d1e0b4c85 MEUCIQ…(base64 signature)
//
// The signature covers the body: every line up to and including the one before the blank
// line, each ending in "\n". The signature line names the algorithm and the key id
// (base/signature.h). `chain` is chain(size) and `root` is root(size) of the log
// (eventstore/log_hash.h). Parsing is strict: anything else is INVALID_ARGUMENT naming the
// line, so a file edited by hand is refused, never half-read.
#ifndef REFORMLOG_EVENTSTORE_CHECKPOINT_NOTE_H_
#define REFORMLOG_EVENTSTORE_CHECKPOINT_NOTE_H_

#include <cstdint>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "base/digest.h"
#include "base/signature.h"
#include "eventstore/verifiable_log.h"

namespace reformlog::eventstore {

// A log's name in a note: lower-case letters, digits and '-', at most this long.
inline constexpr size_t kLogNameBytesMax = 32;

struct CheckpointNote {
  std::string log;  // "main" or "security"
  DigestAlgorithm digest = DigestAlgorithm::kSm3;
  LogHead head;
  absl::Time time;  // whole seconds, UTC
  SignatureAlgorithm signature_algorithm = SignatureAlgorithm::kSm2;
  std::string key_id;
  std::string signature;  // raw bytes

  // The signed bytes.
  std::string Body() const;
  // Body, blank line, signature line.
  std::string Text() const;
};

// Signs `head` of `log` at `time` (truncated to seconds).
absl::StatusOr<CheckpointNote> SignCheckpoint(absl::string_view log, DigestAlgorithm digest,
                                              const LogHead& head, absl::Time time,
                                              const SigningKey& key);
absl::StatusOr<CheckpointNote> ParseCheckpoint(absl::string_view text);
// OK, or UNAUTHENTICATED naming the checkpoint (log and size) and why: another key, or a
// signature that does not verify.
absl::Status VerifyCheckpoint(const CheckpointNote& note, const VerifyingKey& key);

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_CHECKPOINT_NOTE_H_
