#include "base/signature.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/digest.h"
#include "base/status_macros.h"

namespace reformlog {

struct VerifyingKey::Key {
  EVP_PKEY* pkey;
  explicit Key(EVP_PKEY* p) : pkey(p) {}
  ~Key() { EVP_PKEY_free(pkey); }
  Key(const Key&) = delete;
  Key& operator=(const Key&) = delete;
};

namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

// The oldest OpenSSL error, for messages; clears the queue.
std::string OpenSslError() {
  const unsigned long code = ERR_get_error();  // NOLINT(google-runtime-int): OpenSSL's type
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char buffer[256];
  ERR_error_string_n(code, buffer, sizeof(buffer));
  return buffer;
}

absl::StatusOr<SignatureAlgorithm> AlgorithmOf(EVP_PKEY* pkey) {
  if (EVP_PKEY_is_a(pkey, "SM2") == 1) return SignatureAlgorithm::kSm2;
  if (EVP_PKEY_is_a(pkey, "ED25519") == 1) return SignatureAlgorithm::kEd25519;
  return absl::InvalidArgumentError(absl::StrCat("key of type ", EVP_PKEY_get0_type_name(pkey),
                                                 "; checkpoint keys are sm2 or ed25519"));
}

std::string BioText(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);  // NOLINT(google-runtime-int): OpenSSL's type
  return std::string(data, static_cast<size_t>(length));
}

absl::StatusOr<std::string> PublicPemOf(EVP_PKEY* pkey) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PUBKEY(bio.get(), pkey) != 1) {
    return absl::InternalError(absl::StrCat("encoding a public key: ", OpenSslError()));
  }
  return BioText(bio.get());
}

absl::StatusOr<std::string> KeyIdOf(EVP_PKEY* pkey) {
  unsigned char* der = nullptr;
  const int length = i2d_PUBKEY(pkey, &der);
  if (length <= 0) return absl::InternalError(absl::StrCat("encoding a key: ", OpenSslError()));
  const Digest digest =
      HashOf(DigestAlgorithm::kSha256,
             {absl::string_view(reinterpret_cast<const char*>(der), static_cast<size_t>(length))});
  OPENSSL_free(der);
  return DigestHex(digest).substr(0, 16);
}

// A digest-sign or digest-verify context for `pkey`: SM3 with the SM2 identifier for SM2,
// none (the algorithm hashes itself) for Ed25519.
absl::StatusOr<std::unique_ptr<EVP_MD_CTX, MdCtxFree>> SignContext(EVP_PKEY* pkey,
                                                                   SignatureAlgorithm algorithm,
                                                                   bool sign) {
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx(EVP_MD_CTX_new());
  if (ctx == nullptr) return absl::ResourceExhaustedError("EVP_MD_CTX_new failed");
  EVP_PKEY_CTX* pctx = nullptr;
  const char* digest = algorithm == SignatureAlgorithm::kSm2 ? "SM3" : nullptr;
  const int init =
      sign ? EVP_DigestSignInit_ex(ctx.get(), &pctx, digest, nullptr, nullptr, pkey, nullptr)
           : EVP_DigestVerifyInit_ex(ctx.get(), &pctx, digest, nullptr, nullptr, pkey, nullptr);
  if (init != 1) return absl::InternalError(absl::StrCat("signature init: ", OpenSslError()));
  if (algorithm == SignatureAlgorithm::kSm2 &&
      EVP_PKEY_CTX_set1_id(pctx, kSm2DistinguishingId,
                           static_cast<int>(std::strlen(kSm2DistinguishingId))) != 1) {
    return absl::InternalError(absl::StrCat("setting the SM2 identifier: ", OpenSslError()));
  }
  return ctx;
}

}  // namespace

absl::string_view SignatureName(SignatureAlgorithm algorithm) {
  return algorithm == SignatureAlgorithm::kSm2 ? "sm2" : "ed25519";
}

absl::StatusOr<SignatureAlgorithm> ParseSignatureAlgorithm(absl::string_view name) {
  if (name == "sm2") return SignatureAlgorithm::kSm2;
  if (name == "ed25519") return SignatureAlgorithm::kEd25519;
  return absl::InvalidArgumentError(
      absl::StrCat("unknown signature algorithm \"", name, "\"; known: sm2, ed25519"));
}

