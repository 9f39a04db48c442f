// Signing keys through OpenSSL's EVP interface: SM2 (GB/T 32918, 国密, with SM3 and the
// distinguishing identifier of GM/T 0009, "1234567812345678") and Ed25519. Checkpoints of
// the log are signed with them (eventstore/checkpoint_note.h).
//
// Contract: keys travel as PEM (PKCS#8 private, SubjectPublicKeyInfo public); the algorithm
// is read from the key itself. A key id is the first 16 hex digits of the SHA-256 of the
// public key's DER, stable across PEM re-encodings. Sign and Verify are thread-safe.
// Anything malformed — a PEM that does not parse, a key of another algorithm, a signature
// that does not verify — is an error naming it, never a crash.
#ifndef REFORMLOG_BASE_SIGNATURE_H_
#define REFORMLOG_BASE_SIGNATURE_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace reformlog {

enum class SignatureAlgorithm : uint8_t { kSm2 = 1, kEd25519 = 2 };

// "sm2" or "ed25519".
absl::string_view SignatureName(SignatureAlgorithm algorithm);
absl::StatusOr<SignatureAlgorithm> ParseSignatureAlgorithm(absl::string_view name);

// A PEM key file, at most (keys are a few hundred bytes).
inline constexpr size_t kKeyFileBytesMax = 16 << 10;

// The SM2 distinguishing identifier (GM/T 0009-2012 default user id).
inline constexpr char kSm2DistinguishingId[] = "1234567812345678";

class VerifyingKey {
 public:
  static absl::StatusOr<VerifyingKey> FromPublicPem(absl::string_view pem);

  SignatureAlgorithm algorithm() const { return algorithm_; }
  const std::string& key_id() const { return key_id_; }
  const std::string& public_pem() const { return public_pem_; }
  // OK, or UNAUTHENTICATED "signature does not verify".
  absl::Status Verify(absl::string_view message, absl::string_view signature) const;

 private:
  struct Key;
  VerifyingKey(std::shared_ptr<Key> key, SignatureAlgorithm algorithm, std::string key_id,
               std::string public_pem);
  // The verifying half of a key just read or made: its algorithm, id and public PEM.
  static absl::StatusOr<VerifyingKey> Adopt(std::shared_ptr<Key> key);
  std::shared_ptr<Key> key_;
  SignatureAlgorithm algorithm_;
  std::string key_id_;
  std::string public_pem_;
  friend class SigningKey;
};

class SigningKey {
 public:
  static absl::StatusOr<SigningKey> Generate(SignatureAlgorithm algorithm);
  static absl::StatusOr<SigningKey> FromPrivatePem(absl::string_view pem);

  SignatureAlgorithm algorithm() const { return verifying_.algorithm(); }
  const std::string& key_id() const { return verifying_.key_id(); }
  const VerifyingKey& verifying_key() const { return verifying_; }
  std::string PrivatePem() const;
  absl::StatusOr<std::string> Sign(absl::string_view message) const;

 private:
  explicit SigningKey(VerifyingKey verifying) : verifying_(std::move(verifying)) {}
  VerifyingKey verifying_;  // shares the private key's EVP_PKEY
};

}  // namespace reformlog

#endif  // REFORMLOG_BASE_SIGNATURE_H_
