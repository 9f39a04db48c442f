// Cryptographic digests through OpenSSL's EVP interface: SM3 (GB/T 32905, 国密) and
// SHA-256. The hash chain and the Merkle tree of the log use them (eventstore/log_hash.h).
//
// Contract: both algorithms give 32-byte digests. A Hasher is reusable (Reset) and is not
// thread-safe; use one per thread. OpenSSL without SM3 (a FIPS-only build) fails loudly at
// the first use with the algorithm's name, never falls back to another one silently.
#ifndef REFORMLOG_BASE_DIGEST_H_
#define REFORMLOG_BASE_DIGEST_H_

#include <array>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reformlog {

enum class DigestAlgorithm : uint8_t { kSm3 = 1, kSha256 = 2 };

inline constexpr size_t kDigestBytes = 32;
using Digest = std::array<uint8_t, kDigestBytes>;

// "sm3" or "sha256": the names stores, checkpoints and flags use.
absl::string_view DigestName(DigestAlgorithm algorithm);
// INVALID_ARGUMENT naming the accepted names otherwise.
absl::StatusOr<DigestAlgorithm> ParseDigestAlgorithm(absl::string_view name);

class Hasher {
 public:
  explicit Hasher(DigestAlgorithm algorithm);
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;

  DigestAlgorithm algorithm() const { return algorithm_; }
  void Update(absl::string_view bytes);
  void Update(const Digest& digest) {
    Update(absl::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
  }
  // The digest of everything since the last Finish (or construction); starts anew.
  Digest Finish();

 private:
  struct Context;
  DigestAlgorithm algorithm_;
  std::unique_ptr<Context> context_;
};

// The digest of the concatenation of `parts`.
Digest HashOf(DigestAlgorithm algorithm, std::initializer_list<absl::string_view> parts);

// Lower-case hex, 64 characters.
std::string DigestHex(const Digest& digest);
// INVALID_ARGUMENT unless 64 hex digits.
absl::StatusOr<Digest> ParseDigestHex(absl::string_view hex);
inline absl::string_view DigestBytes(const Digest& digest) {
  return {reinterpret_cast<const char*>(digest.data()), digest.size()};
}
// INVALID_ARGUMENT unless exactly kDigestBytes bytes.
absl::StatusOr<Digest> DigestFromBytes(absl::string_view bytes);

}  // namespace reformlog

#endif  // REFORMLOG_BASE_DIGEST_H_