VerifyingKey::VerifyingKey(std::shared_ptr<Key> key, SignatureAlgorithm algorithm,
                           std::string key_id, std::string public_pem)
    : key_(std::move(key)),
      algorithm_(algorithm),
      key_id_(std::move(key_id)),
      public_pem_(std::move(public_pem)) {}

absl::StatusOr<VerifyingKey> VerifyingKey::Adopt(std::shared_ptr<Key> key) {
  ASSIGN_OR_RETURN(SignatureAlgorithm algorithm, AlgorithmOf(key->pkey));
  ASSIGN_OR_RETURN(std::string id, KeyIdOf(key->pkey));
  ASSIGN_OR_RETURN(std::string public_pem, PublicPemOf(key->pkey));
  return VerifyingKey(std::move(key), algorithm, std::move(id), std::move(public_pem));
}

absl::StatusOr<VerifyingKey> VerifyingKey::FromPublicPem(absl::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* pkey =
      bio == nullptr ? nullptr : PEM_read_bio_PUBKEY(bio.get(), nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a PEM public key (BEGIN PUBLIC KEY): ", OpenSslError()));
  }
  return Adopt(std::make_shared<Key>(pkey));
}

absl::Status VerifyingKey::Verify(absl::string_view message, absl::string_view signature) const {
  absl::StatusOr<std::unique_ptr<EVP_MD_CTX, MdCtxFree>> ctx =
      SignContext(key_->pkey, algorithm_, /*sign=*/false);
  if (!ctx.ok()) return ctx.status();
  const int verified = EVP_DigestVerify(
      ctx->get(), reinterpret_cast<const unsigned char*>(signature.data()), signature.size(),
      reinterpret_cast<const unsigned char*>(message.data()), message.size());
  ERR_clear_error();
  if (verified != 1) {
    return absl::UnauthenticatedError(absl::StrCat(
        "the ", SignatureName(algorithm_), " signature does not verify with key ", key_id_));
  }
  return absl::OkStatus();
}

absl::StatusOr<SigningKey> SigningKey::Generate(SignatureAlgorithm algorithm) {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr,
                                     algorithm == SignatureAlgorithm::kSm2 ? "SM2" : "ED25519");
  if (pkey == nullptr) {
    return absl::InternalError(
        absl::StrCat("generating an ", SignatureName(algorithm), " key: ", OpenSslError()));
  }
  ASSIGN_OR_RETURN(VerifyingKey key,
                   VerifyingKey::Adopt(std::make_shared<VerifyingKey::Key>(pkey)));
  return SigningKey(std::move(key));
}

absl::StatusOr<SigningKey> SigningKey::FromPrivatePem(absl::string_view pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  EVP_PKEY* pkey =
      bio == nullptr ? nullptr : PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a PEM private key (BEGIN PRIVATE KEY): ", OpenSslError()));
  }
  ASSIGN_OR_RETURN(VerifyingKey key,
                   VerifyingKey::Adopt(std::make_shared<VerifyingKey::Key>(pkey)));
  return SigningKey(std::move(key));
}

std::string SigningKey::PrivatePem() const {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  if (bio == nullptr || PEM_write_bio_PrivateKey(bio.get(), verifying_.key_->pkey, nullptr, nullptr,
                                                 0, nullptr, nullptr) != 1) {
    return {};
  }
  return BioText(bio.get());
}

absl::StatusOr<std::string> SigningKey::Sign(absl::string_view message) const {
  absl::StatusOr<std::unique_ptr<EVP_MD_CTX, MdCtxFree>> ctx =
      SignContext(verifying_.key_->pkey, algorithm(), /*sign=*/true);
  if (!ctx.ok()) return ctx.status();
  size_t length = 0;
  const auto* bytes = reinterpret_cast<const unsigned char*>(message.data());
  if (EVP_DigestSign(ctx->get(), nullptr, &length, bytes, message.size()) != 1) {
    return absl::InternalError(absl::StrCat("signing: ", OpenSslError()));
  }
  std::string signature(length, '\0');
  if (EVP_DigestSign(ctx->get(), reinterpret_cast<unsigned char*>(signature.data()), &length, bytes,
                     message.size()) != 1) {
    return absl::InternalError(absl::StrCat("signing: ", OpenSslError()));
  }
  signature.resize(length);
  return signature;
}

}  // namespace reformlog
