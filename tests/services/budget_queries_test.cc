// BudgetQueries over a real reformd on port 0: budget commands through the gRPC stub, then the
// budget with its roll-ups and year-over-year change, the 收入支出决算总表 with its identities,
// and project performance — each read with min_position = the command's position — and the
// errors: malformed fields (INVALID_ARGUMENT naming them), unknown agency, year or project
// (NOT_FOUND).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/vocabulary.h"
#include "gmock/gmock.h"
#include "google/protobuf/text_format.h"
#include "google/protobuf/util/message_differencer.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kAgency[] = "xiqu-bianban";

using testing::requests::Line;

class BudgetQueriesTest : public testing::ReformdFixture {
 protected:
  BudgetQueriesTest() { basis_ = "西财预〔2019〕1号"; }

  void SetUp() override {
    ReformdFixture::SetUp();
    if (HasFatalFailure()) return;
    const auto& channel = Channel();
    org_ = api::OrgCommands::NewStub(channel);
    budget_ = api::BudgetCommands::NewStub(channel);
    queries_ = api::BudgetQueries::NewStub(channel);
  }

  uint64_t Establish(const std::string& id, pb::AgencyKind kind, bool civil_servant = false) {
    api::EstablishAgencyRequest r = testing::requests::EstablishAgency(
        id, absl::StrCat("机构", id), kind, /*parent=*/"", /*jurisdiction=*/"");
    r.mutable_agency()->set_civil_servant_managed(civil_servant);
    return Must([&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); }, r,
                "2018-01-01");
  }

  template <typename Request>
  static Request On(const pb::BudgetLine& line, int year, const std::string& agency) {
    Request r;
    r.set_agency_id(agency);
    r.set_fiscal_year(year);
    *r.mutable_line() = line;
    return r;
  }

  uint64_t Appropriate(const pb::BudgetLine& line, int64_t fen, int year = 2019,
                       const std::string& agency = kAgency) {
    auto r = On<api::AppropriateRequest>(line, year, agency);
    r.set_amount_fen(fen);
    return Must([&](auto* c, const auto& q, auto* a) { return budget_->Appropriate(c, q, a); }, r);
  }
  uint64_t Disburse(const pb::BudgetLine& line, int64_t fen, int year = 2019,
                    const std::string& agency = kAgency) {
    auto r = On<api::DisburseRequest>(line, year, agency);
    r.set_amount_fen(fen);
    r.set_disbursement_id(absl::StrCat("v", ++vouchers_));
    r.set_date(absl::StrCat(year, "-06-30"));
    r.set_purpose("办公费");
    return Must([&](auto* c, const auto& q, auto* a) { return budget_->Disburse(c, q, a); }, r);
  }
  uint64_t Close(const pb::BudgetLine& line, int64_t fen, int year = 2019,
                 const std::string& agency = kAgency) {
    auto r = On<api::RecordCarryOverRequest>(line, year, agency);
    r.set_kind(pb::CLOSING);
    r.set_amount_fen(fen);
    return Must([&](auto* c, const auto& q, auto* a) { return budget_->RecordCarryOver(c, q, a); },
                r);
  }

  // The 机构改革业务费 project of the seed: 2.5 万元, 2.37 spent, both indicators met.
  uint64_t RecordProject() {
    api::DefineProjectRequest define;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        "agency_id: 'xiqu-bianban' fiscal_year: 2019 project_id: 'jggg' name: '机构改革业务费' "
        "indicators { indicator_id: 'sl' level1: OUTPUT_INDICATORS level2: QUANTITY "
        "  name: '开展机构改革调研' op: AT_LEAST target_milli: 10000 unit: '次' } "
        "indicators { indicator_id: 'sh' level1: BENEFIT_INDICATORS level2: SOCIAL "
        "  name: '社会效益' op: QUALITATIVE target_text: '党政部门运转高效' } "
        "indicators { indicator_id: 'my' level1: SATISFACTION_INDICATORS "
        "  level2: SERVICE_RECIPIENT name: '满意度' op: AT_LEAST target_milli: 90000 unit: '%' }",
        &define));
    Must([&](auto* c, const auto& q, auto* a) { return budget_->DefineProject(c, q, a); }, define);
    const pb::BudgetLine line = Line(pb::GOVERNMENT_FUND, "2120802", "302", "jggg");
    Appropriate(line, 2'500'000);
    Disburse(line, 2'370'000);
    Close(line, 130'000);
    api::RecordPerformanceRequest performance;
    EXPECT_TRUE(google::protobuf::TextFormat::ParseFromString(
        "agency_id: 'xiqu-bianban' fiscal_year: 2019 project_id: 'jggg' "
        "actuals { indicator_id: 'sl' actual_milli: 20000 } "
        "actuals { indicator_id: 'sh' actual_text: '运转高效' met: true } "
        "actuals { indicator_id: 'my' actual_milli: 100000 }",
        &performance));
    return Must(
        [&](auto* c, const auto& q, auto* a) { return budget_->RecordPerformance(c, q, a); },
        performance);
  }

  api::GetBudgetResponse GetBudget(const std::string& agency, int year, uint64_t min_position,
                                   bool omit_lines = false) {
    api::GetBudgetRequest r;
    r.set_agency_id(agency);
    r.set_fiscal_year(year);
    r.set_min_position(min_position);
    r.set_omit_lines(omit_lines);
    api::GetBudgetResponse response;
    grpc::Status s = queries_->GetBudget(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  int vouchers_ = 0;
  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::BudgetCommands::Stub> budget_;
  std::unique_ptr<api::BudgetQueries::Stub> queries_;
};

TEST_F(BudgetQueriesTest, ReadYourWritesBudgetWithRollupsAndYearOverYear) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  const pb::BudgetLine office = Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201");
  const pb::BudgetLine wages = Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30101");
  Appropriate(office, 1'508'000, 2018);
  Disburse(office, 1'508'000, 2018);
  Appropriate(office, 1'600'000);
  Appropriate(wages, 5'000'000);
  Disburse(wages, 5'000'000);
  // Immediately after the command: min_position makes the query wait for the read model.
  const uint64_t paid = Disburse(office, 1'479'000);
  const api::GetBudgetResponse b = GetBudget(kAgency, 2019, paid);
  EXPECT_EQ(b.position(), paid);
  ASSERT_THAT(b.lines(), SizeIs(2));
  EXPECT_EQ(b.lines(0).line().economic_code(), "30101");  // canonical order
  EXPECT_EQ(b.lines(1).amounts().disbursed_fen(), 1'479'000);
  EXPECT_EQ(b.lines(1).amounts().available_fen(), 121'000);
  EXPECT_FALSE(b.lines(1).closed());
  EXPECT_EQ(b.total().budget_fen(), 6'600'000);
  EXPECT_EQ(b.total().disbursed_fen(), 6'479'000);
  EXPECT_EQ(b.execution_rate().basis_points(), 9817);  // 6 479 000 / 6 600 000 = 98.17%
  EXPECT_EQ(b.execution_rate().numerator(), 6'479'000);
  EXPECT_EQ(b.execution_rate().denominator(), 6'600'000);
  EXPECT_EQ(b.open_lines(), 2u);
  std::vector<std::string> function_rows;
  for (const api::CodeAmounts& row : b.by_function()) {
    function_rows.push_back(
        absl::StrCat(row.level(), ":", row.code(), "=", row.amounts().disbursed_fen()));
  }
  EXPECT_THAT(function_rows, ElementsAre("1:201=6479000", "2:20136=6479000", "3:2013601=6479000"));
  EXPECT_EQ(b.personnel().disbursed_fen(), 5'000'000);
  EXPECT_EQ(b.public_use().disbursed_fen(), 1'479'000);
  EXPECT_TRUE(b.agency_operating_applicable());
  EXPECT_EQ(b.agency_operating().disbursed_fen(), 1'479'000);
  ASSERT_TRUE(b.previous_year_found());
  bool compared = false;
  for (const api::YearOverYearChange& y : b.year_over_year()) {
    if (y.metric() != "机关运行经费") continue;
    compared = true;
    EXPECT_EQ(y.this_year_fen(), 1'479'000);
    EXPECT_EQ(y.last_year_fen(), 1'508'000);
    EXPECT_EQ(y.change_fen(), -29'000);
    EXPECT_TRUE(y.change().defined());
    EXPECT_EQ(y.change().basis_points(), -192);  // −1.92%: the seed's "下降1.9%"
  }
  EXPECT_TRUE(compared);
  // 2018 has no year before it.
  EXPECT_FALSE(GetBudget(kAgency, 2018, paid).previous_year_found());
}

// Without lines, GetBudget answers exactly what it answers with them, lines aside — on a budget
// large enough for its roll-ups to be maintained, as payments move its lines and as other
// budgets move the log on.
TEST_F(BudgetQueriesTest, RollUpsWithoutLinesAreTheSameAnswerAsTheLogMovesOn) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  Appropriate(Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201"), 1'000'000, 2018);
  constexpr int kLines = 300;  // above kMaintainedBookLinesMin
  uint64_t position = 0;
  for (int i = 0; i < kLines; ++i) {
    // 150 项 of 款 20101 and 20102 (人大事务, 政协事务: their 项 are not all transcribed, so
    // any is taken under them; domain/classification.h).
    const int item = i % 150;
    position =
        Appropriate(Line(pb::GENERAL_PUBLIC_BUDGET,
                         absl::StrCat(item < 100 ? 2'010'100 + item : 2'010'200 + item - 100),
                         i < 150 ? "30101" : "30201"),
                    100'000 + i);
  }
  auto expect_same_answer = [&](uint64_t at) {
    api::GetBudgetResponse with_lines = GetBudget(kAgency, 2019, at);
    api::GetBudgetResponse rollups = GetBudget(kAgency, 2019, at, /*omit_lines=*/true);
    EXPECT_THAT(with_lines.lines(), SizeIs(kLines));
    EXPECT_THAT(rollups.lines(), SizeIs(0));
    with_lines.clear_lines();
    std::string difference;
    google::protobuf::util::MessageDifferencer differencer;
    differencer.ReportDifferencesToString(&difference);
    EXPECT_TRUE(differencer.Compare(with_lines, rollups)) << "at " << at << ": " << difference;
    return rollups;
  };
  const api::GetBudgetResponse before = expect_same_answer(position);
  EXPECT_EQ(before.position(), position);
  EXPECT_TRUE(before.previous_year_found());
  EXPECT_EQ(before.total().disbursed_fen(), 0);
  EXPECT_EQ(before.total().appropriated_fen(), kLines * 100'000 + kLines * (kLines - 1) / 2);

  const pb::BudgetLine paid_line = Line(pb::GENERAL_PUBLIC_BUDGET, "2010107", "30201");
  Disburse(paid_line, 40'000);
  const uint64_t paid = Disburse(Line(pb::GENERAL_PUBLIC_BUDGET, "2010110", "30101"), 70'000);
  const api::GetBudgetResponse after = expect_same_answer(paid);
  EXPECT_EQ(after.position(), paid);
  EXPECT_EQ(after.total().disbursed_fen(), 110'000);
  EXPECT_EQ(after.personnel().disbursed_fen(), 70'000);
  EXPECT_EQ(after.public_use().disbursed_fen(), 40'000);
  EXPECT_EQ(after.total().available_fen(), before.total().available_fen() - 110'000);

  // Another budget moves the log on; this one's figures stay, at the new position.
  const uint64_t elsewhere =
      Disburse(Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201"), 1'000, 2018);
  const api::GetBudgetResponse later = expect_same_answer(elsewhere);
  EXPECT_EQ(later.position(), elsewhere);
  api::GetBudgetResponse figures = later;
  figures.set_position(paid);
  figures.clear_year_over_year();
  api::GetBudgetResponse figures_after = after;
  figures_after.clear_year_over_year();
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(figures, figures_after));
}

TEST_F(BudgetQueriesTest, FinalAccountsCheckTheIdentities) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  const pb::BudgetLine office = Line(pb::GENERAL_PUBLIC_BUDGET, "2013601", "30201");
  Appropriate(office, 1'000'000);
  const uint64_t paid = Disburse(office, 900'000);
  api::GetFinalAccountsRequest r;
  r.set_agency_id(kAgency);
  r.set_fiscal_year(2019);
  r.set_min_position(paid);
  api::GetFinalAccountsResponse open;
  ASSERT_TRUE(queries_->GetFinalAccounts(Context().get(), r, &open).ok());
  EXPECT_FALSE(open.all_hold());
  EXPECT_EQ(open.open_available_fen(), 100'000);
  std::vector<std::string> broken;
  for (const api::AccountingIdentity& i : open.identities()) {
    if (!i.holds()) broken.push_back(i.name());
  }
  EXPECT_THAT(broken, ElementsAre("收入总计 = 支出总计",
                                  "一般公共预算: 年初结转 + 本年收入 = 本年支出 + 年末结转"));

  r.set_min_position(Close(office, 100'000));
  api::GetFinalAccountsResponse closed;
  ASSERT_TRUE(queries_->GetFinalAccounts(Context().get(), r, &closed).ok());
  EXPECT_TRUE(closed.all_hold());
  EXPECT_EQ(closed.income_total_fen(), 1'000'000);
  EXPECT_EQ(closed.expenditure_total_fen(), 1'000'000);
  EXPECT_EQ(closed.carried_out_fen(), 100'000);
  ASSERT_THAT(closed.fiscal_kinds(), SizeIs(3));
  EXPECT_EQ(closed.fiscal_kinds(0).fund_source(), pb::GENERAL_PUBLIC_BUDGET);
  EXPECT_EQ(closed.fiscal_kinds(0).expenditure_fen(), 900'000);
  for (const api::AccountingIdentity& i : closed.identities()) {
    EXPECT_TRUE(i.holds()) << i.name();
    EXPECT_EQ(i.left_fen(), i.right_fen()) << i.name();
  }
}

TEST_F(BudgetQueriesTest, PerformanceScoresWithDefaultOrGivenWeights) {
  Establish(kAgency, pb::PARTY_DEPARTMENT);
  const uint64_t recorded = RecordProject();
  api::GetPerformanceRequest r;
  r.set_agency_id(kAgency);
  r.set_fiscal_year(2019);
  r.set_project_id("jggg");
  r.set_min_position(recorded);
  api::GetPerformanceResponse defaults;
  ASSERT_TRUE(queries_->GetPerformance(Context().get(), r, &defaults).ok());
  ASSERT_THAT(defaults.projects(), SizeIs(1));
  const api::ProjectPerformance& p = defaults.projects(0);
  EXPECT_EQ(p.name(), "机构改革业务费");
  EXPECT_EQ(p.execution_rate().basis_points(), 9480);
  EXPECT_EQ(p.execution_centipoints(), 948);
  EXPECT_EQ(p.score_centipoints(), 9948);  // 9.48 + 50 + 30 + 10
  EXPECT_EQ(p.grade(), "优");
  ASSERT_THAT(p.indicators(), SizeIs(3));
  EXPECT_TRUE(p.indicators(0).met());
  EXPECT_EQ(defaults.weights().outputs(), 50);

  // A locality that weighs budget execution at 60: 60 × 0.948 = 56.88, + 20 + 10 + 10.
  api::PerformanceWeights* w = r.mutable_weights();
  w->set_budget_execution(60);
  w->set_outputs(20);
  w->set_benefits(10);
  w->set_satisfaction(10);
  w->set_excellent_min(99);
  w->set_good_min(95);
  w->set_pass_min(60);
  api::GetPerformanceResponse local;
  ASSERT_TRUE(queries_->GetPerformance(Context().get(), r, &local).ok());
  EXPECT_EQ(local.projects(0).score_centipoints(), 5688 + 2000 + 1000 + 1000);
  EXPECT_EQ(local.projects(0).grade(), "良");

  w->set_outputs(30);  // sums to 110
  grpc::Status s = queries_->GetPerformance(Context().get(), r, &local);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("weights: budget_execution 60 + outputs 30"));

  r.clear_weights();
  r.set_project_id("no-such-project");
  s = queries_->GetPerformance(Context().get(), r, &local);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(),
              HasSubstr("budget-xiqu-bianban-2019 has no project no-such-project"));
}

// 机关运行经费 follows the agency's kind and 参公 flag in the org read model.
TEST_F(BudgetQueriesTest, AgencyOperatingExpensesFollowTheOrgReadModel) {
  Establish("djzx", pb::PUBLIC_INSTITUTION, /*civil_servant=*/true);
  const uint64_t last = Establish("dag", pb::PUBLIC_INSTITUTION, /*civil_servant=*/false);
  for (const char* agency : {"djzx", "dag"}) {
    const pb::BudgetLine office = Line(pb::GENERAL_PUBLIC_BUDGET, "2013650", "30201");
    Appropriate(office, 100'000, 2019, agency);
    Disburse(office, 80'000, 2019, agency);
  }
  const uint64_t position = server_->store().HeadPosition();
  ASSERT_GT(position, last);
  const api::GetBudgetResponse civil_servant = GetBudget("djzx", 2019, position);
  EXPECT_TRUE(civil_servant.agency_operating_applicable());
  EXPECT_EQ(civil_servant.agency_operating().disbursed_fen(), 80'000);
  const api::GetBudgetResponse institution = GetBudget("dag", 2019, position);
  EXPECT_FALSE(institution.agency_operating_applicable());
  EXPECT_EQ(institution.agency_operating().disbursed_fen(), 0);
}

// A fiscal year from kFiscalYearMin to kFiscalYearMax is a year to look for (NOT_FOUND here:
// nothing is recorded); one outside is INVALID_ARGUMENT naming the field and the bounds.
TEST_F(BudgetQueriesTest, FiscalYearsFromTheFirstToTheLastAreLookedFor) {
  const uint64_t established = Establish(kAgency, pb::PARTY_DEPARTMENT);
  api::GetBudgetRequest r;
  r.set_agency_id(kAgency);
  r.set_min_position(established);
  api::GetBudgetResponse response;
  for (const int year : {domain::kFiscalYearMin, domain::kFiscalYearMax}) {
    r.set_fiscal_year(year);
    const grpc::Status s = queries_->GetBudget(Context().get(), r, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND) << year << ": " << s.error_message();
    EXPECT_THAT(s.error_message(), HasSubstr(absl::StrCat("no budget budget-xiqu-bianban-", year)));
  }
  for (const int year : {domain::kFiscalYearMin - 1, domain::kFiscalYearMax + 1}) {
    r.set_fiscal_year(year);
    const grpc::Status s = queries_->GetBudget(Context().get(), r, &response);
    EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT) << year;
    EXPECT_THAT(s.error_message(),
                HasSubstr(absl::StrCat("fiscal_year ", year, " is outside 1949–2200")));
  }
}

TEST_F(BudgetQueriesTest, BadInputIsRefusedNamingTheField) {
  const uint64_t established = Establish(kAgency, pb::PARTY_DEPARTMENT);
  api::GetBudgetRequest r;
  api::GetBudgetResponse response;
  grpc::Status s = queries_->GetBudget(Context().get(), r, &response);  // empty: zero bytes
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("agency_id"));

  r.set_agency_id(kAgency);
  r.set_fiscal_year(0);
  r.set_min_position(established);
  s = queries_->GetBudget(Context().get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("fiscal_year 0 is outside 1949–2200"));

  r.set_fiscal_year(2019);
  r.set_agency_id("编办");
  s = queries_->GetBudget(Context().get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("agency_id"));

  r.set_agency_id("nobody");
  s = queries_->GetBudget(Context().get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("no agency nobody"));

  // A known agency with nothing recorded for the year.
  r.set_agency_id(kAgency);
  s = queries_->GetBudget(Context().get(), r, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_THAT(s.error_message(), HasSubstr("no budget budget-xiqu-bianban-2019"));

  api::GetFinalAccountsRequest accounts;
  accounts.set_agency_id(kAgency);
  accounts.set_fiscal_year(2201);
  api::GetFinalAccountsResponse accounts_response;
  s = queries_->GetFinalAccounts(Context().get(), accounts, &accounts_response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("fiscal_year 2201"));

  api::GetPerformanceRequest performance;
  performance.set_agency_id(kAgency);
  performance.set_fiscal_year(2019);
  performance.set_project_id("bad id");
  api::GetPerformanceResponse performance_response;
  s = queries_->GetPerformance(Context().get(), performance, &performance_response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("project_id"));
}

}  // namespace
}  // namespace reformlog::services
