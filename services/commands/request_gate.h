// RequestGate: one command per request id at a time in this process.
//
// A client that re-sends a request while the first copy is still running (a retry after a
// timeout, a duplicate from a queue) must get the first copy's answer, not a refusal caused
// by its own twin ("person … is already registered"). The gate makes the second copy wait
// until the first has finished; it then finds the first one's commit by its id and answers
// with it (replayed), or, if the first was refused and recorded nothing, decides itself.
// Thread-safe.
#ifndef REFORMLOG_SERVICES_COMMANDS_REQUEST_GATE_H_
#define REFORMLOG_SERVICES_COMMANDS_REQUEST_GATE_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace reformlog::services {

class RequestGate {
 public:
  // Held for the whole run of one request id.
  class Turn {
   public:
    Turn(RequestGate& gate, std::string request_id);
    ~Turn();
    Turn(const Turn&) = delete;
    Turn& operator=(const Turn&) = delete;

   private:
    RequestGate& gate_;
    std::string request_id_;
  };

  // Called (tests only) when a request starts waiting for its twin, with its id.
  void SetOnWaitForTesting(std::function<void(const std::string&)> on_wait) {
    on_wait_ = std::move(on_wait);
  }

 private:
  std::mutex mu_;
  std::condition_variable done_;
  absl::flat_hash_set<std::string> running_;
  std::function<void(const std::string&)> on_wait_;
};

inline RequestGate::Turn::Turn(RequestGate& gate, std::string request_id)
    : gate_(gate), request_id_(std::move(request_id)) {
  std::unique_lock lock(gate_.mu_);
  if (gate_.running_.contains(request_id_) && gate_.on_wait_) gate_.on_wait_(request_id_);
  gate_.done_.wait(lock, [&] { return !gate_.running_.contains(request_id_); });
  gate_.running_.insert(request_id_);
}

inline RequestGate::Turn::~Turn() {
  {
    std::lock_guard lock(gate_.mu_);
    gate_.running_.erase(request_id_);
  }
  gate_.done_.notify_all();
}

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_REQUEST_GATE_H_
