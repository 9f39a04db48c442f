// EventFeedService: the read-only gRPC face of the event log (api/v1/feed.proto).
//
// Unpack, call the store, pack: no domain logic lives here. Every read of the store runs on
// `readers`, a worker pool, never on gRPC's own threads (a page of the log may take a while
// to read and decode; gRPC's callback threads must stay free for Head and the other
// services). Subscribe streams the log from a position through the head and then live; it
// never blocks a thread waiting for new events (it asks the subscription to call back), and
// gRPC flow control is its back-pressure: the next batch is read only after the previous
// write completed. When `readers` refuses work (its queue is full) the call is answered
// RESOURCE_EXHAUSTED. Every call is authorized first (security::Guard: the feed needs the
// feed.read permission, unscoped: it is the whole log); the check reads no read model, so
// it runs on the calling thread.
//
// Subscriptions are bounded (a subscriber that never reads still holds a batch of events in
// memory): at most FeedLimits::subscriptions_max open at once, and per principal
// subscriptions_per_principal_max; one more is RESOURCE_EXHAUSTED naming the limit, and a
// slot frees when its subscription ends (finished, cancelled or its client gone).
#ifndef REFORMLOG_SERVICES_FEED_EVENT_FEED_SERVICE_H_
#define REFORMLOG_SERVICES_FEED_EVENT_FEED_SERVICE_H_

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "services/common/call_tracker.h"
#include "services/common/worker_pool.h"
#include "services/security/guard.h"

namespace reformlog::services {

// Open subscriptions, in all and per principal. Each holds at most one store batch
// (eventstore::kSubscriptionBatchEventsMax events) waiting for its client.
inline constexpr size_t kSubscriptionsMax = 256;
inline constexpr size_t kSubscriptionsPerPrincipalMax = 16;

struct FeedLimits {
  size_t subscriptions_max = kSubscriptionsMax;
  size_t subscriptions_per_principal_max = kSubscriptionsPerPrincipalMax;
};

// Counts open subscriptions against FeedLimits. Thread-safe.
class SubscriptionSlots {
 public:
  explicit SubscriptionSlots(const FeedLimits& limits) : limits_(limits) {}

  // Held by an open subscription; gives its slot back when destroyed.
  class Slot {
   public:
    Slot(SubscriptionSlots& slots, std::string principal)
        : slots_(slots), principal_(std::move(principal)) {}
    ~Slot() { slots_.Release(principal_); }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

   private:
    SubscriptionSlots& slots_;
    std::string principal_;
  };

  // A slot for `principal`, or RESOURCE_EXHAUSTED naming the limit it would pass.
  absl::StatusOr<std::unique_ptr<Slot>> Acquire(const std::string& principal);

 private:
  void Release(const std::string& principal);

  const FeedLimits limits_;
  std::mutex mu_;
  size_t open_ = 0;
  absl::flat_hash_map<std::string, size_t> by_principal_;
};

class EventFeedService final : public api::v1::EventFeed::CallbackService {
 public:
  // All must outlive the service and every call in flight.
  EventFeedService(eventstore::EventStore& store, CallTracker& calls, WorkerPool& readers,
                   const security::Guard& guard, const FeedLimits& limits = {})
      : store_(store), calls_(calls), readers_(readers), guard_(guard), slots_(limits) {}

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
  WorkerPool& readers_;
  const security::Guard& guard_;
  SubscriptionSlots slots_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_FEED_EVENT_FEED_SERVICE_H_
