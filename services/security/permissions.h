// Permissions and roles: what each role (security_events.proto) allows. A permission is
// checked on every RPC (access_rules.h says which); a role is a fixed set of them. The table
// is here and nowhere else.
//
//   role            permissions
//   admin           all
//   editor (编办)    org.write powers.write reform.write read budget.read
//   finance         budget.write budget.read read
//   personnel       people.write read
//   reader          read budget.read
//   auditor         read budget.read feed.read audit.read personal_data
//   personal_data   personal_data
#ifndef REFORMLOG_SERVICES_SECURITY_PERMISSIONS_H_
#define REFORMLOG_SERVICES_SECURITY_PERMISSIONS_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "reformlog/domain/v1/security_events.pb.h"

namespace reformlog::services::security {

enum class Permission : uint8_t {
  kOrgWrite,       // agencies, restructures, 三定, quotas, record locks
  kPeopleWrite,    // register, transfer, appoint, remove, depart
  kPowersWrite,    // the power list
  kBudgetWrite,    // appropriations, adjustments, disbursements, income, carry-over, projects
  kReformWrite,    // reform plans and tasks
  kRead,           // org, staffing, powers and reform queries; projection status
  kBudgetRead,     // budget queries
  kPersonalData,   // names and other personal fields, unredacted
  kFeedRead,       // the event feed: every event of the log
  kAuditRead,      // the audit trail and the list of principals
  kAdmin,          // principals, roles, tokens; projection rebuilds
  kAuthenticated,  // anyone authenticated (WhoAmI)
};
inline constexpr int kPermissionCount = 12;

// "budget.write".
absl::string_view PermissionName(Permission permission);
// "预算收支登记".
absl::string_view PermissionLabel(Permission permission);

// Whether `role` carries `permission`. Every role carries kAuthenticated.
bool RoleAllows(domain::v1::Role role, Permission permission);

// The names of the permissions `role` carries, in enum order.
std::vector<std::string> PermissionNames(domain::v1::Role role);

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_PERMISSIONS_H_
