// How reformctl names a recorded event in its listings: its type without the package
// (MandateIssued, as `reformctl events --type` takes it) and "DATE DOCUMENT", when and on
// which document it took effect.
#ifndef REFORMLOG_CLIENTS_REFORMCTL_EVENT_TEXT_H_
#define REFORMLOG_CLIENTS_REFORMCTL_EVENT_TEXT_H_

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

}  // namespace reformlog::ctl

#endif  // REFORMLOG_CLIENTS_REFORMCTL_EVENT_TEXT_H_
