// The powers read model: who holds each item on dates before, on and after a back-dated
// delegation; counts per holder and category after catalogue → 下放 to a town → 相对集中 of
// penalties and licensing → return; items moving with a merger (RESTRUCTURED) keep how they
// are held; a catalogue dated after a back-dated delegation; paging — golden renderings from
// a log written by real commands, and the write side's own fold (PowerState) as an oracle
// over random command sequences.
#include "projections/power/power_projection.h"

#include <algorithm>

#include "domain/event_codec.h"
#include "domain/vocabulary.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/in_memory_replay.h"
#include "projections/power/power_view.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/power_decide.h"
#include "services/domain/states.h"
#include "tests/projections/random_commands.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::projections {
namespace {

using testing::CommandDriver;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

class PowerProjectionTest : public ::testing::Test {
 protected:
  PowerProjectionTest() : driver_(store_, clock_) {}

  void Establish(const std::string& id, const std::string& name, pb::AgencyKind kind,
                 pb::AgencyRole role = pb::AGENCY_ROLE_NONE) {
    api::EstablishAgencyRequest r = testing::requests::EstablishAgency(id, name, kind);
    r.mutable_agency()->set_role(role);
    driver_.On("2018-01-01").Must(domain::DecideEstablishAgency, r);
  }

  // Catalogues `codes` of one category under `holder`.
  void Catalog(const std::string& date, const std::string& holder, pb::PowerCategory category,
               const std::vector<std::string>& codes) {
    api::CatalogPowersRequest r;
    for (const std::string& code : codes) {
      api::PowerItem* item = r.add_items();
      item->set_code(code);
      item->set_name(absl::StrCat("事项", code));
      item->set_category(category);
      item->set_legal_basis("《行政许可法》");
      item->set_holder_agency_id(holder);
    }
    driver_.On(date, "西府发〔2018〕10号").Must(domain::DecideCatalogPowers, r);
  }

  void Delegate(const std::string& date, const std::vector<std::string>& codes,
                const std::string& from, const std::string& to, pb::DelegationMode mode) {
    api::DelegatePowersRequest r;
    for (const std::string& code : codes) r.add_codes(code);
    r.set_from_agency_id(from);
    r.set_to_agency_id(to);
    r.set_mode(mode);
    driver_.On(date, "西府发〔2019〕3号").Must(domain::DecideDelegatePowers, r);
  }

  void Concentrate(const std::string& date, const std::vector<std::string>& codes,
                   const std::string& to) {
    api::ConcentratePowersRequest r;
    for (const std::string& code : codes) r.add_codes(code);
    r.set_to_agency_id(to);
    driver_.On(date, "西府发〔2019〕5号").Must(domain::DecideConcentratePowers, r);
  }

  void Return(const std::string& date, const std::vector<std::string>& codes) {
    api::ReturnPowersRequest r;
    for (const std::string& code : codes) r.add_codes(code);
    driver_.On(date, "西府发〔2019〕9号").Must(domain::DecideReturnPowers, r);
  }

  // A department, a town, the two bureaus of 相对集中.
  void EstablishDistrict() {
    Establish("jsj", "区住房和城乡建设局", pb::GOVERNMENT_DEPARTMENT);
    Establish("hbj", "区环境保护局", pb::GOVERNMENT_DEPARTMENT);
    Establish("glp", "格里坪镇", pb::TOWN);
    Establish("zfj", "区综合行政执法局", pb::GOVERNMENT_DEPARTMENT, pb::COMPREHENSIVE_ENFORCEMENT);
    Establish("spj", "区行政审批局", pb::GOVERNMENT_DEPARTMENT, pb::ADMINISTRATIVE_APPROVAL);
  }

  // The district's powers, recorded in an order that is not the effective order.
  void RecordStory() {
    EstablishDistrict();
    Catalog("2018-06-01", "jsj", pb::LICENSING, {"XK-001", "XK-002"});
    Catalog("2018-06-01", "jsj", pb::PENALTY, {"CF-001", "CF-002"});
    Catalog("2018-06-01", "jsj", pb::COERCION, {"QZ-001"});
    Catalog("2018-06-01", "jsj", pb::INSPECTION, {"JC-001"});
    Catalog("2018-06-01", "hbj", pb::PENALTY, {"CF-101"});
    Catalog("2018-06-01", "hbj", pb::LICENSING, {"XK-101"});
    // 2019-05-01: 相对集中 of penalties and coercion, and of licensing.
    Concentrate("2019-05-01", {"CF-001", "CF-002", "QZ-001", "CF-101"}, "zfj");
    Concentrate("2019-05-01", {"XK-002", "XK-101"}, "spj");
    // Recorded after the concentration, effective before it: 下放 to the town on 2019-03-01.
    Delegate("2019-03-01", {"XK-001"}, "jsj", "glp", pb::ENTRUSTED);
    Delegate("2019-03-01", {"JC-001"}, "jsj", "glp", pb::DIRECT);
    // 2019-09-01: the entrusted licence goes back.
    Return("2019-09-01", {"XK-001"});
  }

