// The org read model: the tree as of dates before, on and after each effective date
// (including back-dated and future-dated events), diffs, agency detail and lineage through
// a merger followed by a split — golden renderings, from a log written by real commands.
#include "projections/org/org_projection.h"

#include <random>
#include <set>

#include "absl/strings/str_join.h"
#include "absl/time/civil_time.h"
#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/in_memory_replay.h"
#include "projections/org/org_view.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::projections {
namespace {

using testing::CommandDriver;
using ::testing::ElementsAre;
using ::testing::SizeIs;
namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

class OrgProjectionTest : public ::testing::Test {
 protected:
  OrgProjectionTest() : driver_(store_, clock_) {}

  void Establish(const std::string& date, api::AgencySpec spec) {
    api::EstablishAgencyRequest r;
    *r.mutable_agency() = std::move(spec);
    driver_.On(date).Must(domain::DecideEstablishAgency, r);
  }

  // The district's story, recorded in an order that is not the effective order.
  void RecordStory() {
    Establish("2018-01-01",
              testing::requests::Agency("xiqu", "中共攀枝花市西区区委", pb::PARTY_DEPARTMENT));
    Establish("2018-01-01",
              testing::requests::Agency("gov", "西区人民政府", pb::GOVERNMENT_DEPARTMENT));
    Establish("2018-01-01", testing::requests::Agency("jxj", "区经济和信息化局",
                                                      pb::GOVERNMENT_DEPARTMENT, "gov"));
    Establish("2018-01-01",
              testing::requests::Agency("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "gov"));
    Establish("2018-06-01",
              testing::requests::Agency("bianban", "区委编办", pb::PARTY_DEPARTMENT, "xiqu"));
    // 2019-03-01: the merger.
    api::MergeAgenciesRequest merge;
    merge.add_original_ids("jxj");
    merge.add_original_ids("kjj");
    *merge.mutable_new_agency() = testing::requests::Agency("jxkj", "区经济信息化和科学技术局",
                                                            pb::GOVERNMENT_DEPARTMENT, "gov");
    driver_.On("2019-03-01", "西委发〔2019〕5号").Must(domain::DecideMergeAgencies, merge);
    // Recorded later, effective earlier (back-dated): 编办 carried a second name from 2019-01-15.
    api::ExtraNameRequest alias;
    alias.set_agency_id("bianban");
    alias.set_name("区事业单位登记管理局");
    driver_.On("2019-01-15").Must(domain::DecideAddExtraName, alias);
    // Future-dated: the merged bureau splits on 2030-01-01.
    api::SplitAgencyRequest split;
    split.set_agency_id("jxkj");
    *split.add_parts()->mutable_agency() =
        testing::requests::Agency("jxj2", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT, "gov");
    *split.add_parts()->mutable_agency() =
        testing::requests::Agency("kjj2", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "gov");
    driver_.On("2030-01-01", "西委发〔2029〕1号").Must(domain::DecideSplitAgency, split);
    // A rename back-dated before the merger was recorded.
    api::RenameAgencyRequest rename;
    rename.set_agency_id("bianban");
    rename.set_new_name("中共攀枝花市西区区委机构编制委员会办公室");
    driver_.On("2019-02-01").Must(domain::DecideRenameAgency, rename);
  }

  std::unique_ptr<EntityTable> Replay() {
    OrgProjection org;
    auto tables = ReplayInMemory(store_, {&org}, store_.HeadPosition());
    EXPECT_TRUE(tables.ok()) << tables.status();
    return std::move((*tables)[0]);
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  CommandDriver driver_;
};

TEST_F(OrgProjectionTest, TreeAsOfEachDate) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2017-12-31", "", false)), "");
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2018-01-01", "", false)),
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级]\n"
            "  kjj 区科学技术局 [政府部门 正科级]\n");
  // The day before the back-dated alias and rename: the old name, no alias.
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-01-14", "", false)),
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 区委编办 [党委部门 正科级]\n"
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级]\n"
            "  kjj 区科学技术局 [政府部门 正科级]\n");
  // On the merger's effective date the originals are gone and the new bureau stands.
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-03-01", "", false)),
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 中共攀枝花市西区区委机构编制委员会办公室 [党委部门 正科级] 挂: "
            "区事业单位登记管理局\n"
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxkj 区经济信息化和科学技术局 [政府部门 正科级]\n");
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-02-28", "", true)),
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 中共攀枝花市西区区委机构编制委员会办公室 [党委部门 正科级] 挂: "
            "区事业单位登记管理局\n"
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级]\n"
            "  kjj 区科学技术局 [政府部门 正科级]\n");
  // The future split shows only from its date.
  EXPECT_THAT(RenderTree(TreeAsOf(*org, "2029-12-31", "", false)), ::testing::HasSubstr("jxkj"));
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2030-01-01", "", true)),
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 中共攀枝花市西区区委机构编制委员会办公室 [党委部门 正科级] 挂: "
            "区事业单位登记管理局\n"
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级] (ceased 2019-03-01: merged into jxkj)\n"
            "  jxj2 区经济和信息化局 [政府部门 正科级]\n"
            "  jxkj 区经济信息化和科学技术局 [政府部门 正科级] (ceased 2030-01-01: split into "
            "jxj2, kjj2)\n"
            "  kjj 区科学技术局 [政府部门 正科级] (ceased 2019-03-01: merged into jxkj)\n"
            "  kjj2 区科学技术局 [政府部门 正科级]\n");
}

