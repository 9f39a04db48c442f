// reformctl's power-list subcommands (clients/reformctl/power_cli.cc) end to end: each change
// recorded or refused; powers on a date with how each item is held and who passed it on,
// --counts per holder and category, power show; and the demo district's 92 delegated items
// and the two bureaus' concentrated ones.
#include <cstdint>
#include <map>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/power_queries.pb.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ReformctlTest, PowerListChangesEachRecordedOrRefused) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "zfj", "--name", "区综合行政执法局", "--kind",
               "政府部门", "--rank", "正科级", "--role", "综合行政执法局"});
  MustSucceed({"power", "catalog", "--code", "CF-1", "--name", "违法排污的处罚", "--category",
               "行政处罚", "--holder", "jxj"});
  MustSucceed({"power", "catalog", "--code", "XK-1", "--name", "生产许可", "--category", "行政许可",
               "--holder", "jxj"});
  CtlRun duplicate = Ctl({"power", "catalog", "--code", "CF-1", "--name", "另一个", "--category",
                          "行政处罚", "--holder", "jxj"});
  EXPECT_EQ(duplicate.code, 1);
  EXPECT_THAT(duplicate.err, HasSubstr("ALREADY_EXISTS"));
  CtlRun category = Ctl({"power", "catalog", "--code", "X-2", "--name", "某事项", "--category",
                         "行政大权", "--holder", "jxj"});
  EXPECT_EQ(category.code, 2);
  CtlRun not_a_town = Ctl({"power", "delegate", "--codes", "XK-1", "--from", "jxj", "--to", "kjj",
                           "--mode", "直接下放"});
  EXPECT_EQ(not_a_town.code, 1);
  EXPECT_THAT(not_a_town.err, HasSubstr("乡镇 or 街道"));
  CtlRun not_holder = Ctl({"power", "delegate", "--codes", "XK-1", "--from", "kjj", "--to", "zfj",
                           "--mode", "直接下放"});
  EXPECT_EQ(not_holder.code, 1);
  CtlRun bad_mode = Ctl(
      {"power", "delegate", "--codes", "XK-1", "--from", "jxj", "--to", "kjj", "--mode", "随便"});
  EXPECT_EQ(bad_mode.code, 2);
  CtlRun licensing = Ctl({"power", "concentrate", "--codes", "XK-1", "--to", "zfj"});
  EXPECT_EQ(licensing.code, 1);
  EXPECT_THAT(licensing.err, HasSubstr("takes only 行政处罚 and 行政强制"));
  CtlRun no_role = Ctl({"power", "concentrate", "--codes", "CF-1", "--to", "kjj"});
  EXPECT_EQ(no_role.code, 1);
  MustSucceed({"power", "concentrate", "--codes", "CF-1", "--to", "zfj"});
  CtlRun counts = Ctl({"--json", "powers", "--counts", "--holder", "zfj"}, false);
  ASSERT_EQ(counts.code, 0) << counts.err;
  const auto c = FromJson<api::v1::CountPowersResponse>(counts.out);
  ASSERT_EQ(c.holders_size(), 1);
  ASSERT_EQ(c.holders(0).categories_size(), 1);
  EXPECT_EQ(c.holders(0).categories(0).category(), domain::v1::PENALTY);
  ASSERT_EQ(c.holders(0).categories(0).by_held_as_size(), 1);
  EXPECT_EQ(c.holders(0).categories(0).by_held_as(0).held_as(), domain::v1::CONCENTRATED);
}

