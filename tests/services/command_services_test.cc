// The five command services over a real reformd on port 0: the 2019 restructure of a small
// district end to end, every invariant tried over the wire, racing clients on the last
// vacancy and the last fen, idempotent retries, and the recorded principal.
#include <algorithm>
#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cpp/reformlog_client.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/budget_commands.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/power_commands.grpc.pb.h"
#include "reformlog/api/v1/reform_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "services/domain/rules.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class CommandServicesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ReformdOptions options;
    options.data_dir = dir_.Sub("data");
    options.listen = "127.0.0.1:0";
    options.clock = &clock_;
    auto server = ReformdServer::Start(options);
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = std::move(*server);
    absl::StatusOr<std::string> token = client::ReadTokenFile(server_->admin_token_path());
    ASSERT_TRUE(token.ok()) << token.status();
    client::ClientOptions client_options;
    client_options.target = server_->address();
    client_options.token = *token;
    client_options.language = "en";  // the texts these tests read; Chinese: see RefusalsIn…
    token_ = *token;
    auto channel = client::MakeChannel(client_options);
    org_ = api::OrgCommands::NewStub(channel);
    staffing_ = api::StaffingCommands::NewStub(channel);
    power_ = api::PowerCommands::NewStub(channel);
    budget_ = api::BudgetCommands::NewStub(channel);
    reform_ = api::ReformCommands::NewStub(channel);
    feed_ = api::EventFeed::NewStub(channel);
  }

  api::CommandHeader Header(const std::string& document = "西委编〔2019〕1号") {
    api::CommandHeader h;
    h.set_request_id(absl::StrCat("req-", next_request_.fetch_add(1)));
    h.mutable_basis()->set_number(document);
    h.mutable_basis()->set_issuer("中共攀枝花市西区区委机构编制委员会");
    h.set_effective_date("2019-03-01");
    return h;
  }

  template <typename Request, typename Call>
  grpc::Status Send(Call call, Request request, api::CommandResult* result = nullptr) {
    if (!request.has_header()) *request.mutable_header() = Header();
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
    api::CommandResult local;
    return call(&context, request, result != nullptr ? result : &local);
  }

  grpc::Status Establish(const std::string& id, const std::string& name, pb::AgencyKind kind,
                         const std::string& parent = "",
                         pb::AgencyRole role = pb::AGENCY_ROLE_NONE) {
    api::EstablishAgencyRequest r;
    r.mutable_agency()->set_agency_id(id);
    r.mutable_agency()->set_name(name);
    r.mutable_agency()->set_kind(kind);
    r.mutable_agency()->set_rank(pb::SECTION_CHIEF);
    r.mutable_agency()->set_parent_id(parent);
    r.mutable_agency()->set_role(role);
    if (kind == pb::PUBLIC_INSTITUTION) r.mutable_agency()->set_funding_form(pb::FULLY_FUNDED);
    return Send([&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); }, r);
  }
  grpc::Status Grant(const std::string& agency, pb::QuotaCategory category, int count) {
    api::ChangeQuotaRequest r;
    r.set_agency_id(agency);
    r.set_category(category);
    r.set_count(count);
    return Send([&](auto* c, const auto& q, auto* a) { return org_->GrantQuota(c, q, a); }, r);
  }
  grpc::Status Register(const std::string& person, const std::string& agency,
                        pb::QuotaCategory category = pb::ADMINISTRATIVE) {
    api::RegisterPersonRequest r;
    r.mutable_person()->set_person_id(person);
    r.mutable_person()->set_name(absl::StrCat("人员", person));
    r.mutable_person()->set_agency_id(agency);
    r.mutable_person()->set_category(category);
    r.mutable_person()->set_entry_reason(pb::CIVIL_SERVICE_EXAM);
    return Send([&](auto* c, const auto& q, auto* a) { return staffing_->RegisterPerson(c, q, a); },
                r);
  }

  // 一般公共预算 2013601/30201 基本支出: the line the budget tests pay from.
  static pb::BudgetLine OfficeLine() {
    pb::BudgetLine line;
    line.set_fund_source(pb::GENERAL_PUBLIC_BUDGET);
    line.set_function_code("2013601");
    line.set_economic_code("30201");
    line.set_kind(pb::BASIC);
    return line;
  }
  grpc::Status Appropriate(const std::string& agency, const pb::BudgetLine& line, int64_t fen) {
    api::AppropriateRequest a;
    a.set_agency_id(agency);
    a.set_fiscal_year(2019);
    *a.mutable_line() = line;
    a.set_amount_fen(fen);
    return Send([&](auto* c, const auto& q, auto* r) { return budget_->Appropriate(c, q, r); }, a);
  }

  std::vector<api::Event> ReadAll() {
    api::ReadAllRequest request;
    request.set_max_count(10000);
    api::ReadAllResponse response;
    grpc::ClientContext context;
    EXPECT_TRUE(feed_->ReadAll(&context, request, &response).ok());
    return {response.events().begin(), response.events().end()};
  }
  uint64_t Head() { return server_->store().HeadPosition(); }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<ReformdServer> server_;
  std::atomic<int> next_request_{1};
  std::string token_;
  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::StaffingCommands::Stub> staffing_;
  std::unique_ptr<api::PowerCommands::Stub> power_;
  std::unique_ptr<api::BudgetCommands::Stub> budget_;
  std::unique_ptr<api::ReformCommands::Stub> reform_;
  std::unique_ptr<api::EventFeed::Stub> feed_;
};

