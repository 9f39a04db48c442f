// Every named limit of the decisions (services/domain/*_decide.h) and of the vocabulary they
// check (domain/vocabulary.h), at the limit and one past it, through the real
// command path (CommandRunner over an in-memory store):
//  * one past the limit is refused — INVALID_ARGUMENT naming the field and the limit, or the
//    documented code — and nothing is written (the head stays);
//  * the limit itself is accepted and recorded: the store takes what the decision allows
//    (a command at its largest touches up to eventstore::kStreamsPerCommitMax streams).
// The refusal runs first, on the state the accepted command then meets.
#include <functional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/classification.h"
#include "domain/vocabulary.h"
#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/budget_decide.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/power_decide.h"
#include "services/domain/reform_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::domain {
namespace {

using testing::CommandDriver;
namespace requests = testing::requests;
using ::testing::HasSubstr;

constexpr auto kInvalid = absl::StatusCode::kInvalidArgument;
constexpr auto kPrecondition = absl::StatusCode::kFailedPrecondition;

using testing::requests::Fill;

std::string Id(const std::string& prefix, int i) { return absl::StrCat(prefix, i); }

class DecideLimitsTest : public ::testing::Test {
 protected:
  // `request` is refused with `code`, its message says each of `says`, and nothing is written.
  template <typename Request>
  void ExpectRefused(absl::StatusOr<Decision> (*decide)(StateView&, const Request&),
                     Request request, absl::StatusCode code, const std::vector<std::string>& says) {
    const uint64_t head = store_.HeadPosition();
    absl::StatusOr<api::CommandResult> result = driver_.Run(decide, std::move(request));
    EXPECT_EQ(result.status().code(), code) << result.status();
    for (const std::string& s : says) EXPECT_THAT(result.status().message(), HasSubstr(s));
    EXPECT_EQ(store_.HeadPosition(), head) << "a refused command wrote something";
  }

  // `request` is accepted and recorded.
  template <typename Request>
  void ExpectRecorded(absl::StatusOr<Decision> (*decide)(StateView&, const Request&),
                      Request request) {
    const uint64_t head = store_.HeadPosition();
    absl::StatusOr<api::CommandResult> result = driver_.Run(decide, std::move(request));
    ASSERT_TRUE(result.ok()) << result.status();
    EXPECT_GT(store_.HeadPosition(), head);
  }

