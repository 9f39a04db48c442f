// Decisions of the power context: the list (权力清单), 下放 to towns and streets, 相对集中
// into the two bureaus, and returns — each success as the exact events it records, each
// rejection by code and message, and the holdings that follow from them.
//
// One file over ~600 lines on purpose: it mirrors one unit (power_decide.{h,cc}), whose four
// decisions move the same items between the same holders; every section runs on the same
// district (SetUp, CatalogDistrict) and reads its outcome through the same Moves/HoldingChanges
// renderings, and the return tests undo what delegation and concentration did. Split, each part
// would need all of that.
#include "services/domain/power_decide.h"

#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/org_agency_decide.h"
#include "tests/testing/fake_state_view.h"
#include "tests/testing/requests.h"

namespace reformlog::domain {
namespace {

using ::testing::ElementsAre;
using testing::EventsOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;

api::PowerItem Item(const std::string& code, const std::string& name, pb::PowerCategory category,
                    const std::string& holder) {
  api::PowerItem item;
  item.set_code(code);
  item.set_name(name);
  item.set_category(category);
  item.set_legal_basis("《中华人民共和国行政处罚法》");
  item.set_holder_agency_id(holder);
  return item;
}

template <typename Request>
Request WithCodes(const std::vector<std::string>& codes) {
  Request r;
  for (const std::string& code : codes) r.add_codes(code);
  return r;
}

api::DelegatePowersRequest Delegation(const std::vector<std::string>& codes,
                                      const std::string& from, const std::string& to,
                                      pb::DelegationMode mode = pb::DIRECT) {
  auto r = WithCodes<api::DelegatePowersRequest>(codes);
  r.set_from_agency_id(from);
  r.set_to_agency_id(to);
  r.set_mode(mode);
  return r;
}

api::ConcentratePowersRequest Concentration(const std::vector<std::string>& codes,
                                            const std::string& to) {
  auto r = WithCodes<api::ConcentratePowersRequest>(codes);
  r.set_to_agency_id(to);
  return r;
}

api::ReturnPowersRequest Return(const std::vector<std::string>& codes) {
  return WithCodes<api::ReturnPowersRequest>(codes);
}

// Each item's move as "stream: code from → to (mode)", in order.
std::vector<std::string> Moves(const Decision& d) {
  std::vector<std::string> out;
  for (const Emitted& e : d.events()) {
    if (const auto* m = dynamic_cast<const pb::PowerDelegated*>(e.event.get())) {
      out.push_back(absl::StrCat(e.stream_id, ": ", m->code(), " ", m->from_agency_id(), " → ",
                                 m->to_agency_id(), " (", pb::DelegationMode_Name(m->mode()), ")"));
    } else if (const auto* m = dynamic_cast<const pb::PowerReturned*>(e.event.get())) {
      out.push_back(absl::StrCat(e.stream_id, ": ", m->code(), " ", m->from_agency_id(), " → ",
                                 m->to_agency_id(), " (returned)"));
    }
  }
  return out;
}

// Each PowersHeldChanged as "stream (agency_id) +gained… -lost…", in order.
std::vector<std::string> HoldingChanges(const Decision& d) {
  std::vector<std::string> out;
  for (const Emitted& e : d.events()) {
    const auto* c = dynamic_cast<const pb::PowersHeldChanged*>(e.event.get());
    if (c == nullptr) continue;
    std::string line = absl::StrCat(e.stream_id, " (", c->agency_id(), ")");
    for (const std::string& code : c->gained()) absl::StrAppend(&line, " +", code);
    for (const std::string& code : c->lost()) absl::StrAppend(&line, " -", code);
    out.push_back(line);
  }
  return out;
}

class PowerDecideTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Establish("bianban", "区委编办", pb::PARTY_DEPARTMENT);
    Establish("zhujian", "区住房和城乡建设局", pb::GOVERNMENT_DEPARTMENT);
    Establish("shijian", "区市场监督管理局", pb::GOVERNMENT_DEPARTMENT);
    Establish("geliping", "格里坪镇", pb::TOWN);
    Establish("yuquan", "玉泉街道", pb::SUBDISTRICT);
    Establish("zhifa", "区综合行政执法局", pb::GOVERNMENT_DEPARTMENT,
              pb::COMPREHENSIVE_ENFORCEMENT);
    Establish("shenpi", "区行政审批局", pb::GOVERNMENT_DEPARTMENT, pb::ADMINISTRATIVE_APPROVAL);
  }

