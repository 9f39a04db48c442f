#include "services/feed/event_feed_service.h"

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "services/common/grpc_status.h"
#include "services/feed/event_convert.h"
#include "services/security/redaction.h"

namespace reformlog::services {
namespace {

using api::v1::SubscribeResponse;

grpc::ServerUnaryReactor* Done(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, *context));
  return reactor;
}

// The event as the caller may see it: its personal fields redacted when `redact`.
void AddEvent(eventstore::RecordedEvent&& event, bool redact, api::v1::Event* out) {
  ToApiEvent(std::move(event), out);
  if (redact) security::RedactEventData(out->type(), *out->mutable_data());
}

constexpr char kReadersBusy[] =
    "reformd is at its read queue limit; retry the read (it changes nothing)";

// Runs `read` on `readers` and finishes the call with its status.
grpc::ServerUnaryReactor* ReadOnPool(grpc::CallbackServerContext* context, CallTracker& calls,
                                     WorkerPool& readers, std::function<absl::Status()> read) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallTracker::Call>(calls);
  if (!readers.Submit([context, reactor, call, read = std::move(read)] {
        reactor->Finish(ToGrpcStatus(read(), *context));
      })) {
    reactor->Finish(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, kReadersBusy));
  }
  return reactor;
}

// Streams one subscription. Every state change happens under mu_; the entry points are the
// first Pump(), OnWriteDone() (a gRPC thread), Ready() (the store's notifier thread, when
// the head moves past what was read) and Polled() (a reader, with a batch read from the
// store). At most one of a write, a poll and a wait for Ready is outstanding at a time, and
// the call is finished only when neither a write nor a poll is: the reactor outlives both.
class SubscribeReactor final : public grpc::ServerWriteReactor<SubscribeResponse> {
 public:
  SubscribeReactor(std::unique_ptr<eventstore::Subscription> subscription, WorkerPool& readers,
                   bool redact, std::unique_ptr<SubscriptionSlots::Slot> slot)
      : redact_(redact),
        slot_(std::move(slot)),
        readers_(readers),
        subscription_(std::move(subscription)) {
    std::lock_guard lock(mu_);
    PumpLocked();
  }

  void OnWriteDone(bool ok) override {
    std::lock_guard lock(mu_);
    writing_ = false;
    if (!ok) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "subscriber went away"));
      return;
    }
    PumpLocked();
  }

  void OnCancel() override {
    subscription_->Cancel();
    std::lock_guard lock(mu_);
    cancelled_ = true;
    if (!writing_ && !polling_)
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "subscription cancelled"));
  }

  void OnDone() override { delete this; }

 private:
  void Ready() {
    std::lock_guard lock(mu_);
    waiting_ = false;
    PumpLocked();
  }

  // With a batch of the store's: queue its messages and go on.
  void Polled(absl::StatusOr<eventstore::SubscriptionBatch> batch) {
    std::lock_guard lock(mu_);
    polling_ = false;
    if (cancelled_) {
      FinishLocked(grpc::Status(grpc::StatusCode::CANCELLED, "subscription cancelled"));
      return;
    }
    if (!batch.ok()) {
      FinishLocked(ToGrpcStatus(batch.status()));
      return;
    }
    for (eventstore::RecordedEvent& event : batch->events) {
      AddEvent(std::move(event), redact_, pending_.emplace_back().mutable_event());
    }
    if (batch->caught_up) {
      pending_.emplace_back().set_caught_up_at_position(batch->caught_up_position);
    }
    if (pending_.empty()) {
      waiting_ = true;
      subscription_->NotifyWhenReady([this] { Ready(); });
      return;
    }
    PumpLocked();
  }

  void PumpLocked() {
    if (finished_ || writing_ || waiting_ || polling_) return;
    if (pending_.empty()) {
      // The store is read by a reader, not on this (gRPC or notifier) thread.
      polling_ = true;
      if (!readers_.Submit([this] { Polled(subscription_->Poll()); })) {
        polling_ = false;
        FinishLocked(grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, kReadersBusy));
      }
      return;
    }
    current_ = std::move(pending_.front());
    pending_.pop_front();
    writing_ = true;
    StartWrite(&current_);
  }

  void FinishLocked(const grpc::Status& status) {
    if (finished_) return;
    finished_ = true;
    Finish(status);
  }

  std::mutex mu_;
  std::deque<SubscribeResponse> pending_;  // at most one store batch
  SubscribeResponse current_;              // the write in flight
  bool writing_ = false;
  bool waiting_ = false;
  bool polling_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  const bool redact_;                                    // the subscriber lacks personal_data
  const std::unique_ptr<SubscriptionSlots::Slot> slot_;  // freed with the reactor
  WorkerPool& readers_;
  // Last, so that it is destroyed first: its destructor waits for a running Ready().
  std::unique_ptr<eventstore::Subscription> subscription_;
};

std::string FeedMethod(absl::string_view method) {
  return security::MethodName(api::v1::EventFeed::service_full_name(), method);
}

