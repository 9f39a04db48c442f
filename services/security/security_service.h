// SecurityService: the gRPC face of Principals (api/v1/security.proto) — principals, roles
// and tokens, recorded as commands in the `security` stream of the security log (env's
// runner is over that store, not the main log) through the shared command path
// (idempotent by request id, on a document, by the authenticated principal), decided by
// services/domain/security_decide.h. After a command is recorded the PrincipalDirectory
// catches up before the answer goes out, so a revocation holds for the very next call.
// Tokens are made here (tokens.h) and returned once; only their digests are recorded.
#ifndef REFORMLOG_SERVICES_SECURITY_SECURITY_SERVICE_H_
#define REFORMLOG_SERVICES_SECURITY_SECURITY_SERVICE_H_

#include <functional>

#include "reformlog/api/v1/security.grpc.pb.h"
#include "services/commands/command_handler.h"
#include "services/domain/security_decide.h"
#include "services/security/audit_log.h"
#include "services/security/principal_directory.h"
#include "services/security/scope_resolver.h"

namespace reformlog::services {

class SecurityService final : public api::v1::Principals::CallbackService {
 public:
  // `env.runner` runs over the security log; `directory` reads it; `scopes` (over the main
  // log) checks that the agencies grants name exist; `audit` answers ReadAudit. All must
  // outlive the service.
  SecurityService(CommandEnv env, security::PrincipalDirectory& directory,
                  security::ScopeResolver& scopes, security::AuditLog& audit)
      : env_(env), directory_(directory), scopes_(scopes), audit_(audit) {
    env_.service = api::v1::Principals::service_full_name();
  }

  grpc::ServerUnaryReactor* AddPrincipal(grpc::CallbackServerContext* context,
                                         const api::v1::AddPrincipalRequest* request,
                                         api::v1::SecurityCommandResponse* response) override;
  grpc::ServerUnaryReactor* IssueToken(grpc::CallbackServerContext* context,
                                       const api::v1::IssueTokenRequest* request,
                                       api::v1::SecurityCommandResponse* response) override;
  grpc::ServerUnaryReactor* RevokeToken(grpc::CallbackServerContext* context,
                                        const api::v1::RevokeTokenRequest* request,
                                        api::v1::SecurityCommandResponse* response) override;
  grpc::ServerUnaryReactor* GrantRole(grpc::CallbackServerContext* context,
                                      const api::v1::RoleRequest* request,
                                      api::v1::SecurityCommandResponse* response) override;
  grpc::ServerUnaryReactor* RevokeRole(grpc::CallbackServerContext* context,
                                       const api::v1::RoleRequest* request,
                                       api::v1::SecurityCommandResponse* response) override;
  grpc::ServerUnaryReactor* DisablePrincipal(grpc::CallbackServerContext* context,
                                             const api::v1::DisablePrincipalRequest* request,
                                             api::v1::SecurityCommandResponse* response) override;
  grpc::ServerUnaryReactor* ListPrincipals(grpc::CallbackServerContext* context,
                                           const api::v1::ListPrincipalsRequest* request,
                                           api::v1::ListPrincipalsResponse* response) override;
  grpc::ServerUnaryReactor* WhoAmI(grpc::CallbackServerContext* context,
                                   const api::v1::WhoAmIRequest* request,
                                   api::v1::WhoAmIResponse* response) override;
  grpc::ServerUnaryReactor* ReadAudit(grpc::CallbackServerContext* context,
                                      const api::v1::ReadAuditRequest* request,
                                      api::v1::ReadAuditResponse* response) override;

 private:
  using Decide = std::function<absl::StatusOr<domain::Decision>(domain::StateView&,
                                                                const domain::IssuedToken*)>;
  // The whole body of a security command; `issues_token`: make a token for `decide`;
  // `grants`: the grants it gives, whose agencies must exist.
  template <typename Request>
  grpc::ServerUnaryReactor* Command(absl::string_view method, grpc::CallbackServerContext* context,
                                    const Request* request,
                                    api::v1::SecurityCommandResponse* response, bool issues_token,
                                    std::vector<const api::v1::Grant*> grants, Decide decide);

  CommandEnv env_;
  security::PrincipalDirectory& directory_;
  security::ScopeResolver& scopes_;
  security::AuditLog& audit_;
};

// The records of `state` as the API shows them; tokens only when `with_tokens`.
void ToApi(const std::string& principal_id, const domain::SecurityState::Principal& principal,
           const domain::SecurityState& state, bool with_tokens, api::v1::PrincipalInfo* out);

}  // namespace reformlog::services

#endif  // REFORMLOG_SERVICES_SECURITY_SECURITY_SERVICE_H_