TEST_F(OrgProjectionTest, DiffBetweenDates) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  std::vector<std::string> lines;
  for (const OrgDiffEntry& e :
       DiffOrg(*org, "2018-12-31", "2019-06-30", "", domain::Language::kEnglish)) {
    lines.push_back(absl::StrCat(e.agency_id, " ", e.kind, ": ", e.before, " → ", e.after));
  }
  EXPECT_THAT(lines,
              ElementsAre("bianban renamed: 区委编办 → 中共攀枝花市西区区委机构编制委员会办公室",
                          "bianban names:  → 区事业单位登记管理局",
                          "jxj ceased: 区经济和信息化局 [政府部门 正科级] → merged into jxkj",
                          "jxkj founded:  → 区经济信息化和科学技术局 [政府部门 正科级]",
                          "kjj ceased: 区科学技术局 [政府部门 正科级] → merged into jxkj"));
}

TEST_F(OrgProjectionTest, DiffNamesAgenciesByTheirLatestNameAndFiltersByJurisdiction) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  const std::string jurisdiction =
      FoldAgency(*ConstTable<rm::AgencyHistory>(*org).Find("jxkj"), kEndOfTime).jurisdiction;
  std::vector<std::string> names;
  for (const OrgDiffEntry& e : DiffOrg(*org, "2018-12-31", "2019-06-30", jurisdiction)) {
    names.push_back(absl::StrCat(e.agency_id, " ", e.name));
  }
  EXPECT_THAT(
      names, ElementsAre("bianban 中共攀枝花市西区区委机构编制委员会办公室",
                         "bianban 中共攀枝花市西区区委机构编制委员会办公室", "jxj 区经济和信息化局",
                         "jxkj 区经济信息化和科学技术局", "kjj 区科学技术局"));
  EXPECT_THAT(DiffOrg(*org, "2018-12-31", "2019-06-30", jurisdiction + "外"), SizeIs(0));
}

