// CommandRunner: the write path every command service shares.
//
//   1. validate the header (request id, document basis, dates, plan);
//   2. copies of a request in flight together get the answer of the first (RequestGate); a
//      different request under an id in use waits for it;
//   3. a request id seen before is answered with its original result, marked replayed
//      (ALREADY_EXISTS when the request differs), without deciding again;
//   4. decide against the current states (StateCache): each stream the decision reads is
//      locked for it, so commands on one agency or budget take turns here instead of racing
//      each other to the store; the locks are held while deciding and queueing the commit,
//      not while it is fsynced, so that the next command on the stream decides against this
//      one's outcome and both share one group commit;
//   5. refuse changes to records locked by another plan;
//   6. append: written streams expected at the versions read, the rest checked (unless the
//      header asks for a dry run: then the would-be events are returned and nothing written);
//   7. on ABORTED (a state was stale: another process wrote, or a commit this one decided
//      against failed) forget the states read and go back to 4 with them locked from the
//      start, at most kDecideAttemptsMax times.
//
// A refusal is answered only once every state it was decided against is durable, and is
// first checked against the store: if this very request was recorded meanwhile (by a copy in
// another process, or before a restart), the answer is that record, replayed. So every copy
// of a request gets the original result, whatever the timing.
//
// Cost: a command reads no more than the events appended to its streams since it last read
// them (none, in one process) and copies no state: it costs its decision and its events,
// independent of the size of the agency or budget it touches. The principal comes from the
// caller's authentication, never from the request. Thread-safe.
#ifndef REFORMLOG_SERVICES_COMMANDS_COMMAND_RUNNER_H_
#define REFORMLOG_SERVICES_COMMANDS_COMMAND_RUNNER_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "base/clock.h"
#include "eventstore/event_store.h"
#include "google/protobuf/message.h"
#include "reformlog/api/v1/common.pb.h"
#include "services/commands/request_gate.h"
#include "services/commands/state_cache.h"
#include "services/domain/decision.h"

namespace reformlog::services {

// Decisions of one command refused by the store's expectations (ABORTED) before it gives up.
// In one process only a failed commit that others decided against causes one.
inline constexpr int kDecideAttemptsMax = 8;
// Restarts of one decision because a state it reached was held by another command (it then
// waits for that state first): at most once per stream the decision reads.
inline constexpr int kLockRestartsMax = 2'000;

using DecideFn = std::function<absl::StatusOr<domain::Decision>(domain::StateView&)>;

// Points where a test can hold a command, to stage races deterministically.
struct CommandRunnerHooks {
  // After the request id was looked up in the store and found new, before deciding.
  std::function<void(const std::string& request_id)> after_answered_check;
  // After deciding, with the states read still locked, before appending.
  std::function<void(const std::string& request_id)> after_decide;
};

class CommandRunner {
 public:
  // `store` and `clock` must outlive the runner.
  CommandRunner(eventstore::EventStore& store, const Clock& clock);
  ~CommandRunner();

  // Runs one command for `principal` (an authenticated principal id). `request` is the whole
  // request message (its digest tells a retry from another request under the same id);
  // `header` is its header. Request ids are scoped per principal: the commit id is
  // CommitIdOf(principal, request id).
  absl::StatusOr<api::v1::CommandResult> Run(const std::string& principal,
                                             const google::protobuf::Message& request,
                                             const api::v1::CommandHeader& header,
                                             const DecideFn& decide);

  // Tests only; set before the first Run.
  void SetHooksForTesting(CommandRunnerHooks hooks) { hooks_ = std::move(hooks); }
  RequestGate& gate_for_testing() { return gate_; }

 private:
  // The result of a request id already committed; NOT_FOUND when it is new; ALREADY_EXISTS
  // when it was used for another request.
  absl::StatusOr<api::v1::CommandResult> Answered(const std::string& commit_id,
                                                  const std::string& fingerprint);

  // Run, with no other copy of the request id running in this process.
  absl::StatusOr<api::v1::CommandResult> RunAlone(const std::string& principal,
                                                  const std::string& commit_id,
                                                  const api::v1::CommandHeader& header,
                                                  const std::string& fingerprint,
                                                  const DecideFn& decide);
  // A refusal, unless this request was recorded meanwhile: then its record, replayed.
  absl::StatusOr<api::v1::CommandResult> Refused(const absl::Status& refusal,
                                                 const std::string& commit_id,
                                                 const std::string& fingerprint);
  // Forgets the states of `streams`: the next command reads them from the store.
  void Unload(const std::vector<std::string>& streams);

  eventstore::EventStore& store_;
  const Clock& clock_;
  StateCache cache_;
  RequestGate gate_;
  CommandRunnerHooks hooks_;
};

// "<principal>/<request id>": the commit id of a principal's request.
std::string CommitIdOf(absl::string_view principal, absl::string_view request_id);

// INVALID_ARGUMENT naming the field when the header is malformed.
absl::Status ValidateHeader(const api::v1::CommandHeader& header);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_COMMAND_RUNNER_H_
