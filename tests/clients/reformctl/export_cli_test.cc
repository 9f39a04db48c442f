// reformctl export (clients/reformctl/export_cli.cc) end to end: fields quoted, GB18030 as
// iconv writes it, bad usage refused; every read model of the demo district exported with a
// row per entity.
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "clients/reformctl/text_encoding.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/budget_queries.pb.h"
#include "reformlog/api/v1/org_queries.pb.h"
#include "reformlog/api/v1/power_queries.pb.h"
#include "reformlog/api/v1/staffing_queries.pb.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(ReformctlTest, ExportQuotesFieldsWritesGb18030AndRefusesBadUsage) {
  SetUpDistrict();
  MustSucceed({"agency", "establish", "--id", "qt", "--name", "区\"数字\",经济局", "--kind",
               "政府部门", "--rank", "正科级", "--parent", "gov", "--jurisdiction", "西区"},
              "2018-01-01");
  CtlRun out =
      Ctl({"export", "agencies", "--as-of", "2019-03-01", "--jurisdiction", "西区"}, false);
  ASSERT_EQ(out.code, 0) << out.err;
  const auto rows = Csv(out.out);
  ASSERT_EQ(rows.size(), 1u + 3u) << out.out;  // header; jxj, kjj, qt (gov has no jurisdiction)
  const size_t name = Column(rows[0], "name");
  const size_t kind = Column(rows[0], "kind");
  std::map<std::string, std::string> names;
  for (size_t i = 1; i < rows.size(); ++i) {
    names[rows[i][0]] = rows[i][name];
    EXPECT_EQ(rows[i][kind], "政府部门");
  }
  EXPECT_EQ(names["qt"], "区\"数字\",经济局");
  EXPECT_EQ(names["jxj"], "区经济和信息化局");

  // --out, and GB18030: the same text, encoded as iconv encodes it.
  const std::string utf8_path = dir_.Sub("agencies.csv");
  const std::string gb_path = dir_.Sub("agencies-gb.csv");
  CtlRun utf8 = Ctl({"export", "tree", "--as-of", "2019-03-01", "--out", utf8_path}, false);
  ASSERT_EQ(utf8.code, 0) << utf8.err;
  EXPECT_THAT(utf8.out, HasSubstr("exported 4 rows of agencies to " + utf8_path));
  CtlRun gb =
      Ctl({"export", "tree", "--as-of", "2019-03-01", "--out", gb_path, "--encoding", "gb18030"},
          false);
  ASSERT_EQ(gb.code, 0) << gb.err;
  // By default with a byte-order mark, which Excel needs to read UTF-8.
  const std::string bom = "\xEF\xBB\xBF";
  const std::string utf8_file = ReadFile(utf8_path);
  ASSERT_EQ(utf8_file.substr(0, 3), bom);
  const std::string utf8_text = utf8_file.substr(3);
  const std::string gb_text = ReadFile(gb_path);
  EXPECT_NE(gb_text, utf8_text);
  EXPECT_EQ(gb_text, Gb18030(utf8_text));
  absl::StatusOr<std::string> back = ctl::ToUtf8(gb_text, "gb18030");
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, utf8_text);

  auto usage = [&](std::vector<std::string> args, const std::string& message) {
    CtlRun run = Ctl(std::move(args), false);
    EXPECT_EQ(run.code, 2) << run.out << run.err;
    EXPECT_THAT(run.err, HasSubstr(message));
  };
  usage({"export", "budgets"}, "is not one of: agencies, staffing");
  usage({"export", "people", "--jurisdiction", "西区", "--at-position", "3"},
        "export people does not take --at-position (agencies, staffing, leader-posts, powers, "
        "power-counts, plans, progress do)");
  usage({"export", "staffing"}, "give --agency or --jurisdiction");
  usage({"export", "budget-lines", "--agency", "jxj"}, "give --agency and --year");
  usage({"export", "agencies", "--encoding", "latin1"},
        "latin1 is not utf-8-bom, utf-8 or gb18030");
  usage({"export", "agencies", "--out", dir_.Sub("no/such/dir/a.csv")}, "cannot write");
  usage({"--json", "export", "agencies"}, "--json does not apply");
  usage({"export", "powers", "--category", "行政大权"}, "行政许可");
  CtlRun unknown = Ctl({"export", "budget-lines", "--agency", "nope", "--year", "2019"}, false);
  EXPECT_EQ(unknown.code, 1) << unknown.out << unknown.err;
  CtlRun unreachable =
      Reformctl(dir_.path(), {"--server", "127.0.0.1:1", "--timeout", "1", "export", "agencies"});
  EXPECT_EQ(unreachable.code, 3);
}

