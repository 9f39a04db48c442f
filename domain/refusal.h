// Refusals a person reads, in two languages. A status message stays English — for code, logs
// and integrators, as every message in the tree — and a refusal people meet also carries its
// Chinese text, in the words of the field (「编制数8名，实有8人，核减2名后将超编」), as a payload
// of the absl::Status. reformd sends the caller the text in the language it asked for
// (services/common/grpc_status.h: Chinese unless the call's accept-language is English); the
// status code stays the same for programs.
//
// A Chinese text names things as a 编办 officer does — an agency by its name, a person by
// name — and keeps every number the English text gives. Both texts echo a caller's values only
// through QuoteValue/ListSome (quote.h). Pure functions.
#ifndef REFORMLOG_DOMAIN_REFUSAL_H_
#define REFORMLOG_DOMAIN_REFUSAL_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace reformlog::domain {

// The payload type under which a status carries its Chinese text.
inline constexpr absl::string_view kChineseTextPayload = "reformlog/text-zh";

// A status of `code` (not OK) with message `en` and Chinese text `zh`.
absl::Status Refusal(absl::StatusCode code, absl::string_view en, absl::string_view zh);
inline absl::Status RefuseInvalid(absl::string_view en, absl::string_view zh) {
  return Refusal(absl::StatusCode::kInvalidArgument, en, zh);
}
inline absl::Status RefuseNotFound(absl::string_view en, absl::string_view zh) {
  return Refusal(absl::StatusCode::kNotFound, en, zh);
}
inline absl::Status RefusePrecondition(absl::string_view en, absl::string_view zh) {
  return Refusal(absl::StatusCode::kFailedPrecondition, en, zh);
}

// The Chinese text of `status`; its message when it carries none (a status no one has given
// Chinese words yet, or one from a library).
std::string ChineseText(const absl::Status& status);

// `status` with `en_prefix` before its message and `zh_prefix` before its Chinese text (or
// before its message, when it has none), same code: the context a caller adds ("persons[3]: ").
absl::Status WithContext(const absl::Status& status, absl::string_view en_prefix,
                         absl::string_view zh_prefix);

// Every problem a request has, gathered to refuse it once naming them all (at most
// kListedItemsMax of them: quote.h ListSome), in both languages.
class Problems {
 public:
  void Add(std::string en, std::string zh) {
    en_.push_back(std::move(en));
    zh_.push_back(std::move(zh));
  }
  // The problem a refusal names (its Chinese text, if it has one).
  void Add(const absl::Status& status) { Add(std::string(status.message()), ChineseText(status)); }
  bool empty() const { return en_.empty(); }
  // FAILED_PRECONDITION naming them: "a; b; c" and "a；b；c".
  absl::Status Refusal() const;

 private:
  std::vector<std::string> en_, zh_;
};

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_REFUSAL_H_