TEST_F(OrgProjectionTest, AgencyDetailHoldsTheHistoryUpToTheDate) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  EXPECT_FALSE(AgencyDetailAsOf(*org, "jxkj", "2019-02-28").has_value());  // not yet founded
  EXPECT_FALSE(AgencyDetailAsOf(*org, "nosuch", "2019-02-28").has_value());
  std::optional<AgencyDetail> before_split = AgencyDetailAsOf(*org, "jxkj", "2029-12-31");
  ASSERT_TRUE(before_split.has_value());
  EXPECT_EQ(before_split->agency.name, "区经济信息化和科学技术局");
  std::optional<AgencyDetail> after_split = AgencyDetailAsOf(*org, "jxkj", "2030-01-01");
  ASSERT_TRUE(after_split.has_value());
  // The split is in the history only from its date; every line has its summary.
  EXPECT_EQ(after_split->history.size(), before_split->history.size() + 1);
  EXPECT_EQ(after_split->history.back().ref.effective_date(), "2030-01-01");
  EXPECT_EQ(after_split->history.back().summary,
            SummarizeChange(ConstTable<rm::AgencyHistory>(*org).Find("jxkj")->changes(
                                static_cast<int>(after_split->history.size()) - 1),
                            domain::Language::kChinese, LatestNames(*org)));
  // In Chinese (the default) the agencies it split into are named by name; in English by id.
  EXPECT_THAT(after_split->history.back().summary, ::testing::StartsWith("分设为"));
  EXPECT_THAT(AgencyDetailAsOf(*org, "jxkj", "2030-01-01", domain::Language::kEnglish)
                  ->history.back()
                  .summary,
              ::testing::StartsWith("split into "));
}

TEST_F(OrgProjectionTest, LineageThroughAMergerThenASplit) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  auto render = [](const std::vector<LineageStep>& steps) {
    std::vector<std::string> out;
    for (const LineageStep& s : steps) {
      out.push_back(absl::StrCat(s.from_agency_id, " →", s.kind, "→ ", s.to_agency_id, " ",
                                 s.ref.effective_date(), " ", s.ref.basis_number()));
      // Every step names both ends by their latest names.
      EXPECT_FALSE(s.from_name.empty()) << s.from_agency_id;
      EXPECT_FALSE(s.to_name.empty()) << s.to_agency_id;
    }
    return out;
  };
  Lineage of_new = LineageOf(*org, "kjj2");
  EXPECT_THAT(render(of_new.predecessors),
              ElementsAre("jxkj →split→ kjj2 2030-01-01 西委发〔2029〕1号",
                          "jxj →merger→ jxkj 2019-03-01 西委发〔2019〕5号",
                          "kjj →merger→ jxkj 2019-03-01 西委发〔2019〕5号"));
  EXPECT_THAT(of_new.successors, SizeIs(0));
  Lineage of_old = LineageOf(*org, "jxj");
  EXPECT_THAT(render(of_old.successors),
              ElementsAre("jxj →merger→ jxkj 2019-03-01 西委发〔2019〕5号",
                          "jxkj →split→ jxj2 2030-01-01 西委发〔2029〕1号",
                          "jxkj →split→ kjj2 2030-01-01 西委发〔2029〕1号"));
}