  std::unique_ptr<EntityTable> Replay() {
    PowerProjection powers;
    auto tables = ReplayInMemory(store_, {&powers}, store_.HeadPosition());
    EXPECT_TRUE(tables.ok()) << tables.status();
    return std::move((*tables)[0]);
  }

  static std::string Holding(const EntityTable& powers, const std::string& code,
                             const std::string& date) {
    const rm::PowerRecord* record = ConstTable<rm::PowerRecord>(powers).Find(code);
    if (record == nullptr) return "unknown";
    std::optional<PowerHolding> h = HoldingAsOf(*record, date);
    if (!h.has_value()) return "not listed";
    return absl::StrCat(h->holder_agency_id, " (",
                        DescribeHeldAs(h->held_as, h->delegated_by_agency_id),
                        "; acts in the name of ", h->acts_in_name_of_agency_id, ")");
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  CommandDriver driver_;
};

TEST_F(PowerProjectionTest, HolderAsOfDatesAroundABackDatedDelegation) {
  RecordStory();
  std::unique_ptr<EntityTable> powers = Replay();
  EXPECT_EQ(Holding(*powers, "XK-001", "2018-05-31"), "not listed");
  EXPECT_EQ(Holding(*powers, "XK-001", "2018-06-01"), "jsj (own; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-02-28"), "jsj (own; acts in the name of jsj)");
  // 委托下放: the town holds it, in the name of the department, which stays responsible.
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-03-01"),
            "glp (委托下放 by jsj, in its name; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-08-31"),
            "glp (委托下放 by jsj, in its name; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-09-01"), "jsj (own; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "JC-001", "2019-03-01"),
            "glp (直接下放 by jsj; acts in the name of glp)");
  EXPECT_EQ(Holding(*powers, "XK-404", "2019-03-01"), "unknown");
  // The history is in effective order although the delegation was recorded last but one.
  EXPECT_EQ(RenderHistory(*ConstTable<rm::PowerRecord>(*powers).Find("XK-001")),
            "XK-001 事项XK-001 [行政许可] catalogued under jsj\n"
            "2018-06-01 #11 PowerCatalogued: catalogued under jsj [西府发〔2018〕10号]\n"
            "2019-03-01 #37 PowerDelegated: 委托下放 from jsj to glp [西府发〔2019〕3号]\n"
            "2019-09-01 #43 PowerReturned: returned from glp to jsj [西府发〔2019〕9号]\n");
}

TEST_F(PowerProjectionTest, CountsPerHolderAndCategoryAreDerived) {
  RecordStory();
  std::unique_ptr<EntityTable> powers = Replay();
  // Catalogued: every item its department's own.
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2018-12-31", "")),
            "as of 2018-12-31: 8 items\n"
            "hbj: 2 items\n"
            "  行政许可 1: own 1\n"
            "  行政处罚 1: own 1\n"
            "jsj: 6 items\n"
            "  行政许可 2: own 2\n"
            "  行政处罚 2: own 2\n"
            "  行政强制 1: own 1\n"
            "  行政检查 1: own 1\n");
  // The back-dated 下放 counts from its own date, before the concentration recorded first.
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2019-03-01", "")),
            "as of 2019-03-01: 8 items\n"
            "glp: 2 items\n"
            "  行政许可 1: 委托下放 1\n"
            "  行政检查 1: 直接下放 1\n"
            "hbj: 2 items\n"
            "  行政许可 1: own 1\n"
            "  行政处罚 1: own 1\n"
            "jsj: 4 items\n"
            "  行政许可 1: own 1\n"
            "  行政处罚 2: own 2\n"
            "  行政强制 1: own 1\n");
  // 相对集中: penalties and coercion to the 综合行政执法局, licensing to the 行政审批局.
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2019-06-30", "")),
            "as of 2019-06-30: 8 items\n"
            "glp: 2 items\n"
            "  行政许可 1: 委托下放 1\n"
            "  行政检查 1: 直接下放 1\n"
            "spj: 2 items\n"
            "  行政许可 2: 相对集中 2\n"
            "zfj: 4 items\n"
            "  行政处罚 3: 相对集中 3\n"
            "  行政强制 1: 相对集中 1\n");
  // The return: the entrusted licence is the department's own again.
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2019-09-01", "")),
            "as of 2019-09-01: 8 items\n"
            "glp: 1 item\n"
            "  行政检查 1: 直接下放 1\n"
            "jsj: 1 item\n"
            "  行政许可 1: own 1\n"
            "spj: 2 items\n"
            "  行政许可 2: 相对集中 2\n"
            "zfj: 4 items\n"
            "  行政处罚 3: 相对集中 3\n"
            "  行政强制 1: 相对集中 1\n");
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2019-06-30", "zfj")),
            "as of 2019-06-30: 4 items\n"
            "zfj: 4 items\n"
            "  行政处罚 3: 相对集中 3\n"
            "  行政强制 1: 相对集中 1\n");
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2019-06-30", "nobody")),
            "as of 2019-06-30: 0 items\n");
}

