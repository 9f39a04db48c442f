#include "services/security/tokens.h"

#include <openssl/evp.h>
#include <sys/random.h>

#include <cerrno>
#include <cstring>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"

namespace reformlog::services::security {

absl::StatusOr<NewToken> MakeToken() {
  unsigned char random[kTokenRandomBytes];
  size_t filled = 0;
  while (filled < sizeof(random)) {
    const ssize_t n = getrandom(random + filled, sizeof(random) - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return absl::InternalError(absl::StrCat("getrandom: ", std::strerror(errno)));
    }
    filled += static_cast<size_t>(n);
  }
  NewToken token;
  token.text =
      absl::StrCat(kTokenPrefix, absl::WebSafeBase64Escape(absl::string_view(
                                     reinterpret_cast<const char*>(random), sizeof(random))));
  token.sha256 = TokenDigest(token.text);
  token.id = TokenIdOf(token.sha256);
  return token;
}

std::string TokenDigest(absl::string_view text) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_Digest(text.data(), text.size(), digest, &size, EVP_sha256(), nullptr);
  return std::string(reinterpret_cast<const char*>(digest), size);
}

std::string TokenIdOf(absl::string_view sha256) {
  return absl::StrCat("t", absl::BytesToHexString(sha256.substr(0, 6)));
}

}  // namespace reformlog::services::security
