// RequestGate: one command per request id at a time in this process, and one answer for
// the copies of a request that are in flight together.
//
// A client that re-sends a request while the first copy is still running (a retry after a
// timeout, a duplicate from a queue) must get the first copy's answer, not a refusal caused
// by its own twin ("person … is already registered"), nor a success where the first copy was
// refused. The gate runs the first copy and hands its result to every copy of the same
// request (same `key`) that arrived while it ran: the same result, marked replayed when it
// recorded something. A different request under the same id waits for the running one to
// finish and then runs itself (and meets it in the store: ALREADY_EXISTS). Thread-safe.
#ifndef REFORMLOG_SERVICES_COMMANDS_REQUEST_GATE_H_
#define REFORMLOG_SERVICES_COMMANDS_REQUEST_GATE_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "reformlog/api/v1/common.pb.h"

namespace reformlog::services {

class RequestGate {
 public:
  using Result = absl::StatusOr<api::v1::CommandResult>;

  // Runs `run` for `request_id`, or answers with the result of the copy of the same request
  // (`key`: its fingerprint, and whether it is a dry run) that is running already.
  Result Run(const std::string& request_id, const std::string& key,
             absl::FunctionRef<Result()> run);

  // Called (tests only) when a request starts waiting for another under its id.
  void SetOnWaitForTesting(std::function<void(const std::string&)> on_wait) {
    on_wait_ = std::move(on_wait);
  }

 private:
  struct Running {
    std::string key;
    bool done = false;
    Result result;
  };

  std::mutex mu_;
  std::condition_variable done_;
  absl::flat_hash_map<std::string, std::shared_ptr<Running>> running_;
  std::function<void(const std::string&)> on_wait_;
};

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_REQUEST_GATE_H_