TEST_F(CommandServicesTest, EveryEventCarriesItsBasisDateAndTheServersPrincipal) {
  api::CommandResult result;
  api::EstablishAgencyRequest r;
  *r.mutable_header() = Header("西委〔2019〕12号");
  r.mutable_header()->set_effective_date("2019-02-28");
  r.mutable_agency()->set_agency_id("xiqu");
  r.mutable_agency()->set_name("中共攀枝花市西区区委");
  r.mutable_agency()->set_kind(pb::PARTY_DEPARTMENT);
  r.mutable_agency()->set_rank(pb::DIVISION_CHIEF);
  ASSERT_TRUE(Send([&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); },
                   r, &result)
                  .ok());
  // The agency and the claim on its name in the register of names.
  EXPECT_EQ(result.position(), 2u);
  EXPECT_THAT(result.event_types(),
              ::testing::ElementsAre("reformlog.domain.v1.AgencyEstablished",
                                     "reformlog.domain.v1.AgencyNameClaimed"));
  std::vector<api::Event> events = ReadAll();
  ASSERT_THAT(events, SizeIs(2));
  EXPECT_EQ(events[1].stream_id(), domain::AgencyNameStream("", "中共攀枝花市西区区委"));
  EXPECT_EQ(events[1].principal(), services::kBootstrapAdmin);
  EXPECT_EQ(events[0].stream_id(), "agency-xiqu");
  EXPECT_EQ(events[0].principal(), services::kBootstrapAdmin);
  EXPECT_EQ(events[0].effective_date(), "2019-02-28");
  EXPECT_EQ(events[0].basis().number(), "西委〔2019〕12号");
  EXPECT_EQ(events[0].recorded_at_us(), absl::ToUnixMicros(clock_.Now()));
  pb::AgencyEstablished payload;
  ASSERT_TRUE(payload.ParseFromString(events[0].data()));
  EXPECT_EQ(payload.name(), "中共攀枝花市西区区委");
}

TEST_F(CommandServicesTest, RetriesAreAnsweredOnceAndReusedIdsRefused) {
  api::EstablishAgencyRequest r;
  *r.mutable_header() = Header();
  r.mutable_agency()->set_agency_id("xiqu");
  r.mutable_agency()->set_name("区委");
  r.mutable_agency()->set_kind(pb::PARTY_DEPARTMENT);
  r.mutable_agency()->set_rank(pb::DIVISION_CHIEF);
  auto establish = [&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); };
  api::CommandResult first, again;
  ASSERT_TRUE(Send(establish, r, &first).ok());
  ASSERT_TRUE(Send(establish, r, &again).ok());  // would be ALREADY_EXISTS if decided again
  EXPECT_TRUE(again.replayed());
  EXPECT_EQ(again.position(), first.position());
  r.mutable_agency()->set_name("另一个名字");
  grpc::Status reused = Send(establish, r);
  EXPECT_EQ(reused.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(reused.error_message(), HasSubstr("already used for a different request"));
  EXPECT_EQ(Head(), 2u);
}