  void Establish(const std::string& id, const std::string& name, pb::AgencyKind kind,
                 pb::AgencyRole role = pb::AGENCY_ROLE_NONE) {
    api::EstablishAgencyRequest r = testing::requests::EstablishAgency(id, name, kind);
    r.mutable_agency()->set_role(role);
    ASSERT_TRUE(view_.Record(DecideEstablishAgency(view_, r))) << id;
  }
  void Abolish(const std::string& id) {
    api::AbolishAgencyRequest r;
    r.set_agency_id(id);
    ASSERT_TRUE(view_.Record(DecideAbolishAgency(view_, r))) << id;
  }
  // The list the district starts from: four items of 住建, three of 市场监管.
  void CatalogDistrict() {
    api::CatalogPowersRequest r;
    *r.add_items() = Item("CF-1", "对违法建设的处罚", pb::PENALTY, "zhujian");
    *r.add_items() = Item("CF-2", "对擅自从事燃气经营的处罚", pb::PENALTY, "zhujian");
    *r.add_items() = Item("QZ-1", "查封违法施工现场", pb::COERCION, "zhujian");
    *r.add_items() = Item("XK-1", "燃气经营许可", pb::LICENSING, "zhujian");
    *r.add_items() = Item("CF-3", "对无照经营的处罚", pb::PENALTY, "shijian");
    *r.add_items() = Item("JC-1", "食品经营者监督检查", pb::INSPECTION, "shijian");
    *r.add_items() = Item("XK-2", "食品经营许可", pb::LICENSING, "shijian");
    ASSERT_TRUE(view_.Record(DecideCatalogPowers(view_, r)));
  }
  void Record(const absl::StatusOr<Decision>& d) { ASSERT_TRUE(view_.Record(d)) << d.status(); }

  const AgencyState& Agency(const std::string& id) { return **view_.Agency(id); }
  const PowerState& Power(const std::string& code) { return **view_.Power(code); }
  std::set<std::string> Held(const std::string& agency) { return Agency(agency).powers_held; }

  testing::FakeStateView view_;
};

void ExpectRejected(const absl::StatusOr<Decision>& d, absl::StatusCode code,
                    const std::string& message) {
  EXPECT_EQ(d.status().code(), code) << d.status();
  EXPECT_THAT(d.status().message(), HasSubstr(message));
}

// ---- CatalogPowers ----