TEST_F(DemoDistrictCtlTest, EveryReadModelExportsAsCsvWithARowPerEntity) {
  // Agencies: as many rows as the tree has nodes.
  const auto tree = FromJson<api::v1::GetOrgTreeResponse>(
      Query({"--json", "tree", "--as-of", kEndOf2019, "--jurisdiction", "西区"}).out);
  auto agencies = Export({"agencies", "--as-of", kEndOf2019, "--jurisdiction", "西区"});
  ASSERT_FALSE(agencies.empty());
  EXPECT_THAT(std::vector<std::string>(agencies[0].begin(), agencies[0].begin() + 3),
              ElementsAre("agency_id", "name", "extra_names"));
  EXPECT_EQ(agencies.size(), 1u + static_cast<size_t>(tree.nodes_size()));

  // Staffing: a row per agency and category, summing to the jurisdiction's totals.
  const auto check =
      FromJson<api::v1::CheckJurisdictionResponse>(Ctl({"--json", "check", "西区"}, false).out);
  auto staffing = Export({"staffing", "--jurisdiction", "西区"});
  ASSERT_FALSE(staffing.empty());
  int64_t quota = 0, in_post = 0;
  for (size_t i = 1; i < staffing.size(); ++i) {
    int64_t q = 0, p = 0;
    ASSERT_TRUE(absl::SimpleAtoi(staffing[i][Column(staffing[0], "quota")], &q));
    ASSERT_TRUE(absl::SimpleAtoi(staffing[i][Column(staffing[0], "in_post")], &p));
    quota += q;
    in_post += p;
  }
  EXPECT_EQ(quota, check.totals().total().quota());
  EXPECT_EQ(in_post, check.totals().total().in_post());
  EXPECT_GE(Export({"leader-posts", "--jurisdiction", "西区"}).size(), 2u);

  // People: a row each, as many as are in post.
  auto people = Export({"people", "--jurisdiction", "西区"});
  EXPECT_EQ(static_cast<int64_t>(people.size()) - 1, in_post);
  EXPECT_THAT(std::vector<std::string>(people[0].begin(), people[0].begin() + 5),
              ElementsAre("person_id", "name", "agency_id", "category", "post"));
  EXPECT_EQ(Export({"people", "--agency", kBianban}).size(),
            1u + static_cast<size_t>(FromJson<api::v1::ListPeopleResponse>(
                                         Query({"--json", "people", kBianban}).out)
                                         .people_size()));

  // 增减员 of 2019: the demo's 调出 (减员) are there with their reason, and budget lines carry
  // the names of their codes (2013601 行政运行).
  auto changes = Export({"staff-changes", "--jurisdiction", "西区", "--year", "2019"});
  ASSERT_GE(changes.size(), 2u);
  EXPECT_THAT(changes[0], ElementsAre("agency_id", "name", "year", "kind", "reason", "count"));
  bool transferred_out = false;
  for (size_t i = 1; i < changes.size(); ++i) {
    EXPECT_EQ(changes[i][2], "2019");
    transferred_out |= changes[i][3] == "减员" && changes[i][4] == "调出";
  }
  EXPECT_TRUE(transferred_out);
  auto lines_2019 = Export({"budget-lines", "--agency", kBianban, "--year", "2019"});
  ASSERT_GE(lines_2019.size(), 2u);
  bool named = false;
  for (size_t i = 1; i < lines_2019.size(); ++i) {
    named |= lines_2019[i][Column(lines_2019[0], "function_code")] == "2013601" &&
             lines_2019[i][Column(lines_2019[0], "function_name")] == "行政运行";
  }
  EXPECT_TRUE(named);

  // Powers: the town's 92 items; the first five columns are what `import powers` reads.
  auto powers = Export({"powers", "--as-of", kEndOf2019, "--holder", kTown});
  ASSERT_EQ(powers.size(), 1u + 92u);
  EXPECT_THAT(std::vector<std::string>(powers[0].begin(), powers[0].begin() + 5),
              ElementsAre("code", "name", "category", "holder_agency_id", "legal_basis"));
  for (size_t i = 1; i < powers.size(); ++i) {
    EXPECT_EQ(powers[i][Column(powers[0], "holder_agency_id")], kTown);
    EXPECT_THAT(powers[i][Column(powers[0], "held_as")], ::testing::AnyOf("直接下放", "委托下放"));
  }
  // Every item of the district, over more than one page (1,000 items a page), each once.
  const auto all_counts = FromJson<api::v1::CountPowersResponse>(
      Query({"--json", "powers", "--counts", "--as-of", kEndOf2019}).out);
  ASSERT_GT(all_counts.items(), 1000);
  auto all = Export({"powers", "--as-of", kEndOf2019});
  EXPECT_EQ(static_cast<int64_t>(all.size()) - 1, all_counts.items());
  std::set<std::string> codes;
  for (size_t i = 1; i < all.size(); ++i) codes.insert(all[i][0]);
  EXPECT_EQ(codes.size(), all.size() - 1);
  auto counts = Export({"power-counts", "--as-of", kEndOf2019});
  std::map<std::string, int64_t> items_by_holder;
  for (size_t i = 1; i < counts.size(); ++i) {
    int64_t n = 0;
    ASSERT_TRUE(absl::SimpleAtoi(counts[i][Column(counts[0], "items")], &n));
    items_by_holder[counts[i][0]] += n;
  }
  EXPECT_EQ(items_by_holder[kTown], 92);
  EXPECT_EQ(items_by_holder[kEnforcement], 724);
  EXPECT_EQ(items_by_holder[kApproval], 174);

  // The 编办's 2019 budget: its lines, and roll-ups whose total is the seed's 收入总计 128.98
  // 万元 and 本年支出 128.57 万元.
  const auto budget = FromJson<api::v1::GetBudgetResponse>(
      Query({"--json", "budget", "show", "--agency", kBianban, "--year", "2019"}).out);
  auto lines = Export({"budget-lines", "--agency", kBianban, "--year", "2019"});
  EXPECT_EQ(lines.size(), 1u + static_cast<size_t>(budget.lines_size()));
  auto rollups = Export({"budget-rollups", "--agency", kBianban, "--year", "2019"});
  ASSERT_GE(rollups.size(), 2u);
  EXPECT_EQ(rollups[1][Column(rollups[0], "group")], "total");
  EXPECT_EQ(rollups[1][Column(rollups[0], "budget_yuan")], "1289800.00");
  EXPECT_EQ(rollups[1][Column(rollups[0], "disbursed_yuan")], "1285700.00");
  std::map<std::string, int> groups;
  for (size_t i = 1; i < rollups.size(); ++i) ++groups[rollups[i][Column(rollups[0], "group")]];
  EXPECT_EQ(groups["project"], 3);
  EXPECT_EQ(groups["three_public"], 5);
  EXPECT_EQ(groups["agency_operating"], 1);

  // Performance: the three projects, 机构改革业务费 executed at 94.80%.
  auto performance = Export({"performance", "--agency", kBianban, "--year", "2019"});
  ASSERT_EQ(performance.size(), 1u + 3u);
  std::map<std::string, std::string> rates;
  for (size_t i = 1; i < performance.size(); ++i) {
    rates[performance[i][Column(performance[0], "name")]] =
        performance[i][Column(performance[0], "execution_rate")];
  }
  EXPECT_EQ(rates["机构改革业务费"], "94.80%");

  // Progress: the plan's 78 tasks, each done by a recorded event; the plan on its own row.
  auto tasks = Export({"progress", "--plan", kDemoPlan, "--as-of", kEndOf2019});
  ASSERT_EQ(tasks.size(), 1u + 78u);
  for (size_t i = 1; i < tasks.size(); ++i) {
    EXPECT_EQ(tasks[i][Column(tasks[0], "state")], "done");
    EXPECT_FALSE(tasks[i][Column(tasks[0], "completed_basis")].empty());
    if (tasks[i][Column(tasks[0], "kind")] == "三定印发") {
      EXPECT_EQ(tasks[i][Column(tasks[0], "completed_event")], "MandateIssued");
    }
  }
  EXPECT_EQ(Export({"progress", "--as-of", kEndOf2019}).size(), 1u + 78u);
  auto plans = Export({"plans", "--as-of", kEndOf2019});
  ASSERT_EQ(plans.size(), 2u);
  EXPECT_EQ(plans[1][Column(plans[0], "tasks")], "78");
  EXPECT_EQ(plans[1][Column(plans[0], "done")], "78");
}

}  // namespace
}  // namespace reformlog::testing
