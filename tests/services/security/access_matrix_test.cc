// Who may call what, over a real reformd: every RPC called as every role — unscoped, scoped
// to the jurisdiction 西区, scoped to the agency xq-czj — on a request inside that scope and
// one in 东区, against the expectations of the tables below (written out here, apart from
// the server's own table). Commands are dry runs, so the log stays as it is whatever the
// outcome: after every call the heads of the main log and the security log are unchanged.
// A call allowed may still be refused by the domain (NOT_FOUND, FAILED_PRECONDITION, …) —
// what matters is that it got past the guard; a call not allowed is PERMISSION_DENIED naming
// the permission. Without credentials every RPC is UNAUTHENTICATED.
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/notification.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/admin.pb.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/budget_queries.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/integrity.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/org_queries.pb.h"
#include "reformlog/api/v1/power_commands.grpc.pb.h"
#include "reformlog/api/v1/power_queries.pb.h"
#include "reformlog/api/v1/reform_commands.grpc.pb.h"
#include "reformlog/api/v1/reform_queries.pb.h"
#include "reformlog/api/v1/security.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.pb.h"
#include "tests/testing/feed_reads.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using Message = google::protobuf::Message;
using ::testing::HasSubstr;

// What each role may do, as the README's roles table says.
const std::map<std::string, std::set<std::string>>& RolePermissions() {
  static const auto* table = new std::map<std::string, std::set<std::string>>{
      {"editor", {"org.write", "powers.write", "reform.write", "read", "budget.read"}},
      {"finance", {"budget.write", "budget.read", "read"}},
      {"personnel", {"people.write", "read"}},
      {"reader", {"read", "budget.read"}},
      {"auditor", {"read", "budget.read", "feed.read", "audit.read"}},
      {"personal_data", {"personal_data"}},
  };
  return *table;
}

// How far a call's inside-scope request reaches: agencies at or below xq-czj only; the
// jurisdiction 西区 (or an agency above xq-czj); everything (no scope covers it).
enum class Reach { kAgency, kJurisdiction, kEverything };

struct Row {
  std::string method;      // "OrgCommands/RenameAgency"
  std::string permission;  // what the call needs
  Reach reach;
  std::function<std::unique_ptr<Message>(bool inside)> request;
};

struct Principal {
  std::string id;
  std::string role;          // "admin" for the built-in administrator
  std::string jurisdiction;  // scope; both empty: everywhere
  std::string agency;
  std::shared_ptr<grpc::Channel> channel;
};

bool Allowed(const Principal& p, const Row& row, bool inside) {
  if (row.permission == "authenticated") return true;
  if (p.role != "admin" && !RolePermissions().at(p.role).contains(row.permission)) return false;
  if (p.jurisdiction.empty() && p.agency.empty()) return true;
  if (!inside || row.reach == Reach::kEverything) return false;
  return !p.jurisdiction.empty() || row.reach == Reach::kAgency;
}

api::CommandHeader DryRun() {
  api::CommandHeader h;
  h.set_request_id("matrix");
  h.mutable_basis()->set_number("西委编〔2019〕9号");
  h.set_effective_date("2019-06-01");
  h.set_dry_run(true);
  return h;
}

// A command request of type T with a dry-run header, filled by `fill(request, inside)`.
template <typename T>
std::function<std::unique_ptr<Message>(bool)> Command(std::function<void(T&, bool)> fill) {
  return [fill](bool inside) {
    auto r = std::make_unique<T>();
    *r->mutable_header() = DryRun();
    fill(*r, inside);
    return r;
  };
}
template <typename T>
std::function<std::unique_ptr<Message>(bool)> Query(std::function<void(T&, bool)> fill) {
  return [fill](bool inside) {
    auto r = std::make_unique<T>();
    fill(*r, inside);
    return r;
  };
}

