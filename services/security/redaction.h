// Redaction of personal data (个人信息保护): the fields of an API answer or a domain event
// marked [(personal) = …] (domain/v1/common.proto) are cut down for a principal without the
// personal_data permission — a name to its first character and one "*" per further character
// (张三 → 张*, 欧阳娜娜 → 欧***), any other text replaced by kWithheld, an enum (a departure's
// reason) reset to its unspecified value. Walks the whole message (nested and repeated
// messages); other fields are left as they are. Thread-safe.
#ifndef REFORMLOG_SERVICES_SECURITY_REDACTION_H_
#define REFORMLOG_SERVICES_SECURITY_REDACTION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace reformlog::services::security {

inline constexpr char kWithheld[] = "〔个人信息，已隐去〕";

// How deep the search for personal fields follows nested message types.
inline constexpr int kPersonalNestingMax = 8;

// "张*" for "张三"; "" for "".
std::string MaskName(absl::string_view name);

void RedactPersonal(google::protobuf::Message& message);

// The serialized domain event `data` of `type` (a full protobuf name, as in the log) with its
// personal fields redacted in place; events of a type without any are left untouched (and cost
// one hash lookup). Returns false, with `data` emptied, when the type is not known to this
// build (a newer writer's) or the bytes do not parse: what cannot be read cannot be shown
// redacted.
bool RedactEventData(absl::string_view type, std::string& data);

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_REDACTION_H_
