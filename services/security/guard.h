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
// Audit: every refusal (UNAUTHENTICATED, PERMISSION_DENIED) is recorded in the audit trail by
// Check itself, durably, before the refusal is answered; handlers report the outcome of what
// they ran through Audit(), which records writes, administrative calls and reads of
// personal data (AccessRule::personal) and ignores the rest.
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
#include "services/security/audit_log.h"
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
  // All must outlive the guard; `audit` may be null (nothing is recorded).
  Guard(const AccessTable& table, const PrincipalDirectory& directory, ScopeResolver& scopes,
        AuditLog* audit = nullptr)
      : table_(table), directory_(directory), scopes_(scopes), audit_(audit) {}

  // Who is calling: UNAUTHENTICATED when no credentials, or ones that map to no enabled
  // principal.
  absl::StatusOr<Identity> Authenticate(const Credentials& credentials) const;

  // Whether `identity` may call `method` ("/reformlog.api.v1.Service/Method") with `request`:
  // OK, or PERMISSION_DENIED naming the permission and the target it lacks.
  absl::Status Authorize(const Identity& identity, absl::string_view method,
                         const google::protobuf::Message& request) const;

  // Whether the answer to `method` must have its personal fields redacted for `identity`: the
  // method answers with personal data and the principal lacks personal_data for what the
  // request names.
  bool Redacts(const Identity& identity, absl::string_view method,
               const google::protobuf::Message& request) const;

  // Both, from the call's context; a refusal is recorded in the audit trail.
  absl::StatusOr<Identity> Check(const grpc::ServerContextBase& context, absl::string_view method,
                                 const google::protobuf::Message& request) const;

  // Records what an authorized call came to, if its method is audited: a write (queued, not
  // waited for: the write is durable in the main log), an administrative call or a read of
  // personal data (durable before this returns). `position`: a write's last position.
  void Audit(const grpc::ServerContextBase& context, const Identity& identity,
             absl::string_view method, const google::protobuf::Message& request,
             const absl::Status& outcome, uint64_t position = 0) const;

 private:
  // OK when some grant in `grants` (all carrying the permission) covers `target`; otherwise
  // why not.
  absl::Status Covers(const std::vector<domain::SecurityState::Grant>& grants,
                      const Target& target) const;

  // OK when some grant of `identity` carries `permission` and covers every target `rule`
  // finds in `request`; otherwise PERMISSION_DENIED saying what is missing.
  absl::Status Holds(const Identity& identity, Permission permission, const AccessRule& rule,
                     absl::string_view method, const google::protobuf::Message& request) const;

  void Record(const grpc::ServerContextBase& context, const std::string& principal_id,
              absl::string_view method, const AccessRule* rule,
              const google::protobuf::Message& request, const absl::Status& outcome,
              uint64_t position, bool durable) const;

  const AccessTable& table_;
  const PrincipalDirectory& directory_;
  ScopeResolver& scopes_;
  AuditLog* audit_;
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_GUARD_H_
