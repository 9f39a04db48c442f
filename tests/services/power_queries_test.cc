// PowerQueries over a real reformd on port 0: commands through the gRPC command stubs, then
// queries with min_position = the command's position (read-your-writes) — who holds each
// item today and on other dates (a back-dated 下放, a future-dated return), with holder names,
// filters and pages; counts per holder and category; an item's history; the recorded-time
// audit (as_of_position); and errors.
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/power_commands.grpc.pb.h"
#include "reformlog/api/v1/power_queries.grpc.pb.h"
#include "services/power/power_query_service.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::ElementsAre;

class PowerQueriesTest : public testing::ReformdFixture {
 protected:
  PowerQueriesTest() { basis_ = "西府发〔2019〕3号"; }

  void SetUp() override {
    ReformdFixture::SetUp();
    if (HasFatalFailure()) return;
    const auto& channel = Channel();
    org_ = api::OrgCommands::NewStub(channel);
    powers_ = api::PowerCommands::NewStub(channel);
    queries_ = api::PowerQueries::NewStub(channel);
  }

  uint64_t Establish(const std::string& id, const std::string& name, pb::AgencyKind kind,
                     pb::AgencyRole role = pb::AGENCY_ROLE_NONE) {
    api::EstablishAgencyRequest r;
    r.mutable_agency()->set_agency_id(id);
    r.mutable_agency()->set_name(name);
    r.mutable_agency()->set_kind(kind);
    r.mutable_agency()->set_rank(pb::SECTION_CHIEF);
    r.mutable_agency()->set_jurisdiction("西区");
    r.mutable_agency()->set_role(role);
    return Must([&](auto* c, const auto& q, auto* a) { return org_->EstablishAgency(c, q, a); }, r,
                "2018-01-01");
  }

  // A department with three items; 委托下放 of a licence to the town (back-dated, recorded
  // after the concentration), 相对集中 of a penalty, and the licence's return on 2019-09-01
  // (after today). Returns the positions of the concentration and of the last command.
  std::pair<uint64_t, uint64_t> RecordStory() {
    Establish("jsj", "区住房和城乡建设局", pb::GOVERNMENT_DEPARTMENT);
    Establish("glp", "格里坪镇", pb::TOWN);
    Establish("zfj", "区综合行政执法局", pb::GOVERNMENT_DEPARTMENT, pb::COMPREHENSIVE_ENFORCEMENT);
    api::CatalogPowersRequest catalog;
    for (const auto& [code, category] : std::vector<std::pair<std::string, pb::PowerCategory>>{
             {"XK-001", pb::LICENSING}, {"XK-002", pb::LICENSING}, {"CF-001", pb::PENALTY}}) {
      api::PowerItem* item = catalog.add_items();
      item->set_code(code);
      item->set_name(absl::StrCat("事项", code));
      item->set_category(category);
      item->set_holder_agency_id("jsj");
    }
    Must([&](auto* c, const auto& q, auto* a) { return powers_->CatalogPowers(c, q, a); }, catalog,
         "2018-06-01");
    api::ConcentratePowersRequest concentrate;
    concentrate.add_codes("CF-001");
    concentrate.set_to_agency_id("zfj");
    const uint64_t concentrated =
        Must([&](auto* c, const auto& q, auto* a) { return powers_->ConcentratePowers(c, q, a); },
             concentrate, "2019-05-01");
    api::DelegatePowersRequest delegate;
    delegate.add_codes("XK-001");
    delegate.set_from_agency_id("jsj");
    delegate.set_to_agency_id("glp");
    delegate.set_mode(pb::ENTRUSTED);
    Must([&](auto* c, const auto& q, auto* a) { return powers_->DelegatePowers(c, q, a); },
         delegate, "2019-03-01");
    api::ReturnPowersRequest back;
    back.add_codes("XK-001");
    const uint64_t last =
        Must([&](auto* c, const auto& q, auto* a) { return powers_->ReturnPowers(c, q, a); }, back,
             "2019-09-01");
    return {concentrated, last};
  }

