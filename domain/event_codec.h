// Domain events in and out of the log: a RecordedEvent carries the full protobuf name of its
// payload in `type` and the serialized payload in `data`.
#ifndef REFORMLOG_DOMAIN_EVENT_CODEC_H_
#define REFORMLOG_DOMAIN_EVENT_CODEC_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/message.h"

namespace reformlog::domain {

// The default instance of the domain event type named `type` (a full protobuf name), or null
// for a type this build does not know (a newer writer). Thread-safe; the instance lives as
// long as the process.
const google::protobuf::Message* EventPrototype(absl::string_view type);

// The payload as a message of its own type. NOT_FOUND for a type this build does not know
// (a newer writer; readers skip such events); DATA_LOSS when the bytes do not parse.
absl::StatusOr<std::unique_ptr<google::protobuf::Message>> DecodeEvent(absl::string_view type,
                                                                       absl::string_view data);

// `data` parsed as a message of `prototype`'s type, allocated on `arena` (which owns it), or
// DATA_LOSS when the bytes do not parse.
absl::StatusOr<const google::protobuf::Message*> DecodeEventOnArena(
    const google::protobuf::Message& prototype, absl::string_view data,
    google::protobuf::Arena& arena);

// The type name under which `event` is stored.
inline std::string EventType(const google::protobuf::Message& event) {
  return event.GetDescriptor()->full_name();
}

}  // namespace reformlog::domain

#endif  // REFORMLOG_DOMAIN_EVENT_CODEC_H_