TEST_F(CommandServicesTest, DryRunDecidesButRecordsNothing) {
  api::EstablishAgencyRequest r;
  *r.mutable_header() = Header();
  r.mutable_header()->set_dry_run(true);
  r.mutable_agency()->set_agency_id("xiqu");
  r.mutable_agency()->set_name("区委");
  r.mutable_agency()->set_kind(pb::PARTY_DEPARTMENT);
  r.mutable_agency()->set_rank(pb::DIVISION_CHIEF);
  auto establish = [&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); };
  api::CommandResult preview;
  ASSERT_TRUE(Send(establish, r, &preview).ok());
  EXPECT_TRUE(preview.dry_run());
  EXPECT_EQ(preview.position(), 0u);
  EXPECT_THAT(preview.event_types(),
              ::testing::ElementsAre("reformlog.domain.v1.AgencyEstablished",
                                     "reformlog.domain.v1.AgencyNameClaimed"));
  EXPECT_EQ(Head(), 0u);
  // The same request id, for real: nothing was recorded under it.
  r.mutable_header()->set_dry_run(false);
  api::CommandResult real;
  ASSERT_TRUE(Send(establish, r, &real).ok());
  EXPECT_FALSE(real.replayed());
  EXPECT_EQ(real.position(), 2u);
  // A dry run of what was recorded finds it recorded.
  r.mutable_header()->set_dry_run(true);
  api::CommandResult again;
  ASSERT_TRUE(Send(establish, r, &again).ok());
  EXPECT_TRUE(again.replayed());
  // A dry run meets the refusal the real command would.
  r.mutable_header()->set_request_id("another");
  EXPECT_EQ(Send(establish, r).error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Head(), 2u);
}

TEST_F(CommandServicesTest, MalformedRequestsWriteNothing) {
  api::EstablishAgencyRequest r;
  r.mutable_agency()->set_agency_id("x");
  r.mutable_agency()->set_name("x");
  r.mutable_agency()->set_kind(pb::PARTY_DEPARTMENT);
  r.mutable_agency()->set_rank(pb::DIVISION_CHIEF);
  auto establish = [&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); };
  *r.mutable_header() = Header();
  r.mutable_header()->clear_request_id();
  EXPECT_THAT(Send(establish, r).error_message(), HasSubstr("header.request_id is empty"));
  *r.mutable_header() = Header();
  r.mutable_header()->mutable_basis()->clear_number();
  EXPECT_THAT(Send(establish, r).error_message(), HasSubstr("header.basis.number is empty"));
  *r.mutable_header() = Header();
  r.mutable_header()->set_effective_date("2019-02-30");
  grpc::Status s = Send(establish, r);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("header.effective_date"));
  ASSERT_TRUE(Establish("a", "局", pb::GOVERNMENT_DEPARTMENT).ok());
  api::ChangeQuotaRequest q;
  q.set_agency_id("a");
  q.set_category(static_cast<pb::QuotaCategory>(42));
  q.set_count(1);
  s = Send([&](auto* c, const auto& x, auto* a) { return org_->GrantQuota(c, x, a); }, q);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("category"));
  EXPECT_EQ(Head(), 2u);
}

// Over the wire: a second active agency of one jurisdiction under a name already carried is
// refused, naming the name and who carries it, and writes nothing; once the first is
// abolished the name is free.
TEST_F(CommandServicesTest, ANameCarriedByAnActiveAgencyIsRefusedToAnother) {
  ASSERT_TRUE(Establish("mzj", "攀枝花市西区民政局", pb::GOVERNMENT_DEPARTMENT).ok());
  const uint64_t head = Head();
  grpc::Status refused = Establish("mzj2", "攀枝花市西区民政局", pb::GOVERNMENT_DEPARTMENT);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(),
              HasSubstr("agency-mzj already carries the name \"攀枝花市西区民政局\""));
  EXPECT_EQ(Head(), head);
  api::AbolishAgencyRequest abolish;
  abolish.set_agency_id("mzj");
  ASSERT_TRUE(
      Send([&](auto* c, const auto& q, auto* a) { return org_->AbolishAgency(c, q, a); }, abolish)
          .ok());
  EXPECT_TRUE(Establish("mzj2", "攀枝花市西区民政局", pb::GOVERNMENT_DEPARTMENT).ok());
}

