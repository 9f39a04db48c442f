#include "services/integrity/log_keeper.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/files.h"
#include "base/status_macros.h"
#include "spdlog/spdlog.h"

namespace reformlog::services::integrity {
namespace {

constexpr char kKeysDir[] = "keys";
constexpr char kPrivateKeyFile[] = "checkpoint.key.pem";
constexpr char kPublicKeyFile[] = "checkpoint.pub.pem";

// Writes `text` to `path` through a temporary file, fsynced, owner-only.
absl::Status WriteFileAtomically(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return absl::FailedPreconditionError(absl::StrCat("cannot write ", temporary));
  const bool written = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size()) &&
                       ::fsync(fd) == 0;
  ::close(fd);
  if (!written || std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::FailedPreconditionError(absl::StrCat("cannot write ", path));
  }
  return absl::OkStatus();
}

}  // namespace

LogKeeper::LogKeeper(std::string name, eventstore::VerifiableLog& log, const VerifyingKey& verifier,
                     const SigningKey* signer, const Clock& clock, uint64_t verify_chunk_events)
    : name_(std::move(name)),
      log_(log),
      verifier_(verifier),
      signer_(signer),
      clock_(clock),
      verify_chunk_events_(std::max<uint64_t>(verify_chunk_events, 1)) {}

LogReport LogKeeper::Altered(LogReport report, uint64_t position, std::string problem) {
  report.intact = false;
  report.first_bad_position = position;
  report.problem = std::move(problem);
  if (intact_.exchange(false)) {
    spdlog::critical(
        "log {} has been altered at position {}: {}. It takes no writes until it is "
        "restored from a backup and reformd restarted.",
        name_, position, report.problem);
    log_.RefuseAppends(absl::DataLossError(
        absl::StrCat("the ", name_, " log has been altered (first bad position ", position,
                     "); reformd takes no writes until it is restored: reformctl admin verify")));
  }
  return report;
}

std::optional<std::string> LogKeeper::CheckCheckpoint(const eventstore::StoredCheckpoint& stored,
                                                      eventstore::CheckpointNote* note) {
  absl::StatusOr<eventstore::CheckpointNote> parsed = eventstore::ParseCheckpoint(stored.bytes);
  if (!parsed.ok()) {
    return absl::StrCat("the checkpoint at size ", stored.size,
                        " does not parse: ", parsed.status().message());
  }
  *note = *std::move(parsed);
  if (note->head.size != stored.size || note->log != name_) {
    return absl::StrCat("the checkpoint stored at size ", stored.size, " says log ", note->log,
                        " size ", note->head.size);
  }
  return CheckNote(*note);
}

std::optional<std::string> LogKeeper::CheckNote(const eventstore::CheckpointNote& note) {
  if (absl::Status signature = eventstore::VerifyCheckpoint(note, verifier_); !signature.ok()) {
    return std::string(signature.message());
  }
  if (note.digest != log_.digest_algorithm()) {
    return absl::StrCat("the checkpoint at size ", note.head.size, " uses ",
                        DigestName(note.digest), "; the log uses ",
                        DigestName(log_.digest_algorithm()));
  }
  absl::StatusOr<eventstore::LogHead> now = log_.HeadAt(note.head.size);
  if (!now.ok()) {
    return absl::StrCat("the log no longer reaches its checkpoint at size ", note.head.size, ": ",
                        now.status().message());
  }
  if (*now != note.head) {
    return absl::StrCat("the log differs from its checkpoint at size ", note.head.size, " signed ",
                        absl::FormatTime(note.time, absl::UTCTimeZone()));
  }
  return std::nullopt;
}

absl::StatusOr<LogReport> LogKeeper::VerifyKept(absl::string_view checkpoint_text) {
  ASSIGN_OR_RETURN(eventstore::CheckpointNote note, eventstore::ParseCheckpoint(checkpoint_text));
  if (note.log != name_) {
    return absl::InvalidArgumentError(
        absl::StrCat("the checkpoint is of log ", note.log, ", not of log ", name_));
  }
  LogReport report;
  report.log = name_;
  report.checkpoints_checked = 1;
  if (std::optional<std::string> problem = CheckNote(note)) {
    return Altered(report, 0,
                   absl::StrCat(*problem, ": rewritten at or before position ", note.head.size));
  }
  return report;
}

absl::StatusOr<LogReport> LogKeeper::VerifyOnOpen() {
  LogReport report;
  report.log = name_;
  const uint64_t head = log_.Head().size;
  // Without a checkpoint (a log chained by the format upgrade just now, or one whose writer
  // stopped before its first), the last kCheckpointEventsMax events: start-up must not cost
  // the whole log; the background full verification covers the rest.
  uint64_t from = head > kCheckpointEventsMax ? head - kCheckpointEventsMax : 0;
  ASSIGN_OR_RETURN(std::optional<eventstore::StoredCheckpoint> latest, log_.LatestCheckpoint());
  if (latest.has_value()) {
    eventstore::CheckpointNote note;
    if (CheckCheckpoint(*latest, &note).has_value()) {
      // Something at or before the latest checkpoint changed: find where, in full.
      return VerifyFull();
    }
    report.checkpoints_checked = 1;
    from = latest->size;
    std::lock_guard lock(sign_mu_);
    last_ = note;
  }
  ASSIGN_OR_RETURN(eventstore::VerifyOutcome outcome, log_.Verify(from, head));
  report.verified_from = from + 1;
  report.verified_to = head;
  if (!outcome.intact) return Altered(report, outcome.first_bad_position, outcome.problem);
  return report;
}

