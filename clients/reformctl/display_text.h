// How reformctl names things in its listings: a recorded event by its type without the
// package (MandateIssued, as `reformctl events --type` takes it) or by its label (三定规定), and by
// "DATE DOCUMENT", when and on which document it took effect; an agency by "ID NAME".
#ifndef REFORMLOG_CLIENTS_REFORMCTL_DISPLAY_TEXT_H_
#define REFORMLOG_CLIENTS_REFORMCTL_DISPLAY_TEXT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "reformlog/api/v1/org_queries.pb.h"

namespace reformlog::ctl {

namespace api = ::reformlog::api::v1;

// "2019-12-01 西编〔2019〕9号"; the date alone when the event names no document.
std::string DateAndBasis(const api::EventReference& ref);
// "reformlog.domain.v1.MandateIssued" → "MandateIssued" (a name without a package as it is).
std::string EventName(absl::string_view type);
std::string EventName(const api::EventReference& ref);
// How a person reads an event's type: in Chinese its label (机构合并, the `event_label` of
// proto/reformlog/domain/v1/common.proto), in English its name (AgencyMerged); the name for a
// type this build does not know.
std::string EventLabel(absl::string_view type);

// "xq-glpz 格里坪镇"; the id alone when the name is empty.
std::string AgencyAndName(const std::string& id, const std::string& name);

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_DISPLAY_TEXT_H_