TEST_F(PowerProjectionTest, ListsHoldingsByHolderAndCategoryAPageAtATime) {
  RecordStory();
  std::unique_ptr<EntityTable> powers = Replay();
  PowerFilter filter;
  filter.holder_agency_id = "zfj";
  EXPECT_EQ(RenderHoldings(HoldingsAsOf(*powers, "2019-06-30", filter).items),
            "CF-001 事项CF-001 [行政处罚] held by zfj (相对集中 by jsj) since 2019-05-01\n"
            "CF-002 事项CF-002 [行政处罚] held by zfj (相对集中 by jsj) since 2019-05-01\n"
            "CF-101 事项CF-101 [行政处罚] held by zfj (相对集中 by hbj) since 2019-05-01\n"
            "QZ-001 事项QZ-001 [行政强制] held by zfj (相对集中 by jsj) since 2019-05-01\n");
  filter.holder_agency_id.clear();
  filter.category = pb::LICENSING;
  EXPECT_EQ(RenderHoldings(HoldingsAsOf(*powers, "2019-06-30", filter).items),
            "XK-001 事项XK-001 [行政许可] held by glp (委托下放 by jsj, in its name) since "
            "2019-03-01\n"
            "XK-002 事项XK-002 [行政许可] held by spj (相对集中 by jsj) since 2019-05-01\n"
            "XK-101 事项XK-101 [行政许可] held by spj (相对集中 by hbj) since 2019-05-01\n");
  // Before the catalogue, nothing is listed.
  EXPECT_TRUE(HoldingsAsOf(*powers, "2018-05-31", PowerFilter()).items.empty());
  // Pages of two, over everything on the date.
  filter = PowerFilter();
  filter.limit = 2;
  std::vector<std::string> codes;
  int pages = 0;
  for (;;) {
    PowerPage page = HoldingsAsOf(*powers, "2019-06-30", filter);
    ++pages;
    for (const PowerHolding& h : page.items) codes.push_back(h.code);
    if (page.next_after_code.empty()) break;
    filter.after_code = page.next_after_code;
  }
  EXPECT_EQ(pages, 4);
  EXPECT_THAT(codes, ElementsAre("CF-001", "CF-002", "CF-101", "JC-001", "QZ-001", "XK-001",
                                 "XK-002", "XK-101"));
}

TEST_F(PowerProjectionTest, AMergerMovesItemsAndKeepsHowTheyAreHeld) {
  EstablishDistrict();
  Establish("tpx", "太平乡", pb::TOWN);
  Catalog("2018-06-01", "jsj", pb::LICENSING, {"XK-001"});
  Catalog("2018-06-01", "hbj", pb::PENALTY, {"CF-101"});
  Delegate("2019-03-01", {"XK-001"}, "jsj", "glp", pb::ENTRUSTED);
  // 2019-07-01: the town and the township merge into a new town; the entrusted licence moves
  // with it and stays entrusted by the department.
  api::MergeAgenciesRequest towns;
  towns.add_original_ids("glp");
  towns.add_original_ids("tpx");
  *towns.mutable_new_agency() = testing::requests::Agency("xglp", "新格里坪镇", pb::TOWN);
  driver_.On("2019-07-01", "西委发〔2019〕20号").Must(domain::DecideMergeAgencies, towns);
  // 2019-08-01: the department of environment is absorbed into the department of housing:
  // its own penalty item becomes the absorbing department's own.
  api::MergeAgenciesRequest departments;
  departments.add_original_ids("hbj");
  departments.add_original_ids("jsj");
  departments.set_absorbing_id("jsj");
  driver_.On("2019-08-01", "西委发〔2019〕21号").Must(domain::DecideMergeAgencies, departments);
  // A return from the merged town goes back to the department that delegated.
  Return("2019-09-01", {"XK-001"});
  std::unique_ptr<EntityTable> powers = Replay();
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-06-30"),
            "glp (委托下放 by jsj, in its name; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-07-01"),
            "xglp (委托下放 by jsj, in its name; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-09-01"), "jsj (own; acts in the name of jsj)");
  EXPECT_EQ(Holding(*powers, "CF-101", "2019-08-01"), "jsj (own; acts in the name of jsj)");
  EXPECT_EQ(RenderHistory(*ConstTable<rm::PowerRecord>(*powers).Find("XK-001")),
            "XK-001 事项XK-001 [行政许可] catalogued under jsj\n"
            "2018-06-01 #13 PowerCatalogued: catalogued under jsj [西府发〔2018〕10号]\n"
            "2019-03-01 #17 PowerDelegated: 委托下放 from jsj to glp [西府发〔2019〕3号]\n"
            "2019-07-01 #22 PowerDelegated: 机构调整 from glp to xglp; held as 委托下放 by jsj, "
            "in its name [西委发〔2019〕20号]\n"
            "2019-09-01 #36 PowerReturned: returned from xglp to jsj [西府发〔2019〕9号]\n");
  EXPECT_EQ(RenderCounts(CountAsOf(*powers, "2019-08-01", "")),
            "as of 2019-08-01: 2 items\n"
            "jsj: 1 item\n"
            "  行政处罚 1: own 1\n"
            "xglp: 1 item\n"
            "  行政许可 1: 委托下放 1\n");
}

