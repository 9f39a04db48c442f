// Redaction of personal data (个人信息保护): the fields of an API answer marked
// [(personal) = …] (api/v1/common.proto) are cut down for a principal without the
// personal_data permission — a name to its first character and one "*" per further character
// (张三 → 张*, 欧阳娜娜 → 欧***), any other text replaced by kWithheld. Walks the whole message
// (nested and repeated messages); other fields are left as they are.
#ifndef REFORMLOG_SERVICES_SECURITY_REDACTION_H_
#define REFORMLOG_SERVICES_SECURITY_REDACTION_H_

#include <string>

#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace reformlog::services::security {

inline constexpr char kWithheld[] = "〔个人信息，已隐去〕";

// "张*" for "张三"; "" for "".
std::string MaskName(absl::string_view name);

void RedactPersonal(google::protobuf::Message& message);

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_REDACTION_H_