class FailedSubscribe final : public grpc::ServerWriteReactor<SubscribeResponse> {
 public:
  explicit FailedSubscribe(const absl::Status& status) { Finish(ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

absl::StatusOr<std::unique_ptr<SubscriptionSlots::Slot>> SubscriptionSlots::Acquire(
    const std::string& principal) {
  std::lock_guard lock(mu_);
  if (open_ >= limits_.subscriptions_max) {
    return absl::ResourceExhaustedError(
        absl::StrCat("reformd has ", open_, " subscriptions open, its limit (kSubscriptionsMax ",
                     limits_.subscriptions_max, "); retry when one ends"));
  }
  size_t& mine = by_principal_[principal];
  if (mine >= limits_.subscriptions_per_principal_max) {
    return absl::ResourceExhaustedError(
        absl::StrCat("principal ", principal, " has ", mine,
                     " subscriptions open, the limit per principal (kSubscriptionsPerPrincipalMax ",
                     limits_.subscriptions_per_principal_max, "); end one first"));
  }
  ++mine;
  ++open_;
  return std::make_unique<Slot>(*this, principal);
}

void SubscriptionSlots::Release(const std::string& principal) {
  std::lock_guard lock(mu_);
  --open_;
  auto it = by_principal_.find(principal);
  if (it != by_principal_.end() && --it->second == 0) by_principal_.erase(it);
}

grpc::ServerUnaryReactor* EventFeedService::ReadAll(grpc::CallbackServerContext* context,
                                                    const api::v1::ReadAllRequest* request,
                                                    api::v1::ReadAllResponse* response) {
  absl::StatusOr<security::Identity> identity =
      guard_.Check(*context, FeedMethod(__func__), *request);
  if (!identity.ok()) return Done(context, identity.status());
  return ReadOnPool(context, calls_, readers_,
                    [this, context, request, response, who = *identity]() -> absl::Status {
                      absl::Status read = [&]() -> absl::Status {
                        ASSIGN_OR_RETURN(
                            eventstore::AllSlice slice,
                            store_.ReadAll(request->from_position(),
                                           FromApiFilter(request->filter()), request->max_count()));
                        response->mutable_events()->Reserve(static_cast<int>(slice.events.size()));
                        const bool redact = guard_.Redacts(who, FeedMethod("ReadAll"), *request);
                        for (eventstore::RecordedEvent& event : slice.events) {
                          AddEvent(std::move(event), redact, response->add_events());
                        }
                        response->set_next_position(slice.next_position);
                        response->set_head_position(store_.HeadPosition());
                        return absl::OkStatus();
                      }();
                      guard_.Audit(*context, who, FeedMethod("ReadAll"), *request, read);
                      return read;
                    });
}

grpc::ServerUnaryReactor* EventFeedService::ReadStream(grpc::CallbackServerContext* context,
                                                       const api::v1::ReadStreamRequest* request,
                                                       api::v1::ReadStreamResponse* response) {
  absl::StatusOr<security::Identity> identity =
      guard_.Check(*context, FeedMethod(__func__), *request);
  if (!identity.ok()) return Done(context, identity.status());
  if (request->stream_id().empty()) {
    return Done(context, absl::InvalidArgumentError("stream_id is empty"));
  }
  return ReadOnPool(
      context, calls_, readers_,
      [this, context, request, response, who = *identity]() -> absl::Status {
        absl::Status read = [&]() -> absl::Status {
          ASSIGN_OR_RETURN(
              eventstore::StreamSlice slice,
              store_.ReadStream(request->stream_id(), request->from_version(),
                                request->backward() ? eventstore::ReadDirection::kBackward
                                                    : eventstore::ReadDirection::kForward,
                                request->max_count()));
          const bool redact = guard_.Redacts(who, FeedMethod("ReadStream"), *request);
          for (eventstore::RecordedEvent& event : slice.events) {
            AddEvent(std::move(event), redact, response->add_events());
          }
          response->set_stream_version(slice.stream_version);
          return absl::OkStatus();
        }();
        guard_.Audit(*context, who, FeedMethod("ReadStream"), *request, read);
        return read;
      });
}

grpc::ServerUnaryReactor* EventFeedService::Head(grpc::CallbackServerContext* context,
                                                 const api::v1::HeadRequest* request,
                                                 api::v1::HeadResponse* response) {
  CallTracker::Call call(calls_);
  absl::Status allowed = guard_.Check(*context, FeedMethod(__func__), *request).status();
  if (!allowed.ok()) return Done(context, allowed);
  response->set_head_position(store_.HeadPosition());
  return Done(context, absl::OkStatus());
}

grpc::ServerWriteReactor<SubscribeResponse>* EventFeedService::Subscribe(
    grpc::CallbackServerContext* context, const api::v1::SubscribeRequest* request) {
  absl::StatusOr<security::Identity> identity =
      guard_.Check(*context, FeedMethod(__func__), *request);
  if (!identity.ok()) return new FailedSubscribe(identity.status());
  absl::StatusOr<std::unique_ptr<SubscriptionSlots::Slot>> slot =
      slots_.Acquire(identity->principal_id);
  absl::StatusOr<std::unique_ptr<eventstore::Subscription>> subscription =
      slot.ok() ? store_.Subscribe(request->from_position(), FromApiFilter(request->filter()))
                : slot.status();
  // Recorded when it starts (or is refused): a subscription may run for days.
  guard_.Audit(*context, *identity, FeedMethod(__func__), *request, subscription.status());
  if (!subscription.ok()) return new FailedSubscribe(subscription.status());
  return new SubscribeReactor(std::move(*subscription), readers_,
                              guard_.Redacts(*identity, FeedMethod(__func__), *request),
                              std::move(*slot));
}

}  // namespace reformlog::services
