#include "services/domain/security_decide.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "domain/quote.h"
#include "domain/refusal.h"
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
    return RefuseNotFound(absl::StrCat("principal_id: no principal ", id),
                          absl::StrCat("无用户", id));
  }
  return &it->second;
}

// As ExistingPrincipal, and FAILED_PRECONDITION once disabled.
absl::StatusOr<const SecurityState::Principal*> EnabledPrincipal(const SecurityState& state,
                                                                 absl::string_view id) {
  ASSIGN_OR_RETURN(const SecurityState::Principal* principal, ExistingPrincipal(state, id));
  if (principal->disabled) {
    return RefusePrecondition(
        absl::StrCat("principal ", id, " is disabled: it takes no new roles or tokens"),
        absl::StrCat("用户", id, "已停用，不能再授予角色或签发令牌"));
  }
  return principal;
}

// A well-formed grant. (Whether its agency exists is for the caller to check: the agencies
// are in the main log, the grants in the security log.)
absl::StatusOr<Grant> ValidGrant(absl::string_view field, const api::Grant& g) {
  if (!pb::Role_IsValid(g.role()) || g.role() == pb::ROLE_UNSPECIFIED) {
    return RefuseInvalid(
        absl::StrCat(field, ".role ", static_cast<int>(g.role()),
                     " is missing or unknown: admin, editor, finance, personnel, reader, auditor "
                     "or personal_data"),
        absl::StrCat(field, "：角色", static_cast<int>(g.role()),
                     "未给出或未知，应为系统管理员、编办业务员、财政业务员、人事业务员、查询员、"
                     "审计员或个人信息查阅之一"));
  }
  const pb::Scope& scope = g.scope();
  if (!scope.jurisdiction().empty() && !scope.agency_id().empty()) {
    return RefuseInvalid(
        absl::StrCat(field,
                     ".scope names both a jurisdiction and an agency: a scope is one of them"),
        absl::StrCat(field, "：授权范围只能是一个区域或一个机构，不能两者都给"));
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
    return RefuseInvalid(
        absl::StrCat(field, ": an administrator's scope is everywhere (", DescribeGrant(grant),
                     " was asked); give a scoped principal the role it needs there instead"),
        absl::StrCat(field, "：系统管理员的授权范围是全部（所请求的是", DescribeGrantZh(grant),
                     "）；请改为授予该用户在该范围内所需的角色"));
  }
  return grant;
}

bool IsGlobalAdmin(const Grant& g) {
  return g.role == pb::ROLE_ADMIN && g.jurisdiction.empty() && g.agency_id.empty();
}

// FAILED_PRECONDITION when `id` is the only enabled principal holding the administrator role.
absl::Status KeepAnAdministrator(const SecurityState& state, const std::string& id,
                                 absl::string_view what, absl::string_view what_zh) {
  for (const auto& [other_id, other] : state.principals) {
    if (other_id == id || other.disabled) continue;
    for (const Grant& g : other.grants) {
      if (IsGlobalAdmin(g)) return absl::OkStatus();
    }
  }
  return RefusePrecondition(
      absl::StrCat(what,
                   " would leave no enabled administrator: grant the administrator role to another "
                   "principal first"),
      absl::StrCat(what_zh, "后将没有在用的系统管理员：请先将系统管理员角色授予另一用户"));
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
    return RefusePrecondition(
        absl::StrCat("the principal has had ", principal.token_ids.size(),
                     " tokens, the limit kTokensPerPrincipalMax: add a new principal"),
        absl::StrCat("该用户已签发", principal.token_ids.size(), "个令牌，达到上限，请新建用户"));
  }
  if (state.tokens.contains(token.token_id)) {
    // Two random 256-bit tokens whose digests share 48 bits: retry with another.
    return Refusal(absl::StatusCode::kAborted,
                   absl::StrCat("token id ", token.token_id, " is taken; retry"),
                   absl::StrCat("令牌编号", token.token_id, "已被占用，请重试"));
  }
  return absl::OkStatus();
}

}  // namespace

std::string RoleLabel(pb::Role role) { return EnumLabel(pb::Role_descriptor(), role, "role "); }

