#include "clients/reformctl/display_text.h"

#include "absl/strings/str_cat.h"
#include "clients/reformctl/lang.h"
#include "google/protobuf/descriptor.h"
#include "reformlog/domain/v1/common.pb.h"

namespace reformlog::ctl {

std::string DateAndBasis(const api::EventReference& ref) {
  if (ref.basis_number().empty()) return ref.effective_date();
  return absl::StrCat(ref.effective_date(), " ", ref.basis_number());
}

std::string EventName(absl::string_view type) {
  const size_t dot = type.rfind('.');
  return std::string(dot == absl::string_view::npos ? type : type.substr(dot + 1));
}

std::string EventName(const api::EventReference& ref) { return EventName(ref.event_type()); }

std::string EventLabel(absl::string_view type) {
  if (CurrentLang() == Lang::kZh) {
    const google::protobuf::Descriptor* descriptor =
        google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
            std::string(type));
    if (descriptor != nullptr) {
      const std::string& label =
          descriptor->options().GetExtension(::reformlog::domain::v1::event_label);
      if (!label.empty()) return label;
    }
  }
  return EventName(type);
}

std::string AgencyAndName(const std::string& id, const std::string& name) {
  return name.empty() ? id : absl::StrCat(id, " ", name);
}

}  // namespace reformlog::ctl
