#include "clients/reformctl/enums.h"

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_join.h"
#include "clients/reformctl/lang.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::ctl {

std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value) {
  const google::protobuf::EnumValueDescriptor* v = descriptor->FindValueByNumber(value);
  if (v == nullptr) return absl::StrCat(value);
  const std::string& label = v->options().GetExtension(domain::v1::label);
  return label.empty() ? v->name() : label;
}

absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text) {
  std::vector<std::string> accepted;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    const google::protobuf::EnumValueDescriptor* v = descriptor->value(i);
    if (v->number() == 0) continue;  // UNSPECIFIED
    const std::string& label = v->options().GetExtension(domain::v1::label);
    if (text == label || absl::EqualsIgnoreCase(text, v->name())) return v->number();
    accepted.push_back(label.empty() ? absl::AsciiStrToLower(v->name())
                                     : absl::StrCat(label, "/", absl::AsciiStrToLower(v->name())));
  }
  return absl::InvalidArgumentError(absl::StrCat("\"", text,
                                                 Tr("\" 不是以下之一：", "\" is not one of: "),
                                                 absl::StrJoin(accepted, Tr("、", ", "))));
}

}  // namespace reformlog::ctl