std::string Czj(bool inside) { return inside ? "xq-czj" : "dq-czj"; }
std::string Gov(bool inside) { return inside ? "xq-gov" : "dq-gov"; }
std::string Jurisdiction(bool inside) { return inside ? "西区" : "东区"; }
std::string Person(bool inside) { return inside ? "p-xq" : "p-dq"; }
std::string Power(bool inside) { return inside ? "xq-pw1" : "dq-pw1"; }
std::string Plan(bool inside) { return inside ? "plan-xq" : "plan-dq"; }
pb::BudgetLine BasicLine() {
  return testing::requests::Line(pb::GENERAL_PUBLIC_BUDGET, "2010101", "30101");
}

std::vector<Row> Rows() {
  using R = Reach;
  std::vector<Row> rows = {
      {"OrgCommands/EstablishAgency", "org.write", R::kJurisdiction,
       Command<api::EstablishAgencyRequest>([](auto& r, bool in) {
         *r.mutable_agency() = testing::requests::Agency(
             "new-unit", "新机构", pb::PUBLIC_INSTITUTION, Czj(in), Jurisdiction(in));
       })},
      {"OrgCommands/RenameAgency", "org.write", R::kAgency,
       Command<api::RenameAgencyRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_new_name("财政局");
       })},
      {"OrgCommands/AddExtraName", "org.write", R::kAgency,
       Command<api::ExtraNameRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_name("国资办");
       })},
      {"OrgCommands/RemoveExtraName", "org.write", R::kAgency,
       Command<api::ExtraNameRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_name("国资办");
       })},
      {"OrgCommands/ReparentAgency", "org.write", R::kJurisdiction,
       Command<api::ReparentAgencyRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_new_parent_id(Gov(in));
       })},
      {"OrgCommands/RerankAgency", "org.write", R::kAgency,
       Command<api::RerankAgencyRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_new_rank(pb::DIVISION_CHIEF);
       })},
      {"OrgCommands/MergeAgencies", "org.write", R::kJurisdiction,
       Command<api::MergeAgenciesRequest>([](auto& r, bool in) {
         r.add_original_ids(Czj(in));
         r.set_absorbing_id(Gov(in));
       })},
      {"OrgCommands/SplitAgency", "org.write", R::kJurisdiction,
       Command<api::SplitAgencyRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         *r.add_parts()->mutable_agency() = testing::requests::Agency(
             "part-a", "甲", pb::GOVERNMENT_DEPARTMENT, Gov(in), Jurisdiction(in));
       })},
      {"OrgCommands/AbolishAgency", "org.write", R::kAgency,
       Command<api::AbolishAgencyRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_reason("撤销");
       })},
      {"OrgCommands/CreateDivision", "org.write", R::kAgency,
       Command<api::CreateDivisionRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.mutable_division()->set_division_id("d1");
         r.mutable_division()->set_name("办公室");
       })},
      {"OrgCommands/AbolishDivision", "org.write", R::kAgency,
       Command<api::AbolishDivisionRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_division_id("d1");
       })},
      {"OrgCommands/IssueMandate", "org.write", R::kAgency,
       Command<api::IssueMandateRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.add_functions("财政管理");
       })},
      {"OrgCommands/TransferFunctions", "org.write", R::kJurisdiction,
       Command<api::TransferFunctionsRequest>([](auto& r, bool in) {
         r.set_from_agency_id(Czj(in));
         r.set_to_agency_id(Gov(in));
         r.add_functions("财政管理");
       })},
      {"OrgCommands/GrantQuota", "org.write", R::kAgency,
       Command<api::ChangeQuotaRequest>([](auto& r, bool in) {
         r = testing::requests::ChangeQuota(Czj(in), pb::ADMINISTRATIVE, 1);
         *r.mutable_header() = DryRun();
       })},
      {"OrgCommands/WithdrawQuota", "org.write", R::kAgency,
       Command<api::ChangeQuotaRequest>([](auto& r, bool in) {
         r = testing::requests::ChangeQuota(Czj(in), pb::ADMINISTRATIVE, 1);
         *r.mutable_header() = DryRun();
       })},
      {"OrgCommands/TransferQuota", "org.write", R::kJurisdiction,
       Command<api::TransferQuotaRequest>([](auto& r, bool in) {
         r.set_from_agency_id(Czj(in));
         r.set_to_agency_id(Gov(in));
         r.set_category(pb::ADMINISTRATIVE);
         r.set_count(1);
       })},
      {"StaffingCommands/LockRecords", "org.write", R::kAgency,
       Command<api::LockRecordsRequest>([](auto& r, bool in) { r.add_agency_ids(Czj(in)); })},
      {"StaffingCommands/UnlockRecords", "org.write", R::kAgency,
       Command<api::LockRecordsRequest>([](auto& r, bool in) { r.add_agency_ids(Czj(in)); })},
      {"StaffingCommands/RequestQuotaUse", "people.write", R::kAgency,
       Command<api::RequestQuotaUseRequest>([](auto& r, bool in) {
         r.set_notice_id("n-1");
         r.set_agency_id(Czj(in));
         r.set_category(pb::ADMINISTRATIVE);
         r.set_count(1);
         r.set_purpose("公开招聘");
       })},
      {"StaffingCommands/ApproveQuotaUse", "org.write", R::kAgency,
       Command<api::ApproveQuotaUseRequest>([](auto& r, bool in) {
         r.set_notice_id("n-1");
         r.set_agency_id(Czj(in));
         r.set_notice_number("西编用〔2019〕1号");
         r.set_valid_until("2019-12-31");
       })},
      {"StaffingCommands/DeclineQuotaUse", "org.write", R::kAgency,
       Command<api::CloseQuotaUseRequest>([](auto& r, bool in) {
         r.set_notice_id("n-1");
         r.set_agency_id(Czj(in));
         r.set_reason("不符合条件");
       })},
      {"StaffingCommands/WithdrawQuotaUse", "org.write", R::kAgency,
       Command<api::CloseQuotaUseRequest>([](auto& r, bool in) {
         r.set_notice_id("n-1");
         r.set_agency_id(Czj(in));
         r.set_reason("撤回");
       })},
      {"StaffingCommands/SetQuotaUsePolicy", "org.write", R::kJurisdiction,
       Command<api::SetQuotaUsePolicyRequest>([](auto& r, bool in) {
         r.set_jurisdiction(Jurisdiction(in));
         r.set_notice_required(true);
       })},
      {"StaffingCommands/RegisterPerson", "people.write", R::kAgency,
       Command<api::RegisterPersonRequest>([](auto& r, bool in) {
         r = testing::requests::RegisterPerson("p-new", "王五", Czj(in));
         *r.mutable_header() = DryRun();
       })},
      {"StaffingCommands/RegisterPersons", "people.write", R::kAgency,
       Command<api::RegisterPersonsRequest>([](auto& r, bool in) {
         *r.add_persons() = testing::requests::RegisterPerson("p-new", "王五", Czj(in)).person();
       })},
      {"StaffingCommands/TransferPersons", "people.write", R::kJurisdiction,
       Command<api::TransferPersonsRequest>([](auto& r, bool in) {
         r.set_from_agency_id(Czj(in));
         r.set_to_agency_id(Gov(in));
         r.add_person_ids(Person(in));
       })},
      {"StaffingCommands/AppointLeader", "people.write", R::kAgency,
       Command<api::AppointLeaderRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_person_id(Person(in));
         r.set_rank(pb::SECTION_CHIEF);
         r.set_title("局长");
       })},
      {"StaffingCommands/RemoveLeader", "people.write", R::kAgency,
       Command<api::RemoveLeaderRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_person_id(Person(in));
       })},
      {"StaffingCommands/RecordDeparture", "people.write", R::kAgency,
       Command<api::RecordDepartureRequest>([](auto& r, bool in) {
         r.set_person_id(Person(in));
         r.set_reason(pb::RETIRED);
       })},
      {"PowerCommands/CatalogPowers", "powers.write", R::kAgency,
       Command<api::CatalogPowersRequest>([](auto& r, bool in) {
         api::PowerItem* item = r.add_items();
         item->set_code("new-pw");
         item->set_name("行政许可");
         item->set_category(pb::LICENSING);
         item->set_holder_agency_id(Czj(in));
       })},
      {"PowerCommands/DelegatePowers", "powers.write", R::kJurisdiction,
       Command<api::DelegatePowersRequest>([](auto& r, bool in) {
         r.add_codes(Power(in));
         r.set_from_agency_id(Czj(in));
         r.set_to_agency_id(Gov(in));
         r.set_mode(pb::DIRECT);
       })},
      {"PowerCommands/ConcentratePowers", "powers.write", R::kAgency,
       Command<api::ConcentratePowersRequest>([](auto& r, bool in) {
         r.add_codes(Power(in));
         r.set_to_agency_id(Czj(in));
       })},
      {"PowerCommands/ReturnPowers", "powers.write", R::kAgency,
       Command<api::ReturnPowersRequest>([](auto& r, bool in) { r.add_codes(Power(in)); })},
      {"ReformCommands/DraftPlan", "reform.write", R::kJurisdiction,
       Command<api::DraftPlanRequest>([](auto& r, bool in) {
         r.set_plan_id("plan-new");
         r.set_title("方案");
         r.set_jurisdiction(Jurisdiction(in));
       })},
      {"ReformCommands/ApprovePlan", "reform.write", R::kJurisdiction,
       Command<api::PlanRequest>([](auto& r, bool in) { r.set_plan_id(Plan(in)); })},
      {"ReformCommands/AddTask", "reform.write", R::kJurisdiction,
       Command<api::AddTaskRequest>([](auto& r, bool in) {
         r.set_plan_id(Plan(in));
         r.set_task_id("t1");
         r.set_agency_id(Czj(in));
         r.set_kind(pb::MANDATE_ISSUED);
         r.set_due_date("2019-12-31");
       })},
      {"ReformCommands/CompleteTask", "reform.write", R::kJurisdiction,
       Command<api::CompleteTaskRequest>([](auto& r, bool in) {
         r.set_plan_id(Plan(in));
         r.set_task_id("t1");
       })},
      {"ReformCommands/ClosePlan", "reform.write", R::kJurisdiction,
       Command<api::PlanRequest>([](auto& r, bool in) { r.set_plan_id(Plan(in)); })},
      {"OrgQueries/GetOrgTree", "read", R::kJurisdiction,
       Query<api::GetOrgTreeRequest>(
           [](auto& r, bool in) { r.set_jurisdiction(Jurisdiction(in)); })},
      {"OrgQueries/GetAgency", "read", R::kAgency,
       Query<api::GetAgencyRequest>([](auto& r, bool in) { r.set_agency_id(Czj(in)); })},
      {"OrgQueries/DiffOrg", "read", R::kJurisdiction,
       Query<api::DiffOrgRequest>([](auto& r, bool in) {
         r.set_from_date("2018-12-31");
         r.set_to_date("2019-06-30");
         r.set_jurisdiction(Jurisdiction(in));
       })},
      {"OrgQueries/GetLineage", "read", R::kAgency,
       Query<api::GetLineageRequest>([](auto& r, bool in) { r.set_agency_id(Czj(in)); })},
      {"StaffingQueries/GetStaffing", "read", R::kAgency,
       Query<api::GetStaffingRequest>([](auto& r, bool in) { r.set_agency_id(Czj(in)); })},
      {"StaffingQueries/CheckJurisdiction", "read", R::kJurisdiction,
       Query<api::CheckJurisdictionRequest>(
           [](auto& r, bool in) { r.set_jurisdiction(Jurisdiction(in)); })},
      {"StaffingQueries/GetPerson", "read", R::kAgency,
       Query<api::GetPersonRequest>([](auto& r, bool in) { r.set_person_id(Person(in)); })},
      {"StaffingQueries/ListPeople", "read", R::kAgency,
       Query<api::ListPeopleRequest>([](auto& r, bool in) { r.set_agency_id(Czj(in)); })},
      {"PowerQueries/ListPowers", "read", R::kAgency,
       Query<api::ListPowersRequest>([](auto& r, bool in) { r.set_holder_agency_id(Czj(in)); })},
      {"PowerQueries/CountPowers", "read", R::kAgency,
       Query<api::CountPowersRequest>([](auto& r, bool in) { r.set_holder_agency_id(Czj(in)); })},
      {"PowerQueries/GetPowerHistory", "read", R::kAgency,
       Query<api::GetPowerHistoryRequest>([](auto& r, bool in) { r.set_code(Power(in)); })},
      {"ReformQueries/GetPlanProgress", "read", R::kJurisdiction,
       Query<api::GetPlanProgressRequest>([](auto& r, bool in) { r.set_plan_id(Plan(in)); })},
      {"ReformQueries/ListPlans", "read", R::kJurisdiction,
       Query<api::ListPlansRequest>(
           [](auto& r, bool in) { r.set_jurisdiction(Jurisdiction(in)); })},
      {"BudgetQueries/GetBudget", "budget.read", R::kAgency,
       Query<api::GetBudgetRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_fiscal_year(2019);
       })},
      {"BudgetQueries/GetFinalAccounts", "budget.read", R::kAgency,
       Query<api::GetFinalAccountsRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_fiscal_year(2019);
       })},
      {"BudgetQueries/GetPerformance", "budget.read", R::kAgency,
       Query<api::GetPerformanceRequest>([](auto& r, bool in) {
         r.set_agency_id(Czj(in));
         r.set_fiscal_year(2019);
       })},
      {"EventFeed/ReadAll", "feed.read", R::kEverything,
       Query<api::ReadAllRequest>([](auto& r, bool) { r.set_max_count(1); })},
      {"EventFeed/ReadStream", "feed.read", R::kEverything,
       Query<api::ReadStreamRequest>(
           [](auto& r, bool in) { r.set_stream_id(absl::StrCat("agency-", Czj(in))); })},
      {"EventFeed/Head", "feed.read", R::kEverything, Query<api::HeadRequest>([](auto&, bool) {})},
      {"ProjectionAdmin/Status", "read", R::kEverything,
       Query<api::ProjectionStatusRequest>([](auto&, bool) {})},
      {"ProjectionAdmin/Rebuild", "admin", R::kEverything,
       Query<api::RebuildProjectionRequest>([](auto& r, bool) { r.set_name("no-such-model"); })},
      {"Principals/AddPrincipal", "admin", R::kEverything,
       Command<api::AddPrincipalRequest>([](auto& r, bool) {
         r.set_principal_id("someone-new");
         r.set_display_name("新用户");
         r.add_grants()->set_role(pb::ROLE_READER);
       })},
      {"Principals/IssueToken", "admin", R::kEverything,
       Command<api::IssueTokenRequest>([](auto& r, bool) { r.set_principal_id("reader-czj"); })},
      {"Principals/RevokeToken", "admin", R::kEverything,
       Command<api::RevokeTokenRequest>([](auto& r, bool) {
         r.set_principal_id("reader-czj");
         r.set_token_id("t000000000000");
       })},
      {"Principals/GrantRole", "admin", R::kEverything,
       Command<api::RoleRequest>([](auto& r, bool) {
         r.set_principal_id("reader-czj");
         r.mutable_grant()->set_role(pb::ROLE_AUDITOR);
       })},
      {"Principals/RevokeRole", "admin", R::kEverything,
       Command<api::RoleRequest>([](auto& r, bool) {
         r.set_principal_id("reader-czj");
         r.mutable_grant()->set_role(pb::ROLE_READER);
         r.mutable_grant()->mutable_scope()->set_agency_id("xq-czj");
       })},
      {"Principals/DisablePrincipal", "admin", R::kEverything,
       Command<api::DisablePrincipalRequest>(
           [](auto& r, bool) { r.set_principal_id("reader-czj"); })},
      {"Principals/ListPrincipals", "audit.read", R::kEverything,
       Query<api::ListPrincipalsRequest>([](auto&, bool) {})},
      {"Principals/WhoAmI", "authenticated", R::kEverything,
       Query<api::WhoAmIRequest>([](auto&, bool) {})},
      {"Integrity/GetLogHead", "audit.read", R::kEverything,
       Query<api::GetLogHeadRequest>([](auto&, bool) {})},
      {"Integrity/ListCheckpoints", "audit.read", R::kEverything,
       Query<api::ListCheckpointsRequest>([](auto&, bool) {})},
      {"Integrity/GetInclusionProof", "audit.read", R::kEverything,
       Query<api::InclusionProofRequest>([](auto& r, bool) { r.set_position(1); })},
      {"Integrity/GetConsistencyProof", "audit.read", R::kEverything,
       Query<api::ConsistencyProofRequest>([](auto& r, bool) { r.set_old_size(1); })},
      {"Integrity/SignCheckpoint", "admin", R::kEverything,
       Query<api::SignCheckpointRequest>([](auto&, bool) {})},
      {"Integrity/VerifyLog", "admin", R::kEverything,
       Query<api::VerifyLogRequest>([](auto&, bool) {})},
  };
  for (const char* method : {"Appropriate", "AdjustBudget", "Disburse", "RecordIncome",
                             "RecordCarryOver", "DefineProject", "RecordPerformance"}) {
    // Every budget command names its agency in the same field; the rest may be anything.
    std::function<std::unique_ptr<Message>(bool)> request;
    const std::string m = method;
    request = [m](bool in) -> std::unique_ptr<Message> {
      const google::protobuf::MethodDescriptor* d = api::AppropriateRequest::descriptor()
                                                        ->file()
                                                        ->FindServiceByName("BudgetCommands")
                                                        ->FindMethodByName(m);
      std::unique_ptr<Message> r(google::protobuf::MessageFactory::generated_factory()
                                     ->GetPrototype(d->input_type())
                                     ->New());
      const google::protobuf::Reflection* reflection = r->GetReflection();
      const google::protobuf::Descriptor* type = r->GetDescriptor();
      reflection->MutableMessage(r.get(), type->FindFieldByName("header"))->CopyFrom(DryRun());
      reflection->SetString(r.get(), type->FindFieldByName("agency_id"), Czj(in));
      reflection->SetInt32(r.get(), type->FindFieldByName("fiscal_year"), 2019);
      return r;
    };
    rows.push_back(
        {absl::StrCat("BudgetCommands/", method), "budget.write", Reach::kAgency, request});
  }
  return rows;
}