TEST_F(PowerDecideTest, CatalogRecordsEachItemAndOneChangePerHolder) {
  api::CatalogPowersRequest r;
  *r.add_items() = Item("CF-1", "对违法建设的处罚", pb::PENALTY, "zhujian");
  *r.add_items() = Item("CF-3", "对无照经营的处罚", pb::PENALTY, "shijian");
  *r.add_items() = Item("XK-1", "燃气经营许可", pb::LICENSING, "zhujian");
  absl::StatusOr<Decision> d = DecideCatalogPowers(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();

  auto items = EventsOf<pb::PowerCatalogued>(*d);
  ASSERT_THAT(items, SizeIs(3));
  EXPECT_EQ(d->events()[0].stream_id, "power-CF-1");
  EXPECT_EQ(items[0]->code(), "CF-1");
  EXPECT_EQ(items[0]->name(), "对违法建设的处罚");
  EXPECT_EQ(items[0]->category(), pb::PENALTY);
  EXPECT_EQ(items[0]->legal_basis(), "《中华人民共和国行政处罚法》");
  EXPECT_EQ(items[0]->holder_agency_id(), "zhujian");
  EXPECT_EQ(d->events()[2].stream_id, "power-XK-1");
  EXPECT_EQ(items[2]->category(), pb::LICENSING);
  EXPECT_THAT(HoldingChanges(*d), ElementsAre("agency-shijian (shijian) +CF-3",
                                              "agency-zhujian (zhujian) +CF-1 +XK-1"));

  view_.Record(*d);
  EXPECT_THAT(Held("zhujian"), ElementsAre("CF-1", "XK-1"));
  EXPECT_THAT(Held("shijian"), ElementsAre("CF-3"));
  EXPECT_EQ(Power("XK-1").holder_agency_id, "zhujian");
  EXPECT_THAT(Power("XK-1").passed_from, IsEmpty());
  EXPECT_EQ(Power("XK-1").mode, pb::DELEGATION_MODE_UNSPECIFIED);
}

TEST_F(PowerDecideTest, CatalogRejectsMalformedItems) {
  struct Case {
    api::PowerItem item;
    std::string message;
  };
  auto with = [](auto change) {
    api::PowerItem item = Item("CF-9", "对违法建设的处罚", pb::PENALTY, "zhujian");
    change(item);
    return item;
  };
  std::vector<Case> cases = {
      {with([](api::PowerItem& i) { i.set_code("CF 9"); }), "items[0].code \"CF 9\""},
      {with([](api::PowerItem& i) { i.clear_code(); }), "items[0].code is empty"},
      {with([](api::PowerItem& i) { i.clear_name(); }), "items[0].name is empty"},
      {with([](api::PowerItem& i) { i.set_category(pb::POWER_CATEGORY_UNSPECIFIED); }),
       "items[0].category 0 is missing or unknown"},
      {with([](api::PowerItem& i) { i.set_category(static_cast<pb::PowerCategory>(11)); }),
       "items[0].category 11 is missing or unknown"},
      {with([](api::PowerItem& i) { i.set_legal_basis(std::string(kTextBytesMax + 1, 'x')); }),
       "items[0].legal_basis is 1025 bytes"},
      {with([](api::PowerItem& i) { i.clear_holder_agency_id(); }),
       "items[0].holder_agency_id is empty"},
  };
  for (const Case& c : cases) {
    api::CatalogPowersRequest r;
    *r.add_items() = c.item;
    ExpectRejected(DecideCatalogPowers(view_, r), absl::StatusCode::kInvalidArgument, c.message);
  }
  api::CatalogPowersRequest empty;
  ExpectRejected(DecideCatalogPowers(view_, empty), absl::StatusCode::kInvalidArgument,
                 "items is empty");
  // legal_basis may be left for later; every other field is required.
  api::CatalogPowersRequest no_basis;
  *no_basis.add_items() = with([](api::PowerItem& i) { i.clear_legal_basis(); });
  EXPECT_TRUE(DecideCatalogPowers(view_, no_basis).ok());
}

TEST_F(PowerDecideTest, CatalogRejectsCodesAlreadyCataloguedOrListedTwice) {
  CatalogDistrict();
  api::CatalogPowersRequest again;
  *again.add_items() = Item("CF-1", "对违法建设的处罚", pb::PENALTY, "zhujian");
  *again.add_items() = Item("CF-8", "对新情形的处罚", pb::PENALTY, "zhujian");
  *again.add_items() = Item("XK-2", "食品经营许可", pb::LICENSING, "zhujian");
  ExpectRejected(DecideCatalogPowers(view_, again), absl::StatusCode::kAlreadyExists,
                 "already in the power list (权力清单): power-CF-1 (对违法建设的处罚), held by "
                 "agency-zhujian; power-XK-2 (食品经营许可), held by agency-shijian");

  api::CatalogPowersRequest twice;
  *twice.add_items() = Item("CF-8", "对新情形的处罚", pb::PENALTY, "zhujian");
  *twice.add_items() = Item("CF-9", "另一处罚", pb::PENALTY, "zhujian");
  *twice.add_items() = Item("CF-8", "同一编码", pb::PENALTY, "shijian");
  ExpectRejected(DecideCatalogPowers(view_, twice), absl::StatusCode::kInvalidArgument,
                 "items[2].code CF-8 appears twice (also items[0].code)");
  EXPECT_FALSE(Power("CF-8").exists);
}

TEST_F(PowerDecideTest, CatalogRejectsUnknownOrCeasedHolders) {
  api::CatalogPowersRequest r;
  *r.add_items() = Item("CF-1", "对违法建设的处罚", pb::PENALTY, "zhujian");
  *r.add_items() = Item("CF-2", "处罚", pb::PENALTY, "nowhere");
  ExpectRejected(DecideCatalogPowers(view_, r), absl::StatusCode::kNotFound,
                 "items[1].holder_agency_id: no agency nowhere");
  Abolish("yuquan");
  r.mutable_items(1)->set_holder_agency_id("yuquan");
  ExpectRejected(DecideCatalogPowers(view_, r), absl::StatusCode::kFailedPrecondition,
                 "agency-yuquan (玉泉街道) has ceased (abolished)");
}

TEST_F(PowerDecideTest, CatalogTakesUpToTheLimitPerCommand) {
  api::CatalogPowersRequest r;
  for (int i = 0; i < kPowerItemsPerCommandMax; ++i) {
    *r.add_items() = Item(absl::StrCat("CF-", i), absl::StrCat("处罚", i), pb::PENALTY,
                          i % 2 == 0 ? "zhifa" : "zhujian");
  }
  absl::StatusOr<Decision> d = DecideCatalogPowers(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::PowerCatalogued>(*d), SizeIs(kPowerItemsPerCommandMax));
  ASSERT_THAT(EventsOf<pb::PowersHeldChanged>(*d), SizeIs(2));  // one per holder, not per item
  EXPECT_THAT(EventsOf<pb::PowersHeldChanged>(*d)[0]->gained(),
              SizeIs(kPowerItemsPerCommandMax / 2));

  *r.add_items() = Item("CF-one-more", "处罚", pb::PENALTY, "zhujian");
  ExpectRejected(DecideCatalogPowers(view_, r), absl::StatusCode::kInvalidArgument,
                 "items has 1001 items; the limit kPowerItemsPerCommandMax is 1000");
}

// ---- DelegatePowers (下放) ----

TEST_F(PowerDecideTest, DelegationPassesItemsFromTheirHolderToATown) {
  CatalogDistrict();
  absl::StatusOr<Decision> d =
      DecideDelegatePowers(view_, Delegation({"CF-1", "XK-1"}, "zhujian", "geliping"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(Moves(*d), ElementsAre("power-CF-1: CF-1 zhujian → geliping (DIRECT)",
                                     "power-XK-1: XK-1 zhujian → geliping (DIRECT)"));
  EXPECT_THAT(HoldingChanges(*d), ElementsAre("agency-geliping (geliping) +CF-1 +XK-1",
                                              "agency-zhujian (zhujian) -CF-1 -XK-1"));

  view_.Record(*d);
  EXPECT_EQ(Power("CF-1").holder_agency_id, "geliping");
  EXPECT_EQ(Power("CF-1").mode, pb::DIRECT);
  EXPECT_THAT(Power("CF-1").passed_from, ElementsAre("zhujian"));
  EXPECT_THAT(Held("geliping"), ElementsAre("CF-1", "XK-1"));
  EXPECT_THAT(Held("zhujian"), ElementsAre("CF-2", "QZ-1"));
}

TEST_F(PowerDecideTest, DelegationToAStreetMayBeEntrustedOrServiceForward) {
  CatalogDistrict();
  absl::StatusOr<Decision> entrusted =
      DecideDelegatePowers(view_, Delegation({"JC-1"}, "shijian", "yuquan", pb::ENTRUSTED));
  ASSERT_TRUE(entrusted.ok()) << entrusted.status();
  EXPECT_THAT(Moves(*entrusted), ElementsAre("power-JC-1: JC-1 shijian → yuquan (ENTRUSTED)"));
  Record(entrusted);
  Record(
      DecideDelegatePowers(view_, Delegation({"XK-2"}, "shijian", "yuquan", pb::SERVICE_FORWARD)));
  EXPECT_EQ(Power("JC-1").mode, pb::ENTRUSTED);
  EXPECT_EQ(Power("XK-2").mode, pb::SERVICE_FORWARD);
  EXPECT_THAT(Held("yuquan"), ElementsAre("JC-1", "XK-2"));
  EXPECT_THAT(Held("shijian"), ElementsAre("CF-3"));
}

// 行政强制法 §17: the power of 行政强制措施 is never entrusted.
TEST_F(PowerDecideTest, CoercionIsNeverEntrusted) {
  CatalogDistrict();
  ExpectRejected(
      DecideDelegatePowers(view_, Delegation({"QZ-1"}, "zhujian", "yuquan", pb::ENTRUSTED)),
      absl::StatusCode::kFailedPrecondition, "行政强制措施权不得委托 (行政强制法 §17): power-QZ-1");
}

// 行政处罚法 §24, in force from 2021-07-15: 行政处罚 goes to a 乡镇 or 街道 only to be exercised
// in its own name and by a decision of the province; before it, entrusting was the practice.
TEST_F(PowerDecideTest, PenaltiesGoToATownOnlyOnTheTermsOfArticle24OfThePenaltyLaw) {
  CatalogDistrict();
  view_.set_effective_date("2019-03-01");
  EXPECT_TRUE(
      DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping", pb::ENTRUSTED)).ok());
  view_.set_effective_date("2021-07-15");
  ExpectRejected(
      DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping", pb::ENTRUSTED)),
      absl::StatusCode::kFailedPrecondition, "行政处罚法 §24");
  api::DelegatePowersRequest direct = Delegation({"CF-1", "XK-1"}, "zhujian", "geliping");
  ExpectRejected(DecideDelegatePowers(view_, direct), absl::StatusCode::kFailedPrecondition,
                 "only by a decision of the province");
  // A city's decision is not the province's.
  direct.mutable_authority()->set_number("攀府发〔2021〕12号");
  direct.mutable_authority()->set_issuer("四川省攀枝花市人民政府");
  direct.mutable_authority()->set_date("2021-06-30");
  ExpectRejected(DecideDelegatePowers(view_, direct), absl::StatusCode::kFailedPrecondition,
                 "not \"四川省攀枝花市人民政府\"");
  direct.mutable_authority()->set_number("川府发〔2021〕20号");
  direct.mutable_authority()->set_issuer("四川省人民政府");
  absl::StatusOr<Decision> d = DecideDelegatePowers(view_, direct);
  ASSERT_TRUE(d.ok()) << d.status();
  // The decision is recorded with the item that needs it (and with the other, harmlessly).
  const std::vector<const pb::PowerDelegated*> moved = EventsOf<pb::PowerDelegated>(*d);
  ASSERT_THAT(moved, SizeIs(2));
  EXPECT_EQ(moved[0]->authority().number(), "川府发〔2021〕20号");
  EXPECT_EQ(moved[0]->authority().issuer(), "四川省人民政府");
  // A decision dated after the delegation cannot be its basis.
  direct.mutable_authority()->set_date("2021-08-01");
  ExpectRejected(DecideDelegatePowers(view_, direct), absl::StatusCode::kFailedPrecondition,
                 "authority.date 2021-08-01 is after the delegation takes effect");
  // 行政强制 needs the province's decision whatever the date.
  view_.set_effective_date("2019-03-01");
  ExpectRejected(DecideDelegatePowers(view_, Delegation({"QZ-1"}, "zhujian", "geliping")),
                 absl::StatusCode::kFailedPrecondition, "only by a decision of the province");
}

TEST_F(PowerDecideTest, OnlyTheHolderCanDelegate) {
  CatalogDistrict();
  // 市场监管 names two items of 住建 and one of its own: both of 住建's are named.
  ExpectRejected(
      DecideDelegatePowers(view_, Delegation({"CF-1", "CF-3", "QZ-1"}, "shijian", "geliping")),
      absl::StatusCode::kFailedPrecondition,
      "only the holder can pass an item on: power-CF-1 (对违法建设的处罚) is held by "
      "agency-zhujian (区住房和城乡建设局), not agency-shijian; power-QZ-1 (查封违法施工现场) is "
      "held by agency-zhujian (区住房和城乡建设局), not agency-shijian");
  // Once delegated, the department no longer holds the item and cannot pass it on again.
  Record(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping")));
  ExpectRejected(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "yuquan")),
                 absl::StatusCode::kFailedPrecondition,
                 "power-CF-1 (对违法建设的处罚) is held by agency-geliping (格里坪镇), not "
                 "agency-zhujian");
  EXPECT_EQ(Power("CF-1").holder_agency_id, "geliping");
}

TEST_F(PowerDecideTest, DelegationGoesOnlyToATownOrStreet) {
  CatalogDistrict();
  ExpectRejected(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "bianban")),
                 absl::StatusCode::kFailedPrecondition,
                 "agency-bianban (区委编办) is a 党委部门: powers are delegated (下放) only to a "
                 "乡镇 or 街道");
  ExpectRejected(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "zhifa")),
                 absl::StatusCode::kFailedPrecondition, "区综合行政执法局) is a 政府部门");
  EXPECT_EQ(Power("CF-1").holder_agency_id, "zhujian");
}

