#include "services/security/redaction.h"

#include <mutex>

#include "absl/container/flat_hash_map.h"
#include "domain/event_codec.h"
#include "reformlog/domain/v1/common.pb.h"

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

using PersonalKind = ::reformlog::domain::v1::Personal;

std::string Redacted(PersonalKind kind, const std::string& value) {
  if (value.empty()) return value;
  return kind == ::reformlog::domain::v1::PERSONAL_NAME ? MaskName(value) : std::string(kWithheld);
}

PersonalKind KindOf(const FieldDescriptor& field) {
  return field.options().GetExtension(::reformlog::domain::v1::personal);
}

bool HasPersonalFields(const google::protobuf::Descriptor& type, int depth) {
  for (int i = 0; i < type.field_count(); ++i) {
    const FieldDescriptor& field = *type.field(i);
    if (KindOf(field) != ::reformlog::domain::v1::PERSONAL_NONE) return true;
    // Depth-bounded: a recursive message type cannot loop.
    if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE && depth < kPersonalNestingMax &&
        HasPersonalFields(*field.message_type(), depth + 1)) {
      return true;
    }
  }
  return false;
}

enum class EventPersonal { kNone, kSome, kUnknownType };

// Whether events of `type` carry personal fields, computed once per known type.
EventPersonal EventTypePersonal(absl::string_view type) {
  static std::mutex mu;
  static auto* known = new absl::flat_hash_map<std::string, bool>();
  std::lock_guard lock(mu);
  auto it = known->find(type);
  if (it != known->end()) return it->second ? EventPersonal::kSome : EventPersonal::kNone;
  const google::protobuf::Message* prototype = ::reformlog::domain::EventPrototype(type);
  if (prototype == nullptr) return EventPersonal::kUnknownType;  // not cached: not a bound set
  const bool personal = HasPersonalFields(*prototype->GetDescriptor(), 0);
  known->emplace(type, personal);
  return personal ? EventPersonal::kSome : EventPersonal::kNone;
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
    const PersonalKind kind = KindOf(*field);
    if (kind == ::reformlog::domain::v1::PERSONAL_NONE) continue;
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_STRING) {
      reflection->ClearField(&message, field);  // an enum or a number: back to its default
      continue;
    }
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

bool RedactEventData(absl::string_view type, std::string& data) {
  switch (EventTypePersonal(type)) {
    case EventPersonal::kNone:
      return true;
    case EventPersonal::kUnknownType:
      data.clear();  // a newer writer's type: whether it is personal is not known here
      return false;
    case EventPersonal::kSome:
      break;
  }
  absl::StatusOr<std::unique_ptr<google::protobuf::Message>> event =
      ::reformlog::domain::DecodeEvent(type, data);
  if (!event.ok()) {
    data.clear();  // unreadable here: nothing of it is shown
    return false;
  }
  RedactPersonal(**event);
  data = (*event)->SerializeAsString();
  return true;
}

}  // namespace reformlog::services::security
