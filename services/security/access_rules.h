// The access table: for every RPC reformd serves, the permission it needs and how the scope
// it touches is found in its request. The one place authorization is declared (guard.h
// enforces it); a method missing here is refused to everyone (tests/services/security check
// that every method of every service has a rule and every field path resolves).
//
// A rule's targets are fields of the request, by dotted path through messages and repeated
// fields ("persons.agency_id" is the agency_id of every element of `persons`), each with the
// kind of thing it names:
//   agency        an agency id: in scope when it or one of its ancestors is the scope's agency,
//                 or its jurisdiction is the scope's jurisdiction
//   jurisdiction  in scope when it is the scope's jurisdiction
//   person        a person id: in scope when the agency the person is in is
//   power         a power item's code: in scope when its current holder is
//   plan          a reform plan id: in scope when its jurisdiction is
// An empty value of a required target (or a rule whose targets are all absent) stands for
// everything: only an unscoped grant covers it. An optional target (`?`) that is empty is
// skipped. A rule without targets needs an unscoped grant. A rule marked `personal` answers
// with personal data: every such read goes to the audit trail (guard.h).
#ifndef REFORMLOG_SERVICES_SECURITY_ACCESS_RULES_H_
#define REFORMLOG_SERVICES_SECURITY_ACCESS_RULES_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "services/security/permissions.h"

namespace reformlog::services::security {

enum class TargetKind { kAgency, kJurisdiction, kPerson, kPower, kPlan };

// "agency", "jurisdiction", …
absl::string_view TargetKindName(TargetKind kind);

// One target of a rule, its path resolved against the request type.
struct TargetField {
  TargetKind kind = TargetKind::kAgency;
  std::string path;
  bool optional = false;
  std::vector<const google::protobuf::FieldDescriptor*> fields;  // the path, resolved
};

struct AccessRule {
  std::string method;  // "/reformlog.api.v1.OrgCommands/EstablishAgency"
  Permission permission = Permission::kAdmin;
  std::vector<TargetField> targets;
  // Its answer carries personal data (names, departure reasons, …): every call is audited.
  bool personal = false;
};

// One value a request names.
struct Target {
  TargetKind kind = TargetKind::kAgency;
  std::string id;  // empty: everything
};

// The scope-relevant values of `request` under `rule` (deduplicated, in field order); a single
// empty-id target when the rule needs everything.
std::vector<Target> TargetsOf(const AccessRule& rule, const google::protobuf::Message& request);

// The compiled table, by method. Built once from the declarations in access_rules.cc against
// the generated descriptor pool.
class AccessTable {
 public:
  // INTERNAL naming the rule when a method or a field path does not resolve, or a rule is
  // declared twice.
  static absl::StatusOr<std::unique_ptr<AccessTable>> Build();

  // The rule of `method`, or null.
  const AccessRule* Find(absl::string_view method) const;
  const std::vector<AccessRule>& rules() const { return rules_; }

 private:
  std::vector<AccessRule> rules_;
  absl::flat_hash_map<std::string, size_t> by_method_;
};

}  // namespace reformlog::services::security

#endif  // REFORMLOG_SERVICES_SECURITY_ACCESS_RULES_H_
