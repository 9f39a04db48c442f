#include "services/security/access_rules.h"

#include <algorithm>
#include <array>
#include <set>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "reformlog/api/v1/admin.pb.h"
#include "reformlog/api/v1/budget_commands.pb.h"
#include "reformlog/api/v1/budget_queries.pb.h"
#include "reformlog/api/v1/feed.pb.h"
#include "reformlog/api/v1/integrity.pb.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/org_queries.pb.h"
#include "reformlog/api/v1/power_commands.pb.h"
#include "reformlog/api/v1/power_queries.pb.h"
#include "reformlog/api/v1/reform_commands.pb.h"
#include "reformlog/api/v1/reform_queries.pb.h"
#include "reformlog/api/v1/security.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "reformlog/api/v1/staffing_queries.pb.h"

namespace reformlog::services::security {
namespace {

using google::protobuf::FieldDescriptor;
using P = Permission;

struct Declared {
  const char* service;  // short name, in package reformlog.api.v1
  const char* method;
  Permission permission;
  // Space-separated "kind:path", a trailing '?' marking an optional target.
  const char* targets;
  bool personal = false;  // the answer carries personal data: audited
};

// clang-format off
constexpr Declared kRules[] = {
    // 机构编制 (编办).
    {"OrgCommands", "EstablishAgency", P::kOrgWrite, "agency:agency.parent_id? jurisdiction:agency.jurisdiction?"},
    {"OrgCommands", "RenameAgency", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "AddExtraName", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "RemoveExtraName", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "ReparentAgency", P::kOrgWrite, "agency:agency_id agency:new_parent_id?"},
    {"OrgCommands", "RerankAgency", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "MergeAgencies", P::kOrgWrite, "agency:original_ids agency:absorbing_id? agency:new_agency.parent_id? jurisdiction:new_agency.jurisdiction?"},
    {"OrgCommands", "SplitAgency", P::kOrgWrite, "agency:agency_id agency:parts.agency.parent_id? jurisdiction:parts.agency.jurisdiction?"},
    {"OrgCommands", "AbolishAgency", P::kOrgWrite, "agency:agency_id agency:successor_id?"},
    {"OrgCommands", "CreateDivision", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "AbolishDivision", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "IssueMandate", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "ApproveLeaderPosts", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "TransferFunctions", P::kOrgWrite, "agency:from_agency_id agency:to_agency_id"},
    {"OrgCommands", "GrantQuota", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "WithdrawQuota", P::kOrgWrite, "agency:agency_id"},
    {"OrgCommands", "TransferQuota", P::kOrgWrite, "agency:from_agency_id agency:to_agency_id"},
    {"StaffingCommands", "LockRecords", P::kOrgWrite, "agency:agency_ids"},
    {"StaffingCommands", "UnlockRecords", P::kOrgWrite, "agency:agency_ids"},
    // 用编审批: the 编办 approves, declines, withdraws and sets the policy; the agency applies.
    {"StaffingCommands", "ApproveQuotaUse", P::kOrgWrite, "agency:agency_id"},
    {"StaffingCommands", "DeclineQuotaUse", P::kOrgWrite, "agency:agency_id"},
    {"StaffingCommands", "WithdrawQuotaUse", P::kOrgWrite, "agency:agency_id"},
    {"StaffingCommands", "SetQuotaUsePolicy", P::kOrgWrite, "jurisdiction:jurisdiction"},
    // 人员 (personnel).
    {"StaffingCommands", "RequestQuotaUse", P::kPeopleWrite, "agency:agency_id"},
    {"StaffingCommands", "RegisterPerson", P::kPeopleWrite, "agency:person.agency_id"},
    {"StaffingCommands", "RegisterPersons", P::kPeopleWrite, "agency:persons.agency_id"},
    {"StaffingCommands", "TransferPersons", P::kPeopleWrite, "agency:from_agency_id agency:to_agency_id"},
    {"StaffingCommands", "AppointLeader", P::kPeopleWrite, "agency:agency_id person:person_id"},
    {"StaffingCommands", "RemoveLeader", P::kPeopleWrite, "agency:agency_id person:person_id"},
    {"StaffingCommands", "RecordDeparture", P::kPeopleWrite, "person:person_id"},
    // 权责清单.
    {"PowerCommands", "CatalogPowers", P::kPowersWrite, "agency:items.holder_agency_id"},
    {"PowerCommands", "DelegatePowers", P::kPowersWrite, "power:codes agency:from_agency_id agency:to_agency_id"},
    {"PowerCommands", "ConcentratePowers", P::kPowersWrite, "power:codes agency:to_agency_id"},
    {"PowerCommands", "ReturnPowers", P::kPowersWrite, "power:codes"},
    // 预决算 (finance).
    {"BudgetCommands", "Appropriate", P::kBudgetWrite, "agency:agency_id"},
    {"BudgetCommands", "AdjustBudget", P::kBudgetWrite, "agency:agency_id"},
    {"BudgetCommands", "Disburse", P::kBudgetWrite, "agency:agency_id"},
    {"BudgetCommands", "RecordIncome", P::kBudgetWrite, "agency:agency_id"},
    {"BudgetCommands", "RecordCarryOver", P::kBudgetWrite, "agency:agency_id"},
    {"BudgetCommands", "DefineProject", P::kBudgetWrite, "agency:agency_id"},
    {"BudgetCommands", "RecordPerformance", P::kBudgetWrite, "agency:agency_id"},
    // 改革方案.
    {"ReformCommands", "DraftPlan", P::kReformWrite, "jurisdiction:jurisdiction"},
    {"ReformCommands", "ApprovePlan", P::kReformWrite, "plan:plan_id"},
    {"ReformCommands", "AddTask", P::kReformWrite, "plan:plan_id agency:agency_id"},
    {"ReformCommands", "CompleteTask", P::kReformWrite, "plan:plan_id"},
    {"ReformCommands", "ClosePlan", P::kReformWrite, "plan:plan_id"},
    // Queries.
    {"OrgQueries", "GetOrgTree", P::kRead, "jurisdiction:jurisdiction"},
    {"OrgQueries", "GetAgency", P::kRead, "agency:agency_id"},
    {"OrgQueries", "DiffOrg", P::kRead, "jurisdiction:jurisdiction"},
    {"OrgQueries", "GetLineage", P::kRead, "agency:agency_id"},
    {"StaffingQueries", "GetStaffing", P::kRead, "agency:agency_id? jurisdiction:jurisdiction?"},
    {"StaffingQueries", "CheckJurisdiction", P::kRead, "jurisdiction:jurisdiction"},
    {"StaffingQueries", "GetPerson", P::kRead, "person:person_id", true},
    {"StaffingQueries", "ListPeople", P::kRead, "agency:agency_id", true},
    {"PowerQueries", "ListPowers", P::kRead, "agency:holder_agency_id"},
    {"PowerQueries", "CountPowers", P::kRead, "agency:holder_agency_id"},
    {"PowerQueries", "GetPowerHistory", P::kRead, "power:code"},
    {"ReformQueries", "GetPlanProgress", P::kRead, "plan:plan_id"},
    {"ReformQueries", "ListPlans", P::kRead, "jurisdiction:jurisdiction"},
    {"BudgetQueries", "GetBudget", P::kBudgetRead, "agency:agency_id"},
    {"BudgetQueries", "GetFinalAccounts", P::kBudgetRead, "agency:agency_id"},
    {"BudgetQueries", "GetPerformance", P::kBudgetRead, "agency:agency_id"},
    // The whole log: unscoped only.
    {"EventFeed", "ReadAll", P::kFeedRead, "", true},
    {"EventFeed", "ReadStream", P::kFeedRead, "", true},
    {"EventFeed", "Head", P::kFeedRead, ""},
    {"EventFeed", "Subscribe", P::kFeedRead, "", true},
    // Administration.
    {"ProjectionAdmin", "Status", P::kRead, ""},
    {"ProjectionAdmin", "Rebuild", P::kAdmin, ""},
    // Tamper evidence: the auditor reads heads, checkpoints and proofs; admin signs, verifies.
    {"Integrity", "GetLogHead", P::kAuditRead, ""},
    {"Integrity", "ListCheckpoints", P::kAuditRead, ""},
    {"Integrity", "GetInclusionProof", P::kAuditRead, ""},
    {"Integrity", "GetConsistencyProof", P::kAuditRead, ""},
    {"Integrity", "SignCheckpoint", P::kAdmin, ""},
    {"Integrity", "VerifyLog", P::kAdmin, ""},
    {"Principals", "AddPrincipal", P::kAdmin, ""},
    {"Principals", "IssueToken", P::kAdmin, ""},
    {"Principals", "RevokeToken", P::kAdmin, ""},
    {"Principals", "GrantRole", P::kAdmin, ""},
    {"Principals", "RevokeRole", P::kAdmin, ""},
    {"Principals", "DisablePrincipal", P::kAdmin, ""},
    {"Principals", "ListPrincipals", P::kAuditRead, ""},
    {"Principals", "WhoAmI", P::kAuthenticated, ""},
    {"Principals", "ReadAudit", P::kAuditRead, ""},
};
// clang-format on

constexpr char kPackage[] = "reformlog.api.v1";

// Links every API file's descriptors into the generated pool.
void TouchApiFiles() {
  api::v1::ProjectionStatusRequest::descriptor();
  api::v1::AppropriateRequest::descriptor();
  api::v1::GetBudgetRequest::descriptor();
  api::v1::ReadAllRequest::descriptor();
  api::v1::GetLogHeadRequest::descriptor();
  api::v1::EstablishAgencyRequest::descriptor();
  api::v1::GetOrgTreeRequest::descriptor();
  api::v1::CatalogPowersRequest::descriptor();
  api::v1::ListPowersRequest::descriptor();
  api::v1::DraftPlanRequest::descriptor();
  api::v1::ListPlansRequest::descriptor();
  api::v1::AddPrincipalRequest::descriptor();
  api::v1::RegisterPersonRequest::descriptor();
  api::v1::GetStaffingRequest::descriptor();
}

bool ParseKind(absl::string_view word, TargetKind* kind) {
  constexpr std::array<TargetKind, 5> kKinds = {TargetKind::kAgency, TargetKind::kJurisdiction,
                                                TargetKind::kPerson, TargetKind::kPower,
                                                TargetKind::kPlan};
  const auto* found =
      std::ranges::find_if(kKinds, [&](TargetKind k) { return TargetKindName(k) == word; });
  if (found == kKinds.end()) return false;
  *kind = *found;
  return true;
}

absl::StatusOr<TargetField> Compile(const google::protobuf::Descriptor& input,
                                    absl::string_view spec, absl::string_view method) {
  TargetField target;
  std::pair<absl::string_view, absl::string_view> kind_path = absl::StrSplit(spec, ':');
  if (!ParseKind(kind_path.first, &target.kind)) {
    return absl::InternalError(absl::StrCat(method, ": unknown target kind in ", spec));
  }
  absl::string_view path = kind_path.second;
  target.optional = absl::ConsumeSuffix(&path, "?");
  target.path = std::string(path);
  const google::protobuf::Descriptor* type = &input;
  for (absl::string_view name : absl::StrSplit(path, '.')) {
    const FieldDescriptor* field =
        type == nullptr ? nullptr : type->FindFieldByName(std::string(name));
    if (field == nullptr) {
      return absl::InternalError(
          absl::StrCat(method, ": ", input.full_name(), " has no field path ", path));
    }
    target.fields.push_back(field);
    type = field->message_type();
  }
  if (target.fields.back()->type() != FieldDescriptor::TYPE_STRING) {
    return absl::InternalError(absl::StrCat(method, ": ", path, " is not a string field"));
  }
  return target;
}

// Appends every value at `fields[i..]` under `message`; `missing` is set when a singular
// message or string on the way is absent or empty.
void Collect(const google::protobuf::Message& message,
             const std::vector<const FieldDescriptor*>& fields, size_t i,
             std::vector<std::string>* out, bool* missing) {
  const FieldDescriptor* field = fields[i];
  const google::protobuf::Reflection* reflection = message.GetReflection();
  const bool last = i + 1 == fields.size();
  if (field->is_repeated()) {
    const int n = reflection->FieldSize(message, field);
    for (int k = 0; k < n; ++k) {
      if (last) {
        std::string value = reflection->GetRepeatedString(message, field, k);
        if (value.empty()) {
          *missing = true;
        } else {
          out->push_back(std::move(value));
        }
      } else {
        Collect(reflection->GetRepeatedMessage(message, field, k), fields, i + 1, out, missing);
      }
    }
    return;
  }
  if (last) {
    std::string value = reflection->GetString(message, field);
    if (value.empty()) {
      *missing = true;
    } else {
      out->push_back(std::move(value));
    }
    return;
  }
  if (!reflection->HasField(message, field)) {
    *missing = true;
    return;
  }
  Collect(reflection->GetMessage(message, field), fields, i + 1, out, missing);
}

}  // namespace

absl::string_view TargetKindName(TargetKind kind) {
  switch (kind) {
    case TargetKind::kAgency:
      return "agency";
    case TargetKind::kJurisdiction:
      return "jurisdiction";
    case TargetKind::kPerson:
      return "person";
    case TargetKind::kPower:
      return "power";
    case TargetKind::kPlan:
      return "plan";
  }
  return "?";
}

std::vector<Target> TargetsOf(const AccessRule& rule, const google::protobuf::Message& request) {
  std::vector<Target> targets;
  std::set<std::pair<TargetKind, std::string>> seen;
  for (const TargetField& target : rule.targets) {
    std::vector<std::string> values;
    bool missing = false;
    Collect(request, target.fields, 0, &values, &missing);
    if ((missing || values.empty()) && !target.optional) return {Target{target.kind, ""}};
    for (std::string& value : values) {
      if (seen.emplace(target.kind, value).second) {
        targets.push_back({target.kind, std::move(value)});
      }
    }
  }
  if (targets.empty()) return {Target{TargetKind::kJurisdiction, ""}};
  return targets;
}

absl::StatusOr<std::unique_ptr<AccessTable>> AccessTable::Build() {
  TouchApiFiles();
  auto table = std::make_unique<AccessTable>();
  const google::protobuf::DescriptorPool* pool = google::protobuf::DescriptorPool::generated_pool();
  for (const Declared& declared : kRules) {
    const std::string service = absl::StrCat(kPackage, ".", declared.service);
    const std::string method = absl::StrCat("/", service, "/", declared.method);
    const google::protobuf::MethodDescriptor* descriptor =
        pool->FindMethodByName(absl::StrCat(service, ".", declared.method));
    if (descriptor == nullptr) {
      return absl::InternalError(absl::StrCat("access rule for an unknown method ", method));
    }
    AccessRule rule;
    rule.method = method;
    rule.permission = declared.permission;
    rule.personal = declared.personal;
    for (absl::string_view spec : absl::StrSplit(declared.targets, ' ', absl::SkipEmpty())) {
      absl::StatusOr<TargetField> target = Compile(*descriptor->input_type(), spec, method);
      if (!target.ok()) return target.status();
      rule.targets.push_back(*std::move(target));
    }
    if (!table->by_method_.emplace(method, table->rules_.size()).second) {
      return absl::InternalError(absl::StrCat("two access rules for ", method));
    }
    table->rules_.push_back(std::move(rule));
  }
  return table;
}

const AccessRule* AccessTable::Find(absl::string_view method) const {
  auto it = by_method_.find(method);
  return it == by_method_.end() ? nullptr : &rules_[it->second];
}

}  // namespace reformlog::services::security
