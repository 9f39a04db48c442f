#include "services/domain/security_decide.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/vocabulary.h"

namespace reformlog::domain {
namespace {

using Grant = SecurityState::Grant;

// The principal `id`: INVALID_ARGUMENT for a malformed id, NOT_FOUND when never added.
absl::StatusOr<const SecurityState::Principal*> ExistingPrincipal(const SecurityState& state,
                                                                  absl::string_view id) {
  RETURN_IF_ERROR(ValidatePrincipalId("principal_id", id));
  auto it = state.principals.find(std::string(id));
  if (it == state.principals.end()) {
    return absl::NotFoundError(absl::StrCat("principal_id: no principal ", id));
  }
  return &it->second;
}

// As ExistingPrincipal, and FAILED_PRECONDITION once disabled.
absl::StatusOr<const SecurityState::Principal*> EnabledPrincipal(const SecurityState& state,
                                                                 absl::string_view id) {
  ASSIGN_OR_RETURN(const SecurityState::Principal* principal, ExistingPrincipal(state, id));
  if (principal->disabled) {
    return absl::FailedPreconditionError(
        absl::StrCat("principal ", id, " is disabled: it takes no new roles or tokens"));
  }
  return principal;
}

// A well-formed grant. (Whether its agency exists is for the caller to check: the agencies
// are in the main log, the grants in the security log.)
absl::StatusOr<Grant> ValidGrant(absl::string_view field, const api::Grant& g) {
  if (!pb::Role_IsValid(g.role()) || g.role() == pb::ROLE_UNSPECIFIED) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".role ", static_cast<int>(g.role()),
        " is missing or unknown: admin, editor, finance, personnel, reader, auditor or "
        "personal_data"));
  }
  const pb::Scope& scope = g.scope();
  if (!scope.jurisdiction().empty() && !scope.agency_id().empty()) {
    return absl::InvalidArgumentError(absl::StrCat(
        field, ".scope names both a jurisdiction and an agency: a scope is one of them"));
  }
  if (!scope.jurisdiction().empty()) {
    RETURN_IF_ERROR(
        ValidateText(absl::StrCat(field, ".scope.jurisdiction"), scope.jurisdiction(), true));
  }
  if (!scope.agency_id().empty()) {
    RETURN_IF_ERROR(ValidateId(absl::StrCat(field, ".scope.agency_id"), scope.agency_id()));
  }
  Grant grant = GrantOf(g.role(), scope);
  if (grant.role == pb::ROLE_ADMIN && (!grant.jurisdiction.empty() || !grant.agency_id.empty())) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": an administrator's scope is everywhere (", DescribeGrant(grant),
                     " was asked); give a scoped principal the role it needs there instead"));
  }
  return grant;
}

bool IsGlobalAdmin(const Grant& g) {
  return g.role == pb::ROLE_ADMIN && g.jurisdiction.empty() && g.agency_id.empty();
}

// FAILED_PRECONDITION when `id` is the only enabled principal holding the administrator role.
absl::Status KeepAnAdministrator(const SecurityState& state, const std::string& id,
                                 absl::string_view what) {
  for (const auto& [other_id, other] : state.principals) {
    if (other_id == id || other.disabled) continue;
    for (const Grant& g : other.grants) {
      if (IsGlobalAdmin(g)) return absl::OkStatus();
    }
  }
  return absl::FailedPreconditionError(
      absl::StrCat(what,
                   " would leave no enabled administrator: grant the administrator role to another "
                   "principal first"));
}

void EmitToken(Decision& decision, const std::string& principal_id, const IssuedToken& token) {
  auto* e = decision.Emit<pb::TokenIssued>(kSecurityStream);
  e->set_principal_id(principal_id);
  e->set_token_id(token.token_id);
  e->set_token_sha256(token.sha256);
}