TEST_F(PowerDecideTest, DelegationRejections) {
  CatalogDistrict();
  Abolish("yuquan");
  struct Case {
    api::DelegatePowersRequest request;
    absl::StatusCode code;
    std::string message;
  };
  const auto kInvalid = absl::StatusCode::kInvalidArgument;
  std::vector<Case> cases = {
      {Delegation({}, "zhujian", "geliping"), kInvalid, "codes is empty"},
      {Delegation({"CF-1", "CF-2", "CF-1"}, "zhujian", "geliping"), kInvalid,
       "codes[2] CF-1 appears twice (also codes[0])"},
      {Delegation({"CF 1"}, "zhujian", "geliping"), kInvalid, "codes[0] \"CF 1\""},
      {Delegation({"CF-1"}, "zhujian", "geliping", pb::DELEGATION_MODE_UNSPECIFIED), kInvalid,
       "mode 0 (方式0) is not a mode of 下放"},
      {Delegation({"CF-1"}, "zhujian", "geliping", pb::CONCENTRATED), kInvalid,
       "mode 4 (相对集中) is not a mode of 下放"},
      {Delegation({"CF-1"}, "zhujian", "geliping", pb::RESTRUCTURED), kInvalid,
       "is not a mode of 下放"},
      {Delegation({"CF-1"}, "zhujian", "zhujian"), kInvalid,
       "from_agency_id and to_agency_id are the same agency"},
      {Delegation({"CF-1"}, "nowhere", "geliping"), absl::StatusCode::kNotFound,
       "from_agency_id: no agency nowhere"},
      {Delegation({"CF-1"}, "zhujian", "nowhere"), absl::StatusCode::kNotFound,
       "to_agency_id: no agency nowhere"},
      {Delegation({"CF-1"}, "zhujian", "yuquan"), absl::StatusCode::kFailedPrecondition,
       "agency-yuquan (玉泉街道) has ceased (abolished)"},
      {Delegation({"CF-1", "CF-404", "XK-404"}, "zhujian", "geliping"), absl::StatusCode::kNotFound,
       "not in the power list (权力清单): power-CF-404; power-XK-404"},
  };
  for (const Case& c : cases) {
    ExpectRejected(DecideDelegatePowers(view_, c.request), c.code, c.message);
  }
  EXPECT_THAT(Held("zhujian"), SizeIs(4));  // nothing moved
}

