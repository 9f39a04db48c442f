// Bearer tokens: 256 random bits from the kernel (getrandom), written "rlt_" + URL-safe
// base64. reformd keeps only the SHA-256 of a token; its id (names it in lists and
// revocations, not secret) is "t" + the first 6 bytes of that digest in hex.
#ifndef REFORMLOG_SERVICES_SECURITY_TOKENS_H_
#define REFORMLOG_SERVICES_SECURITY_TOKENS_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reformlog::services::security {

inline constexpr size_t kTokenRandomBytes = 32;
inline constexpr char kTokenPrefix[] = "rlt_";
// The longest text taken as a token: anything longer is refused before it is hashed.
inline constexpr size_t kTokenBytesMax = 128;

struct NewToken {
  std::string text;    // what the principal presents; shown once
  std::string sha256;  // 32 bytes: what is recorded
  std::string id;
};

// INTERNAL only if the kernel cannot supply random bytes.
absl::StatusOr<NewToken> MakeToken();

// The SHA-256 of `text` (32 bytes).
std::string TokenDigest(absl::string_view text);
std::string TokenIdOf(absl::string_view sha256);

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_TOKENS_H_