grpc::Status CallGeneric(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                         const Message& request) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
  const std::string bytes = request.SerializeAsString();
  grpc::Slice slice(bytes);
  grpc::ByteBuffer in(&slice, 1);
  grpc::ByteBuffer out;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, absl::StrCat("/reformlog.api.v1.", method), grpc::StubOptions(), &in,
                 &out, [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  return status;
}

class AccessMatrixTest : public testing::ReformdFixture {
 protected:
  void SetUp() override {
    ReformdFixture::SetUp();
    auto org = api::OrgCommands::NewStub(Channel());
    auto staffing = api::StaffingCommands::NewStub(Channel());
    auto powers = api::PowerCommands::NewStub(Channel());
    auto reform = api::ReformCommands::NewStub(Channel());
    auto establish = [&](auto request) {
      Must([&](auto* c, const auto& r, auto* out) { return org->EstablishAgency(c, r, out); },
           request, "2019-01-01");
    };
    using testing::requests::EstablishAgency;
    establish(EstablishAgency("xq-gov", "西区人民政府", pb::GOVERNMENT_DEPARTMENT, "", "西区"));
    establish(EstablishAgency("xq-czj", "西区财政局", pb::GOVERNMENT_DEPARTMENT, "xq-gov", "西区"));
    establish(EstablishAgency("dq-gov", "东区人民政府", pb::GOVERNMENT_DEPARTMENT, "", "东区"));
    establish(EstablishAgency("dq-czj", "东区财政局", pb::GOVERNMENT_DEPARTMENT, "dq-gov", "东区"));
    for (const char* agency : {"xq-czj", "dq-czj"}) {
      Must([&](auto* c, const auto& r, auto* out) { return org->GrantQuota(c, r, out); },
           testing::requests::ChangeQuota(agency, pb::ADMINISTRATIVE, 5), "2019-01-02");
      api::CatalogPowersRequest catalog;
      api::PowerItem* item = catalog.add_items();
      item->set_code(agency[0] == 'x' ? "xq-pw1" : "dq-pw1");
      item->set_name("行政许可");
      item->set_category(pb::LICENSING);
      item->set_holder_agency_id(agency);
      Must([&](auto* c, const auto& r, auto* out) { return powers->CatalogPowers(c, r, out); },
           catalog, "2019-01-02");
    }
    Must([&](auto* c, const auto& r, auto* out) { return staffing->RegisterPerson(c, r, out); },
         testing::requests::RegisterPerson("p-xq", "张三", "xq-czj"), "2019-01-03");
    Must([&](auto* c, const auto& r, auto* out) { return staffing->RegisterPerson(c, r, out); },
         testing::requests::RegisterPerson("p-dq", "李四", "dq-czj"), "2019-01-03");
    for (const char* plan : {"plan-xq", "plan-dq"}) {
      api::DraftPlanRequest draft;
      draft.set_plan_id(plan);
      draft.set_title("机构改革方案");
      draft.set_jurisdiction(plan[5] == 'x' ? "西区" : "东区");
      Must([&](auto* c, const auto& r, auto* out) { return reform->DraftPlan(c, r, out); }, draft,
           "2019-01-04");
    }
    ASSERT_TRUE(
        server_->projections().WaitForAll(server_->store().HeadPosition(), absl::Seconds(30)));

    principals_.push_back({"admin", "admin", "", "", Channel()});
    Add("editor-all", "editor", pb::ROLE_EDITOR, "", "");
    Add("editor-xq", "editor", pb::ROLE_EDITOR, "西区", "");
    Add("finance-xq", "finance", pb::ROLE_FINANCE, "西区", "");
    Add("personnel-czj", "personnel", pb::ROLE_PERSONNEL, "", "xq-czj");
    Add("reader-czj", "reader", pb::ROLE_READER, "", "xq-czj");
    Add("auditor", "auditor", pb::ROLE_AUDITOR, "", "");
    Add("privacy", "personal_data", pb::ROLE_PERSONAL_DATA, "", "");
  }