  // "code holder (name) held_as by delegated_by, acts for X".
  static std::vector<std::string> Lines(const api::ListPowersResponse& response) {
    std::vector<std::string> out;
    for (const api::PowerHolding& h : response.items()) {
      out.push_back(absl::StrCat(
          h.code(), " ", h.holder_agency_id(), " (", h.holder_name(), ") ",
          pb::DelegationMode_Name(h.held_as()), " by ", h.delegated_by_agency_id(), ", acts for ",
          h.acts_in_name_of_agency_id(), " since ", h.since().effective_date()));
    }
    return out;
  }

  api::ListPowersResponse List(const api::ListPowersRequest& r) {
    api::ListPowersResponse response;
    grpc::Status s = queries_->ListPowers(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  }

  std::unique_ptr<api::OrgCommands::Stub> org_;
  std::unique_ptr<api::PowerCommands::Stub> powers_;
  std::unique_ptr<api::PowerQueries::Stub> queries_;
};

TEST_F(PowerQueriesTest, WhoHoldsEachItemTodayAndOnOtherDates) {
  const uint64_t last = RecordStory().second;
  api::ListPowersRequest r;
  r.set_min_position(last);
  // Today (2019-07-01): the licence is with the town, in the department's name; the future
  // return does not show yet.
  api::ListPowersResponse today = List(r);
  EXPECT_EQ(today.as_of_date(), "2019-07-01");
  EXPECT_GE(today.position(), last);
  EXPECT_THAT(Lines(today),
              ElementsAre("CF-001 zfj (区综合行政执法局) CONCENTRATED by jsj, acts for zfj since "
                          "2019-05-01",
                          "XK-001 glp (格里坪镇) ENTRUSTED by jsj, acts for jsj since 2019-03-01",
                          "XK-002 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01"));
  r.set_as_of_date("2019-02-28");
  EXPECT_THAT(Lines(List(r)),
              ElementsAre("CF-001 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01",
                          "XK-001 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01",
                          "XK-002 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01"));
  r.set_as_of_date("2019-09-01");
  r.set_category(pb::LICENSING);
  EXPECT_THAT(Lines(List(r)),
              ElementsAre("XK-001 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2019-09-01",
                          "XK-002 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01"));
  r.clear_category();
  r.clear_as_of_date();
  r.set_holder_agency_id("glp");
  EXPECT_THAT(Lines(List(r)),
              ElementsAre("XK-001 glp (格里坪镇) ENTRUSTED by jsj, acts for jsj since 2019-03-01"));
}

TEST_F(PowerQueriesTest, PagesCountsHistoryAndAudit) {
  const auto [concentrated, last] = RecordStory();
  // Pages of two.
  api::ListPowersRequest r;
  r.set_min_position(last);
  r.set_page_size(2);
  api::ListPowersResponse first = List(r);
  ASSERT_EQ(first.items_size(), 2);
  EXPECT_EQ(first.next_page_token(), "XK-001");
  r.set_page_token(first.next_page_token());
  api::ListPowersResponse second = List(r);
  ASSERT_EQ(second.items_size(), 1);
  EXPECT_EQ(second.items(0).code(), "XK-002");
  EXPECT_EQ(second.next_page_token(), "");

  // Counts per holder and category, today.
  api::CountPowersRequest count;
  count.set_min_position(last);
  api::CountPowersResponse counts;
  ASSERT_TRUE(queries_->CountPowers(Context().get(), count, &counts).ok());
  EXPECT_EQ(counts.items(), 3);
  std::vector<std::string> lines;
  for (const api::HolderCount& h : counts.holders()) {
    for (const api::CategoryCount& c : h.categories()) {
      for (const api::HeldAsCount& m : c.by_held_as()) {
        lines.push_back(absl::StrCat(h.holder_name(), " ", h.items(), " ",
                                     pb::PowerCategory_Name(c.category()), " ", c.items(), " ",
                                     pb::DelegationMode_Name(m.held_as()), " ", m.items()));
      }
    }
  }
  EXPECT_THAT(lines, ElementsAre("格里坪镇 1 LICENSING 1 ENTRUSTED 1",
                                 "区住房和城乡建设局 1 LICENSING 1 DELEGATION_MODE_UNSPECIFIED 1",
                                 "区综合行政执法局 1 PENALTY 1 CONCENTRATED 1"));
  count.set_holder_agency_id("zfj");
  ASSERT_TRUE(queries_->CountPowers(Context().get(), count, &counts).ok());
  EXPECT_EQ(counts.items(), 1);

  // The licence's history, in effective order, with today's holding.
  api::GetPowerHistoryRequest history;
  history.set_code("XK-001");
  history.set_min_position(last);
  api::GetPowerHistoryResponse item;
  ASSERT_TRUE(queries_->GetPowerHistory(Context().get(), history, &item).ok());
  EXPECT_EQ(item.holding().holder_name(), "格里坪镇");
  EXPECT_EQ(item.holding().held_as(), pb::ENTRUSTED);
  std::vector<std::string> changes;
  for (const api::HolderChange& c : item.changes()) {
    changes.push_back(absl::StrCat(c.ref().effective_date(), " ", c.summary(), " [",
                                   c.ref().basis_number(), "]"));
  }
  EXPECT_THAT(changes, ElementsAre("2018-06-01 catalogued under jsj [西府发〔2019〕3号]",
                                   "2019-03-01 委托下放 from jsj to glp [西府发〔2019〕3号]",
                                   "2019-09-01 returned from glp to jsj [西府发〔2019〕3号]"));

  // The audit: what the system knew right after the concentration (before the 下放 was
  // recorded) about 2019-06-30.
  api::ListPowersRequest audit;
  audit.set_as_of_date("2019-06-30");
  audit.set_as_of_position(concentrated);
  EXPECT_THAT(Lines(List(audit)),
              ElementsAre("CF-001 zfj (区综合行政执法局) CONCENTRATED by jsj, acts for zfj since "
                          "2019-05-01",
                          "XK-001 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01",
                          "XK-002 jsj (区住房和城乡建设局) DELEGATION_MODE_UNSPECIFIED by , acts "
                          "for jsj since 2018-06-01"));
}

TEST_F(PowerQueriesTest, BadInputIsInvalidArgumentNamingTheFieldAndUnknownIdsAreNotFound) {
  const uint64_t last = RecordStory().second;
  api::ListPowersRequest list;
  api::ListPowersResponse page;
  list.set_min_position(last);
  list.set_as_of_date("2019-13-01");
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "as_of_date");
  list.clear_as_of_date();
  list.set_page_size(kPowerPageSizeMax + 1);
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "page_size 1001 is outside 0–1000");
  list.set_page_size(kPowerPageSizeMax);
  EXPECT_TRUE(queries_->ListPowers(Context().get(), list, &page).ok());
  list.set_page_token("not a token");
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "page_token");
  list.clear_page_token();
  list.set_category(static_cast<pb::PowerCategory>(99));
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "category 99");
  list.clear_category();
  list.set_holder_agency_id("no such id");
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page),
               grpc::StatusCode::INVALID_ARGUMENT, "holder_agency_id");
  list.set_holder_agency_id("nobody");
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page), grpc::StatusCode::NOT_FOUND,
               "holder_agency_id: no agency nobody");
  list.clear_holder_agency_id();
  list.set_as_of_position(last + 100);
  ExpectStatus(queries_->ListPowers(Context().get(), list, &page), grpc::StatusCode::OUT_OF_RANGE,
               "as_of_position");

  api::CountPowersRequest count;
  api::CountPowersResponse counts;
  count.set_min_position(last);
  count.set_holder_agency_id("nobody");
  ExpectStatus(queries_->CountPowers(Context().get(), count, &counts), grpc::StatusCode::NOT_FOUND,
               "holder_agency_id: no agency nobody");

  api::GetPowerHistoryRequest history;
  api::GetPowerHistoryResponse item;
  history.set_min_position(last);
  ExpectStatus(queries_->GetPowerHistory(Context().get(), history, &item),
               grpc::StatusCode::INVALID_ARGUMENT, "code is empty");
  history.set_code("XK-404");
  ExpectStatus(queries_->GetPowerHistory(Context().get(), history, &item),
               grpc::StatusCode::NOT_FOUND, "power-XK-404");
  // Listed only after the date asked: the history, without a holding.
  history.set_code("XK-001");
  history.set_as_of_date("2018-01-01");
  ASSERT_TRUE(queries_->GetPowerHistory(Context().get(), history, &item).ok());
  EXPECT_FALSE(item.has_holding());
  EXPECT_EQ(item.changes_size(), 3);
}

}  // namespace
}  // namespace reformlog::services
