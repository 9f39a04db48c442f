// StaffingQueries over a real reformd on port 0: commands through the gRPC command stubs, then
// queries with min_position = the command's position (read-your-writes) — quota, people and
// leader posts per agency, the 四清两对应 check with its violations, a person's history, the
// people of an agency page by page — the recorded-time audit (as_of_position), and errors.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "domain/event_codec.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_commands.grpc.pb.h"
#include "reformlog/api/v1/staffing_queries.grpc.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "services/reformd/reformd_server.h"
#include "services/staffing/staffing_query_service.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::ElementsAre;
using ::testing::SizeIs;

class StaffingQueriesTest : public testing::ReformdFixture {
 protected:
  void SetUp() override {
    ReformdFixture::SetUp();
    if (HasFatalFailure()) return;
    const auto& channel = Channel();
    org_ = api::OrgCommands::NewStub(channel);
    staffing_ = api::StaffingCommands::NewStub(channel);
    queries_ = api::StaffingQueries::NewStub(channel);
  }

  uint64_t Establish(const std::string& id, const std::string& name, pb::AgencyKind kind) {
    return Must([&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); },
                testing::requests::EstablishAgency(id, name, kind), "2018-01-01");
  }
  uint64_t Grant(const std::string& agency, pb::QuotaCategory category, int count) {
    return Must([&](auto* c, const auto& q, auto* a) { return org_->GrantQuota(c, q, a); },
                testing::requests::ChangeQuota(agency, category, count));
  }
  uint64_t Register(const std::string& person, const std::string& name, const std::string& agency) {
    return Must(
        [&](auto* c, const auto& q, auto* a) { return staffing_->RegisterPerson(c, q, a); },
        testing::requests::RegisterPerson(person, name, agency, pb::ADMINISTRATIVE, "科员"));
  }

  // Two bureaus with people and a leader post, ready to merge.
  uint64_t RecordBureaus() {
    Establish("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT);
    Establish("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT);
    Grant("jxj", pb::ADMINISTRATIVE, 3);
    Grant("kjj", pb::ADMINISTRATIVE, 2);
    Register("p1", "张明", "jxj");
    Register("p2", "李华", "jxj");
    Register("p3", "王芳", "kjj");
    api::IssueMandateRequest m;
    m.set_agency_id("jxj");
    pb::QuotaCount* q = m.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(3);
    pb::LeaderPostCount* chief = m.add_leader_posts();
    chief->set_rank(pb::SECTION_CHIEF);
    chief->set_count(1);
    chief->set_title("局长");
    Must([&](auto* c, const auto& r, auto* a) { return org_->IssueMandate(c, r, a); }, m);
    api::AppointLeaderRequest appoint;
    appoint.set_person_id("p1");
    appoint.set_agency_id("jxj");
    appoint.set_rank(pb::SECTION_CHIEF);
    appoint.set_title("局长");
    return Must([&](auto* c, const auto& r, auto* a) { return staffing_->AppointLeader(c, r, a); },
                appoint, "2019-04-01");
  }

  uint64_t Merge() {
    api::MergeAgenciesRequest r;
    r.add_original_ids("jxj");
    r.add_original_ids("kjj");
    r.mutable_new_agency()->set_agency_id("jxkj");
    r.mutable_new_agency()->set_name("区经济信息化和科学技术局");
    r.mutable_new_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
    r.mutable_new_agency()->set_rank(pb::SECTION_CHIEF);
    r.mutable_new_agency()->set_jurisdiction("西区");
    return Must([&](auto* c, const auto& q, auto* a) { return org_->MergeAgencies(c, q, a); }, r,
                "2019-06-01");
  }

  // "agency 行政编制 quota/in post/空编/超编" for every agency and category of a response.
  static std::vector<std::string> Lines(const api::GetStaffingResponse& response) {
    std::vector<std::string> out;
    for (const api::AgencyStaffingFigures& a : response.agencies()) {
      out.push_back(absl::StrCat(a.agency_id(), a.ceased() ? " (ceased)" : "", " total ",
                                 a.total().quota(), "/", a.total().in_post()));
      for (const api::QuotaFigures& f : a.quotas()) {
        out.push_back(absl::StrCat("  ", pb::QuotaCategory_Name(f.category()), " ", f.quota(), "/",
                                   f.in_post(), "/", f.vacancies(), "/", f.over()));
      }
      for (const api::LeaderPostFigures& p : a.leader_posts()) {
        std::string line = absl::StrCat("  ", pb::Rank_Name(p.rank()), " ", p.title(), " ",
                                        p.approved(), "/", p.appointed());
        if (p.in_transition() > 0) absl::StrAppend(&line, " 消化", p.in_transition());
        if (p.over() > 0) absl::StrAppend(&line, " 超", p.over());
        for (const api::LeaderInPost& l : p.leaders()) absl::StrAppend(&line, " ", l.person_id());
        out.push_back(line);
      }
    }
    return out;
  }

  api::GetStaffingResponse Staffing(const std::string& agency, const std::string& jurisdiction,
                                    uint64_t min_position, uint64_t as_of_position = 0,
                                    bool include_ceased = false) {
    api::GetStaffingRequest r;
    r.set_agency_id(agency);
    r.set_jurisdiction(jurisdiction);
    r.set_min_position(min_position);
    r.set_as_of_position(as_of_position);
    r.set_include_ceased(include_ceased);
    api::GetStaffingResponse response;
    grpc::Status s = queries_->GetStaffing(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::StaffingCommands::Stub> staffing_;
  std::unique_ptr<api::StaffingQueries::Stub> queries_;
};

TEST_F(StaffingQueriesTest, ReadYourWritesAndTheRecordedTimeAudit) {
  Establish("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT);
  Grant("jxj", pb::ADMINISTRATIVE, 3);
  // Straight after each command, min_position makes the query wait for the read model.
  const uint64_t registered = Register("p1", "张明", "jxj");
  api::GetStaffingResponse one = Staffing("jxj", "", registered);
  EXPECT_GE(one.position(), registered);
  EXPECT_THAT(Lines(one), ElementsAre("jxj total 3/1", "  ADMINISTRATIVE 3/1/2/0"));
  EXPECT_EQ(one.agencies(0).name(), "区经济和信息化局");
  EXPECT_EQ(one.agencies(0).last_position(), registered);

  Establish("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT);
  Grant("kjj", pb::ADMINISTRATIVE, 2);
  Register("p2", "李华", "jxj");
  const uint64_t before_merger = Register("p3", "王芳", "kjj");
  const uint64_t merged = Merge();
  EXPECT_THAT(Lines(Staffing("", "西区", merged)),
              ElementsAre("jxkj total 5/3", "  ADMINISTRATIVE 5/3/2/0"));
  EXPECT_THAT(Lines(Staffing("", "西区", merged, 0, /*include_ceased=*/true)),
              ElementsAre("jxj (ceased) total 0/0", "jxkj total 5/3", "  ADMINISTRATIVE 5/3/2/0",
                          "kjj (ceased) total 0/0"));
  // What the system knew before the merger was recorded.
  api::GetStaffingResponse audit = Staffing("", "西区", 0, before_merger);
  EXPECT_EQ(audit.position(), before_merger);
  EXPECT_THAT(Lines(audit), ElementsAre("jxj total 3/2", "  ADMINISTRATIVE 3/2/1/0",
                                        "kjj total 2/1", "  ADMINISTRATIVE 2/1/1/0"));

  api::CheckJurisdictionRequest check;
  check.set_jurisdiction("西区");
  check.set_as_of_position(before_merger);
  api::CheckJurisdictionResponse report;
  ASSERT_TRUE(queries_->CheckJurisdiction(Context().get(), check, &report).ok());
  EXPECT_EQ(report.totals().agencies(), 2);
  EXPECT_EQ(report.totals().ceased_agencies(), 0);
  check.set_as_of_position(0);
  check.set_min_position(merged);
  ASSERT_TRUE(queries_->CheckJurisdiction(Context().get(), check, &report).ok());
  EXPECT_EQ(report.totals().agencies(), 1);
  EXPECT_EQ(report.totals().ceased_agencies(), 2);
}

// as_of_date: the figures on a date, every event in effect by then folded in the order they
// take effect — a late entry (补录) counts from its own date, not from when it was recorded.
TEST_F(StaffingQueriesTest, AsOfADateLateEntriesCountFromTheirDate) {
  Establish("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT);
  Establish("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT);
  Grant("jxj", pb::ADMINISTRATIVE, 3);  // 2019-03-01
  Grant("kjj", pb::ADMINISTRATIVE, 2);
  auto register_on = [&](const std::string& person, const std::string& agency,
                         const std::string& date) {
    return Must(
        [&](auto* c, const auto& q, auto* a) { return staffing_->RegisterPerson(c, q, a); },
        testing::requests::RegisterPerson(person, person, agency, pb::ADMINISTRATIVE, "科员"),
        date);
  };
  register_on("p1", "jxj", "2019-03-01");
  register_on("p2", "jxj", "2019-05-01");
  register_on("p3", "jxj", "2019-04-01");  // recorded after p2: a late entry
  const uint64_t merged = Merge();         // 2019-06-01
  auto on = [&](const std::string& date) {
    api::GetStaffingRequest r;
    r.set_jurisdiction("西区");
    r.set_min_position(merged);
    r.set_include_ceased(true);
    r.set_as_of_date(date);
    api::GetStaffingResponse response;
    grpc::Status s = queries_->GetStaffing(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return Lines(response);
  };
  EXPECT_THAT(on("2019-02-15"), ElementsAre("jxj total 0/0", "kjj total 0/0"));
  EXPECT_THAT(on("2019-04-15"), ElementsAre("jxj total 3/2", "  ADMINISTRATIVE 3/2/1/0",
                                            "kjj total 2/0", "  ADMINISTRATIVE 2/0/2/0"));
  EXPECT_THAT(on("2019-05-31"), ElementsAre("jxj total 3/3", "  ADMINISTRATIVE 3/3/0/0",
                                            "kjj total 2/0", "  ADMINISTRATIVE 2/0/2/0"));
  EXPECT_THAT(on("2019-06-01"), ElementsAre("jxj (ceased) total 0/0", "jxkj total 5/3",
                                            "  ADMINISTRATIVE 5/3/2/0", "kjj (ceased) total 0/0"));
  EXPECT_EQ(on(""), on("2019-06-01")) << "as recorded now = as on the last date";

  // The people in post on a date, and a person before they were registered.
  api::ListPeopleRequest list;
  list.set_agency_id("jxj");
  list.set_as_of_date("2019-04-15");
  api::ListPeopleResponse people;
  ASSERT_TRUE(queries_->ListPeople(Context().get(), list, &people).ok());
  ASSERT_THAT(people.people(), SizeIs(2));
  EXPECT_EQ(people.people(0).person_id(), "p1");
  EXPECT_EQ(people.people(1).person_id(), "p3");
  api::GetPersonRequest person;
  person.set_person_id("p2");
  person.set_as_of_date("2019-04-15");
  api::GetPersonResponse p2;
  ExpectStatus(queries_->GetPerson(Context().get(), person, &p2), grpc::StatusCode::NOT_FOUND,
               "person-p2");
  person.set_as_of_date("2019-05-01");
  ASSERT_TRUE(queries_->GetPerson(Context().get(), person, &p2).ok());
  EXPECT_EQ(p2.person().agency_id(), "jxj");

  // The check on a date; and a date that is not one.
  api::CheckJurisdictionRequest check;
  check.set_jurisdiction("西区");
  check.set_as_of_date("2019-05-31");
  api::CheckJurisdictionResponse report;
  ASSERT_TRUE(queries_->CheckJurisdiction(Context().get(), check, &report).ok());
  EXPECT_EQ(report.totals().agencies(), 2);
  EXPECT_EQ(report.totals().total().in_post(), 3);
  check.set_as_of_date("2019-13-01");
  ExpectStatus(queries_->CheckJurisdiction(Context().get(), check, &report),
               grpc::StatusCode::INVALID_ARGUMENT, "as_of_date");
}

// 用编审批 over gRPC: an approved notice's vacancies show as 预留 (reserved), not 空编, until
// people are registered into them citing it or it lapses.
TEST_F(StaffingQueriesTest, ReservedVacanciesShowUntilFilledOrLapsed) {
  Establish("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT);
  Grant("jxj", pb::ADMINISTRATIVE, 3);
  api::RequestQuotaUseRequest request;
  request.set_notice_id("xq-2019-01");
  request.set_agency_id("jxj");
  request.set_category(pb::ADMINISTRATIVE);
  request.set_count(2);
  request.set_purpose("2019年公务员考录");
  Must([&](auto* c, const auto& q, auto* a) { return staffing_->RequestQuotaUse(c, q, a); },
       request, "2019-03-01");
  api::ApproveQuotaUseRequest approve;
  approve.set_notice_id("xq-2019-01");
  approve.set_agency_id("jxj");
  approve.set_notice_number("西编用〔2019〕1号");
  approve.set_valid_until("2019-09-30");
  const uint64_t approved =
      Must([&](auto* c, const auto& q, auto* a) { return staffing_->ApproveQuotaUse(c, q, a); },
           approve, "2019-03-10");
  auto figures = [&](uint64_t position, const std::string& date) {
    api::GetStaffingRequest r;
    r.set_agency_id("jxj");
    r.set_min_position(position);
    r.set_as_of_date(date);
    api::GetStaffingResponse response;
    grpc::Status s = queries_->GetStaffing(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    const api::QuotaFigures& q = response.agencies(0).quotas(0);
    return absl::StrCat(q.quota(), "/", q.in_post(), " 预留", q.reserved(), " 空编", q.vacancies());
  };
  EXPECT_EQ(figures(approved, "2019-06-01"), "3/0 预留2 空编1");
  EXPECT_EQ(figures(approved, "2019-10-01"), "3/0 预留0 空编3") << "lapsed after 2019-09-30";
  api::RegisterPersonRequest newcomer =
      testing::requests::RegisterPerson("p1", "张明", "jxj", pb::ADMINISTRATIVE, "科员");
  newcomer.mutable_person()->set_notice_id("xq-2019-01");
  const uint64_t filled =
      Must([&](auto* c, const auto& q, auto* a) { return staffing_->RegisterPerson(c, q, a); },
           newcomer, "2019-04-01");
  EXPECT_EQ(figures(filled, "2019-06-01"), "3/1 预留1 空编1");
}

TEST_F(StaffingQueriesTest, LeaderPostsPeopleAndHistories) {
  const uint64_t appointed = RecordBureaus();
  const uint64_t merged = Merge();
  api::GetStaffingResponse before = Staffing("jxj", "", 0, appointed);
  EXPECT_THAT(Lines(before), ElementsAre("jxj total 3/2", "  ADMINISTRATIVE 3/2/1/0",
                                         "  SECTION_CHIEF 局长 1/1 p1"));
  // The merger moved the people, and the leader keeps the rank (保留原职级): the new bureau
  // has no leader posts yet, so it is a transition to absorb (消化), shown by check until it is.
  EXPECT_THAT(
      Lines(Staffing("jxkj", "", merged)),
      ElementsAre("jxkj total 5/3", "  ADMINISTRATIVE 5/3/2/0", "  SECTION_CHIEF  0/1 消化1 p1"));
  api::CheckJurisdictionRequest check;
  check.set_jurisdiction("西区");
  check.set_min_position(merged);
  api::CheckJurisdictionResponse report;
  ASSERT_TRUE(queries_->CheckJurisdiction(Context().get(), check, &report).ok());
  EXPECT_FALSE(report.clear());
  ASSERT_THAT(report.violations(), SizeIs(1));
  EXPECT_EQ(report.violations(0).kind(), api::STAFFING_LEADER_TRANSITION);
  EXPECT_EQ(report.violations(0).label(), "超职数消化中");
  EXPECT_THAT(report.violations(0).message(), ::testing::HasSubstr("超职数消化中 1"));

  api::GetPersonRequest person;
  person.set_person_id("p1");
  person.set_min_position(merged);
  api::GetPersonResponse p1;
  ASSERT_TRUE(queries_->GetPerson(Context().get(), person, &p1).ok());
  EXPECT_EQ(p1.person().name(), "张明");
  EXPECT_EQ(p1.person().agency_id(), "jxkj");
  EXPECT_EQ(p1.person().leader_rank(), pb::SECTION_CHIEF);
  EXPECT_EQ(p1.person().leader_title(), "原区经济和信息化局局长");
  std::vector<std::string> history;
  for (const api::PersonHistoryEntry& h : p1.history()) {
    history.push_back(absl::StrCat(h.ref().effective_date(), " ", h.summary()));
  }
  EXPECT_THAT(history, ElementsAre("2019-03-01 进入jxj（行政编制，科员），考录",
                                   "2019-04-01 任局长（正科级）",
                                   "2019-06-01 调动：jxj → jxkj；不再担任局长（正科级）",
                                   "2019-06-01 任原区经济和信息化局局长（正科级）"));
  EXPECT_EQ(p1.history(2).agency_id(), "jxkj");

  // The people of the new bureau, one page of two, then the rest.
  api::ListPeopleRequest list;
  list.set_agency_id("jxkj");
  list.set_min_position(merged);
  list.set_max_count(2);
  api::ListPeopleResponse page;
  ASSERT_TRUE(queries_->ListPeople(Context().get(), list, &page).ok());
  ASSERT_THAT(page.people(), SizeIs(2));
  EXPECT_EQ(page.people(0).person_id(), "p1");
  EXPECT_EQ(page.people(1).name(), "李华");
  EXPECT_EQ(page.next_after_person_id(), "p2");
  list.set_after_person_id(page.next_after_person_id());
  ASSERT_TRUE(queries_->ListPeople(Context().get(), list, &page).ok());
  ASSERT_THAT(page.people(), SizeIs(1));
  EXPECT_EQ(page.people(0).person_id(), "p3");
  EXPECT_EQ(page.next_after_person_id(), "");
  list.set_agency_id("jxj");
  list.clear_after_person_id();
  ASSERT_TRUE(queries_->ListPeople(Context().get(), list, &page).ok());
  EXPECT_THAT(page.people(), SizeIs(0));
}

// Events the write side would refuse, appended straight to the store: the check lists each.
TEST_F(StaffingQueriesTest, CheckJurisdictionReportsViolationsWithTheirNumbers) {
  const uint64_t clear_at = RecordBureaus();
  api::CheckJurisdictionRequest check;
  check.set_jurisdiction("西区");
  check.set_min_position(clear_at);
  api::CheckJurisdictionResponse report;
  ASSERT_TRUE(queries_->CheckJurisdiction(Context().get(), check, &report).ok());
  EXPECT_TRUE(report.clear());
  EXPECT_EQ(report.totals().total().quota(), 5);
  EXPECT_EQ(report.totals().total().in_post(), 3);
  EXPECT_EQ(report.totals().total().vacancies(), 2);
  EXPECT_EQ(report.totals().leader_posts_approved(), 1);
  EXPECT_EQ(report.totals().leaders_appointed(), 1);

  pb::RosterChanged roster;
  roster.set_agency_id("kjj");
  for (const char* id : {"x1", "x2"}) {
    pb::RosterEntry* e = roster.add_joined();
    e->set_person_id(id);
    e->set_category(pb::ADMINISTRATIVE);
  }
  eventstore::Commit commit;
  commit.commit_id = "raw-roster";
  commit.principal = "raw-writer";
  commit.writes.push_back(
      {"agency-kjj",
       eventstore::ExpectedVersion::Any(),
       {{"", domain::EventType(roster), roster.SerializeAsString(), "2019-09-01", {}}}});
  auto appended = server_->store().Append(commit);
  ASSERT_TRUE(appended.ok()) << appended.status();
  check.set_min_position(appended->last_position);
  ASSERT_TRUE(queries_->CheckJurisdiction(Context().get(), check, &report).ok());
  EXPECT_FALSE(report.clear());
  ASSERT_THAT(report.violations(), SizeIs(1));
  const api::StaffingViolation& v = report.violations(0);
  EXPECT_EQ(v.kind(), api::STAFFING_OVER_QUOTA);
  EXPECT_EQ(v.label(), "超编");
  EXPECT_EQ(v.agency_id(), "kjj");
  EXPECT_EQ(v.agency_name(), "区科学技术局");
  EXPECT_EQ(v.category(), pb::ADMINISTRATIVE);
  EXPECT_EQ(v.limit(), 2);
  EXPECT_EQ(v.actual(), 3);
  EXPECT_EQ(v.message(), "agency-kjj (区科学技术局) 行政编制: quota 2, in post 3 (超编 1)");
  EXPECT_EQ(report.totals().total().over(), 1);
}

TEST_F(StaffingQueriesTest, BadInputIsInvalidArgumentNamingTheFieldAndUnknownIdsAreNotFound) {
  const uint64_t last = RecordBureaus();
  api::GetStaffingRequest staffing;
  api::GetStaffingResponse figures;
  ExpectStatus(queries_->GetStaffing(Context().get(), staffing, &figures),
               grpc::StatusCode::INVALID_ARGUMENT, "agency_id and jurisdiction");
  staffing.set_agency_id("jxj");
  staffing.set_jurisdiction("西区");
  ExpectStatus(queries_->GetStaffing(Context().get(), staffing, &figures),
               grpc::StatusCode::INVALID_ARGUMENT, "exactly one of agency_id and jurisdiction");
  staffing.clear_jurisdiction();
  staffing.set_agency_id("no such id");
  ExpectStatus(queries_->GetStaffing(Context().get(), staffing, &figures),
               grpc::StatusCode::INVALID_ARGUMENT, "agency_id");
  staffing.set_agency_id("nobody");
  staffing.set_min_position(last);
  ExpectStatus(queries_->GetStaffing(Context().get(), staffing, &figures),
               grpc::StatusCode::NOT_FOUND, "no agency nobody");
  staffing.set_agency_id("jxj");
  staffing.set_as_of_position(last + 100);
  ExpectStatus(queries_->GetStaffing(Context().get(), staffing, &figures),
               grpc::StatusCode::OUT_OF_RANGE, "as_of_position");

  api::CheckJurisdictionRequest check;
  api::CheckJurisdictionResponse report;
  ExpectStatus(queries_->CheckJurisdiction(Context().get(), check, &report),
               grpc::StatusCode::INVALID_ARGUMENT, "jurisdiction");
  check.set_jurisdiction("东区");
  check.set_min_position(last);
  ExpectStatus(queries_->CheckJurisdiction(Context().get(), check, &report),
               grpc::StatusCode::NOT_FOUND, "东区");

  api::GetPersonRequest person;
  api::GetPersonResponse record;
  ExpectStatus(queries_->GetPerson(Context().get(), person, &record),
               grpc::StatusCode::INVALID_ARGUMENT, "person_id");
  person.set_person_id("p404");
  person.set_min_position(last);
  ExpectStatus(queries_->GetPerson(Context().get(), person, &record), grpc::StatusCode::NOT_FOUND,
               "person-p404");

  api::ListPeopleRequest list;
  api::ListPeopleResponse page;
  list.set_agency_id("jxj");
  list.set_max_count(kListPeoplePageMax + 1);
  ExpectStatus(queries_->ListPeople(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "max_count 10001 is outside 0–10000");
  list.set_max_count(kListPeoplePageMax);
  EXPECT_TRUE(queries_->ListPeople(Context().get(), list, &page).ok());
  list.set_max_count(0);
  list.set_after_person_id("bad id!");
  ExpectStatus(queries_->ListPeople(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "after_person_id");
  list.clear_after_person_id();
  list.set_agency_id("nobody");
  list.set_min_position(last);
  ExpectStatus(queries_->ListPeople(Context().get(), list, &page), grpc::StatusCode::NOT_FOUND,
               "no agency nobody");
}

}  // namespace
}  // namespace reformlog::services