TEST_F(ReformctlTest, PowersOnADateWithTheirModeAndDelegatingDepartment) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "town", "--name", "格里坪镇", "--kind", "乡镇",
               "--rank", "正科级", "--jurisdiction", "西区"},
              "2018-01-01");
  MustSucceed({"power", "catalog", "--code", "QR-1", "--name", "农村宅基地确认", "--category",
               "行政确认", "--holder", "jxj", "--legal-basis", "《土地管理法》"},
              "2019-01-01");
  MustSucceed({"power", "catalog", "--code", "XK-1", "--name", "临时占道许可", "--category",
               "行政许可", "--holder", "jxj"},
              "2019-01-01");
  MustSucceed({"power", "delegate", "--codes", "QR-1", "--from", "jxj", "--to", "town", "--mode",
               "委托下放"});
  MustSucceed({"power", "delegate", "--codes", "XK-1", "--from", "jxj", "--to", "town", "--mode",
               "直接下放"});

  CtlRun before = Ctl({"powers", "--as-of", "2019-02-28"}, false);
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_THAT(before.out, HasSubstr("2 items"));
  EXPECT_THAT(before.out, HasSubstr("本部门"));
  EXPECT_THAT(before.out, Not(HasSubstr("委托下放")));

  CtlRun after = Ctl({"powers", "--as-of", "2019-03-01", "--holder", "town"}, false);
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("as of 2019-03-01"));
  EXPECT_THAT(after.out, HasSubstr("town 格里坪镇"));
  // The "held as" and "delegated by" columns line up under their headers.
  std::vector<std::string> lines = absl::StrSplit(after.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 5u) << after.out;  // summary, header, rule, 2 items
  const size_t held_as = DisplayColumn(lines[1], "held as");
  const size_t delegated_by = DisplayColumn(lines[1], "delegated by");
  EXPECT_EQ(DisplayColumn(lines[3], "委托下放"), held_as) << after.out;
  EXPECT_EQ(DisplayColumn(lines[4], "直接下放"), held_as) << after.out;
  EXPECT_EQ(DisplayColumn(lines[3], "jxj "), delegated_by) << after.out;

  CtlRun json = Ctl({"--json", "powers", "--as-of", "2019-03-01", "--category", "行政确认"}, false);
  ASSERT_EQ(json.code, 0) << json.err;
  const auto list = FromJson<api::v1::ListPowersResponse>(json.out);
  ASSERT_EQ(list.items_size(), 1) << json.out;
  const api::v1::PowerHolding& item = list.items(0);
  EXPECT_EQ(item.code(), "QR-1");
  EXPECT_EQ(item.holder_agency_id(), "town");
  EXPECT_EQ(item.held_as(), domain::v1::ENTRUSTED);
  EXPECT_EQ(item.delegated_by_agency_id(), "jxj");
  EXPECT_EQ(item.acts_in_name_of_agency_id(), "jxj") << "委托下放: in the department's name";
  EXPECT_EQ(item.since().effective_date(), "2019-03-01");
  EXPECT_EQ(item.since().basis_number(), "西委编〔2019〕1号");

  CtlRun counts = Ctl({"powers", "--counts", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(counts.code, 0) << counts.err;
  EXPECT_THAT(counts.out, HasSubstr("2 items, 1 holders"));
  lines = absl::StrSplit(counts.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 6u) << counts.out;  // summary, header, rule, 2 categories, 合计
  EXPECT_THAT(lines[1], HasSubstr("直接下放"));
  EXPECT_THAT(lines[1], HasSubstr("委托下放"));
  EXPECT_THAT(lines[5], HasSubstr("合计"));
  const auto count_json = FromJson<api::v1::CountPowersResponse>(
      Ctl({"--json", "powers", "--counts", "--as-of", "2019-03-01"}, false).out);
  EXPECT_EQ(count_json.items(), 2);
  ASSERT_EQ(count_json.holders_size(), 1);
  EXPECT_EQ(count_json.holders(0).holder_agency_id(), "town");

  CtlRun show = Ctl({"power", "show", "QR-1", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("设定依据: 《土地管理法》"));
  EXPECT_THAT(show.out,
              HasSubstr("held by town 格里坪镇 as 委托下放, passed on by jxj, acting in the name "
                        "of jxj (since 2019-03-01 西委编〔2019〕1号)"));
  EXPECT_THAT(show.out, HasSubstr("2019-01-01"));  // catalogued
  CtlRun not_yet = Ctl({"power", "show", "QR-1", "--as-of", "2018-12-31"}, false);
  ASSERT_EQ(not_yet.code, 0) << not_yet.err;
  EXPECT_THAT(not_yet.out, HasSubstr("QR-1: not yet listed on 2018-12-31"));
  const auto history = FromJson<api::v1::GetPowerHistoryResponse>(
      Ctl({"--json", "power", "show", "QR-1"}, false).out);
  ASSERT_EQ(history.changes_size(), 2);
  EXPECT_EQ(history.changes(0).change(), api::v1::HolderChange::CATALOGUED);
  EXPECT_EQ(history.changes(1).mode(), domain::v1::ENTRUSTED);

  CtlRun unknown = Ctl({"power", "show", "NOPE-1"}, false);
  EXPECT_EQ(unknown.code, 1);
  EXPECT_THAT(unknown.err, HasSubstr("NOT_FOUND"));
  CtlRun bad_date = Ctl({"powers", "--as-of", "2019-02-30"}, false);
  EXPECT_EQ(bad_date.code, 1);
  EXPECT_THAT(bad_date.err, HasSubstr("INVALID_ARGUMENT"));
  CtlRun unknown_holder = Ctl({"powers", "--holder", "nope"}, false);
  EXPECT_EQ(unknown_holder.code, 1);
  CtlRun bad_category = Ctl({"powers", "--category", "行政大权"}, false);
  EXPECT_EQ(bad_category.code, 2);
  EXPECT_THAT(bad_category.err, HasSubstr("行政许可"));
  CtlRun counts_by_category = Ctl({"powers", "--counts", "--category", "行政许可"}, false);
  EXPECT_EQ(counts_by_category.code, 2);
  CtlRun unreachable =
      Reformctl(dir_.path(), {"--server", "127.0.0.1:1", "--timeout", "1", "powers", "--counts"});
  EXPECT_EQ(unreachable.code, 3);
}

TEST_F(DemoDistrictCtlTest, PowersPerHolderAndCategory) {
  auto counts = [&](const std::string& holder) {
    return FromJson<api::v1::CountPowersResponse>(
        Query({"--json", "powers", "--counts", "--as-of", kEndOf2019, "--holder", holder}).out);
  };
  // 格里坪镇: 92 items, some 直接下放 and some 委托下放.
  const auto town = counts(kTown);
  EXPECT_EQ(town.items(), 92);
  ASSERT_EQ(town.holders_size(), 1);
  std::map<domain::v1::DelegationMode, int64_t> by_mode;
  for (const auto& c : town.holders(0).categories()) {
    for (const auto& m : c.by_held_as()) by_mode[m.held_as()] += m.items();
  }
  EXPECT_GT(by_mode[domain::v1::DIRECT], 0);
  EXPECT_GT(by_mode[domain::v1::ENTRUSTED], 0);
  EXPECT_EQ(by_mode[domain::v1::DIRECT] + by_mode[domain::v1::ENTRUSTED], 92);
  // 724 penalty items concentrated in the 综合行政执法局, 174 licensing in the 行政审批局.
  for (const auto& [holder, category, items] :
       {std::tuple{kEnforcement, domain::v1::PENALTY, 724},
        std::tuple{kApproval, domain::v1::LICENSING, 174}}) {
    const auto bureau = counts(holder);
    ASSERT_EQ(bureau.holders_size(), 1) << holder;
    ASSERT_EQ(bureau.holders(0).categories_size(), 1) << holder;
    const auto& c = bureau.holders(0).categories(0);
    EXPECT_EQ(c.category(), category);
    EXPECT_EQ(c.items(), items);
    ASSERT_EQ(c.by_held_as_size(), 1);
    EXPECT_EQ(c.by_held_as(0).held_as(), domain::v1::CONCENTRATED);
  }
  CtlRun before = Query({"powers", "--counts", "--as-of", "2019-11-30", "--holder", kEnforcement});
  EXPECT_THAT(before.out, HasSubstr(": 0 items, 0 holders"));
  CtlRun table = Query({"powers", "--counts", "--as-of", kEndOf2019, "--holder", kEnforcement});
  EXPECT_THAT(table.out, HasSubstr("行政处罚    724       724"));

  // Each of the town's items, with the department that passed it on.
  CtlRun items = Query({"powers", "--as-of", kEndOf2019, "--holder", kTown});
  std::vector<std::string> lines = absl::StrSplit(items.out, '\n', absl::SkipEmpty());
  ASSERT_EQ(lines.size(), 3u + 92u) << items.out;
  EXPECT_THAT(lines[0], HasSubstr("92 items"));
  const size_t held_as = DisplayColumn(lines[1], "held as");
  for (size_t i = 3; i < lines.size(); ++i) {
    const size_t direct = DisplayColumn(lines[i], "直接下放");
    EXPECT_EQ(direct != std::string::npos ? direct : DisplayColumn(lines[i], "委托下放"), held_as)
        << lines[i];
  }
  const auto list = FromJson<api::v1::ListPowersResponse>(
      Query({"--json", "powers", "--as-of", kEndOf2019, "--holder", kTown}).out);
  ASSERT_EQ(list.items_size(), 92);
  for (const auto& item : list.items()) {
    EXPECT_FALSE(item.delegated_by_agency_id().empty()) << item.code();
    EXPECT_EQ(item.acts_in_name_of_agency_id(), item.held_as() == domain::v1::ENTRUSTED
                                                    ? item.delegated_by_agency_id()
                                                    : std::string(kTown))
        << item.code();
  }
  CtlRun show = Query({"power", "show", list.items(0).code(), "--as-of", kEndOf2019});
  EXPECT_THAT(show.out, HasSubstr(absl::StrCat("held by ", kTown)));
  EXPECT_THAT(show.out, HasSubstr(list.items(0).delegated_by_agency_id()));
}

}  // namespace
}  // namespace reformlog::testing
