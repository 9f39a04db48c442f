#include "base/digest.h"

#include <openssl/evp.h>

#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"

namespace reformlog {
namespace {

// Fetched once per process: EVP_MD_fetch looks the algorithm up in the provider tables,
// which costs more than hashing a small record.
const EVP_MD* FetchedDigest(DigestAlgorithm algorithm) {
  static const EVP_MD* const sm3 = EVP_MD_fetch(nullptr, "SM3", nullptr);
  static const EVP_MD* const sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  const EVP_MD* md = algorithm == DigestAlgorithm::kSm3 ? sm3 : sha256;
  REFORMLOG_CHECK(md != nullptr,
                  "this OpenSSL provides the digest (SM3 needs the default provider)");
  return md;
}

}  // namespace

struct Hasher::Context {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Context() { EVP_MD_CTX_free(ctx); }
};

absl::string_view DigestName(DigestAlgorithm algorithm) {
  return algorithm == DigestAlgorithm::kSm3 ? "sm3" : "sha256";
}

absl::StatusOr<DigestAlgorithm> ParseDigestAlgorithm(absl::string_view name) {
  if (name == "sm3") return DigestAlgorithm::kSm3;
  if (name == "sha256") return DigestAlgorithm::kSha256;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown digest algorithm \"", name, "\"; known: sm3, sha256"));
}

Hasher::Hasher(DigestAlgorithm algorithm)
    : algorithm_(algorithm), context_(std::make_unique<Context>()) {
  REFORMLOG_CHECK(context_->ctx != nullptr, "EVP_MD_CTX_new allocates");
  REFORMLOG_CHECK(EVP_DigestInit_ex2(context_->ctx, FetchedDigest(algorithm), nullptr) == 1,
                  "the digest initialises");
}

Hasher::~Hasher() = default;

void Hasher::Update(absl::string_view bytes) {
  REFORMLOG_CHECK(EVP_DigestUpdate(context_->ctx, bytes.data(), bytes.size()) == 1,
                  "the digest takes bytes");
}

Digest Hasher::Finish() {
  Digest digest;
  unsigned int length = 0;
  REFORMLOG_CHECK(
      EVP_DigestFinal_ex(context_->ctx, digest.data(), &length) == 1 && length == kDigestBytes,
      "the digest finishes with 32 bytes");
  REFORMLOG_CHECK(EVP_DigestInit_ex2(context_->ctx, nullptr, nullptr) == 1,
                  "the digest starts anew");
  return digest;
}

Digest HashOf(DigestAlgorithm algorithm, std::initializer_list<absl::string_view> parts) {
  thread_local Hasher sm3(DigestAlgorithm::kSm3);
  thread_local Hasher sha256(DigestAlgorithm::kSha256);
  Hasher& hasher = algorithm == DigestAlgorithm::kSm3 ? sm3 : sha256;
  for (absl::string_view part : parts) hasher.Update(part);
  return hasher.Finish();
}

std::string DigestHex(const Digest& digest) { return absl::BytesToHexString(DigestBytes(digest)); }

absl::StatusOr<Digest> ParseDigestHex(absl::string_view hex) {
  bool valid = hex.size() == 2 * kDigestBytes;
  for (char c : hex) valid = valid && absl::ascii_isxdigit(static_cast<unsigned char>(c));
  if (!valid) {
    return absl::InvalidArgumentError(
        absl::StrCat("a digest is 64 hexadecimal digits; got \"", absl::CHexEscape(hex), "\""));
  }
  return DigestFromBytes(absl::HexStringToBytes(hex));
}

absl::StatusOr<Digest> DigestFromBytes(absl::string_view bytes) {
  if (bytes.size() != kDigestBytes) {
    return absl::InvalidArgumentError(
        absl::StrCat("a digest is ", kDigestBytes, " bytes; got ", bytes.size()));
  }
  Digest digest;
  std::memcpy(digest.data(), bytes.data(), kDigestBytes);
  return digest;
}

}  // namespace reformlog