std::string DescribeGrantZh(const Grant& grant) {
  if (!grant.jurisdiction.empty()) {
    return absl::StrCat(RoleLabel(grant.role), "（", grant.jurisdiction, "）");
  }
  if (!grant.agency_id.empty()) {
    return absl::StrCat(RoleLabel(grant.role), "（", grant.agency_id, "及其下属机构）");
  }
  return absl::StrCat(RoleLabel(grant.role), "（全部）");
}

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
    return RefuseInvalid(
        absl::StrCat("grants has ", r.grants_size(),
                     " entries; the limit kGrantsPerPrincipalMax is ", kGrantsPerPrincipalMax),
        absl::StrCat("授予角色", r.grants_size(), "项，超过上限", kGrantsPerPrincipalMax, "项"));
  }
  ASSIGN_OR_RETURN(const SecurityState* state, view.Security());
  if (state->principals.contains(r.principal_id())) {
    return Refusal(absl::StatusCode::kAlreadyExists,
                   absl::StrCat("principal_id: principal ", r.principal_id(), " exists already"),
                   absl::StrCat("用户", r.principal_id(), "已存在"));
  }
  if (state->principals.size() >= kPrincipalsMax) {
    return RefusePrecondition(
        absl::StrCat("the system holds ", state->principals.size(),
                     " principals, the limit kPrincipalsMax"),
        absl::StrCat("系统已有用户", state->principals.size(), "个，达到上限"));
  }
  if (!r.certificate_cn().empty()) {
    for (const auto& [id, p] : state->principals) {
      if (p.certificate_cn == r.certificate_cn()) {
        return Refusal(absl::StatusCode::kAlreadyExists,
                       absl::StrCat("certificate_cn ", r.certificate_cn(),
                                    " already authenticates principal ", id),
                       absl::StrCat("证书名称", r.certificate_cn(), "已用于用户", id));
      }
    }
  }
  std::set<Grant> grants;
  for (int i = 0; i < r.grants_size(); ++i) {
    ASSIGN_OR_RETURN(Grant grant, ValidGrant(absl::StrCat("grants[", i, "]"), r.grants(i)));
    if (!grants.insert(grant).second) {
      return RefuseInvalid(absl::StrCat("grants[", i, "] repeats ", DescribeGrant(grant)),
                           absl::StrCat("grants[", i, "]：重复授予", DescribeGrantZh(grant)));
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
      return Refusal(absl::StatusCode::kAborted,
                     absl::StrCat("token id ", token->token_id, " is taken; retry"),
                     absl::StrCat("令牌编号", token->token_id, "已被占用，请重试"));
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
    return RefuseNotFound(
        absl::StrCat("token_id: principal ", r.principal_id(), " has no token ",
                     QuoteValue(r.token_id())),
        absl::StrCat("用户", r.principal_id(), "无令牌", QuoteValue(r.token_id())));
  }
  if (it->second.revoked) {
    return RefusePrecondition(
        absl::StrCat("token ", r.token_id(), " of ", r.principal_id(), " is revoked already"),
        absl::StrCat("用户", r.principal_id(), "的令牌", r.token_id(), "已吊销"));
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
    return Refusal(
        absl::StatusCode::kAlreadyExists,
        absl::StrCat("principal ", r.principal_id(), " holds ", DescribeGrant(grant), " already"),
        absl::StrCat("用户", r.principal_id(), "已有", DescribeGrantZh(grant)));
  }
  if (principal->grants.size() >= kGrantsPerPrincipalMax) {
    return RefusePrecondition(
        absl::StrCat("principal ", r.principal_id(), " holds ", principal->grants.size(),
                     " roles, the limit kGrantsPerPrincipalMax"),
        absl::StrCat("用户", r.principal_id(), "已有角色", principal->grants.size(),
                     "项，达到上限"));
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
    return RefuseNotFound(
        absl::StrCat("principal ", r.principal_id(), " does not hold ", DescribeGrant(grant)),
        absl::StrCat("用户", r.principal_id(), "没有", DescribeGrantZh(grant)));
  }
  if (IsGlobalAdmin(grant) && !principal->disabled) {
    RETURN_IF_ERROR(KeepAnAdministrator(
        *state, r.principal_id(),
        absl::StrCat("revoking ", DescribeGrant(grant), " from ", r.principal_id()),
        absl::StrCat("撤销用户", r.principal_id(), "的", DescribeGrantZh(grant))));
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
                                          absl::StrCat("disabling ", r.principal_id()),
                                          absl::StrCat("停用用户", r.principal_id())));
      break;
    }
  }
  Decision decision;
  decision.Emit<pb::PrincipalDisabled>(kSecurityStream)->set_principal_id(r.principal_id());
  return decision;
}

}  // namespace reformlog::domain