absl::Status CheckNewToken(const SecurityState& state, const SecurityState::Principal& principal,
                           const IssuedToken& token) {
  if (principal.token_ids.size() >= kTokensPerPrincipalMax) {
    return absl::FailedPreconditionError(
        absl::StrCat("the principal has had ", principal.token_ids.size(),
                     " tokens, the limit kTokensPerPrincipalMax: add a new principal"));
  }
  if (state.tokens.contains(token.token_id)) {
    // Two random 256-bit tokens whose digests share 48 bits: retry with another.
    return absl::AbortedError(absl::StrCat("token id ", token.token_id, " is taken; retry"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string RoleLabel(pb::Role role) { return EnumLabel(pb::Role_descriptor(), role, "role "); }

std::string DescribeGrant(const Grant& grant) {
  if (!grant.jurisdiction.empty()) {
    return absl::StrCat(RoleLabel(grant.role), " in ", grant.jurisdiction);
  }
  if (!grant.agency_id.empty()) {
    return absl::StrCat(RoleLabel(grant.role), " for agency ", grant.agency_id, " and below");
  }
  return absl::StrCat(RoleLabel(grant.role), " everywhere");
}

absl::StatusOr<Decision> DecideAddPrincipal(StateView& view, const api::AddPrincipalRequest& r,
                                            const IssuedToken* token) {
  RETURN_IF_ERROR(ValidatePrincipalId("principal_id", r.principal_id()));
  RETURN_IF_ERROR(ValidateText("display_name", r.display_name(), true));
  RETURN_IF_ERROR(ValidateText("certificate_cn", r.certificate_cn(), false));
  if (static_cast<size_t>(r.grants_size()) > kGrantsPerPrincipalMax) {
    return absl::InvalidArgumentError(absl::StrCat("grants has ", r.grants_size(),
                                                   " entries; the limit kGrantsPerPrincipalMax is ",
                                                   kGrantsPerPrincipalMax));
  }
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  if (state->principals.contains(r.principal_id())) {
    return absl::AlreadyExistsError(
        absl::StrCat("principal_id: principal ", r.principal_id(), " exists already"));
  }
  if (state->principals.size() >= kPrincipalsMax) {
    return absl::FailedPreconditionError(absl::StrCat("the system holds ", state->principals.size(),
                                                      " principals, the limit kPrincipalsMax"));
  }
  if (!r.certificate_cn().empty()) {
    for (const auto& [id, p] : state->principals) {
      if (p.certificate_cn == r.certificate_cn()) {
        return absl::AlreadyExistsError(absl::StrCat("certificate_cn ", r.certificate_cn(),
                                                     " already authenticates principal ", id));
      }
    }
  }
  std::set<Grant> grants;
  for (int i = 0; i < r.grants_size(); ++i) {
    ASSIGN_OR_RETURN(Grant grant, ValidGrant(absl::StrCat("grants[", i, "]"), r.grants(i)));
    if (!grants.insert(grant).second) {
      return absl::InvalidArgumentError(
          absl::StrCat("grants[", i, "] repeats ", DescribeGrant(grant)));
    }
  }
  Decision decision;
  auto* added = decision.Emit<pb::PrincipalAdded>(kSecurityStream);
  added->set_principal_id(r.principal_id());
  added->set_display_name(r.display_name());
  added->set_certificate_cn(r.certificate_cn());
  for (const api::Grant& g : r.grants()) {
    auto* e = decision.Emit<pb::RoleGranted>(kSecurityStream);
    e->set_principal_id(r.principal_id());
    e->set_role(g.role());
    *e->mutable_scope() = g.scope();
  }
  if (token != nullptr) {
    if (state->tokens.contains(token->token_id)) {
      return absl::AbortedError(absl::StrCat("token id ", token->token_id, " is taken; retry"));
    }
    EmitToken(decision, r.principal_id(), *token);
  }
  return decision;
}

absl::StatusOr<Decision> DecideIssueToken(StateView& view, const api::IssueTokenRequest& r,
                                          const IssuedToken& token) {
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  ASSIGN_OR_RETURN(const SecurityState::Principal* principal,
                   EnabledPrincipal(*state, r.principal_id()));
  RETURN_IF_ERROR(CheckNewToken(*state, *principal, token));
  Decision decision;
  EmitToken(decision, r.principal_id(), token);
  return decision;
}

absl::StatusOr<Decision> DecideRevokeToken(StateView& view, const api::RevokeTokenRequest& r) {
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  RETURN_IF_ERROR(ExistingPrincipal(*state, r.principal_id()).status());
  auto it = state->tokens.find(r.token_id());
  if (it == state->tokens.end() || it->second.principal_id != r.principal_id()) {
    return absl::NotFoundError(absl::StrCat("token_id: principal ", r.principal_id(),
                                            " has no token ", QuoteValue(r.token_id())));
  }
  if (it->second.revoked) {
    return absl::FailedPreconditionError(
        absl::StrCat("token ", r.token_id(), " of ", r.principal_id(), " is revoked already"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::TokenRevoked>(kSecurityStream);
  e->set_principal_id(r.principal_id());
  e->set_token_id(r.token_id());
  return decision;
}

absl::StatusOr<Decision> DecideGrantRole(StateView& view, const api::RoleRequest& r) {
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  ASSIGN_OR_RETURN(const SecurityState::Principal* principal,
                   EnabledPrincipal(*state, r.principal_id()));
  ASSIGN_OR_RETURN(Grant grant, ValidGrant("grant", r.grant()));
  if (principal->grants.contains(grant)) {
    return absl::AlreadyExistsError(
        absl::StrCat("principal ", r.principal_id(), " holds ", DescribeGrant(grant), " already"));
  }
  if (principal->grants.size() >= kGrantsPerPrincipalMax) {
    return absl::FailedPreconditionError(absl::StrCat("principal ", r.principal_id(), " holds ",
                                                      principal->grants.size(),
                                                      " roles, the limit kGrantsPerPrincipalMax"));
  }
  Decision decision;
  auto* e = decision.Emit<pb::RoleGranted>(kSecurityStream);
  e->set_principal_id(r.principal_id());
  e->set_role(r.grant().role());
  *e->mutable_scope() = r.grant().scope();
  return decision;
}

absl::StatusOr<Decision> DecideRevokeRole(StateView& view, const api::RoleRequest& r) {
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  ASSIGN_OR_RETURN(const SecurityState::Principal* principal,
                   ExistingPrincipal(*state, r.principal_id()));
  const Grant grant = GrantOf(r.grant().role(), r.grant().scope());
  if (!principal->grants.contains(grant)) {
    return absl::NotFoundError(
        absl::StrCat("principal ", r.principal_id(), " does not hold ", DescribeGrant(grant)));
  }
  if (IsGlobalAdmin(grant) && !principal->disabled) {
    RETURN_IF_ERROR(KeepAnAdministrator(
        *state, r.principal_id(),
        absl::StrCat("revoking ", DescribeGrant(grant), " from ", r.principal_id())));
  }
  Decision decision;
  auto* e = decision.Emit<pb::RoleRevoked>(kSecurityStream);
  e->set_principal_id(r.principal_id());
  e->set_role(r.grant().role());
  *e->mutable_scope() = r.grant().scope();
  return decision;
}

absl::StatusOr<Decision> DecideDisablePrincipal(StateView& view,
                                                const api::DisablePrincipalRequest& r) {
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  ASSIGN_OR_RETURN(const SecurityState::Principal* principal,
                   EnabledPrincipal(*state, r.principal_id()));
  for (const Grant& g : principal->grants) {
    if (IsGlobalAdmin(g)) {
      RETURN_IF_ERROR(KeepAnAdministrator(*state, r.principal_id(),
                                          absl::StrCat("disabling ", r.principal_id())));
      break;
    }
  }
  Decision decision;
  decision.Emit<pb::PrincipalDisabled>(kSecurityStream)->set_principal_id(r.principal_id());
  return decision;
}

}  // namespace reformlog::domain