TEST_F(PowerDecideTest, LongListsOfProblemsAreCutAtTheLimit) {
  api::CatalogPowersRequest r;
  for (int i = 0; i < 15; ++i) {
    *r.add_items() = Item(absl::StrCat("CF-", i), absl::StrCat("处罚", i), pb::PENALTY, "shijian");
  }
  Record(DecideCatalogPowers(view_, r));
  std::vector<std::string> codes;
  for (int i = 0; i < 15; ++i) codes.push_back(absl::StrCat("CF-", i));
  absl::StatusOr<Decision> d =
      DecideDelegatePowers(view_, Delegation(codes, "zhujian", "geliping"));
  ExpectRejected(d, absl::StatusCode::kFailedPrecondition, "; … and 5 more (15 in all)");
  EXPECT_THAT(d.status().message(), HasSubstr("power-CF-9 (处罚9)"));
  EXPECT_THAT(d.status().message(), Not(HasSubstr("power-CF-10 ")));
}

// ---- ConcentratePowers (相对集中) ----

TEST_F(PowerDecideTest, ConcentrationGathersItemsFromEveryHolder) {
  CatalogDistrict();
  absl::StatusOr<Decision> d =
      DecideConcentratePowers(view_, Concentration({"CF-1", "CF-3", "QZ-1", "CF-2"}, "zhifa"));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(Moves(*d), ElementsAre("power-CF-1: CF-1 zhujian → zhifa (CONCENTRATED)",
                                     "power-CF-3: CF-3 shijian → zhifa (CONCENTRATED)",
                                     "power-QZ-1: QZ-1 zhujian → zhifa (CONCENTRATED)",
                                     "power-CF-2: CF-2 zhujian → zhifa (CONCENTRATED)"));
  EXPECT_THAT(HoldingChanges(*d), ElementsAre("agency-shijian (shijian) -CF-3",
                                              "agency-zhifa (zhifa) +CF-1 +CF-3 +QZ-1 +CF-2",
                                              "agency-zhujian (zhujian) -CF-1 -QZ-1 -CF-2"));
  Record(d);
  Record(DecideConcentratePowers(view_, Concentration({"XK-2", "XK-1"}, "shenpi")));
  EXPECT_THAT(Held("zhifa"), ElementsAre("CF-1", "CF-2", "CF-3", "QZ-1"));
  EXPECT_THAT(Held("shenpi"), ElementsAre("XK-1", "XK-2"));
  EXPECT_THAT(Held("zhujian"), IsEmpty());
  EXPECT_THAT(Held("shijian"), ElementsAre("JC-1"));  // 审管分离: inspection stays
  EXPECT_EQ(Power("XK-1").mode, pb::CONCENTRATED);
  EXPECT_THAT(Power("XK-1").passed_from, ElementsAre("zhujian"));
}

