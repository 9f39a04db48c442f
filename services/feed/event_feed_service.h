// EventFeedService: the read-only gRPC face of the event log (api/v1/feed.proto).
//
// Unpack, call the store, pack: no domain logic lives here. Subscribe streams the log from
// a position through the head and then live; it never blocks a gRPC thread waiting for new
// events (it asks the subscription to call back), and gRPC flow control is its
// back-pressure: the next batch is read only after the previous write completed.
#ifndef REFORMLOG_SERVICES_FEED_EVENT_FEED_SERVICE_H_
#define REFORMLOG_SERVICES_FEED_EVENT_FEED_SERVICE_H_

#include "eventstore/event_store.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "services/common/call_tracker.h"

namespace reformlog::services {

class EventFeedService final : public api::v1::EventFeed::CallbackService {
 public:
  // `store` and `calls` must outlive the service and every call in flight.
  EventFeedService(eventstore::EventStore& store, CallTracker& calls)
      : store_(store), calls_(calls) {}

  grpc::ServerUnaryReactor* ReadAll(grpc::CallbackServerContext* context,
                                    const api::v1::ReadAllRequest* request,
                                    api::v1::ReadAllResponse* response) override;
  grpc::ServerUnaryReactor* ReadStream(grpc::CallbackServerContext* context,
                                       const api::v1::ReadStreamRequest* request,
                                       api::v1::ReadStreamResponse* response) override;
  grpc::ServerUnaryReactor* Head(grpc::CallbackServerContext* context,
                                 const api::v1::HeadRequest* request,
                                 api::v1::HeadResponse* response) override;
  grpc::ServerWriteReactor<api::v1::SubscribeResponse>* Subscribe(
      grpc::CallbackServerContext* context, const api::v1::SubscribeRequest* request) override;

 private:
  eventstore::EventStore& store_;
  CallTracker& calls_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_FEED_EVENT_FEED_SERVICE_H_
