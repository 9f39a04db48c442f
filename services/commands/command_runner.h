// CommandRunner: the write path every command service shares.
//
//   1. validate the header (request id, document basis, dates, plan);
//   2. a request id seen before is answered with its original result (ALREADY_EXISTS when
//      the request differs), without deciding again;
//   3. decide against fresh states (through a StateView that remembers every version read);
//   4. refuse changes to records locked by another plan;
//   5. append: written streams expected at the versions read, the rest checked (unless the
//      header asks for a dry run: then the would-be events are returned and nothing written);
//   6. on ABORTED (another commit got there first) go back to 3, at most kDecideAttemptsMax
//      times; a decision that no longer holds is returned with its reason.
//
// The principal comes from the caller's authentication, never from the request. States are
// cached per stream (kStateCacheEntriesMax) and brought up to date by reading only the
// events after the cached version. Thread-safe.
#ifndef REFORMLOG_SERVICES_COMMANDS_COMMAND_RUNNER_H_
#define REFORMLOG_SERVICES_COMMANDS_COMMAND_RUNNER_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "eventstore/clock.h"
#include "eventstore/event_store.h"
#include "google/protobuf/message.h"
#include "reformlog/api/v1/common.pb.h"
#include "services/domain/decision.h"

namespace reformlog::services {

inline constexpr int kDecideAttemptsMax = 8;
inline constexpr size_t kStateCacheEntriesMax = 200'000;

class StateCache;  // folded states by stream; defined in the implementation

using DecideFn = std::function<absl::StatusOr<domain::Decision>(domain::StateView&)>;

class CommandRunner {
 public:
  // `store` and `clock` must outlive the runner.
  CommandRunner(eventstore::EventStore& store, const Clock& clock);
  ~CommandRunner();

  // Runs one command. `request` is the whole request message (its digest tells a retry from
  // another request under the same id); `header` is its header.
  absl::StatusOr<api::v1::CommandResult> Run(const std::string& principal,
                                             const google::protobuf::Message& request,
                                             const api::v1::CommandHeader& header,
                                             const DecideFn& decide);

 private:
  // The result of a request id already committed; NOT_FOUND when it is new; ALREADY_EXISTS
  // when it was used for another request.
  absl::StatusOr<api::v1::CommandResult> Answered(const std::string& request_id,
                                                  const std::string& fingerprint);

  eventstore::EventStore& store_;
  const Clock& clock_;
  std::unique_ptr<StateCache> cache_;
};

// INVALID_ARGUMENT naming the field when the header is malformed.
absl::Status ValidateHeader(const api::v1::CommandHeader& header);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_COMMANDS_COMMAND_RUNNER_H_