TEST_F(PowerDecideTest, ConcentrationRefusesItemsOfACategoryTheBureauDoesNotTake) {
  CatalogDistrict();
  ExpectRejected(
      DecideConcentratePowers(view_, Concentration({"CF-1", "XK-1", "JC-1"}, "zhifa")),
      absl::StatusCode::kFailedPrecondition,
      "agency-zhifa (区综合行政执法局) takes only 行政处罚 and 行政强制 items: power-XK-1 "
      "(燃气经营许可) is 行政许可; power-JC-1 (食品经营者监督检查) is 行政检查");
  ExpectRejected(DecideConcentratePowers(view_, Concentration({"XK-1", "CF-3"}, "shenpi")),
                 absl::StatusCode::kFailedPrecondition,
                 "agency-shenpi (区行政审批局) takes only 行政许可 items: power-CF-3 "
                 "(对无照经营的处罚) is 行政处罚");
  EXPECT_THAT(Held("zhifa"), IsEmpty());
  EXPECT_THAT(Held("shenpi"), IsEmpty());
}

TEST_F(PowerDecideTest, ConcentrationRejections) {
  CatalogDistrict();
  Record(DecideConcentratePowers(view_, Concentration({"CF-1"}, "zhifa")));
  ExpectRejected(DecideConcentratePowers(view_, Concentration({"CF-2", "CF-1"}, "zhifa")),
                 absl::StatusCode::kFailedPrecondition,
                 "agency-zhifa (区综合行政执法局) already holds power-CF-1 (对违法建设的处罚)");
  ExpectRejected(
      DecideConcentratePowers(view_, Concentration({"CF-2"}, "zhujian")),
      absl::StatusCode::kFailedPrecondition,
      "agency-zhujian (区住房和城乡建设局) is neither a 综合行政执法局 nor a 行政审批局");
  ExpectRejected(DecideConcentratePowers(view_, Concentration({"CF-2"}, "nowhere")),
                 absl::StatusCode::kNotFound, "to_agency_id: no agency nowhere");
  ExpectRejected(DecideConcentratePowers(view_, Concentration({"CF-404"}, "zhifa")),
                 absl::StatusCode::kNotFound, "power-CF-404");
  ExpectRejected(DecideConcentratePowers(view_, Concentration({}, "zhifa")),
                 absl::StatusCode::kInvalidArgument, "codes is empty");
}

// ---- ReturnPowers ----

TEST_F(PowerDecideTest, ADelegatedItemReturnsToTheDepartmentThatDelegatedIt) {
  CatalogDistrict();
  Record(DecideDelegatePowers(view_,
                              Delegation({"CF-1", "CF-2"}, "zhujian", "geliping", pb::ENTRUSTED)));
  absl::StatusOr<Decision> d = DecideReturnPowers(view_, Return({"CF-1"}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(Moves(*d), ElementsAre("power-CF-1: CF-1 geliping → zhujian (returned)"));
  EXPECT_THAT(HoldingChanges(*d),
              ElementsAre("agency-geliping (geliping) -CF-1", "agency-zhujian (zhujian) +CF-1"));
  Record(d);
  EXPECT_EQ(Power("CF-1").holder_agency_id, "zhujian");
  EXPECT_THAT(Power("CF-1").passed_from, IsEmpty());
  EXPECT_EQ(Power("CF-1").mode, pb::DELEGATION_MODE_UNSPECIFIED);
  EXPECT_THAT(Held("geliping"), ElementsAre("CF-2"));
  EXPECT_THAT(Held("zhujian"), ElementsAre("CF-1", "QZ-1", "XK-1"));
  // Back home, the department may delegate it again.
  EXPECT_TRUE(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "yuquan")).ok());
}