  void Add(const std::string& id, const std::string& role, pb::Role role_value,
           const std::string& jurisdiction, const std::string& agency) {
    auto stub = api::Principals::NewStub(Channel());
    api::AddPrincipalRequest r;
    *r.mutable_header() = Header("2019-01-05");
    r.set_principal_id(id);
    r.set_display_name(id);
    api::Grant* grant = r.add_grants();
    grant->set_role(role_value);
    grant->mutable_scope()->set_jurisdiction(jurisdiction);
    grant->mutable_scope()->set_agency_id(agency);
    r.set_issue_token(true);
    api::SecurityCommandResponse added;
    const grpc::Status s = stub->AddPrincipal(Context().get(), r, &added);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_FALSE(added.token().empty());
    principals_.push_back({id, role, jurisdiction, agency, ChannelWith(added.token())});
  }

  // The newest audit record of `principal` ("": of anyone) is a refusal of `method`.
  void ExpectAudited(const std::string& principal, const std::string& method,
                     grpc::StatusCode code) {
    api::ReadAuditRequest read;
    read.set_principal_id(principal);
    read.set_max_count(1);
    api::ReadAuditResponse audit;
    const grpc::Status s =
        api::Principals::NewStub(Channel())->ReadAudit(Context().get(), read, &audit);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_EQ(audit.entries_size(), 1) << "no audit record of the refusal";
    const pb::AuditRecord& r = audit.entries(0).record();
    EXPECT_EQ(r.method(), absl::StrCat("/reformlog.api.v1.", method));
    EXPECT_EQ(r.principal_id(), principal);
    EXPECT_EQ(r.code(), static_cast<int>(code));
    EXPECT_THAT(r.peer(), HasSubstr("127.0.0.1"));
  }