// 机构沿革 holds every change to what a body is called, its rank and its place, each with its
// document, in effective order — recorded in another order here.
TEST_F(OrgProjectionTest, LineageHoldsRenamesExtraNamesRankAndParentChangesWithTheirDocuments) {
  Establish("2018-01-01",
            testing::requests::Agency("xiqu", "中共攀枝花市西区区委", pb::PARTY_DEPARTMENT));
  Establish("2018-01-01",
            testing::requests::Agency("gov", "西区人民政府", pb::GOVERNMENT_DEPARTMENT));
  Establish("2018-01-01",
            testing::requests::Agency("slj", "区水务局", pb::GOVERNMENT_DEPARTMENT, "gov"));
  api::RenameAgencyRequest rename;
  rename.set_agency_id("slj");
  rename.set_new_name("区水利和湖泊局");
  driver_.On("2020-01-01", "西委发〔2019〕30号").Must(domain::DecideRenameAgency, rename);
  rename.set_new_name("区水利局");
  driver_.On("2019-03-01", "西委发〔2019〕5号").Must(domain::DecideRenameAgency, rename);
  api::ExtraNameRequest plaque;
  plaque.set_agency_id("slj");
  plaque.set_name("区河长制办公室");
  driver_.On("2019-04-01", "西委编〔2019〕9号").Must(domain::DecideAddExtraName, plaque);
  api::RerankAgencyRequest rerank;
  rerank.set_agency_id("slj");
  rerank.set_new_rank(pb::DIVISION_DEPUTY);
  driver_.On("2019-05-01", "西委编〔2019〕10号").Must(domain::DecideRerankAgency, rerank);
  api::ReparentAgencyRequest reparent;
  reparent.set_agency_id("slj");
  reparent.set_new_parent_id("xiqu");
  driver_.On("2019-06-01", "西委编〔2019〕11号").Must(domain::DecideReparentAgency, reparent);
  std::unique_ptr<EntityTable> org = Replay();

  Lineage lineage = LineageOf(*org, "slj");
  EXPECT_THAT(lineage.predecessors, SizeIs(0));
  EXPECT_THAT(lineage.successors, SizeIs(0));
  std::vector<std::string> history;
  for (const LineageEvent& e : lineage.history) {
    history.push_back(absl::StrCat(e.ref.effective_date(), " ", e.agency_id, " ", e.name, " ",
                                   e.kind, " ", e.summary, " ", e.ref.basis_number()));
  }
  EXPECT_THAT(
      history,
      ElementsAre("2018-01-01 slj 区水务局 设立 设立区水务局（政府部门，正科级） 西委编〔2019〕1号",
                  "2019-03-01 slj 区水利局 更名 更名：区水务局 → 区水利局 西委发〔2019〕5号",
                  "2019-04-01 slj 区水利局 挂牌 加挂区河长制办公室牌子 西委编〔2019〕9号",
                  "2019-05-01 slj 区水利局 规格调整 机构规格：正科级 → 副处级 西委编〔2019〕10号",
                  "2019-06-01 slj 区水利局 隶属调整 隶属：gov → xiqu 西委编〔2019〕11号",
                  "2020-01-01 slj 区水利和湖泊局 更名 更名：区水利局 → 区水利和湖泊局 "
                  "西委发〔2019〕30号"));
}

TEST_F(OrgProjectionTest, AgencyDetailFoldsTheMandateAsOfADate) {
  Establish("2018-01-01", testing::requests::Agency("bianban", "区委编办", pb::PARTY_DEPARTMENT));
  api::IssueMandateRequest m;
  m.set_agency_id("bianban");
  m.add_functions("机构编制管理");
  api::Division* d = m.add_divisions();
  d->set_division_id("zonghe");
  d->set_name("综合股");
  d->add_extra_names("区事业单位登记管理局");
  pb::QuotaCount* q = m.add_quotas();
  q->set_category(pb::ADMINISTRATIVE);
  q->set_count(5);
  driver_.On("2019-04-01", "西委办〔2019〕30号").Must(domain::DecideIssueMandate, m);
  std::unique_ptr<EntityTable> org = Replay();
  const auto* history = ConstTable<rm::AgencyHistory>(*org).Find("bianban");
  ASSERT_NE(history, nullptr);
  AgencyAsOf before = FoldAgency(*history, "2019-03-31");
  EXPECT_FALSE(before.mandate_issued);
  EXPECT_THAT(before.divisions, SizeIs(0));
  AgencyAsOf after = FoldAgency(*history, "2019-04-01");
  EXPECT_TRUE(after.mandate_issued);
  EXPECT_EQ(after.mandate_ref.basis_number(), "西委办〔2019〕30号");
  ASSERT_THAT(after.divisions, SizeIs(1));
  EXPECT_EQ(after.divisions["zonghe"].first, "综合股");
  EXPECT_THAT(after.functions, ElementsAre("机构编制管理"));
  ASSERT_THAT(after.quotas, SizeIs(1));
  EXPECT_EQ(after.quotas[0].count(), 5);
  std::vector<std::string> summaries;
  std::vector<std::string> summaries_zh;
  for (const rm::AgencyChange& c : history->changes()) {
    summaries.push_back(SummarizeChange(c, domain::Language::kEnglish));
    summaries_zh.push_back(SummarizeChange(c));
  }
  EXPECT_THAT(summaries,
              ElementsAre("established 区委编办 [党委部门 正科级]", "division 综合股 set up",
                          "三定 issued: 1 functions, 1 divisions, 行政编制 5"));
  EXPECT_THAT(summaries_zh, ElementsAre("设立区委编办（党委部门，正科级）", "设立内设机构综合股",
                                        "印发“三定”规定：主要职责1项，内设机构1个，行政编制5名"));
}

