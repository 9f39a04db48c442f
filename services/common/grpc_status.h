// Converting between absl::Status and grpc::Status. The canonical codes are the same
// numbers in both; only the types differ.
//
// On the way out a message is never longer than kStatusMessageBytesMax bytes. A status message
// travels in the grpc-message trailer, percent-encoded (each byte of a Chinese character
// becomes three), and a client refuses trailers beyond its metadata limit (8 KiB by default):
// the caller would see RESOURCE_EXHAUSTED with none of the refusal. Measured with gRPC 1.51: a
// message of 8,002 ASCII bytes arrives and one more byte does not; 889 Chinese characters
// (2,667 bytes) arrive and 890 do not. Messages that echo a caller's value keep far below the
// limit by themselves (domain/quote.h); the cut here is the last resort.
//
// The language of a message: a refusal people meet carries Chinese and English texts
// (domain/refusal.h). The caller chooses with the standard `accept-language` metadata: a first
// language tag of English ("en", "en-US") gets the English text; anything else, or none, gets
// the Chinese — the users are Chinese civil servants. A status without a Chinese text is sent
// as it is in either language.
#ifndef REFORMLOG_SERVICES_COMMON_GRPC_STATUS_H_
#define REFORMLOG_SERVICES_COMMON_GRPC_STATUS_H_

#include <cstddef>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "domain/language.h"
#include "domain/quote.h"
#include "domain/refusal.h"
#include "grpcpp/server_context.h"
#include "grpcpp/support/status.h"

namespace reformlog::services {

// The longest status message reformd sends: percent-encoded, even all Chinese, it stays
// within 3 × 2048 = 6144 bytes of trailer.
inline constexpr size_t kStatusMessageBytesMax = 2048;

// `message` when it is at most kStatusMessageBytesMax bytes; else as much of its start as fits
// (never splitting a UTF-8 character) followed by "… (message cut: N bytes)", all of it at
// most kStatusMessageBytesMax bytes.
inline std::string ClampStatusMessage(absl::string_view message) {
  if (message.size() <= kStatusMessageBytesMax) return std::string(message);
  const std::string tail = absl::StrCat("… (message cut: ", message.size(), " bytes)");
  return absl::StrCat(domain::Utf8Prefix(message, kStatusMessageBytesMax - tail.size()), tail);
}

using Language = domain::Language;

// The metadata key a caller names its language with (HTTP's header, lower case as gRPC has it).
inline constexpr char kLanguageMetadataKey[] = "accept-language";

// The language of `accept-language`'s value: English when its first tag is "en" or "en-…".
inline Language LanguageOf(absl::string_view accept_language) {
  absl::string_view first = accept_language.substr(0, accept_language.find_first_of(",;"));
  first = absl::StripAsciiWhitespace(first);
  const bool english = absl::EqualsIgnoreCase(first, "en") ||
                       absl::StartsWithIgnoreCase(first, "en-") ||
                       absl::StartsWithIgnoreCase(first, "en_");
  return english ? Language::kEnglish : Language::kChinese;
}

// The language the caller of `context` asked for; Chinese when it asked for none.
inline Language CallerLanguage(const grpc::ServerContextBase& context) {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find(kLanguageMetadataKey);
  if (it == metadata.end()) return Language::kChinese;
  return LanguageOf(absl::string_view(it->second.data(), it->second.size()));
}

// `status` for the wire, its text in `language`.
inline grpc::Status ToGrpcStatus(const absl::Status& status,
                                 Language language = Language::kChinese) {
  if (status.ok()) return grpc::Status::OK;
  const std::string text =
      language == Language::kChinese ? domain::ChineseText(status) : std::string(status.message());
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()), ClampStatusMessage(text));
}

// `status` for the wire, in the language the caller of `context` asked for.
inline grpc::Status ToGrpcStatus(const absl::Status& status,
                                 const grpc::ServerContextBase& context) {
  return ToGrpcStatus(status, CallerLanguage(context));
}

inline absl::Status FromGrpcStatus(const grpc::Status& status) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMON_GRPC_STATUS_H_
