#include "services/security/security_service.h"

#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/security/permissions.h"
#include "services/security/tokens.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;

grpc::ServerUnaryReactor* Finish(grpc::CallbackServerContext* context, const absl::Status& status) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  reactor->Finish(ToGrpcStatus(status, *context));
  return reactor;
}

}  // namespace

void ToApi(const std::string& principal_id, const domain::SecurityState::Principal& principal,
           const domain::SecurityState& state, bool with_tokens, api::PrincipalInfo* out) {
  out->set_principal_id(principal_id);
  out->set_display_name(principal.display_name);
  out->set_certificate_cn(principal.certificate_cn);
  out->set_disabled(principal.disabled);
  for (const domain::SecurityState::Grant& g : principal.grants) {
    api::Grant* grant = out->add_grants();
    grant->set_role(g.role);
    grant->mutable_scope()->set_jurisdiction(g.jurisdiction);
    grant->mutable_scope()->set_agency_id(g.agency_id);
  }
  if (!with_tokens) return;
  for (const std::string& id : principal.token_ids) {
    api::TokenInfo* token = out->add_tokens();
    token->set_token_id(id);
    auto it = state.tokens.find(id);
    token->set_revoked(it != state.tokens.end() && it->second.revoked);
  }
}

template <typename Request>
grpc::ServerUnaryReactor* SecurityService::Command(
    absl::string_view method, grpc::CallbackServerContext* context, const Request* request,
    api::SecurityCommandResponse* response, bool issues_token,
    std::vector<const api::Grant*> grants, Decide decide) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallTracker::Call>(env_.calls);
  const bool queued =
      env_.workers.Submit([this, method, context, reactor, request, response, issues_token,
                           grants = std::move(grants), decide = std::move(decide), call] {
        absl::StatusOr<security::Identity> identity =
            env_.guard.Check(*context, security::MethodName(env_.service, method), *request);
        if (!identity.ok()) {
          reactor->Finish(ToGrpcStatus(identity.status(), *context));
          return;
        }
        for (const api::Grant* grant : grants) {
          if (grant->scope().agency_id().empty()) continue;
          absl::Status known = scopes_.Agency(grant->scope().agency_id()).status();
          if (!known.ok()) {
            reactor->Finish(
                ToGrpcStatus(known.code() == absl::StatusCode::kNotFound
                                 ? absl::NotFoundError(absl::StrCat("scope.agency_id: no agency ",
                                                                    grant->scope().agency_id()))
                                 : known,
                             *context));
            return;
          }
        }
        std::optional<security::NewToken> token;
        if (issues_token) {
          absl::StatusOr<security::NewToken> made = security::MakeToken();
          if (!made.ok()) {
            reactor->Finish(ToGrpcStatus(made.status(), *context));
            return;
          }
          token = *std::move(made);
        }
        const domain::IssuedToken issued =
            token ? domain::IssuedToken{token->id, token->sha256} : domain::IssuedToken{};
        absl::StatusOr<api::CommandResult> result = env_.runner.Run(
            identity->principal_id, *request, request->header(),
            [&](domain::StateView& view) { return decide(view, token ? &issued : nullptr); });
        if (!request->header().dry_run()) {
          env_.guard.Audit(*context, *identity, security::MethodName(env_.service, method),
                           *request, result.status(), result.ok() ? result->position() : 0);
        }
        if (result.ok() && !result->dry_run()) {
          // The directory holds the change before anyone hears of it.
          absl::Status caught_up = directory_.CatchUp();
          if (!caught_up.ok()) {
            reactor->Finish(ToGrpcStatus(absl::UnavailableError(absl::StrCat(
                "recorded at position ", result->position(),
                ", but reformd could not reload its principals: ", caught_up.message()))));
            return;
          }
        }
        if (result.ok()) {
          *response->mutable_result() = *result;
          if (token && !result->replayed() && !result->dry_run()) {
            response->set_token(token->text);
            response->set_token_id(token->id);
          }
        }
        reactor->Finish(ToGrpcStatus(result.status(), *context));
      });
  if (!queued) reactor->Finish(CommandQueueFull());
  return reactor;
}

grpc::ServerUnaryReactor* SecurityService::AddPrincipal(grpc::CallbackServerContext* context,
                                                        const api::AddPrincipalRequest* request,
                                                        api::SecurityCommandResponse* response) {
  std::vector<const api::Grant*> grants;
  for (const api::Grant& g : request->grants()) grants.push_back(&g);
  return Command(__func__, context, request, response, request->issue_token(), std::move(grants),
                 [request](domain::StateView& view, const domain::IssuedToken* token) {
                   return domain::DecideAddPrincipal(view, *request, token);
                 });
}

grpc::ServerUnaryReactor* SecurityService::IssueToken(grpc::CallbackServerContext* context,
                                                      const api::IssueTokenRequest* request,
                                                      api::SecurityCommandResponse* response) {
  return Command(__func__, context, request, response, true, {},
                 [request](domain::StateView& view, const domain::IssuedToken* token) {
                   return domain::DecideIssueToken(view, *request, *token);
                 });
}

