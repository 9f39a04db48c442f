// Guard: authentication and authorization of every call, in one place.
//
// Authenticate: the bearer token of the call's `authorization` metadata ("Bearer rlt_…"), or
// else the common name of its verified TLS client certificate, maps to an enabled principal
// (PrincipalDirectory); anything else is UNAUTHENTICATED. Nothing in the request body or in
// other metadata names the principal.
//
// Authorize: the method's rule (access_rules.h) names a permission and the targets of the
// request; some grant of the principal whose role carries the permission must cover each
// target (an unscoped grant covers everything). Otherwise PERMISSION_DENIED naming the
// permission and what it was needed for. A method without a rule is refused to everyone.
//
// Thread-safe; cost per call: a SHA-256 and a hash lookup, plus — only for a principal whose
// grants of the permission are all scoped — one ScopeResolver lookup per target.
#ifndef REFORMLOG_SERVICES_SECURITY_GUARD_H_
#define REFORMLOG_SERVICES_SECURITY_GUARD_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "google/protobuf/message.h"
#include "grpcpp/server_context.h"
#include "services/security/access_rules.h"
#include "services/security/principal_directory.h"
#include "services/security/scope_resolver.h"

namespace reformlog::services::security {

// The credentials a call carries, as the guard reads them from its context.
struct Credentials {
  bool has_bearer = false;
  std::string bearer;          // the token after "Bearer "
  std::string certificate_cn;  // of a verified TLS client certificate; empty: none
  std::string malformed;       // why the authorization metadata could not be read; empty: fine
};

Credentials CredentialsOf(const grpc::ServerContextBase& context);

// "/reformlog.api.v1.OrgCommands/EstablishAgency" from the service's full name and the method.
std::string MethodName(absl::string_view service, absl::string_view method);

class Guard {
 public:
  // All must outlive the guard.
  Guard(const AccessTable& table, const PrincipalDirectory& directory, ScopeResolver& scopes)
      : table_(table), directory_(directory), scopes_(scopes) {}

  // Who is calling: UNAUTHENTICATED when no credentials, or ones that map to no enabled
  // principal.
  absl::StatusOr<Identity> Authenticate(const Credentials& credentials) const;

  // Whether `identity` may call `method` ("/reformlog.api.v1.Service/Method") with `request`:
  // OK, or PERMISSION_DENIED naming the permission and the target it lacks.
  absl::Status Authorize(const Identity& identity, absl::string_view method,
                         const google::protobuf::Message& request) const;

  // Both, from the call's context.
  absl::StatusOr<Identity> Check(const grpc::ServerContextBase& context, absl::string_view method,
                                 const google::protobuf::Message& request) const;

 private:
  // OK when some grant in `grants` (all carrying the permission) covers `target`; otherwise
  // why not.
  absl::Status Covers(const std::vector<domain::SecurityState::Grant>& grants,
                      const Target& target) const;

  const AccessTable& table_;
  const PrincipalDirectory& directory_;
  ScopeResolver& scopes_;
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_GUARD_H_
