// Subscription: a catch-up subscription to the whole log, then live.
//
// A subscriber pulls. Each Poll() returns the next events (at most
// kSubscriptionBatchEventsMax) that pass its filter, read from the log itself; the store
// keeps no per-subscriber queue, so a slow subscriber holds at most one batch, never
// delays writers and is never dropped: it simply falls further behind and catches up again.
// There is no gap and no duplicate between the catch-up and the live part: both are the
// same reads of the same log.
//
// The first batch after which the subscriber has read through the head observed at that
// moment carries `caught_up` (exactly once per subscription).
//
// Thread safety: Poll/Next/NotifyWhenReady are used by one consumer at a time; Cancel() may
// be called from any thread. Destroy a subscription before its store.
#ifndef REFORMLOG_EVENTSTORE_SUBSCRIPTION_H_
#define REFORMLOG_EVENTSTORE_SUBSCRIPTION_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "eventstore/head_notifier.h"
#include "eventstore/types.h"

namespace reformlog::eventstore {

class EventStore;

struct SubscriptionBatch {
  std::vector<RecordedEvent> events;
  bool caught_up = false;           // this batch reaches the head for the first time
  uint64_t caught_up_position = 0;  // that head, when caught_up

  bool Empty() const { return events.empty() && !caught_up; }
};

class Subscription {
 public:
  // `store` and `notifier` must outlive the subscription.
  Subscription(EventStore& store, HeadNotifier& notifier, uint64_t from_position,
               EventFilter filter);
  ~Subscription();

  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;

  // Non-blocking: what is available now (possibly an empty batch). UNAVAILABLE once the
  // store is closed; CANCELLED after Cancel(); a read error as the store returned it.
  absl::StatusOr<SubscriptionBatch> Poll();

  // Blocking: waits up to `timeout` for a non-empty batch; an empty batch on timeout.
  absl::StatusOr<SubscriptionBatch> Next(absl::Duration timeout);

  // Calls `ready` once, on the store's notifier thread, as soon as Poll() may have something
  // new (the head moved past what this subscription has read) or the store closes. A second
  // call replaces a pending notification.
  void NotifyWhenReady(std::function<void()> ready);

  // Ends the subscription from any thread: a blocked Next() returns and Poll/Next return
  // CANCELLED from then on. A pending NotifyWhenReady callback still runs, so that its
  // consumer observes the cancellation; destroying the subscription removes it.
  void Cancel();

  // The position the next read starts at.
  uint64_t next_position() const { return next_position_; }
  bool caught_up() const { return caught_up_sent_; }

 private:
  void RemoveListener();

  EventStore& store_;
  HeadNotifier& notifier_;
  const EventFilter filter_;
  uint64_t next_position_;
  bool caught_up_sent_ = false;
  std::atomic<bool> cancelled_{false};
  HeadNotifier::ListenerId listener_ = 0;
};

}  // namespace reformlog::eventstore

#endif  // REFORMLOG_EVENTSTORE_SUBSCRIPTION_H_
