#include "eventstore/checkpoint_note.h"

#include <algorithm>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "base/status_macros.h"

namespace reformlog::eventstore {
namespace {

constexpr char kHeader[] = "reformlog checkpoint v1";
constexpr char kSignaturePrefix[] = "\u2014 ";  // an em dash, as signed notes have it
constexpr char kTimeFormat[] = "%Y-%m-%dT%H:%M:%SZ";

bool ValidLogName(absl::string_view name) {
  if (name.empty() || name.size() > kLogNameBytesMax) return false;
  return std::ranges::all_of(name, [](char c) {
    return absl::ascii_islower(static_cast<unsigned char>(c)) ||
           absl::ascii_isdigit(static_cast<unsigned char>(c)) || c == '-';
  });
}

absl::Status LineError(size_t line, absl::string_view expected, absl::string_view got) {
  return absl::InvalidArgumentError(absl::StrCat("checkpoint line ", line, ": expected ", expected,
                                                 ", got \"", absl::CHexEscape(got.substr(0, 80)),
                                                 "\""));
}

// "key value" with the given key.
absl::StatusOr<absl::string_view> Field(const std::vector<absl::string_view>& lines, size_t index,
                                        absl::string_view key) {
  if (index >= lines.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("checkpoint ends before line ", index + 1, " (", key, ")"));
  }
  absl::string_view line = lines[index];
  if (!absl::ConsumePrefix(&line, key) || !absl::ConsumePrefix(&line, " ") || line.empty()) {
    return LineError(index + 1, absl::StrCat("\"", key, " …\""), lines[index]);
  }
  return line;
}

}  // namespace

std::string CheckpointNote::Body() const {
  return absl::StrCat(kHeader, "\n", "log ", log, "\n", "size ", head.size, "\n", "digest ",
                      DigestName(digest), "\n", "chain ", DigestHex(head.chain), "\n", "root ",
                      DigestHex(head.root), "\n", "time ",
                      absl::FormatTime(kTimeFormat, time, absl::UTCTimeZone()), "\n");
}

std::string CheckpointNote::Text() const {
  return absl::StrCat(Body(), "\n", kSignaturePrefix, SignatureName(signature_algorithm), " ",
                      key_id, " ", absl::Base64Escape(signature), "\n");
}

absl::StatusOr<CheckpointNote> SignCheckpoint(absl::string_view log, DigestAlgorithm digest,
                                              const LogHead& head, absl::Time time,
                                              const SigningKey& key) {
  if (!ValidLogName(log)) {
    return absl::InvalidArgumentError(absl::StrCat("log name \"", absl::CHexEscape(log),
                                                   "\" is not 1-", kLogNameBytesMax,
                                                   " lower-case letters, digits or '-'"));
  }
  CheckpointNote note;
  note.log = std::string(log);
  note.digest = digest;
  note.head = head;
  note.time = absl::FromUnixSeconds(absl::ToUnixSeconds(time));
  note.signature_algorithm = key.algorithm();
  note.key_id = key.key_id();
  ASSIGN_OR_RETURN(note.signature, key.Sign(note.Body()));
  return note;
}

absl::StatusOr<CheckpointNote> ParseCheckpoint(absl::string_view text) {
  if (text.size() > kCheckpointBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrCat("a checkpoint of ", text.size(), " bytes is over ", kCheckpointBytesMax));
  }
  if (!absl::ConsumeSuffix(&text, "\n")) {
    return absl::InvalidArgumentError("checkpoint does not end with a newline");
  }
  const std::vector<absl::string_view> lines = absl::StrSplit(text, '\n');
  CheckpointNote note;
  if (lines.empty() || lines[0] != kHeader) {
    return LineError(1, absl::StrCat("\"", kHeader, "\""), lines.empty() ? "" : lines[0]);
  }
  ASSIGN_OR_RETURN(absl::string_view log, Field(lines, 1, "log"));
  if (!ValidLogName(log)) return LineError(2, "a log name", log);
  note.log = std::string(log);
  ASSIGN_OR_RETURN(absl::string_view size, Field(lines, 2, "size"));
  if (!absl::SimpleAtoi(size, &note.head.size) || size.front() == '+') {
    return LineError(3, "a size", size);
  }
  ASSIGN_OR_RETURN(absl::string_view digest, Field(lines, 3, "digest"));
  absl::StatusOr<DigestAlgorithm> algorithm = ParseDigestAlgorithm(digest);
  if (!algorithm.ok()) return LineError(4, "sm3 or sha256", digest);
  note.digest = *algorithm;
  ASSIGN_OR_RETURN(absl::string_view chain, Field(lines, 4, "chain"));
  absl::StatusOr<Digest> chain_digest = ParseDigestHex(chain);
  if (!chain_digest.ok()) return LineError(5, "64 hex digits", chain);
  note.head.chain = *chain_digest;
  ASSIGN_OR_RETURN(absl::string_view root, Field(lines, 5, "root"));
  absl::StatusOr<Digest> root_digest = ParseDigestHex(root);
  if (!root_digest.ok()) return LineError(6, "64 hex digits", root);
  note.head.root = *root_digest;
  ASSIGN_OR_RETURN(absl::string_view time, Field(lines, 6, "time"));
  std::string error;
  if (!absl::ParseTime(kTimeFormat, time, absl::UTCTimeZone(), &note.time, &error)) {
    return LineError(7, "a time like 2026-12-07T08:00:00Z", time);
  }
  if (lines.size() != 9 || !lines[7].empty()) {
    return absl::InvalidArgumentError(
        "checkpoint: expected a blank line and one signature line after line 7");
  }
  absl::string_view signature_line = lines[8];
  if (!absl::ConsumePrefix(&signature_line, kSignaturePrefix)) {
    return LineError(9, "\"— ALGORITHM KEY-ID SIGNATURE\"", lines[8]);
  }
  const std::vector<absl::string_view> parts = absl::StrSplit(signature_line, ' ');
  if (parts.size() != 3) return LineError(9, "\"— ALGORITHM KEY-ID SIGNATURE\"", lines[8]);
  absl::StatusOr<SignatureAlgorithm> signature_algorithm = ParseSignatureAlgorithm(parts[0]);
  if (!signature_algorithm.ok()) return LineError(9, "sm2 or ed25519", parts[0]);
  note.signature_algorithm = *signature_algorithm;
  note.key_id = std::string(parts[1]);
  if (!absl::Base64Unescape(parts[2], &note.signature) || note.signature.empty()) {
    return LineError(9, "a base64 signature", parts[2]);
  }
  return note;
}

absl::Status VerifyCheckpoint(const CheckpointNote& note, const VerifyingKey& key) {
  const std::string which =
      absl::StrCat("the checkpoint of log ", note.log, " at size ", note.head.size);
  if (note.key_id != key.key_id() || note.signature_algorithm != key.algorithm()) {
    return absl::UnauthenticatedError(absl::StrCat(
        which, " is signed by ", SignatureName(note.signature_algorithm), " key ", note.key_id,
        ", not by ", SignatureName(key.algorithm()), " key ", key.key_id()));
  }
  absl::Status verified = key.Verify(note.Body(), note.signature);
  if (!verified.ok())
    return absl::UnauthenticatedError(absl::StrCat(which, ": ", verified.message()));
  return absl::OkStatus();
}

}  // namespace reformlog::eventstore
