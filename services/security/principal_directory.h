// PrincipalDirectory: who is calling, from the credentials of a call — the fold of the log's
// `security` stream (principals, roles, token digests), held in memory for reformd.
//
// CatchUp() reads what the stream gained since the last call: reformd calls it at start
// and after every security command it records, before answering — so a revoked token or
// role stops working at once, for the very next call. The directory is small (a principal
// and a few tokens per connected system or officer), so it is wholly in memory.
// Thread-safe.
#ifndef REFORMLOG_SERVICES_SECURITY_PRINCIPAL_DIRECTORY_H_
#define REFORMLOG_SERVICES_SECURITY_PRINCIPAL_DIRECTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "eventstore/event_store.h"
#include "services/domain/states.h"

namespace reformlog::services::security {

// An authenticated caller: the principal every event it records names, and its roles.
struct Identity {
  std::string principal_id;
  std::vector<domain::SecurityState::Grant> grants;
};

class PrincipalDirectory {
 public:
  // `store` must outlive the directory. Holds nothing until CatchUp().
  explicit PrincipalDirectory(eventstore::EventStore& store) : store_(store) {}

  // Applies the events the security stream gained since the last CatchUp. The store's error
  // when it cannot be read; DATA_LOSS for an event that does not decode.
  absl::Status CatchUp();

  // The principal of a bearer token; UNAUTHENTICATED (saying why, never echoing the token)
  // when it is unknown, revoked or its principal disabled.
  absl::StatusOr<Identity> ByToken(absl::string_view token) const;
  // The principal of a TLS client certificate's common name; UNAUTHENTICATED when none maps.
  absl::StatusOr<Identity> ByCertificate(absl::string_view common_name) const;

  // Whether any principal has been added.
  bool empty() const;
  // A copy of the whole state, with the stream version it is at.
  domain::SecurityState Snapshot(uint64_t* version) const;

 private:
  absl::StatusOr<Identity> IdentityOf(const std::string& principal_id) const
      ABSL_SHARED_LOCKS_REQUIRED(mu_);

  eventstore::EventStore& store_;
  absl::Mutex catch_up_mu_;  // one CatchUp at a time; taken before mu_
  mutable absl::Mutex mu_;
  domain::SecurityState state_ ABSL_GUARDED_BY(mu_);
  uint64_t version_ ABSL_GUARDED_BY(mu_) = 0;
  absl::flat_hash_map<std::string, std::string> token_by_digest_ ABSL_GUARDED_BY(mu_);  // → id
  absl::flat_hash_map<std::string, std::string> principal_by_cn_ ABSL_GUARDED_BY(mu_);
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_PRINCIPAL_DIRECTORY_H_