TEST_F(OrgProjectionTest, JurisdictionFilter) {
  Establish("2018-01-01",
            testing::requests::Agency("xiqu", "西区区委", pb::PARTY_DEPARTMENT, "", "西区"));
  Establish("2018-01-01",
            testing::requests::Agency("dongqu", "东区区委", pb::PARTY_DEPARTMENT, "", "东区"));
  std::unique_ptr<EntityTable> org = Replay();
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-01-01", "东区", false)),
            "dongqu 东区区委 [党委部门 正科级]\n");
}

// Every field of a tree node, so that two trees compare exactly (RenderTree shows fewer).
std::string RenderFully(const AgencyAsOf& a, int depth) {
  return absl::StrCat(depth, "|", a.agency_id, "|", a.exists, "|", a.name, "|",
                      absl::StrJoin(a.extra_names, ","), "|", a.kind, "|", a.rank, "|", a.parent_id,
                      "|", a.funding_form, "|", a.jurisdiction, "|", a.civil_servant_managed, "|",
                      a.role, "|", a.established_on, "|", a.ceased, "|", a.ceased_on, "|",
                      DescribeCessation(a.ceased_how, domain::Language::kEnglish, nullptr), "\n");
}

std::string RenderFully(const std::vector<TreeNode>& nodes) {
  std::string out;
  for (const TreeNode& n : nodes) out += RenderFully(n.agency, n.depth);
  return out;
}

std::string RenderFully(const OrgTree& tree) {
  std::string out;
  for (const OrgTree::Node& n : tree.nodes) out += RenderFully(*n.agency, n.depth);
  return out;
}

std::string DayAfter(const std::string& date, int days) {
  absl::CivilDay day;
  EXPECT_TRUE(absl::ParseCivilTime(date, &day)) << date;
  return absl::FormatCivilTime(day + days);
}

// Random org histories — not valid by the domain's rules (anything may follow anything), in
// a recording order unrelated to the effective order — applied one event at a time.
class RandomOrgLog {
 public:
  explicit RandomOrgLog(uint32_t seed) : rng_(seed) {}

  // Applies one random event to `table` — to agency `id` when given, else to a random stream
  // (sometimes not an agency's); returns its effective date.
  std::string ApplyOne(EntityTable& table, std::string id = "") {
    const bool agency = !id.empty() || !(Coin() && Coin() && Coin());
    if (id.empty()) id = Pick(kIds);
    std::string date = Pick(kDates);
    std::unique_ptr<google::protobuf::Message> event = RandomEvent(id);
    eventstore::RecordedEvent envelope;
    envelope.position = ++position_;
    envelope.stream_id = absl::StrCat(agency ? "agency-" : "person-", id);
    envelope.type = event->GetDescriptor()->full_name();
    envelope.effective_date = date;
    envelope.basis.number = absl::StrCat("西委发〔2019〕", position_, "号");
    org_.Apply(AppliedEvent{envelope, *event}, table);
    return date;
  }

  uint64_t position() const { return position_; }

 private:
  static constexpr const char* kIds[] = {"a", "b", "c", "d", "e", "f", "g", "h"};
  // Neighbouring days among them, so that the day after one date is another.
  static constexpr const char* kDates[] = {"2018-01-01", "2018-06-30", "2019-01-15", "2019-03-01",
                                           "2019-03-02", "2019-12-31", "2030-01-01"};
  static constexpr const char* kNames[] = {"区经济和信息化局", "区科学技术局", "区委编办",
                                           "区事业单位登记管理局"};
  static constexpr const char* kPlaces[] = {"西区", "东区"};

  template <typename T, size_t n>
  std::string Pick(T (&from)[n]) {
    return from[rng_() % n];
  }
  std::string Parent() { return Coin() ? "" : Pick(kIds); }
  bool Coin() { return rng_() % 2 == 0; }
  int Below(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }

