#include "eventstore/subscription.h"

#include <utility>

#include "absl/time/clock.h"
#include "eventstore/event_store.h"
#include "eventstore/limits.h"

namespace reformlog::eventstore {

Subscription::Subscription(EventStore& store, HeadNotifier& notifier, uint64_t from_position,
                           EventFilter filter)
    : store_(store),
      notifier_(notifier),
      filter_(std::move(filter)),
      next_position_(from_position == 0 ? 1 : from_position) {}

Subscription::~Subscription() { RemoveListener(); }

void Subscription::RemoveListener() {
  if (listener_ != 0) {
    notifier_.Remove(listener_);
    listener_ = 0;
  }
}

absl::StatusOr<SubscriptionBatch> Subscription::Poll() {
  if (cancelled_.load(std::memory_order_acquire)) {
    return absl::CancelledError("subscription cancelled");
  }
  if (notifier_.closed()) return absl::UnavailableError("event store closed");
  SubscriptionBatch batch;
  const uint64_t head = notifier_.head();
  if (next_position_ <= head) {
    absl::StatusOr<AllSlice> slice =
        store_.ReadAll(next_position_, filter_, kSubscriptionBatchEventsMax);
    if (!slice.ok()) return slice.status();
    batch.events = std::move(slice->events);
    next_position_ = slice->next_position;
  }
  if (!caught_up_sent_ && next_position_ > head) {
    caught_up_sent_ = true;
    batch.caught_up = true;
    batch.caught_up_position = head;
  }
  return batch;
}

absl::StatusOr<SubscriptionBatch> Subscription::Next(absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  while (true) {
    absl::StatusOr<SubscriptionBatch> batch = Poll();
    if (!batch.ok() || !batch->Empty()) return batch;
    const absl::Duration left = deadline - absl::Now();
    if (left <= absl::ZeroDuration()) return batch;
    notifier_.WaitBeyond(next_position_ - 1, left, &cancelled_);
  }
}

void Subscription::NotifyWhenReady(std::function<void()> ready) {
  RemoveListener();
  if (cancelled_.load(std::memory_order_acquire)) return;
  listener_ = notifier_.CallWhenBeyond(next_position_ - 1, std::move(ready));
}

void Subscription::Cancel() {
  cancelled_.store(true, std::memory_order_release);
  notifier_.Interrupt();
}

}  // namespace reformlog::eventstore
