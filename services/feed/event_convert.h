// Converting the event store's values to and from their API messages.
#ifndef REFORMLOG_SERVICES_FEED_EVENT_CONVERT_H_
#define REFORMLOG_SERVICES_FEED_EVENT_CONVERT_H_

#include "eventstore/types.h"
#include "reformlog/api/v1/feed.pb.h"

namespace reformlog::services {

// Moves the event's strings into `out`.
void ToApiEvent(eventstore::RecordedEvent&& event, api::v1::Event* out);

eventstore::EventFilter FromApiFilter(const api::v1::EventFilter& filter);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_FEED_EVENT_CONVERT_H_
