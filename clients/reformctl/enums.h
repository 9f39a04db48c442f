// Enum values as users read and type them. Every domain enum value carries a Chinese label
// (the `label` option in proto/reformlog/domain/v1/common.proto: 行政编制, 委托下放, …);
// reformctl prints the label and accepts the label, the value's name (ADMINISTRATIVE) or its
// name in lower case. The UNSPECIFIED value (0) is never accepted.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_ENUMS_H_
#define REFORMLOG_CLIENTS_REFORMCTL_ENUMS_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "clients/reformctl/exit_codes.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/generated_enum_reflection.h"

namespace reformlog::ctl {

// The label of an enum value (行政编制), its name when it has none, its number when
// `descriptor` has no such value.
std::string EnumLabel(const google::protobuf::EnumDescriptor* descriptor, int value);
template <typename E>
std::string Label(E value) {
  return EnumLabel(google::protobuf::GetEnumDescriptor<E>(), static_cast<int>(value));
}

// The number of the value `text` names: its label (行政编制), its name (ADMINISTRATIVE) or
// that name in any case. INVALID_ARGUMENT listing every accepted spelling otherwise.
absl::StatusOr<int> ParseEnumValue(const google::protobuf::EnumDescriptor* descriptor,
                                   absl::string_view text);
// The same for option `option` of a subcommand: Exit(kExitUsage) "OPTION: …" when `text`
// names no value.
template <typename E>
E ParseEnum(absl::string_view option, absl::string_view text) {
  absl::StatusOr<int> value = ParseEnumValue(google::protobuf::GetEnumDescriptor<E>(), text);
  if (!value.ok()) throw Exit{kExitUsage, absl::StrCat(option, ": ", value.status().message())};
  return static_cast<E>(*value);
}

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_ENUMS_H_