  std::unique_ptr<google::protobuf::Message> RandomEvent(const std::string& id) {
    switch (Below(15)) {
      case 0:
      case 1: {
        auto e = std::make_unique<pb::AgencyEstablished>();
        e->set_agency_id(id);
        e->set_name(Pick(kNames));
        e->set_kind(static_cast<pb::AgencyKind>(1 + Below(10)));
        e->set_rank(static_cast<pb::Rank>(1 + Below(7)));
        e->set_parent_id(Parent());
        e->set_funding_form(static_cast<pb::FundingForm>(Below(4)));
        e->set_jurisdiction(Pick(kPlaces));
        e->set_civil_servant_managed(Coin());
        e->set_role(static_cast<pb::AgencyRole>(Below(3)));
        return e;
      }
      case 2: {
        auto e = std::make_unique<pb::AgencyRenamed>();
        e->set_new_name(Pick(kNames));
        return e;
      }
      case 3: {
        auto e = std::make_unique<pb::ExtraNameAdded>();
        e->set_name(Pick(kNames));
        return e;
      }
      case 4: {
        auto e = std::make_unique<pb::ExtraNameRemoved>();
        e->set_name(Pick(kNames));
        return e;
      }
      case 5: {
        auto e = std::make_unique<pb::AgencyReparented>();
        e->set_new_parent_id(Parent());
        return e;
      }
      case 6: {
        auto e = std::make_unique<pb::AgencyReranked>();
        e->set_new_rank(static_cast<pb::Rank>(1 + Below(7)));
        return e;
      }
      case 7: {
        auto e = std::make_unique<pb::AgencyMerged>();
        e->set_result_id(Coin() ? id : Pick(kIds));
        e->set_absorption(Coin());
        return e;
      }
      case 8: {
        auto e = std::make_unique<pb::AgencySplit>();
        e->add_result_ids(Pick(kIds));
        e->add_result_ids(Pick(kIds));
        return e;
      }
      case 9: {
        auto e = std::make_unique<pb::AgencyAbolished>();
        e->set_successor_id(Coin() ? "" : Pick(kIds));
        return e;
      }
      case 10: {
        auto e = std::make_unique<pb::AgencyAbsorbed>();
        e->add_absorbed_ids(Pick(kIds));
        return e;
      }
      case 11: {
        auto e = std::make_unique<pb::DivisionCreated>();
        e->set_division_id(Pick(kIds));
        e->set_name("综合股");
        return e;
      }
      case 12: {
        auto e = std::make_unique<pb::DivisionAbolished>();
        e->set_division_id(Pick(kIds));
        return e;
      }
      case 13: {
        auto e = std::make_unique<pb::MandateIssued>();
        e->add_functions("机构编制管理");
        return e;
      }
      default: {
        auto e = std::make_unique<pb::FunctionsTransferredIn>();
        e->add_functions("登记管理");
        return e;
      }
    }
  }

  std::mt19937 rng_;
  OrgProjection org_;
  uint64_t position_ = 0;
};