grpc::ServerUnaryReactor* SecurityService::RevokeToken(grpc::CallbackServerContext* context,
                                                       const api::RevokeTokenRequest* request,
                                                       api::SecurityCommandResponse* response) {
  return Command(__func__, context, request, response, false, {},
                 [request](domain::StateView& view, const domain::IssuedToken*) {
                   return domain::DecideRevokeToken(view, *request);
                 });
}

grpc::ServerUnaryReactor* SecurityService::GrantRole(grpc::CallbackServerContext* context,
                                                     const api::RoleRequest* request,
                                                     api::SecurityCommandResponse* response) {
  return Command(__func__, context, request, response, false, {&request->grant()},
                 [request](domain::StateView& view, const domain::IssuedToken*) {
                   return domain::DecideGrantRole(view, *request);
                 });
}

grpc::ServerUnaryReactor* SecurityService::RevokeRole(grpc::CallbackServerContext* context,
                                                      const api::RoleRequest* request,
                                                      api::SecurityCommandResponse* response) {
  return Command(__func__, context, request, response, false, {},
                 [request](domain::StateView& view, const domain::IssuedToken*) {
                   return domain::DecideRevokeRole(view, *request);
                 });
}

grpc::ServerUnaryReactor* SecurityService::DisablePrincipal(
    grpc::CallbackServerContext* context, const api::DisablePrincipalRequest* request,
    api::SecurityCommandResponse* response) {
  return Command(__func__, context, request, response, false, {},
                 [request](domain::StateView& view, const domain::IssuedToken*) {
                   return domain::DecideDisablePrincipal(view, *request);
                 });
}

grpc::ServerUnaryReactor* SecurityService::ListPrincipals(grpc::CallbackServerContext* context,
                                                          const api::ListPrincipalsRequest* request,
                                                          api::ListPrincipalsResponse* response) {
  CallTracker::Call call(env_.calls);
  absl::Status allowed =
      env_.guard.Check(*context, security::MethodName(env_.service, __func__), *request).status();
  if (!allowed.ok()) return Finish(context, allowed);
  uint64_t version = 0;
  const domain::SecurityState state = directory_.Snapshot(&version);
  for (const auto& [id, principal] : state.principals) {
    ToApi(id, principal, state, true, response->add_principals());
  }
  response->set_version(version);
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* SecurityService::WhoAmI(grpc::CallbackServerContext* context,
                                                  const api::WhoAmIRequest* request,
                                                  api::WhoAmIResponse* response) {
  CallTracker::Call call(env_.calls);
  absl::StatusOr<security::Identity> identity =
      env_.guard.Check(*context, security::MethodName(env_.service, __func__), *request);
  if (!identity.ok()) return Finish(context, identity.status());
  uint64_t version = 0;
  const domain::SecurityState state = directory_.Snapshot(&version);
  auto it = state.principals.find(identity->principal_id);
  if (it != state.principals.end()) {
    ToApi(it->first, it->second, state, false, response->mutable_principal());
  }
  std::set<std::string> permissions;
  for (const domain::SecurityState::Grant& g : identity->grants) {
    for (std::string& name : security::PermissionNames(g.role)) permissions.insert(std::move(name));
  }
  for (const std::string& name : permissions) response->add_permissions(name);
  return Finish(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* SecurityService::ReadAudit(grpc::CallbackServerContext* context,
                                                     const api::ReadAuditRequest* request,
                                                     api::ReadAuditResponse* response) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  auto call = std::make_shared<CallTracker::Call>(env_.calls);
  const bool queued = env_.workers.Submit([this, context, reactor, request, response, call] {
    absl::Status allowed =
        env_.guard.Check(*context, security::MethodName(env_.service, "ReadAudit"), *request)
            .status();
    if (!allowed.ok()) {
      reactor->Finish(ToGrpcStatus(allowed, *context));
      return;
    }
    security::AuditQuery query;
    query.principal_id = request->principal_id();
    query.document = request->document();
    query.target = request->target();
    query.from_us = request->from_us();
    query.to_us = request->to_us();
    query.before = request->before();
    query.max_count = request->max_count() == 0 ? 100 : request->max_count();
    absl::StatusOr<security::AuditPage> page = audit_.Read(query);
    if (page.ok()) {
      for (security::AuditEntry& e : page->entries) {
        api::AuditEntry* out = response->add_entries();
        out->set_recorded_at_us(e.recorded_at_us);
        *out->mutable_record() = std::move(e.record);
      }
      response->set_next_before(page->next_before);
    }
    reactor->Finish(ToGrpcStatus(page.status(), *context));
  });
  if (!queued) {
    reactor->Finish(
        grpc::Status(grpc::StatusCode::RESOURCE_EXHAUSTED, "reformd is at its queue limit; retry"));
  }
  return reactor;
}

}  // namespace reformlog::services
