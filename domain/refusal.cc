#include "domain/refusal.h"

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "domain/quote.h"

namespace reformlog::domain {

absl::Status Refusal(absl::StatusCode code, absl::string_view en, absl::string_view zh) {
  absl::Status status(code, en);
  status.SetPayload(kChineseTextPayload, absl::Cord(zh));
  return status;
}

std::string ChineseText(const absl::Status& status) {
  const auto zh = status.GetPayload(kChineseTextPayload);
  return zh.has_value() ? std::string(*zh) : std::string(status.message());
}

absl::Status WithContext(const absl::Status& status, absl::string_view en_prefix,
                         absl::string_view zh_prefix) {
  if (status.ok()) return status;
  return Refusal(status.code(), absl::StrCat(en_prefix, status.message()),
                 absl::StrCat(zh_prefix, ChineseText(status)));
}

absl::Status Problems::Refusal() const {
  return RefusePrecondition(ListSome(en_), ListSomeZh(zh_));
}

}  // namespace reformlog::domain
