// Decisions of access control (Principals): principals, their roles with a scope, and their
// bearer tokens, all in the one stream `security`. Pure: see decision.h. The token itself is
// made by the caller (services/security/tokens.h) and only its digest reaches a decision.
//
// They run over the security log (a store of its own beside the main log: reformd_server.h),
// whose one stream `security` is all they read; that an agency a scope names exists is
// checked by the caller against the main log.
//
// Rules: a principal id is new ([a-z0-9._-], 1–63 bytes) and so is its certificate common
// name; a role is granted once per scope and revoked only where held; an administrator's
// scope is everywhere; a scope names one jurisdiction or one agency, not both; the
// last enabled administrator cannot lose the role or be disabled (no one could manage access
// after). Unknown principals and tokens are NOT_FOUND; a disabled principal takes no new
// grants or tokens (FAILED_PRECONDITION).
#ifndef REFORMLOG_SERVICES_DOMAIN_SECURITY_DECIDE_H_
#define REFORMLOG_SERVICES_DOMAIN_SECURITY_DECIDE_H_

#include <cstddef>
#include <string>

#include "absl/status/statusor.h"
#include "reformlog/api/v1/security.pb.h"
#include "services/domain/decision.h"

namespace reformlog::domain {

namespace api = ::reformlog::api::v1;

// Principals the system holds; each security decision folds them all.
inline constexpr size_t kPrincipalsMax = 10'000;
// Roles one principal holds (role × scope), and tokens issued to it over its life.
inline constexpr size_t kGrantsPerPrincipalMax = 256;
inline constexpr size_t kTokensPerPrincipalMax = 1'000;

// A token made by the caller: its id and the SHA-256 of its text.
struct IssuedToken {
  std::string token_id;
  std::string sha256;
};

// `token` may be null (no token asked for).
absl::StatusOr<Decision> DecideAddPrincipal(StateView& view, const api::AddPrincipalRequest& r,
                                            const IssuedToken* token);
absl::StatusOr<Decision> DecideIssueToken(StateView& view, const api::IssueTokenRequest& r,
                                          const IssuedToken& token);
absl::StatusOr<Decision> DecideRevokeToken(StateView& view, const api::RevokeTokenRequest& r);
absl::StatusOr<Decision> DecideGrantRole(StateView& view, const api::RoleRequest& r);
absl::StatusOr<Decision> DecideRevokeRole(StateView& view, const api::RoleRequest& r);
absl::StatusOr<Decision> DecideDisablePrincipal(StateView& view,
                                                const api::DisablePrincipalRequest& r);

// How messages name a grant: "编办业务员 in 西区", "财政业务员 for agency xq-czj and below",
// "系统管理员 everywhere".
std::string DescribeGrant(const SecurityState::Grant& grant);
// The same in Chinese: "编办业务员（西区）", "审计员（agency-x及其下属机构）",
// "系统管理员（全部）".
std::string DescribeGrantZh(const SecurityState::Grant& grant);
std::string RoleLabel(pb::Role role);

}  // namespace reformlog::domain

#endif  // REFORMLOG_SERVICES_DOMAIN_SECURITY_DECIDE_H_