TEST_F(PowerProjectionTest, ADelegationDatedBeforeTheItemIsCataloguedIsRefused) {
  EstablishDistrict();
  // The list is imported with effect from 2019-06-10; a delegation dated 2019-03-01 would
  // pass on an item that did not exist yet.
  Catalog("2019-06-10", "jsj", pb::LICENSING, {"XK-001"});
  api::DelegatePowersRequest r;
  r.add_codes("XK-001");
  r.set_from_agency_id("jsj");
  r.set_to_agency_id("glp");
  r.set_mode(pb::DIRECT);
  absl::StatusOr<api::CommandResult> refused =
      driver_.On("2019-03-01").Run(domain::DecideDelegatePowers, r);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(refused.status().message(), HasSubstr("power-XK-001 on 2019-06-10"));
  std::unique_ptr<EntityTable> powers = Replay();
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-03-01"), "not listed");
  EXPECT_EQ(Holding(*powers, "XK-001", "2019-06-30"), "jsj (own; acts in the name of jsj)");
}

// Oracle: the write side's PowerState, folding each item's events in the record's order (the
// catalogue, then effective date, then position), ends where the last period says — for
// random commands with random effective dates.
TEST_F(PowerProjectionTest, LastPeriodEqualsTheWriteSideFoldInEffectiveOrder) {
  for (const unsigned seed : {11u, 12u, 13u, 14u, 15u, 16u}) {
    testing::RandomCommands(driver_, seed).Run(800);
  }
  std::unique_ptr<EntityTable> powers = Replay();
  size_t items = 0;
  size_t passed_on = 0;
  ConstTable<rm::PowerRecord>(*powers).ForEach([&](const std::string& code,
                                                   const rm::PowerRecord& record) {
    auto slice = store_.ReadStream(domain::PowerStream(code), 0,
                                   eventstore::ReadDirection::kForward, eventstore::kReadCountMax);
    ASSERT_TRUE(slice.ok()) << slice.status();
    std::vector<eventstore::RecordedEvent> events = slice->events;
    std::stable_sort(events.begin() + 1, events.end(), [](const auto& a, const auto& b) {
      return a.effective_date < b.effective_date;  // positions ascend already
    });
    domain::PowerState state;
    for (const eventstore::RecordedEvent& e : events) {
      auto decoded = domain::DecodeEvent(e.type, e.data);
      ASSERT_TRUE(decoded.ok()) << decoded.status();
      state.Apply(**decoded);
    }
    ASSERT_EQ(record.holders_size(), static_cast<int>(events.size())) << code;
    const rm::HolderPeriod& last = record.holders(record.holders_size() - 1);
    EXPECT_EQ(last.holder_agency_id(), state.holder_agency_id) << code;
    EXPECT_EQ(last.held_as(), state.mode) << code;
    EXPECT_EQ(last.delegated_by_agency_id(),
              state.passed_from.empty() ? "" : state.passed_from.back())
        << code;
    EXPECT_EQ(record.category(), state.category) << code;
    EXPECT_EQ(record.name(), state.name) << code;
    ++items;
    passed_on += state.passed_from.empty() ? 0 : 1;
  });
  EXPECT_GT(items, 10u);
  EXPECT_GT(passed_on, 0u);
}

}  // namespace
}  // namespace reformlog::projections
