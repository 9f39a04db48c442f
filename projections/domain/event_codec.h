// Domain events in and out of the log: a RecordedEvent carries the full protobuf name of its
// payload in `type` and the serialized payload in `data`.
#ifndef REFORMLOG_PROJECTIONS_DOMAIN_EVENT_CODEC_H_
#define REFORMLOG_PROJECTIONS_DOMAIN_EVENT_CODEC_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/message.h"

namespace reformlog::domain {

// The payload as a message of its own type. NOT_FOUND for a type this build does not know
// (a newer writer; readers skip such events); DATA_LOSS when the bytes do not parse.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeEvent(absl::string_view type,
                                                                       absl::string_view data);

// The type name under which `event` is stored.
inline std::string EventType(const google::protobuf::Message& event) {
  return event.GetDescriptor()->full_name();
}

}  // namespace reformlog::domain

#endif  // REFORMLOG_PROJECTIONS_DOMAIN_EVENT_CODEC_H_
