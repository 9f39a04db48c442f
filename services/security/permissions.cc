#include "services/security/permissions.h"

#include <algorithm>
#include <array>
#include <initializer_list>

namespace reformlog::services::security {
namespace {

namespace pb = ::reformlog::domain::v1;

struct PermissionInfo {
  absl::string_view name;
  absl::string_view label;
};

constexpr std::array<PermissionInfo, kPermissionCount> kPermissions = {{
    {"org.write", "机构编制变更"},
    {"people.write", "人员变动登记"},
    {"powers.write", "权责清单变更"},
    {"budget.write", "预算收支登记"},
    {"reform.write", "改革方案管理"},
    {"read", "查询"},
    {"budget.read", "预算查询"},
    {"personal_data", "个人信息查阅"},
    {"feed.read", "事件流读取"},
    {"audit.read", "审计查阅"},
    {"admin", "系统管理"},
    {"authenticated", "已认证"},
}};

struct RoleInfo {
  pb::Role role;
  std::initializer_list<Permission> permissions;
};

using P = Permission;
const std::array<RoleInfo, 7> kRoles = {{
    {pb::ROLE_ADMIN, {}},  // everything: see RoleAllows
    {pb::ROLE_EDITOR, {P::kOrgWrite, P::kPowersWrite, P::kReformWrite, P::kRead, P::kBudgetRead}},
    {pb::ROLE_FINANCE, {P::kBudgetWrite, P::kBudgetRead, P::kRead}},
    {pb::ROLE_PERSONNEL, {P::kPeopleWrite, P::kRead}},
    {pb::ROLE_READER, {P::kRead, P::kBudgetRead}},
    // Reads everything, the feed and the audit trail included; personal data only together
    // with ROLE_PERSONAL_DATA (redacted otherwise).
    {pb::ROLE_AUDITOR, {P::kRead, P::kBudgetRead, P::kFeedRead, P::kAuditRead}},
    {pb::ROLE_PERSONAL_DATA, {P::kPersonalData}},
}};

const RoleInfo* Find(pb::Role role) {
  for (const RoleInfo& info : kRoles) {
    if (info.role == role) return &info;
  }
  return nullptr;
}

}  // namespace

absl::string_view PermissionName(Permission permission) {
  return kPermissions[static_cast<size_t>(permission)].name;
}

absl::string_view PermissionLabel(Permission permission) {
  return kPermissions[static_cast<size_t>(permission)].label;
}

bool RoleAllows(pb::Role role, Permission permission) {
  const RoleInfo* info = Find(role);
  if (info == nullptr) return false;
  if (role == pb::ROLE_ADMIN || permission == Permission::kAuthenticated) return true;
  return std::ranges::any_of(info->permissions, [&](Permission p) { return p == permission; });
}

std::vector<std::string> PermissionNames(pb::Role role) {
  std::vector<std::string> names;
  for (int i = 0; i < kPermissionCount; ++i) {
    if (RoleAllows(role, static_cast<Permission>(i))) {
      names.emplace_back(PermissionName(static_cast<Permission>(i)));
    }
  }
  return names;
}

}  // namespace reformlog::services::security
