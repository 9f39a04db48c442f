#include "services/commands/request_gate.h"

#include <utility>

namespace reformlog::services {

RequestGate::Result RequestGate::Run(const std::string& request_id, const std::string& key,
                                     absl::FunctionRef<Result()> run) {
  std::unique_lock lock(mu_);
  for (auto it = running_.find(request_id); it != running_.end(); it = running_.find(request_id)) {
    std::shared_ptr<Running> other = it->second;
    if (on_wait_) on_wait_(request_id);
    done_.wait(lock, [&] { return other->done; });
    if (other->key != key) continue;  // another request under this id: run after it
    Result shared = other->result;
    if (shared.ok() && !shared->dry_run()) {
      shared->set_replayed(true);  // as a copy answered from the store would read
      shared->clear_event_types();
    }
    return shared;
  }
  auto mine = std::make_shared<Running>();
  mine->key = key;
  running_.emplace(request_id, mine);
  lock.unlock();
  Result result = run();
  lock.lock();
  mine->result = result;
  mine->done = true;
  running_.erase(request_id);
  lock.unlock();
  done_.notify_all();
  return result;
}

}  // namespace reformlog::services