TEST_F(CommandServicesTest, RacingRegistrationsForTheLastVacancyExactlyOneWins) {
  ASSERT_TRUE(Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT).ok());
  ASSERT_TRUE(Grant("bianban", pb::ADMINISTRATIVE, 7).ok());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(Register(absl::StrCat("staff-", i), "bianban").ok());
  constexpr int kRacers = 8;
  std::vector<grpc::Status> results(kRacers);
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] { results[i] = Register(absl::StrCat("racer-", i), "bianban"); });
  }
  for (auto& t : racers) t.join();
  int won = 0;
  for (const grpc::Status& s : results) {
    if (s.ok()) {
      ++won;
    } else {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
      EXPECT_THAT(s.error_message(), HasSubstr("行政编制: quota 7, in post 7, requested +1"));
    }
  }
  EXPECT_EQ(won, 1);
  // The log holds exactly seven registrations into the agency.
  int registered = 0;
  for (const api::Event& e : ReadAll()) {
    registered += e.type() == "reformlog.domain.v1.PersonRegistered" ? 1 : 0;
  }
  EXPECT_EQ(registered, 7);
}

TEST_F(CommandServicesTest, RacingDisbursementsOfTheLastYuanExactlyOneWins) {
  ASSERT_TRUE(Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT).ok());
  const pb::BudgetLine line = OfficeLine();
  ASSERT_TRUE(Appropriate("bianban", line, 100).ok());  // 1.00 元
  constexpr int kRacers = 8;
  std::vector<grpc::Status> results(kRacers);
  std::vector<std::thread> racers;
  for (int i = 0; i < kRacers; ++i) {
    racers.emplace_back([&, i] {
      api::DisburseRequest d;
      d.set_agency_id("bianban");
      d.set_fiscal_year(2019);
      *d.mutable_line() = line;
      d.set_amount_fen(100);
      d.set_disbursement_id(absl::StrCat("voucher-", i));
      d.set_date("2019-06-30");
      d.set_purpose("办公费");
      results[i] =
          Send([&](auto* c, const auto& q, auto* r) { return budget_->Disburse(c, q, r); }, d);
    });
  }
  for (auto& t : racers) t.join();
  int won = 0;
  for (const grpc::Status& s : results) {
    if (s.ok()) {
      ++won;
    } else {
      EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
      EXPECT_THAT(s.error_message(), HasSubstr("available 0.00 元"));
    }
  }
  EXPECT_EQ(won, 1);
}

// A client that re-sends a request before the first copy has its answer (a retry after a
// timeout, a duplicate from a message queue) gets the first copy's answer, never a refusal
// caused by its twin — while other commands race on the same agency and budget line.
TEST_F(CommandServicesTest, IdenticalRequestsSentTogetherGetOneAnswer) {
  const unsigned seed = std::random_device{}();
  SCOPED_TRACE(absl::StrCat("seed ", seed));
  std::mt19937 random(seed);
  constexpr int kRounds = 30;
  constexpr int kQuota = 40;  // fewer than the registrations: some pairs are refused 超编
  ASSERT_TRUE(Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT).ok());
  ASSERT_TRUE(Grant("bianban", pb::ADMINISTRATIVE, kQuota).ok());
  const pb::BudgetLine line = OfficeLine();
  ASSERT_TRUE(Appropriate("bianban", line, 50'000).ok());  // 500.00 元: runs out in the rounds

  struct Copy {
    grpc::Status status;
    api::CommandResult result;
  };
  for (int round = 0; round < kRounds; ++round) {
    api::RegisterPersonRequest registration;
    *registration.mutable_header() = Header();
    registration.mutable_person()->set_person_id(absl::StrCat("twin-", round));
    registration.mutable_person()->set_name("王伟");
    registration.mutable_person()->set_agency_id("bianban");
    registration.mutable_person()->set_category(pb::ADMINISTRATIVE);
    registration.mutable_person()->set_entry_reason(pb::CIVIL_SERVICE_EXAM);
    api::DisburseRequest payment;
    *payment.mutable_header() = Header();
    payment.set_agency_id("bianban");
    payment.set_fiscal_year(2019);
    *payment.mutable_line() = line;
    payment.set_amount_fen(1'000 + static_cast<int64_t>(random() % 2'000));
    payment.set_disbursement_id(absl::StrCat("voucher-", round));
    payment.set_date("2019-06-30");
    payment.set_purpose("办公费");

    Copy copies[4];
    std::vector<std::thread> senders;
    std::vector<int> order = {0, 1, 2, 3, 4, 5};
    std::shuffle(order.begin(), order.end(), random);
    for (int who : order) {
      senders.emplace_back([&, who] {
        if (who < 2) {
          copies[who].status = Send(
              [&](auto* c, const auto& q, auto* r) { return staffing_->RegisterPerson(c, q, r); },
              registration, &copies[who].result);
        } else if (who < 4) {
          copies[who].status =
              Send([&](auto* c, const auto& q, auto* r) { return budget_->Disburse(c, q, r); },
                   payment, &copies[who].result);
        } else if (who == 4) {
          (void)Register(absl::StrCat("other-", round), "bianban");
        } else {
          api::DisburseRequest other = payment;
          *other.mutable_header() = Header();
          other.set_disbursement_id(absl::StrCat("other-voucher-", round));
          (void)Send([&](auto* c, const auto& q, auto* r) { return budget_->Disburse(c, q, r); },
                     other);
        }
      });
    }
    for (std::thread& t : senders) t.join();
    for (int pair = 0; pair < 4; pair += 2) {
      const Copy& x = copies[pair];
      const Copy& y = copies[pair + 1];
      SCOPED_TRACE(absl::StrCat("round ", round, pair == 0 ? ", registration" : ", payment"));
      ASSERT_EQ(x.status.error_code(), y.status.error_code())
          << x.status.error_message() << " | " << y.status.error_message();
      if (!x.status.ok()) {
        EXPECT_EQ(x.status.error_code(), grpc::StatusCode::FAILED_PRECONDITION)
            << x.status.error_message();
        continue;
      }
      EXPECT_EQ(x.result.first_position(), y.result.first_position());
      EXPECT_EQ(x.result.position(), y.result.position());
      EXPECT_NE(x.result.replayed(), y.result.replayed());
    }
  }
}