  void Establish(const std::string& id, pb::AgencyKind kind = pb::GOVERNMENT_DEPARTMENT,
                 const std::string& parent = "", pb::AgencyRole role = pb::AGENCY_ROLE_NONE) {
    api::EstablishAgencyRequest r =
        requests::EstablishAgency(id, absl::StrCat("机构", id), kind, parent);
    r.mutable_agency()->set_role(role);
    driver_.Must(&DecideEstablishAgency, r);
  }
  void Grant(const std::string& agency, int count) {
    driver_.Must(&DecideGrantQuota, requests::ChangeQuota(agency, pb::ADMINISTRATIVE, count));
  }
  // 首次登记: a roster import, the largest batch there is — a newcomer's registration also reads
  // the jurisdiction's 用编审批 policy, and one citing a notice writes its stream.
  static api::PersonToRegister Person(const std::string& id, const std::string& agency) {
    api::PersonToRegister p = requests::RegisterPerson(id, "张" + id, agency).person();
    p.set_entry_reason(pb::EXISTING_STAFF);
    return p;
  }
  static pb::BudgetLine Line(const std::string& economic_code = "30201") {
    pb::BudgetLine l;
    l.set_fund_source(pb::GENERAL_PUBLIC_BUDGET);
    l.set_function_code("2013601");
    l.set_economic_code(economic_code);
    l.set_kind(pb::BASIC);
    return l;
  }
  static api::AppropriateRequest Appropriation(int year, int64_t fen,
                                               const std::string& economic_code = "30201") {
    api::AppropriateRequest r;
    r.set_agency_id("a");
    r.set_fiscal_year(year);
    *r.mutable_line() = Line(economic_code);
    r.set_amount_fen(fen);
    return r;
  }
  void DraftPlan(const std::string& plan_id) {
    api::DraftPlanRequest r;
    r.set_plan_id(plan_id);
    r.set_title("西区机构改革方案");
    driver_.Must(&DecideDraftPlan, r);
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  CommandDriver driver_{store_, clock_};
};

// ---- how many per command ------------------------------------------------------------------

// Each person into an agency of their own: the commit at the limit writes 2 ×
// kPersonsPerCommandMax streams (every person and every agency's roster).
TEST_F(DecideLimitsTest, RegisterPersonsTakesKPersonsPerCommandMax) {
  for (int a = 0; a < kPersonsPerCommandMax; ++a) {
    Establish(Id("a", a));
    Grant(Id("a", a), 2);
  }
  api::RegisterPersonsRequest r;
  for (int p = 0; p < kPersonsPerCommandMax; ++p) *r.add_persons() = Person(Id("p", p), Id("a", p));
  api::RegisterPersonsRequest over = r;
  *over.add_persons() = Person("one-more", "a0");
  ExpectRefused(&DecideRegisterPersons, over, kInvalid,
                {"persons has 1001 entries; the limit kPersonsPerCommandMax is 1000"});
  ExpectRecorded(&DecideRegisterPersons, r);
}

TEST_F(DecideLimitsTest, TransferPersonsTakesKPersonsPerCommandMax) {
  Establish("from");
  Grant("from", kPersonsPerCommandMax);
  Establish("to");
  Grant("to", kPersonsPerCommandMax);
  api::RegisterPersonsRequest registration;
  api::TransferPersonsRequest r;
  r.set_from_agency_id("from");
  r.set_to_agency_id("to");
  for (int p = 0; p < kPersonsPerCommandMax; ++p) {
    *registration.add_persons() = Person(Id("p", p), "from");
    r.add_person_ids(Id("p", p));
  }
  driver_.Must(&DecideRegisterPersons, registration);
  api::TransferPersonsRequest over = r;
  over.add_person_ids("one-more");
  ExpectRefused(&DecideTransferPersons, over, kInvalid,
                {"person_ids has 1001 entries; the limit kPersonsPerCommandMax is 1000"});
  ExpectRecorded(&DecideTransferPersons, r);
}

TEST_F(DecideLimitsTest, LockAndUnlockTakeKAgenciesPerLockMax) {
  DraftPlan("plan-1");
  api::LockRecordsRequest r;
  for (int a = 0; a < kAgenciesPerLockMax; ++a) {
    Establish(Id("a", a));
    r.add_agency_ids(Id("a", a));
  }
  api::LockRecordsRequest over = r;
  over.add_agency_ids("one-more");
  driver_.UnderPlan("plan-1");
  for (auto* decide : {&DecideLockRecords, &DecideUnlockRecords}) {
    ExpectRefused(decide, over, kInvalid,
                  {"agency_ids has 501 entries; the limit kAgenciesPerLockMax is 500"});
    ExpectRecorded(decide, r);
  }
}

// Each item held by an agency of its own: 2 × kPowerItemsPerCommandMax streams at the limit.
TEST_F(DecideLimitsTest, CatalogPowersTakesKPowerItemsPerCommandMax) {
  api::CatalogPowersRequest r;
  for (int i = 0; i < kPowerItemsPerCommandMax; ++i) {
    Establish(Id("a", i));
    api::PowerItem* item = r.add_items();
    item->set_code(Id("xk-", i));
    item->set_name(absl::StrCat("行政许可事项", i));
    item->set_category(pb::LICENSING);
    item->set_holder_agency_id(Id("a", i));
  }
  api::CatalogPowersRequest over = r;
  *over.add_items() = r.items(0);
  over.mutable_items(kPowerItemsPerCommandMax)->set_code("one-more");
  ExpectRefused(&DecideCatalogPowers, over, kInvalid,
                {"items has 1001 items; the limit kPowerItemsPerCommandMax is 1000"});
  ExpectRecorded(&DecideCatalogPowers, r);
}

TEST_F(DecideLimitsTest, ConcentratePowersTakesKPowerItemsPerCommandMax) {
  Establish("holder");
  Establish("shenpi", pb::GOVERNMENT_DEPARTMENT, "", pb::ADMINISTRATIVE_APPROVAL);
  api::CatalogPowersRequest catalog;
  api::ConcentratePowersRequest r;
  r.set_to_agency_id("shenpi");
  for (int i = 0; i < kPowerItemsPerCommandMax; ++i) {
    api::PowerItem* item = catalog.add_items();
    item->set_code(Id("xk-", i));
    item->set_name(absl::StrCat("行政许可事项", i));
    item->set_category(pb::LICENSING);
    item->set_holder_agency_id("holder");
    r.add_codes(Id("xk-", i));
  }
  driver_.Must(&DecideCatalogPowers, catalog);
  api::ConcentratePowersRequest over = r;
  over.add_codes("one-more");
  ExpectRefused(&DecideConcentratePowers, over, kInvalid,
                {"codes has 1001 items; the limit kPowerItemsPerCommandMax is 1000"});
  ExpectRecorded(&DecideConcentratePowers, r);
}

TEST_F(DecideLimitsTest, AMergerTakesKMergeOriginalsMax) {
  api::MergeAgenciesRequest r;
  for (int a = 0; a < kMergeOriginalsMax; ++a) {
    Establish(Id("m", a));
    r.add_original_ids(Id("m", a));
  }
  r.set_absorbing_id("m0");
  api::MergeAgenciesRequest over = r;
  over.add_original_ids("one-more");
  ExpectRefused(&DecideMergeAgencies, over, kInvalid,
                {"original_ids has 33 agencies; a merger takes 2–32"});
  ExpectRecorded(&DecideMergeAgencies, r);
}

TEST_F(DecideLimitsTest, ASplitMakesKSplitPartsMax) {
  Establish("whole");
  api::SplitAgencyRequest r;
  r.set_agency_id("whole");
  for (int i = 0; i < kSplitPartsMax; ++i) {
    *r.add_parts()->mutable_agency() =
        requests::Agency(Id("part", i), absl::StrCat("机构part", i), pb::GOVERNMENT_DEPARTMENT);
  }
  api::SplitAgencyRequest over = r;
  *over.add_parts()->mutable_agency() =
      requests::Agency("one-more", "机构", pb::GOVERNMENT_DEPARTMENT);
  ExpectRefused(&DecideSplitAgency, over, kInvalid, {"parts has 33 bodies; a split makes 2–32"});
  ExpectRecorded(&DecideSplitAgency, r);
}

TEST_F(DecideLimitsTest, AMandateListsKMandateItemsMaxFunctionsAndDivisions) {
  Establish("a");
  const std::vector<std::string> says = {
      "a mandate lists at most 500 functions, divisions and leader ranks (kMandateItemsMax)"};
  api::IssueMandateRequest functions;
  functions.set_agency_id("a");
  for (int i = 0; i < kMandateItemsMax; ++i) functions.add_functions(absl::StrCat("职能", i));
  api::IssueMandateRequest over = functions;
  over.add_functions("再一项职能");
  ExpectRefused(&DecideIssueMandate, over, kInvalid, says);
  ExpectRecorded(&DecideIssueMandate, functions);

  api::IssueMandateRequest divisions;
  divisions.set_agency_id("a");
  for (int i = 0; i < kMandateItemsMax; ++i) {
    api::Division* d = divisions.add_divisions();
    d->set_division_id(Id("d", i));
    d->set_name(absl::StrCat("第", i, "科"));
  }
  over = divisions;
  over.add_divisions()->CopyFrom(divisions.divisions(0));
  ExpectRefused(&DecideIssueMandate, over, kInvalid, says);
  ExpectRecorded(&DecideIssueMandate, divisions);

  // Leader posts are one per rank, so fewer ranks than the limit exist: only past it is tried.
  over.Clear();
  over.set_agency_id("a");
  for (int i = 0; i <= kMandateItemsMax; ++i) over.add_leader_posts()->set_rank(pb::SECTION_CHIEF);
  ExpectRefused(&DecideIssueMandate, over, kInvalid, says);
}

TEST_F(DecideLimitsTest, AProjectHasKIndicatorsPerProjectMaxIndicatorsAndActuals) {
  Establish("a");
  api::DefineProjectRequest r;
  r.set_agency_id("a");
  r.set_fiscal_year(2019);
  r.set_project_id("jggg");
  r.set_name("机构改革业务费");
  api::RecordPerformanceRequest actuals;
  actuals.set_agency_id("a");
  actuals.set_fiscal_year(2019);
  actuals.set_project_id("jggg");
  for (int i = 0; i <= kIndicatorsPerProjectMax; ++i) {
    pb::PerformanceIndicator* indicator = r.add_indicators();
    indicator->set_indicator_id(Id("q", i));
    indicator->set_level1(pb::OUTPUT_INDICATORS);
    indicator->set_level2(pb::QUANTITY);
    indicator->set_name(absl::StrCat("调研", i));
    indicator->set_op(pb::AT_LEAST);
    indicator->set_target_milli(10'000);
    indicator->set_unit("次");
    pb::IndicatorActual* actual = actuals.add_actuals();
    actual->set_indicator_id(Id("q", i));
    actual->set_actual_milli(12'000);
  }
  ExpectRefused(&DecideDefineProject, r, kInvalid,
                {"indicators has 101 entries; the limit kIndicatorsPerProjectMax is 100"});
  r.mutable_indicators()->RemoveLast();
  ExpectRecorded(&DecideDefineProject, r);
  ExpectRefused(&DecideRecordPerformance, actuals, kInvalid,
                {"actuals has 101 entries; the limit kIndicatorsPerProjectMax is 100"});
  actuals.mutable_actuals()->RemoveLast();
  ExpectRecorded(&DecideRecordPerformance, actuals);
}

// FAILED_PRECONDITION, as reform_decide.h says: the plan is full, the request is sound.
TEST_F(DecideLimitsTest, APlanHoldsKPlanTasksMaxTasks) {
  Establish("a");
  DraftPlan("plan-1");
  api::AddTaskRequest r;
  r.set_plan_id("plan-1");
  r.set_agency_id("a");
  r.set_kind(pb::OTHER_TASK);
  r.set_due_date("2019-12-31");
  for (size_t t = 0; t + 1 < kPlanTasksMax; ++t) {
    r.set_task_id(Id("t", static_cast<int>(t)));
    driver_.Must(&DecideAddTask, r);
  }
  r.set_task_id("the-last");
  ExpectRecorded(&DecideAddTask, r);
  r.set_task_id("one-more");
  ExpectRefused(&DecideAddTask, r, kPrecondition,
                {"has 1000 tasks; the limit kPlanTasksMax is 1000"});
}

// The walk up from the new parent looks at kAncestryDepthMax agencies at most (FAILED_-
// PRECONDITION past them: the request is sound, the tree is too deep to check).
TEST_F(DecideLimitsTest, AReparentingLooksKAncestryDepthMaxUp) {
  for (int depth = 0; depth <= kAncestryDepthMax; ++depth) {
    Establish(Id("c", depth), pb::GOVERNMENT_DEPARTMENT, depth == 0 ? "" : Id("c", depth - 1));
  }
  Establish("x");
  api::ReparentAgencyRequest r;
  r.set_agency_id("x");
  r.set_new_parent_id(Id("c", kAncestryDepthMax));  // c64 ← c63 ← … ← c0: 65 agencies
  ExpectRefused(&DecideReparentAgency, r, kPrecondition,
                {"the parent chain above agency-c64 is deeper than 64 (kAncestryDepthMax)"});
  r.set_new_parent_id(Id("c", kAncestryDepthMax - 1));  // 64 agencies
  ExpectRecorded(&DecideReparentAgency, r);
}

// ---- values --------------------------------------------------------------------------------

TEST_F(DecideLimitsTest, IdsAndTextsAtTheirLimits) {
  api::EstablishAgencyRequest r = requests::EstablishAgency(std::string(kEntityIdBytesMax + 1, 'a'),
                                                            "机构", pb::GOVERNMENT_DEPARTMENT);
  ExpectRefused(&DecideEstablishAgency, r, kInvalid,
                {"agency.agency_id", "kEntityIdBytesMax (64 bytes)"});
  r.mutable_agency()->set_agency_id(std::string(kEntityIdBytesMax, 'a'));
  ExpectRecorded(&DecideEstablishAgency, r);

  r = requests::EstablishAgency("b", Fill(kTextBytesMax + 1), pb::GOVERNMENT_DEPARTMENT);
  ExpectRefused(&DecideEstablishAgency, r, kInvalid,
                {"agency.name is 1025 bytes; the limit kTextBytesMax is 1024"});
  r.mutable_agency()->set_name(Fill(kTextBytesMax));
  ExpectRecorded(&DecideEstablishAgency, r);

  Grant("b", 1);
  api::RegisterPersonRequest person =
      requests::RegisterPerson(std::string(kEntityIdBytesMax + 1, 'p'), "张", "b");
  ExpectRefused(&DecideRegisterPerson, person, kInvalid,
                {"person.person_id", "kEntityIdBytesMax (64 bytes)"});
  person.mutable_person()->set_person_id(std::string(kEntityIdBytesMax, 'p'));
  ExpectRecorded(&DecideRegisterPerson, person);
}

TEST_F(DecideLimitsTest, FiscalYearsFromKFiscalYearMinToKFiscalYearMax) {
  Establish("a");
  ExpectRefused(&DecideAppropriate, Appropriation(kFiscalYearMin - 1, 100), kInvalid,
                {"fiscal_year 1948 is outside 1949–2200"});
  ExpectRefused(&DecideAppropriate, Appropriation(kFiscalYearMax + 1, 100), kInvalid,
                {"fiscal_year 2201 is outside 1949–2200"});
  // Within those, a line's year is one the shipped 政府收支分类科目 covers.
  const auto [first, last] = ClassificationYears();
  ExpectRefused(&DecideAppropriate, Appropriation(kFiscalYearMin, 100), kInvalid,
                {"there is no 政府收支分类科目 of 1949"});
  ExpectRecorded(&DecideAppropriate, Appropriation(first, 100));
  ExpectRecorded(&DecideAppropriate, Appropriation(last, 100));
  ExpectRefused(&DecideAppropriate, Appropriation(last + 1, 100), kInvalid,
                {absl::StrCat("there is no 政府收支分类科目 of ", last + 1)});
}

TEST_F(DecideLimitsTest, AmountsUpToKAmountFenMax) {
  Establish("a");
  const std::string says = "is outside 1–1000000000000000 fen (kAmountFenMax)";
  ExpectRefused(&DecideAppropriate, Appropriation(2019, kAmountFenMax + 1), kInvalid,
                {"amount_fen 1000000000000001 " + says});
  ExpectRecorded(&DecideAppropriate, Appropriation(2019, kAmountFenMax));

  api::DisburseRequest pay;
  pay.set_agency_id("a");
  pay.set_fiscal_year(2019);
  *pay.mutable_line() = Line();
  pay.set_amount_fen(kAmountFenMax + 1);
  pay.set_disbursement_id("v1");
  pay.set_date("2019-06-30");
  pay.set_purpose("办公费");
  ExpectRefused(&DecideDisburse, pay, kInvalid, {"amount_fen 1000000000000001 " + says});
  pay.set_amount_fen(kAmountFenMax);
  ExpectRecorded(&DecideDisburse, pay);

  driver_.Must(&DecideAppropriate, Appropriation(2019, kAmountFenMax, "30202"));
  api::AdjustBudgetRequest adjust;
  adjust.set_agency_id("a");
  adjust.set_fiscal_year(2019);
  *adjust.mutable_line() = Line("30202");
  adjust.set_reason("预算调整");
  adjust.set_delta_fen(-kAmountFenMax - 1);
  ExpectRefused(&DecideAdjustBudget, adjust, kInvalid,
                {"delta_fen", "within ±1000000000000000 fen (kAmountFenMax)"});
  adjust.set_delta_fen(-kAmountFenMax);
  ExpectRecorded(&DecideAdjustBudget, adjust);
}

TEST_F(DecideLimitsTest, QuotaCountsUpToKQuotaCountMax) {
  Establish("q");
  api::ChangeQuotaRequest grant =
      requests::ChangeQuota("q", pb::ADMINISTRATIVE, kQuotaCountMax + 1);
  ExpectRefused(&DecideGrantQuota, grant, kInvalid, {"count 1000001 is outside 1–1000000"});
  grant.set_count(kQuotaCountMax);
  ExpectRecorded(&DecideGrantQuota, grant);
  // The agency's quota stays within the limit too (a domain rule: FAILED_PRECONDITION).
  grant.set_count(1);
  ExpectRefused(&DecideGrantQuota, grant, kPrecondition, {"the quota would exceed 1000000"});

  Establish("r");
  api::TransferQuotaRequest transfer;
  transfer.set_from_agency_id("q");
  transfer.set_to_agency_id("r");
  transfer.set_category(pb::ADMINISTRATIVE);
  transfer.set_count(kQuotaCountMax + 1);
  ExpectRefused(&DecideTransferQuota, transfer, kInvalid, {"count 1000001 is outside 1–1000000"});
  transfer.set_count(kQuotaCountMax);
  ExpectRecorded(&DecideTransferQuota, transfer);

  // People moved with their quota (人随编走): r holds kQuotaCountMax, and one person.
  driver_.Must(&DecideRegisterPerson, requests::RegisterPerson("p1", "张p1", "r"));
  api::TransferPersonsRequest move;
  move.set_from_agency_id("r");
  move.set_to_agency_id("q");
  move.add_person_ids("p1");
  pb::QuotaCount* with = move.add_quotas();
  with->set_category(pb::ADMINISTRATIVE);
  with->set_count(kQuotaCountMax + 1);
  ExpectRefused(&DecideTransferPersons, move, kInvalid,
                {"quotas[0].count 1000001 is outside 1–1000000"});
  with->set_count(kQuotaCountMax);
  ExpectRecorded(&DecideTransferPersons, move);

  api::IssueMandateRequest mandate;
  mandate.set_agency_id("r");
  pb::QuotaCount* quota = mandate.add_quotas();
  quota->set_category(pb::ADMINISTRATIVE);
  quota->set_count(kQuotaCountMax + 1);
  ExpectRefused(&DecideIssueMandate, mandate, kInvalid,
                {"quotas[0].count 1000001 is outside 0–1000000"});
  quota->set_count(kQuotaCountMax);
  pb::LeaderPostCount* posts = mandate.add_leader_posts();
  posts->set_rank(pb::SECTION_CHIEF);
  posts->set_count(kQuotaCountMax + 1);
  ExpectRefused(&DecideIssueMandate, mandate, kInvalid,
                {"leader_posts[0].count 1000001 is outside 0–1000000"});
  posts->set_count(kQuotaCountMax);
  ExpectRecorded(&DecideIssueMandate, mandate);
}

}  // namespace
}  // namespace reformlog::domain