// The kept summaries give exactly the tree a full fold gives: for random logs, after every
// event, on every date around each effective date, with and without ceased agencies and a
// jurisdiction — whether the summaries were kept and refreshed event by event (the cache of
// a live table) or folded from scratch.
TEST(OrgTreeFastPathTest, SameTreeAsAFullFoldForRandomLogs) {
  constexpr int kLogs = 30;
  constexpr int kEventsPerLog = 60;
  int fast_nodes = 0;    // nodes that are a kept summary
  int folded_nodes = 0;  // nodes folded to their date again
  for (uint32_t seed = 1; seed <= kLogs; ++seed) {
    SCOPED_TRACE(absl::StrCat("seed ", seed));
    RandomOrgLog log(seed);
    OrgProjection org;
    EntityTable table(org.entity_prototype());
    OrgSummaryCache cache;
    std::set<std::string> dates = {"2017-12-31"};
    for (int i = 0; i < kEventsPerLog; ++i) {
      const std::string effective = log.ApplyOne(table);
      for (int days : {-1, 0, 1}) dates.insert(DayAfter(effective, days));
      std::shared_ptr<const OrgSummaries> kept = cache.Get(table, 1, log.position());
      ASSERT_EQ(kept, cache.Get(table, 1, log.position()));  // unchanged: the same summaries
      std::shared_ptr<const OrgSummaries> fresh = OrgSummaries::Build(table, nullptr);
      for (const std::string& date : dates) {
        for (const std::string jurisdiction : {"", "西区"}) {
          for (const bool include_ceased : {false, true}) {
            SCOPED_TRACE(
                absl::StrCat("event ", i, " date ", date, " ", jurisdiction, " ", include_ceased));
            const std::string expected =
                RenderFully(TreeAsOf(table, date, jurisdiction, include_ceased));
            const OrgTree from_kept = OrgTreeAsOf(table, kept, date, jurisdiction, include_ceased);
            ASSERT_EQ(RenderFully(from_kept), expected);
            ASSERT_EQ(RenderFully(OrgTreeAsOf(table, fresh, date, jurisdiction, include_ceased)),
                      expected);
            for (const OrgTree::Node& n : from_kept.nodes) {
              const LatestSummary& latest =
                  kept->at(static_cast<size_t>(kept->IndexOf(n.agency->agency_id)));
              ++(n.agency == &latest.agency ? fast_nodes : folded_nodes);
            }
          }
        }
      }
    }
  }
  // Both paths were taken, many times.
  EXPECT_GT(fast_nodes, 10'000);
  EXPECT_GT(folded_nodes, 10'000);
}

// Only agencies whose history grew are folded again; a new version is folded from scratch.
TEST(OrgTreeFastPathTest, CacheRefoldsWhatGrewAndStartsOverOnANewVersion) {
  RandomOrgLog log(7);
  OrgProjection org;
  EntityTable table(org.entity_prototype());
  while (table.size() < 3) log.ApplyOne(table);
  OrgSummaryCache cache;
  std::shared_ptr<const OrgSummaries> first = cache.Get(table, 1, log.position());
  log.ApplyOne(table, "a");
  std::shared_ptr<const OrgSummaries> second = cache.Get(table, 1, log.position());
  ASSERT_NE(first, second);
  for (size_t i = 0; i < second->size(); ++i) {
    const std::string& id = second->at(i).agency.agency_id;
    const int before = first->IndexOf(id);
    const bool kept = before >= 0 && &first->at(static_cast<size_t>(before)) == &second->at(i);
    EXPECT_EQ(kept, id != "a") << id;
  }
  // Another table under a new version, its histories as long as before but with another
  // name: nothing is taken from the old summaries.
  constexpr char kOtherName[] = "另一个名字";
  EntityTable other(org.entity_prototype());
  ConstTable<rm::AgencyHistory>(table).ForEach(
      [&](const std::string& id, const rm::AgencyHistory& h) {
        rm::AgencyHistory renamed = h;
        for (rm::AgencyChange& c : *renamed.mutable_changes()) {
          if (c.has_renamed()) c.mutable_renamed()->set_new_name(kOtherName);
          if (c.has_established()) c.mutable_established()->set_name(kOtherName);
        }
        if (!renamed.changes(0).has_established()) {
          renamed.mutable_changes(0)->mutable_established()->set_name(kOtherName);
        }
        ASSERT_TRUE(other.Load(id, renamed.SerializeAsString()).ok());
      });
  std::shared_ptr<const OrgSummaries> third = cache.Get(other, 2, log.position());
  ASSERT_EQ(third->size(), second->size());
  for (size_t i = 0; i < third->size(); ++i) EXPECT_EQ(third->at(i).agency.name, kOtherName);
  EXPECT_EQ(RenderFully(OrgTreeAsOf(other, third, kEndOfTime, "", true)),
            RenderFully(TreeAsOf(other, kEndOfTime, "", true)));
  // A caller that read the old version before the rebuild does not displace the new one.
  (void)cache.Get(other, 1, log.position());
  EXPECT_EQ(cache.Get(other, 2, log.position()), third);
}

}  // namespace
}  // namespace reformlog::projections
