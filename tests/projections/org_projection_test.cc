// The org read model: the tree as of dates before, on and after each effective date
// (including back-dated and future-dated events), diffs, agency detail and lineage through
// a merger followed by a split — golden renderings, from a log written by real commands.
#include "projections/org/org_projection.h"

#include "eventstore/in_memory_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/org/org_view.h"
#include "projections/projection_runner.h"
#include "services/domain/org_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"

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
              CommandDriver::Spec("xiqu", "中共攀枝花市西区区委", pb::PARTY_DEPARTMENT));
    Establish("2018-01-01", CommandDriver::Spec("gov", "西区人民政府", pb::GOVERNMENT_DEPARTMENT));
    Establish("2018-01-01",
              CommandDriver::Spec("jxj", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT, "gov"));
    Establish("2018-01-01",
              CommandDriver::Spec("kjj", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "gov"));
    Establish("2018-06-01",
              CommandDriver::Spec("bianban", "区委编办", pb::PARTY_DEPARTMENT, "xiqu"));
    // 2019-03-01: the merger.
    api::MergeAgenciesRequest merge;
    merge.add_original_ids("jxj");
    merge.add_original_ids("kjj");
    *merge.mutable_new_agency() =
        CommandDriver::Spec("jxkj", "区经济信息化和科学技术局", pb::GOVERNMENT_DEPARTMENT, "gov");
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
        CommandDriver::Spec("jxj2", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT, "gov");
    *split.add_parts()->mutable_agency() =
        CommandDriver::Spec("kjj2", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "gov");
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
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级]\n"
            "  kjj 区科学技术局 [政府部门 正科级]\n"
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n");
  // The day before the back-dated alias and rename: the old name, no alias.
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-01-14", "", false)),
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级]\n"
            "  kjj 区科学技术局 [政府部门 正科级]\n"
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 区委编办 [党委部门 正科级]\n");
  // On the merger's effective date the originals are gone and the new bureau stands.
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-03-01", "", false)),
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxkj 区经济信息化和科学技术局 [政府部门 正科级]\n"
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 中共攀枝花市西区区委机构编制委员会办公室 [党委部门 正科级] 挂: "
            "区事业单位登记管理局\n");
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-02-28", "", true)),
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级]\n"
            "  kjj 区科学技术局 [政府部门 正科级]\n"
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 中共攀枝花市西区区委机构编制委员会办公室 [党委部门 正科级] 挂: "
            "区事业单位登记管理局\n");
  // The future split shows only from its date.
  EXPECT_THAT(RenderTree(TreeAsOf(*org, "2029-12-31", "", false)), ::testing::HasSubstr("jxkj"));
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2030-01-01", "", true)),
            "gov 西区人民政府 [政府部门 正科级]\n"
            "  jxj 区经济和信息化局 [政府部门 正科级] (ceased 2019-03-01: merged into jxkj)\n"
            "  jxj2 区经济和信息化局 [政府部门 正科级]\n"
            "  jxkj 区经济信息化和科学技术局 [政府部门 正科级] (ceased 2030-01-01: split into "
            "jxj2, kjj2)\n"
            "  kjj 区科学技术局 [政府部门 正科级] (ceased 2019-03-01: merged into jxkj)\n"
            "  kjj2 区科学技术局 [政府部门 正科级]\n"
            "xiqu 中共攀枝花市西区区委 [党委部门 正科级]\n"
            "  bianban 中共攀枝花市西区区委机构编制委员会办公室 [党委部门 正科级] 挂: "
            "区事业单位登记管理局\n");
}

TEST_F(OrgProjectionTest, DiffBetweenDates) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  std::vector<std::string> lines;
  for (const OrgDiffEntry& e : DiffOrg(*org, "2018-12-31", "2019-06-30")) {
    lines.push_back(absl::StrCat(e.agency_id, " ", e.kind, ": ", e.before, " → ", e.after));
  }
  EXPECT_THAT(lines,
              ElementsAre("bianban renamed: 区委编办 → 中共攀枝花市西区区委机构编制委员会办公室",
                          "bianban names:  → 区事业单位登记管理局",
                          "jxj ceased: 区经济和信息化局 [政府部门 正科级] → merged into jxkj",
                          "jxkj founded:  → 区经济信息化和科学技术局 [政府部门 正科级]",
                          "kjj ceased: 区科学技术局 [政府部门 正科级] → merged into jxkj"));
}

TEST_F(OrgProjectionTest, LineageThroughAMergerThenASplit) {
  RecordStory();
  std::unique_ptr<EntityTable> org = Replay();
  auto render = [](const std::vector<LineageStep>& steps) {
    std::vector<std::string> out;
    for (const LineageStep& s : steps) {
      out.push_back(absl::StrCat(s.from_agency_id, " →", s.kind, "→ ", s.to_agency_id, " ",
                                 s.ref.effective_date(), " ", s.ref.basis_number()));
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

TEST_F(OrgProjectionTest, AgencyDetailFoldsTheMandateAsOfADate) {
  Establish("2018-01-01", CommandDriver::Spec("bianban", "区委编办", pb::PARTY_DEPARTMENT));
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
  for (const rm::AgencyChange& c : history->changes()) summaries.push_back(SummarizeChange(c));
  EXPECT_THAT(summaries,
              ElementsAre("established 区委编办 [党委部门 正科级]", "division 综合股 set up",
                          "三定 issued: 1 functions, 1 divisions, 行政编制 5"));
}

TEST_F(OrgProjectionTest, JurisdictionFilter) {
  Establish("2018-01-01",
            CommandDriver::Spec("xiqu", "西区区委", pb::PARTY_DEPARTMENT, "", "西区"));
  Establish("2018-01-01",
            CommandDriver::Spec("dongqu", "东区区委", pb::PARTY_DEPARTMENT, "", "东区"));
  std::unique_ptr<EntityTable> org = Replay();
  EXPECT_EQ(RenderTree(TreeAsOf(*org, "2019-01-01", "东区", false)),
            "dongqu 东区区委 [党委部门 正科级]\n");
}

}  // namespace
}  // namespace reformlog::projections
