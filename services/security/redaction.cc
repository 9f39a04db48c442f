#include "services/security/redaction.h"

#include "reformlog/api/v1/common.pb.h"

namespace reformlog::services::security {
namespace {

using google::protobuf::FieldDescriptor;

// The length of the UTF-8 character starting with `lead`.
size_t CharLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;  // not a lead byte: count it alone
}

std::string Redacted(api::v1::Personal kind, const std::string& value) {
  if (value.empty()) return value;
  return kind == api::v1::PERSONAL_NAME ? MaskName(value) : std::string(kWithheld);
}

}  // namespace

std::string MaskName(absl::string_view name) {
  if (name.empty()) return "";
  size_t first = std::min(CharLength(static_cast<unsigned char>(name[0])), name.size());
  std::string masked(name.substr(0, first));
  for (size_t i = first; i < name.size(); i += CharLength(static_cast<unsigned char>(name[i]))) {
    masked += '*';
  }
  return masked;
}

void RedactPersonal(google::protobuf::Message& message) {
  const google::protobuf::Descriptor* type = message.GetDescriptor();
  const google::protobuf::Reflection* reflection = message.GetReflection();
  for (int i = 0; i < type->field_count(); ++i) {
    const FieldDescriptor* field = type->field(i);
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
          RedactPersonal(*reflection->MutableRepeatedMessage(&message, field, k));
        }
      } else if (reflection->HasField(message, field)) {
        RedactPersonal(*reflection->MutableMessage(&message, field));
      }
      continue;
    }
    if (field->type() != FieldDescriptor::TYPE_STRING) continue;
    const api::v1::Personal kind = field->options().GetExtension(api::v1::personal);
    if (kind == api::v1::PERSONAL_NONE) continue;
    if (field->is_repeated()) {
      for (int k = 0; k < reflection->FieldSize(message, field); ++k) {
        reflection->SetRepeatedString(
            &message, field, k, Redacted(kind, reflection->GetRepeatedString(message, field, k)));
      }
    } else {
      reflection->SetString(&message, field, Redacted(kind, reflection->GetString(message, field)));
    }
  }
}

}  // namespace reformlog::services::security