  std::vector<Principal> principals_;
};

TEST_F(AccessMatrixTest, EveryRpcAsEveryRoleInAndOutOfScope) {
  const std::vector<Row> rows = Rows();
  const uint64_t head = server_->store().HeadPosition();
  int allowed = 0;
  int denied = 0;
  for (const Row& row : rows) {
    for (bool inside : {true, false}) {
      if (row.reach == Reach::kEverything && !inside) continue;  // one request: the whole system
      const std::unique_ptr<Message> request = row.request(inside);
      for (const Principal& p : principals_) {
        SCOPED_TRACE(
            absl::StrCat(row.method, " as ", p.id, inside ? " in scope" : " out of scope"));
        const grpc::Status s = CallGeneric(p.channel, row.method, *request);
        if (Allowed(p, row, inside)) {
          ++allowed;
          EXPECT_NE(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
          EXPECT_NE(s.error_code(), grpc::StatusCode::UNAUTHENTICATED) << s.error_message();
        } else {
          ++denied;
          EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
          EXPECT_THAT(s.error_message(), HasSubstr(absl::StrCat("permission ", row.permission)));
          EXPECT_THAT(s.error_message(), HasSubstr(p.id));
          ExpectAudited(p.id, row.method, grpc::StatusCode::PERMISSION_DENIED);
        }
        EXPECT_EQ(server_->store().HeadPosition(), head) << "a call changed the log";
      }
      // No credentials at all: nothing but UNAUTHENTICATED.
      const grpc::Status anonymous = CallGeneric(ChannelWith(""), row.method, *request);
      EXPECT_EQ(anonymous.error_code(), grpc::StatusCode::UNAUTHENTICATED)
          << row.method << ": " << anonymous.error_message();
      ExpectAudited("", row.method, grpc::StatusCode::UNAUTHENTICATED);
    }
  }
  EXPECT_GT(allowed, 300);
  EXPECT_GT(denied, 300);
}

TEST_F(AccessMatrixTest, SubscribeIsTheFeedsAndUnscopedOnly) {
  for (const Principal& p : principals_) {
    SCOPED_TRACE(p.id);
    auto feed = api::EventFeed::NewStub(p.channel);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    api::SubscribeRequest request;
    request.set_from_position(1);
    auto reader = feed->Subscribe(&context, request);
    api::SubscribeResponse first;
    const bool read = reader->Read(&first);
    const bool allowed = p.role == "admin" || p.role == "auditor";
    EXPECT_EQ(read, allowed);
    if (read) context.TryCancel();
    const grpc::Status s = reader->Finish();
    if (!allowed) {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED) << s.error_message();
      EXPECT_THAT(s.error_message(), HasSubstr("feed.read"));
    }
  }
}