TEST_F(PowerDecideTest, ConcentratedItemsReturnEachToItsOwnDepartment) {
  CatalogDistrict();
  Record(DecideConcentratePowers(view_, Concentration({"CF-1", "QZ-1", "CF-3"}, "zhifa")));
  absl::StatusOr<Decision> d = DecideReturnPowers(view_, Return({"CF-3", "CF-1"}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(Moves(*d), ElementsAre("power-CF-3: CF-3 zhifa → shijian (returned)",
                                     "power-CF-1: CF-1 zhifa → zhujian (returned)"));
  // One event per agency: the bureau loses both in one change.
  EXPECT_THAT(HoldingChanges(*d),
              ElementsAre("agency-shijian (shijian) +CF-3", "agency-zhifa (zhifa) -CF-3 -CF-1",
                          "agency-zhujian (zhujian) +CF-1"));
  Record(d);
  EXPECT_EQ(Power("CF-1").holder_agency_id, "zhujian");
  EXPECT_EQ(Power("CF-3").holder_agency_id, "shijian");
  EXPECT_THAT(Held("zhifa"), ElementsAre("QZ-1"));
}

TEST_F(PowerDecideTest, ReturnsUnwindOneStepAtATime) {
  CatalogDistrict();
  // 住建 → 格里坪镇 (直接下放), then the town's penalty item into the enforcement bureau.
  Record(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping")));
  Record(DecideConcentratePowers(view_, Concentration({"CF-1"}, "zhifa")));
  EXPECT_THAT(Power("CF-1").passed_from, ElementsAre("zhujian", "geliping"));

  absl::StatusOr<Decision> first = DecideReturnPowers(view_, Return({"CF-1"}));
  ASSERT_TRUE(first.ok()) << first.status();
  EXPECT_THAT(Moves(*first), ElementsAre("power-CF-1: CF-1 zhifa → geliping (returned)"));
  Record(first);
  EXPECT_EQ(Power("CF-1").holder_agency_id, "geliping");
  EXPECT_EQ(Power("CF-1").mode, pb::DIRECT);  // held by the town as delegated before

  absl::StatusOr<Decision> second = DecideReturnPowers(view_, Return({"CF-1"}));
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_THAT(Moves(*second), ElementsAre("power-CF-1: CF-1 geliping → zhujian (returned)"));
  Record(second);
  EXPECT_EQ(Power("CF-1").holder_agency_id, "zhujian");
  ExpectRejected(DecideReturnPowers(view_, Return({"CF-1"})), absl::StatusCode::kFailedPrecondition,
                 "nothing to return: power-CF-1 (对违法建设的处罚) is held by its own department "
                 "agency-zhujian (区住房和城乡建设局)");
}

TEST_F(PowerDecideTest, ReturnRejections) {
  CatalogDistrict();
  Record(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping")));
  // Every item never passed on is named, the delegated one is not.
  absl::StatusOr<Decision> d = DecideReturnPowers(view_, Return({"CF-1", "CF-2", "XK-2"}));
  ExpectRejected(
      d, absl::StatusCode::kFailedPrecondition,
      "power-CF-2 (对擅自从事燃气经营的处罚) is held by its own department "
      "agency-zhujian (区住房和城乡建设局); power-XK-2 (食品经营许可) is held by its own "
      "department agency-shijian (区市场监督管理局)");
  EXPECT_THAT(d.status().message(), Not(HasSubstr("power-CF-1")));
  ExpectRejected(DecideReturnPowers(view_, Return({"CF-404"})), absl::StatusCode::kNotFound,
                 "power-CF-404");
  ExpectRejected(DecideReturnPowers(view_, Return({})), absl::StatusCode::kInvalidArgument,
                 "codes is empty");
  ExpectRejected(DecideReturnPowers(view_, Return({"CF-1", "CF-1"})),
                 absl::StatusCode::kInvalidArgument, "codes[1] CF-1 appears twice");
}

TEST_F(PowerDecideTest, NothingReturnsToADepartmentThatHasCeased) {
  CatalogDistrict();
  Record(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping")));
  // 住建 and 市场监管 merge into a new body; what they held moves with the merger.
  api::MergeAgenciesRequest merge;
  merge.add_original_ids("zhujian");
  merge.add_original_ids("shijian");
  merge.mutable_new_agency()->set_agency_id("jianshe");
  merge.mutable_new_agency()->set_name("区住房城乡建设和市场监管局");
  merge.mutable_new_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
  merge.mutable_new_agency()->set_rank(pb::SECTION_CHIEF);
  Record(DecideMergeAgencies(view_, merge));
  EXPECT_THAT(Held("jianshe"), ElementsAre("CF-2", "CF-3", "JC-1", "QZ-1", "XK-1", "XK-2"));

  ExpectRejected(DecideReturnPowers(view_, Return({"CF-1"})), absl::StatusCode::kFailedPrecondition,
                 "power-CF-1 (对违法建设的处罚) goes back to agency-zhujian: agency-zhujian "
                 "(区住房和城乡建设局) has ceased (merged into agency-jianshe)");
  // A move by restructure is not a delegation: the new body holds the items as its own.
  ExpectRejected(DecideReturnPowers(view_, Return({"XK-1"})), absl::StatusCode::kFailedPrecondition,
                 "power-XK-1 (燃气经营许可) is held by its own department agency-jianshe "
                 "(区住房城乡建设和市场监管局)");
  EXPECT_EQ(Power("XK-1").mode, pb::DELEGATION_MODE_UNSPECIFIED);
  // ... and can pass them on, and have them back.
  Record(DecideConcentratePowers(view_, Concentration({"XK-1"}, "shenpi")));
  absl::StatusOr<Decision> back = DecideReturnPowers(view_, Return({"XK-1"}));
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_THAT(Moves(*back), ElementsAre("power-XK-1: XK-1 shenpi → jianshe (returned)"));
}

TEST_F(PowerDecideTest, ADelegatedItemStaysDelegatedWhenTheTownIsMerged) {
  CatalogDistrict();
  Record(DecideDelegatePowers(view_, Delegation({"CF-1"}, "zhujian", "geliping", pb::ENTRUSTED)));
  api::MergeAgenciesRequest merge;
  merge.add_original_ids("geliping");
  merge.add_original_ids("yuquan");
  merge.mutable_new_agency()->set_agency_id("xinzhen");
  merge.mutable_new_agency()->set_name("格里坪新镇");
  merge.mutable_new_agency()->set_kind(pb::TOWN);
  merge.mutable_new_agency()->set_rank(pb::SECTION_CHIEF);
  Record(DecideMergeAgencies(view_, merge));
  EXPECT_EQ(Power("CF-1").holder_agency_id, "xinzhen");
  EXPECT_EQ(Power("CF-1").mode, pb::ENTRUSTED);  // still in 住建's name
  EXPECT_THAT(Power("CF-1").passed_from, ElementsAre("zhujian"));

  absl::StatusOr<Decision> d = DecideReturnPowers(view_, Return({"CF-1"}));
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(Moves(*d), ElementsAre("power-CF-1: CF-1 xinzhen → zhujian (returned)"));
  EXPECT_THAT(HoldingChanges(*d),
              ElementsAre("agency-xinzhen (xinzhen) -CF-1", "agency-zhujian (zhujian) +CF-1"));
}

// ---- Holdings follow from the events ----

TEST_F(PowerDecideTest, CountsPerAgencyAndCategoryFollowFromTheMoves) {
  CatalogDistrict();
  Record(DecideDelegatePowers(view_, Delegation({"JC-1"}, "shijian", "geliping", pb::ENTRUSTED)));
  Record(DecideConcentratePowers(view_, Concentration({"CF-1", "CF-2", "QZ-1", "CF-3"}, "zhifa")));
  Record(DecideConcentratePowers(view_, Concentration({"XK-1", "XK-2"}, "shenpi")));
  Record(DecideReturnPowers(view_, Return({"CF-2", "XK-2"})));

  const std::vector<std::string> agencies = {"zhujian", "shijian", "geliping", "zhifa", "shenpi"};
  std::map<std::string, size_t> held;
  size_t total = 0;
  for (const std::string& agency : agencies) {
    held[agency] = Held(agency).size();
    total += held[agency];
  }
  EXPECT_EQ(held,
            (std::map<std::string, size_t>{
                {"geliping", 1}, {"shenpi", 1}, {"shijian", 1}, {"zhifa", 3}, {"zhujian", 1}}));
  EXPECT_EQ(total, 7u);  // every item has exactly one holder

  // The holders' side agrees with each item's own record, and the categories follow.
  std::map<std::string, std::map<pb::PowerCategory, int>> by_category;
  for (const std::string& agency : agencies) {
    for (const std::string& code : Held(agency)) {
      EXPECT_EQ(Power(code).holder_agency_id, agency) << code;
      ++by_category[agency][Power(code).category];
    }
  }
  EXPECT_EQ(by_category["zhifa"],
            (std::map<pb::PowerCategory, int>{{pb::PENALTY, 2}, {pb::COERCION, 1}}));
  EXPECT_EQ(by_category["zhujian"], (std::map<pb::PowerCategory, int>{{pb::PENALTY, 1}}));
  EXPECT_EQ(by_category["shijian"], (std::map<pb::PowerCategory, int>{{pb::LICENSING, 1}}));
  EXPECT_EQ(by_category["geliping"], (std::map<pb::PowerCategory, int>{{pb::INSPECTION, 1}}));
  EXPECT_EQ(by_category["shenpi"], (std::map<pb::PowerCategory, int>{{pb::LICENSING, 1}}));
}

}  // namespace
}  // namespace reformlog::domain
