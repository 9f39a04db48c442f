// The access table covers every RPC reformd serves — every method of every service of
// reformlog.api.v1 — and every field path of it names a string field; TargetsOf reads the
// values a rule names, and a required target that is empty stands for everything.
#include "services/security/access_rules.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "google/protobuf/descriptor.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/power_queries.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"

namespace reformlog::services::security {
namespace {

namespace api = ::reformlog::api::v1;

std::unique_ptr<AccessTable> Table() {
  absl::StatusOr<std::unique_ptr<AccessTable>> table = AccessTable::Build();
  EXPECT_TRUE(table.ok()) << table.status();
  return table.ok() ? *std::move(table) : nullptr;
}

TEST(AccessRulesTest, EveryMethodOfEveryApiServiceHasARule) {
  std::unique_ptr<AccessTable> table = Table();
  ASSERT_NE(table, nullptr);
  // Build() links every API file; walk the package's services in the generated pool.
  const google::protobuf::FileDescriptor* any_file =
      api::EstablishAgencyRequest::descriptor()->file();
  const google::protobuf::DescriptorPool* pool = any_file->pool();
  const std::vector<std::string> files = {"reformlog/api/v1/admin.proto",
                                          "reformlog/api/v1/budget_commands.proto",
                                          "reformlog/api/v1/budget_queries.proto",
                                          "reformlog/api/v1/feed.proto",
                                          "reformlog/api/v1/org_commands.proto",
                                          "reformlog/api/v1/org_queries.proto",
                                          "reformlog/api/v1/power_commands.proto",
                                          "reformlog/api/v1/power_queries.proto",
                                          "reformlog/api/v1/reform_commands.proto",
                                          "reformlog/api/v1/reform_queries.proto",
                                          "reformlog/api/v1/security.proto",
                                          "reformlog/api/v1/staffing_commands.proto",
                                          "reformlog/api/v1/staffing_queries.proto",
                                          "reformlog/api/v1/integrity.proto"};
  size_t methods = 0;
  for (const std::string& name : files) {
    const google::protobuf::FileDescriptor* file = pool->FindFileByName(name);
    ASSERT_NE(file, nullptr) << name;
    for (int s = 0; s < file->service_count(); ++s) {
      const google::protobuf::ServiceDescriptor* service = file->service(s);
      for (int m = 0; m < service->method_count(); ++m) {
        const std::string method =
            absl::StrCat("/", service->full_name(), "/", service->method(m)->name());
        EXPECT_NE(table->Find(method), nullptr) << method << " has no access rule";
        ++methods;
      }
    }
  }
  EXPECT_EQ(table->rules().size(), methods) << "a rule for a method no service has";
}

TEST(AccessRulesTest, TargetsAreTheValuesTheRuleNames) {
  std::unique_ptr<AccessTable> table = Table();
  ASSERT_NE(table, nullptr);
  const AccessRule* register_persons =
      table->Find("/reformlog.api.v1.StaffingCommands/RegisterPersons");
  ASSERT_NE(register_persons, nullptr);
  api::RegisterPersonsRequest r;
  r.add_persons()->set_agency_id("xq-a");
  r.add_persons()->set_agency_id("xq-b");
  r.add_persons()->set_agency_id("xq-a");
  std::vector<Target> targets = TargetsOf(*register_persons, r);
  ASSERT_EQ(targets.size(), 2u) << "deduplicated";
  EXPECT_EQ(targets[0].id, "xq-a");
  EXPECT_EQ(targets[1].id, "xq-b");
  EXPECT_EQ(targets[0].kind, TargetKind::kAgency);

  // One person without an agency: the request is not limited to named agencies.
  r.add_persons();
  targets = TargetsOf(*register_persons, r);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_TRUE(targets[0].id.empty());

  // Optional targets: an empty parent is skipped, the jurisdiction is the target.
  const AccessRule* establish = table->Find("/reformlog.api.v1.OrgCommands/EstablishAgency");
  ASSERT_NE(establish, nullptr);
  api::EstablishAgencyRequest e;
  e.mutable_agency()->set_jurisdiction("西区");
  targets = TargetsOf(*establish, e);
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_EQ(targets[0].kind, TargetKind::kJurisdiction);
  EXPECT_EQ(targets[0].id, "西区");

  // An empty filter (every holder) is everything.
  const AccessRule* list = table->Find("/reformlog.api.v1.PowerQueries/ListPowers");
  ASSERT_NE(list, nullptr);
  targets = TargetsOf(*list, api::ListPowersRequest());
  ASSERT_EQ(targets.size(), 1u);
  EXPECT_TRUE(targets[0].id.empty());
}

TEST(AccessRulesTest, RolesCarryTheirPermissionsAndNoOthers) {
  namespace pb = ::reformlog::domain::v1;
  EXPECT_TRUE(RoleAllows(pb::ROLE_ADMIN, Permission::kAdmin));
  EXPECT_TRUE(RoleAllows(pb::ROLE_FINANCE, Permission::kBudgetWrite));
  EXPECT_FALSE(RoleAllows(pb::ROLE_FINANCE, Permission::kOrgWrite));
  EXPECT_FALSE(RoleAllows(pb::ROLE_AUDITOR, Permission::kOrgWrite));
  EXPECT_TRUE(RoleAllows(pb::ROLE_AUDITOR, Permission::kFeedRead));
  EXPECT_FALSE(RoleAllows(pb::ROLE_READER, Permission::kPersonalData));
  EXPECT_FALSE(RoleAllows(pb::ROLE_AUDITOR, Permission::kPersonalData)) << "granted on its own";
  EXPECT_FALSE(RoleAllows(pb::ROLE_UNSPECIFIED, Permission::kAuthenticated));
  for (pb::Role role : {pb::ROLE_EDITOR, pb::ROLE_FINANCE, pb::ROLE_PERSONNEL, pb::ROLE_READER,
                        pb::ROLE_AUDITOR, pb::ROLE_PERSONAL_DATA}) {
    EXPECT_FALSE(RoleAllows(role, Permission::kAdmin)) << pb::Role_Name(role);
    EXPECT_TRUE(RoleAllows(role, Permission::kAuthenticated)) << pb::Role_Name(role);
  }
}

}  // namespace
}  // namespace reformlog::services::security