TEST_F(AccessMatrixTest, ADenialNamesThePermissionAndTheScopeThatIsMissing) {
  const Principal& finance = principals_[3];
  ASSERT_EQ(finance.id, "finance-xq");
  auto budget = api::BudgetCommands::NewStub(finance.channel);
  api::AppropriateRequest r;
  *r.mutable_header() = Header("2019-03-01");
  r.set_agency_id("dq-czj");
  r.set_fiscal_year(2019);
  *r.mutable_line() = BasicLine();
  r.set_amount_fen(100);
  api::CommandResult result;
  grpc::Status s = budget->Appropriate(Context().get(), r, &result);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::PERMISSION_DENIED);
  EXPECT_THAT(s.error_message(), HasSubstr("principal finance-xq holds permission budget.write "
                                           "(预算收支登记) only as 财政业务员 in 西区"));
  EXPECT_THAT(s.error_message(),
              HasSubstr("agency \"dq-czj\": it is in 东区, outside those scopes"));

  // Inside its scope the same command is recorded, under its own name.
  r.set_agency_id("xq-czj");
  *r.mutable_header() = Header("2019-03-01");
  s = budget->Appropriate(Context().get(), r, &result);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(testing::EventAt(Channel(), result.position()).principal(), "finance-xq");
}

}  // namespace
}  // namespace reformlog::services