// The 2019 restructure of a small district, command by command, with the errors a careless
// operator would meet on the way.
TEST_F(CommandServicesTest, RefusalsInChineseByDefaultAndInEnglishWhenAsked) {
  ASSERT_TRUE(Establish("dag", "攀枝花市西区档案馆", pb::GOVERNMENT_DEPARTMENT).ok());
  ASSERT_TRUE(Grant("dag", pb::ADMINISTRATIVE, 8).ok());
  for (int i = 0; i < 8; ++i) ASSERT_TRUE(Register(absl::StrCat("p", i), "dag").ok());
  const uint64_t head = Head();
  api::ChangeQuotaRequest withdraw;
  withdraw.set_agency_id("dag");
  withdraw.set_category(pb::ADMINISTRATIVE);
  withdraw.set_count(2);
  auto refusal = [&](const std::string& language) {
    client::ClientOptions options;
    options.target = server_->address();
    options.token = token_;
    options.language = language;
    auto org = api::OrgCommands::NewStub(client::MakeChannel(options));
    return Send([&](auto* c, const auto& q, auto* a) { return org->WithdrawQuota(c, q, a); },
                withdraw);
  };
  // No language asked for, or Chinese: the words of the field, naming the agency by name.
  for (const std::string language : {"", "zh-CN"}) {
    const grpc::Status zh = refusal(language);
    EXPECT_EQ(zh.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
    EXPECT_EQ(zh.error_message(), "攀枝花市西区档案馆行政编制数8名，实有8人，核减2名后将超编");
  }
  const grpc::Status en = refusal("en-US");
  EXPECT_EQ(en.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_EQ(
      en.error_message(),
      "agency-dag (攀枝花市西区档案馆) 行政编制: quota 8, in post 8, withdrawing 2 would leave "
      "6 (超编)");
  EXPECT_EQ(Head(), head);
}

TEST_F(CommandServicesTest, RestructureOfASmallDistrict) {
  ASSERT_TRUE(Establish("xiqu", "中共攀枝花市西区区委", pb::PARTY_DEPARTMENT).ok());
  ASSERT_TRUE(Establish("gov", "攀枝花市西区人民政府", pb::GOVERNMENT_DEPARTMENT).ok());
  ASSERT_TRUE(Establish("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT, "gov").ok());
  ASSERT_TRUE(Establish("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "gov").ok());
  ASSERT_TRUE(Establish("gelipin", "格里坪镇", pb::TOWN, "gov").ok());
  ASSERT_TRUE(Establish("zfj", "区综合行政执法局", pb::GOVERNMENT_DEPARTMENT, "gov",
                        pb::COMPREHENSIVE_ENFORCEMENT)
                  .ok());
  ASSERT_TRUE(Establish("spj", "区行政审批局", pb::GOVERNMENT_DEPARTMENT, "gov",
                        pb::ADMINISTRATIVE_APPROVAL)
                  .ok());
  ASSERT_TRUE(Grant("jxj", pb::ADMINISTRATIVE, 8).ok());
  ASSERT_TRUE(Grant("kjj", pb::ADMINISTRATIVE, 5).ok());
  for (int i = 0; i < 6; ++i) ASSERT_TRUE(Register(absl::StrCat("j", i), "jxj").ok());
  for (int i = 0; i < 4; ++i) ASSERT_TRUE(Register(absl::StrCat("k", i), "kjj").ok());

  // Powers: catalogued under the departments.
  api::CatalogPowersRequest catalog;
  auto item = [&](const std::string& code, pb::PowerCategory category, const std::string& holder) {
    api::PowerItem* p = catalog.add_items();
    p->set_code(code);
    p->set_name(absl::StrCat("事项", code));
    p->set_category(category);
    p->set_legal_basis("《中华人民共和国行政许可法》");
    p->set_holder_agency_id(holder);
  };
  item("XK-1", pb::LICENSING, "jxj");
  item("XK-2", pb::LICENSING, "kjj");
  item("CF-1", pb::PENALTY, "jxj");
  item("CF-2", pb::PENALTY, "kjj");
  item("QR-1", pb::CONFIRMATION, "jxj");
  auto power = [&](auto method) {
    return [this, method](auto* c, const auto& q, auto* a) { return ((*power_).*method)(c, q, a); };
  };
  ASSERT_TRUE(Send(power(&api::PowerCommands::Stub::CatalogPowers), catalog).ok());

  // The merger: 经信局 + 科技局 → 经济信息化和科学技术局, quota and people with it.
  api::MergeAgenciesRequest merge;
  merge.add_original_ids("jxj");
  merge.add_original_ids("kjj");
  merge.mutable_new_agency()->set_agency_id("jxkj");
  merge.mutable_new_agency()->set_name("区经济信息化和科学技术局");
  merge.mutable_new_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
  merge.mutable_new_agency()->set_rank(pb::SECTION_CHIEF);
  merge.mutable_new_agency()->set_parent_id("gov");
  api::CommandResult merged;
  ASSERT_TRUE(Send([&](auto* c, const auto& q, auto* a) { return org_->MergeAgencies(c, q, a); },
                   merge, &merged)
                  .ok());
  int transferred = 0;
  for (const std::string& type : merged.event_types()) {
    transferred += type == "reformlog.domain.v1.PersonTransferred" ? 1 : 0;
  }
  EXPECT_EQ(transferred, 10);
  // The originals have ceased: nothing more goes into them.
  grpc::Status refused = Register("late", "jxj");
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("has ceased (merged into agency-jxkj)"));

  // 三定: 9 行政编制 for the 10 people would be 超编; 12 fits, with room for two hires.
  api::IssueMandateRequest mandate;
  mandate.set_agency_id("jxkj");
  mandate.add_functions("贯彻执行工业、信息化和科技创新方针政策");
  api::Division* d = mandate.add_divisions();
  d->set_division_id("office");
  d->set_name("办公室");
  pb::QuotaCount* q = mandate.add_quotas();
  q->set_category(pb::ADMINISTRATIVE);
  q->set_count(9);
  pb::LeaderPostCount* posts = mandate.add_leader_posts();
  posts->set_rank(pb::SECTION_CHIEF);
  posts->set_count(1);
  posts->set_title("局长");
  auto issue = [&](auto* c, const auto& x, auto* a) { return org_->IssueMandate(c, x, a); };
  grpc::Status over = Send(issue, mandate);
  EXPECT_EQ(over.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(over.error_message(), HasSubstr("行政编制: the mandate sets quota 9, in post 10"));
  q->set_count(12);
  ASSERT_TRUE(Send(issue, mandate).ok());
  EXPECT_TRUE(Register("new-hire-1", "jxkj").ok());
  EXPECT_TRUE(Register("new-hire-2", "jxkj").ok());
  EXPECT_THAT(Register("new-hire-3", "jxkj").error_message(), HasSubstr("quota 12, in post 12"));

  // Powers follow the merger; then 下放 to the town and 相对集中 into the bureaus.
  api::DelegatePowersRequest delegate;
  delegate.add_codes("QR-1");
  delegate.set_from_agency_id("jxj");
  delegate.set_to_agency_id("gelipin");
  delegate.set_mode(pb::ENTRUSTED);
  grpc::Status not_holder = Send(power(&api::PowerCommands::Stub::DelegatePowers), delegate);
  EXPECT_EQ(not_holder.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  delegate.set_from_agency_id("jxkj");
  ASSERT_TRUE(Send(power(&api::PowerCommands::Stub::DelegatePowers), delegate).ok());
  api::ConcentratePowersRequest penalties;
  penalties.add_codes("CF-1");
  penalties.add_codes("CF-2");
  penalties.set_to_agency_id("zfj");
  ASSERT_TRUE(Send(power(&api::PowerCommands::Stub::ConcentratePowers), penalties).ok());
  api::ConcentratePowersRequest wrong = penalties;
  wrong.clear_codes();
  wrong.add_codes("XK-1");
  EXPECT_EQ(Send(power(&api::PowerCommands::Stub::ConcentratePowers), wrong).error_code(),
            grpc::StatusCode::FAILED_PRECONDITION);
  wrong.set_to_agency_id("spj");
  ASSERT_TRUE(Send(power(&api::PowerCommands::Stub::ConcentratePowers), wrong).ok());

  // Budget of the new bureau: appropriated, disbursed, never overspent.
  const pb::BudgetLine line = OfficeLine();
  ASSERT_TRUE(Appropriate("jxkj", line, 797'000).ok());
  api::DisburseRequest pay;
  pay.set_agency_id("jxkj");
  pay.set_fiscal_year(2019);
  *pay.mutable_line() = line;
  pay.set_amount_fen(797'001);
  pay.set_disbursement_id("v-1");
  pay.set_date("2019-05-01");
  pay.set_purpose("办公费");
  auto disburse = [&](auto* c, const auto& x, auto* a) { return budget_->Disburse(c, x, a); };
  EXPECT_THAT(Send(disburse, pay).error_message(), HasSubstr("available 7970.00 元"));
  pay.set_amount_fen(797'000);
  EXPECT_TRUE(Send(disburse, pay).ok());
  EXPECT_EQ(Appropriate("kjj", line, 797'000).error_code(),  // a ceased agency takes no budget
            grpc::StatusCode::FAILED_PRECONDITION);

  // An agency cannot be its own ancestor.
  api::ReparentAgencyRequest cycle;
  cycle.set_agency_id("gov");
  cycle.set_new_parent_id("jxkj");
  EXPECT_THAT(
      Send([&](auto* c, const auto& x, auto* a) { return org_->ReparentAgency(c, x, a); }, cycle)
          .error_message(),
      HasSubstr("cannot be its own ancestor"));

  // The log tells the story: the merged originals' streams end with AgencyMerged.
  std::vector<api::Event> events = ReadAll();
  std::string last_of_jxj;
  for (const api::Event& e : events) {
    if (e.stream_id() == "agency-jxj") last_of_jxj = e.type();
  }
  EXPECT_EQ(last_of_jxj, "reformlog.domain.v1.AgencyMerged");
}

TEST_F(CommandServicesTest, LockedAgenciesChangeOnlyUnderTheirPlan) {
  ASSERT_TRUE(Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT).ok());
  api::DraftPlanRequest plan;
  plan.set_plan_id("xiqu-2019");
  plan.set_title("西区机构改革方案");
  ASSERT_TRUE(
      Send([&](auto* c, const auto& x, auto* a) { return reform_->DraftPlan(c, x, a); }, plan)
          .ok());
  api::LockRecordsRequest lock;
  *lock.mutable_header() = Header();
  lock.mutable_header()->set_plan_id("xiqu-2019");
  lock.add_agency_ids("bianban");
  ASSERT_TRUE(
      Send([&](auto* c, const auto& x, auto* a) { return staffing_->LockRecords(c, x, a); }, lock)
          .ok());
  grpc::Status refused = Grant("bianban", pb::ADMINISTRATIVE, 7);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("is locked by plan xiqu-2019"));
  api::ChangeQuotaRequest under_plan;
  *under_plan.mutable_header() = Header();
  under_plan.mutable_header()->set_plan_id("xiqu-2019");
  under_plan.set_agency_id("bianban");
  under_plan.set_category(pb::ADMINISTRATIVE);
  under_plan.set_count(7);
  EXPECT_TRUE(
      Send([&](auto* c, const auto& x, auto* a) { return org_->GrantQuota(c, x, a); }, under_plan)
          .ok());
}

}  // namespace
}  // namespace reformlog::services