absl::StatusOr<LogReport> LogKeeper::VerifyFull() {
  LogReport report;
  report.log = name_;
  const uint64_t head = log_.Head().size;
  // Every checkpoint, oldest first: the last one that holds and the first one that does
  // not bound a rewrite that recomputed the chain.
  uint64_t holds_up_to = 0;
  std::optional<LogReport> checkpoint_failure;
  for (uint64_t from = 0;;) {
    ASSIGN_OR_RETURN(std::vector<eventstore::StoredCheckpoint> page,
                     log_.ListCheckpoints(from, eventstore::kCheckpointsPerReadMax));
    for (const eventstore::StoredCheckpoint& stored : page) {
      eventstore::CheckpointNote note;
      if (std::optional<std::string> problem = CheckCheckpoint(stored, &note)) {
        LogReport failed = report;
        failed.intact = false;
        failed.first_bad_position = holds_up_to + 1;
        failed.problem = absl::StrCat(*problem, ": rewritten at or after position ",
                                      holds_up_to + 1, " and at or before ", stored.size);
        checkpoint_failure = failed;
        break;
      }
      holds_up_to = stored.size;
      ++report.checkpoints_checked;
    }
    if (checkpoint_failure.has_value() || page.size() < eventstore::kCheckpointsPerReadMax) break;
    from = page.back().size + 1;
  }
  // In chunks: each starts from the chain entry and tree nodes the one before recomputed and
  // compared, so together they are one verification of the whole log.
  eventstore::VerifyOutcome outcome;
  for (uint64_t from = 0; outcome.intact && from < head;) {
    if (stopped_) {
      return absl::CancelledError(absl::StrCat("the verification of log ", name_,
                                               " stopped at position ", from,
                                               ": reformd is shutting down"));
    }
    const uint64_t to = std::min(head, from + verify_chunk_events_);
    ASSIGN_OR_RETURN(outcome, log_.Verify(from, to));
    from = to;
  }
  report.verified_from = head == 0 ? 0 : 1;
  report.verified_to = head;
  if (!outcome.intact && (!checkpoint_failure.has_value() ||
                          outcome.first_bad_position <= checkpoint_failure->first_bad_position)) {
    return Altered(report, outcome.first_bad_position, outcome.problem);
  }
  if (checkpoint_failure.has_value()) {
    checkpoint_failure->verified_from = report.verified_from;
    checkpoint_failure->verified_to = report.verified_to;
    checkpoint_failure->checkpoints_checked = report.checkpoints_checked;
    return Altered(*checkpoint_failure, checkpoint_failure->first_bad_position,
                   checkpoint_failure->problem);
  }
  return report;
}

absl::StatusOr<eventstore::CheckpointNote> LogKeeper::SignNow() {
  if (!intact()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the ", name_, " log has been altered; its head is not signed"));
  }
  if (signer_ == nullptr) {
    return absl::FailedPreconditionError("no checkpoint key here: checkpoints are not signed");
  }
  std::lock_guard lock(sign_mu_);
  const eventstore::LogHead head = log_.Head();
  if (last_.has_value() && last_->head.size == head.size) return *last_;
  ASSIGN_OR_RETURN(
      eventstore::CheckpointNote note,
      eventstore::SignCheckpoint(name_, log_.digest_algorithm(), head, clock_.Now(), *signer_));
  RETURN_IF_ERROR(log_.PutCheckpoint(head.size, note.Text()));
  last_ = note;
  return note;
}

absl::StatusOr<std::optional<eventstore::CheckpointNote>> LogKeeper::SignIfDue() {
  {
    std::lock_guard lock(sign_mu_);
    const uint64_t size = log_.Head().size;
    const uint64_t signed_size = last_.has_value() ? last_->head.size : 0;
    if (size == signed_size || !intact() || signer_ == nullptr) return std::nullopt;
    const bool due = !last_.has_value() || size - signed_size >= kCheckpointEventsMax ||
                     clock_.Now() - last_->time >= kCheckpointInterval;
    if (!due) return std::nullopt;
  }
  ASSIGN_OR_RETURN(eventstore::CheckpointNote note, SignNow());
  return note;
}

absl::StatusOr<SigningKey> LoadOrCreateCheckpointKey(const std::string& data_dir,
                                                     SignatureAlgorithm algorithm) {
  const std::string dir = absl::StrCat(data_dir, "/", kKeysDir);
  const std::string private_path = absl::StrCat(dir, "/", kPrivateKeyFile);
  std::error_code ec;
  if (std::filesystem::exists(private_path, ec)) {
    ASSIGN_OR_RETURN(std::string pem, ReadSmallFile(private_path, kKeyFileBytesMax));
    absl::StatusOr<SigningKey> key = SigningKey::FromPrivatePem(pem);
    if (!key.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat("checkpoint key ", private_path, ": ", key.status().message()));
    }
    return key;
  }
  std::filesystem::create_directories(dir, ec);
  if (ec) return absl::FailedPreconditionError(absl::StrCat("cannot create ", dir));
  ::chmod(dir.c_str(), 0700);
  ASSIGN_OR_RETURN(SigningKey key, SigningKey::Generate(algorithm));
  RETURN_IF_ERROR(WriteFileAtomically(private_path, key.PrivatePem()));
  RETURN_IF_ERROR(WriteFileAtomically(absl::StrCat(dir, "/", kPublicKeyFile),
                                      key.verifying_key().public_pem()));
  spdlog::info("made a {} checkpoint key {} in {}", std::string(SignatureName(algorithm)),
               key.key_id(), dir);
  return key;
}

}  // namespace reformlog::services::integrity
