// reformctl's organisation subcommands (clients/reformctl/org_cli.cc) end to end: a merger
// and the tree before and after it, its lineage; every restructure and quota change recorded
// or refused with the right exit code; the tree's columns lined up with Chinese text.
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_split.h"
#include "clients/reformctl/utf8_text.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/staffing_queries.pb.h"
#include "tests/clients/reformctl/reformctl_fixture.h"

namespace reformlog::testing {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST_F(ReformctlTest, AMergerWithItsPeopleThenTheTreeBeforeAndAfterAndTheLineage) {
  SetUpDistrict();
  CtlRun merged = Ctl({"agency", "merge", "--from", "jxj,kjj", "--into-id", "jxkj", "--into-name",
                       "区经济信息化和科学技术局", "--into-kind", "政府部门", "--into-rank",
                       "正科级", "--into-parent", "gov", "--into-jurisdiction", "西区"});
  ASSERT_EQ(merged.code, 0) << merged.err;
  // "recorded 16 events at positions F–N: …": read the tree with min_position N.
  EXPECT_THAT(merged.out, HasSubstr("recorded 16 events at positions "));
  EXPECT_THAT(merged.out, HasSubstr("\n  effective: 2019-03-01\n  document: 西委编〔2019〕1号\n"));
  EXPECT_THAT(merged.out,
              HasSubstr("agencies: jxkj 区经济信息化和科学技术局; jxj 区经济和信息化局; kjj "
                        "区科学技术局\n"));
  EXPECT_THAT(merged.out, HasSubstr("AgencyMerged ×2"));
  const std::string range = merged.out.substr(merged.out.find("positions ") + 10);
  const std::string position =
      range.substr(range.find("–") + 3, range.find(':') - range.find("–") - 3);

  CtlRun before = Ctl({"--min-position", position, "tree", "--as-of", "2019-02-28"}, false);
  ASSERT_EQ(before.code, 0) << before.err;
  EXPECT_THAT(before.out, HasSubstr("区经济和信息化局"));
  EXPECT_THAT(before.out, Not(HasSubstr("区经济信息化和科学技术局")));
  CtlRun after = Ctl({"tree", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(after.code, 0) << after.err;
  EXPECT_THAT(after.out, HasSubstr("区经济信息化和科学技术局"));
  EXPECT_THAT(after.out, Not(HasSubstr("区科学技术局 ")));

  CtlRun lineage = Ctl({"lineage", "jxkj"}, false);
  ASSERT_EQ(lineage.code, 0) << lineage.err;
  EXPECT_THAT(lineage.out, HasSubstr("jxj 区经济和信息化局"));
  EXPECT_THAT(lineage.out, HasSubstr("merger"));
  EXPECT_THAT(lineage.out, HasSubstr("西委编〔2019〕1号"));
  // 机构沿革: the originals' founding and merger, the new body's founding, each with its date.
  EXPECT_THAT(lineage.out, HasSubstr("机构沿革"));
  EXPECT_THAT(lineage.out, HasSubstr("并入 jxkj"));
  EXPECT_THAT(lineage.out, HasSubstr("由 jxj、kjj 合并组建"));
  // A rename is in it, with its document.
  CtlRun renamed = Ctl({"--basis", "西委编〔2019〕20号", "--effective-date", "2019-06-01", "agency",
                        "rename", "jxkj", "区经济信息化和科技局"},
                       false);
  ASSERT_EQ(renamed.code, 0) << renamed.err;
  lineage = Ctl({"lineage", "jxkj"}, false);
  ASSERT_EQ(lineage.code, 0) << lineage.err;
  EXPECT_THAT(lineage.out, HasSubstr("更名：区经济信息化和科学技术局 → 区经济信息化和科技局"));
  EXPECT_THAT(lineage.out, HasSubstr("西委编〔2019〕20号"));

  CtlRun show = Ctl({"show", "jxkj"}, false);
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_THAT(show.out, HasSubstr("established 区经济信息化和科学技术局"));
}

// 转换/核销 in a merger, then 用编审批: apply, approve (预留), register citing the notice, and a
// jurisdiction that requires it.
TEST_F(ReformctlTest, AnInstitutionAbsorbedConvertsItsQuotaThenVacanciesAreApprovedForUse) {
  SetUpDistrict();  // jxj: 5 行政编制, p1
  MustSucceed(
      {"agency", "establish", "--id", "zx", "--name", "区经济信息中心", "--kind", "事业单位",
       "--rank", "股级", "--parent", "jxj", "--funding", "全额拨款", "--jurisdiction", "西区"},
      "2018-01-01");
  MustSucceed({"quota", "grant", "zx", "--category", "事业编制", "--count", "3"});
  MustSucceed({"person", "register", "--id", "c1", "--name", "赵六", "--agency", "zx", "--category",
               "事业编制", "--reason", "公开招聘"});
  CtlRun refused = Ctl({"agency", "merge", "--from", "jxj,zx", "--absorb-into", "jxj"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_THAT(refused.err, HasSubstr("convert (转换) or cancel (核销) it"));
  CtlRun malformed = Ctl({"agency", "merge", "--from", "jxj,zx", "--absorb-into", "jxj",
                          "--convert", "zx:事业编制:1"});
  EXPECT_EQ(malformed.code, 2);
  EXPECT_THAT(malformed.err, HasSubstr("AGENCY:CATEGORY=TO:COUNT"));
  MustSucceed({"agency", "merge", "--from", "jxj,zx", "--absorb-into", "jxj", "--convert",
               "zx:事业编制=行政编制:1", "--cancel", "zx:事业编制:2"},
              "2019-05-01");
  CtlRun c1 = Ctl({"person", "show", "c1"}, false);
  ASSERT_EQ(c1.code, 0) << c1.err;
  EXPECT_THAT(c1.out, HasSubstr("编制转换：事业编制 → 行政编制"));

  // jxj: 6 行政编制, 2 in post. Apply for 3, approved for 2 until the end of 2019.
  MustSucceed({"quota-use", "request", "jxj-2019-1", "--agency", "jxj", "--category", "行政编制",
               "--count", "3", "--purpose", "2019年公务员考录"},
              "2019-05-10");
  MustSucceed({"quota-use", "approve", "jxj-2019-1", "--agency", "jxj", "--number",
               "西编用〔2019〕1号", "--valid-until", "2019-12-31", "--count", "2"},
              "2019-05-20");
  CtlRun staffing = Ctl({"staffing", "--agency", "jxj", "--as-of", "2019-06-01"}, false);
  ASSERT_EQ(staffing.code, 0) << staffing.err;
  EXPECT_THAT(staffing.out, HasSubstr("reserved"));
  CtlRun figures = Ctl({"--json", "staffing", "--agency", "jxj", "--as-of", "2019-06-01"}, false);
  ASSERT_EQ(figures.code, 0) << figures.err;
  const api::v1::QuotaFigures q =
      FromJson<api::v1::GetStaffingResponse>(figures.out).agencies(0).quotas(0);
  EXPECT_EQ(q.reserved(), 2);
  EXPECT_EQ(q.vacancies(), 2);

  MustSucceed({"quota-use", "policy", "西区", "--required", "yes"}, "2019-06-01");
  CtlRun without = Ctl({"person", "register", "--id", "n1", "--name", "钱七", "--agency", "jxj",
                        "--category", "行政编制", "--reason", "考录"},
                       true, "2019-07-01");
  EXPECT_EQ(without.code, 1);
  EXPECT_THAT(without.err, HasSubstr("requires 用编审批"));
  MustSucceed({"person", "register", "--id", "n1", "--name", "钱七", "--agency", "jxj",
               "--category", "行政编制", "--reason", "考录", "--notice", "jxj-2019-1"},
              "2019-07-01");
  MustSucceed(
      {"quota-use", "withdraw", "jxj-2019-1", "--agency", "jxj", "--reason", "招录计划调整"},
      "2019-08-01");
}

TEST_F(ReformctlTest, TablesLineUpWithChineseText) {
  SetUpDistrict();
  CtlRun tree = Ctl({"tree", "--as-of", "2019-03-01"}, false);
  ASSERT_EQ(tree.code, 0) << tree.err;
  std::vector<std::string> lines = absl::StrSplit(tree.out, '\n', absl::SkipEmpty());
  ASSERT_GE(lines.size(), 4u);
  // Header, rule and rows: the column after the name starts at the same display column.
  auto kind_column = [](const std::string& line, const std::string& marker) {
    const size_t at = line.find(marker);
    return at == std::string::npos ? std::string::npos : ctl::DisplayWidth(line.substr(0, at));
  };
  const size_t header = kind_column(lines[1], "kind");
  ASSERT_NE(header, std::string::npos) << tree.out;
  for (size_t i = 3; i < lines.size(); ++i) {
    EXPECT_EQ(kind_column(lines[i], "政府部门"), header) << tree.out;
  }
}

TEST_F(ReformctlTest, RestructuresAndTransfersEachRecordedOrRefused) {
  SetUpDistrict();  // jxj: 5 行政编制, p1; kjj: 3 行政编制, p2
  MustSucceed({"agency", "rename", "jxj", "区经济和信息化局（新）"});
  CtlRun rename_unknown = Ctl({"agency", "rename", "nope", "无名局"});
  EXPECT_EQ(rename_unknown.code, 1);
  EXPECT_THAT(rename_unknown.err, HasSubstr("NOT_FOUND"));

  MustSucceed({"quota", "transfer", "--from", "jxj", "--to", "kjj", "--category", "行政编制",
               "--count", "1"});
  CtlRun too_much = Ctl({"quota", "transfer", "--from", "jxj", "--to", "kjj", "--category",
                         "行政编制", "--count", "99"});
  EXPECT_EQ(too_much.code, 1);
  EXPECT_THAT(too_much.err, HasSubstr("FAILED_PRECONDITION"));
  CtlRun over_withdrawn =
      Ctl({"quota", "withdraw", "kjj", "--category", "行政编制", "--count", "99"});
  EXPECT_EQ(over_withdrawn.code, 1);

  // 人员转隶: p1 moves with one 行政编制; asked again, p1 is no longer at jxj.
  MustSucceed({"person", "transfer", "--from", "jxj", "--to", "kjj", "--people", "p1", "--quota",
               "行政编制=1"});
  CtlRun moved_twice = Ctl({"person", "transfer", "--from", "jxj", "--to", "kjj", "--people", "p1",
                            "--quota", "行政编制=1"});
  EXPECT_EQ(moved_twice.code, 1);
  EXPECT_THAT(moved_twice.err, HasSubstr("p1"));
  CtlRun bad_quota = Ctl({"person", "transfer", "--from", "jxj", "--to", "kjj", "--people", "p1",
                          "--quota", "行政编制"});
  EXPECT_EQ(bad_quota.code, 2);
  CtlRun people = Ctl({"--json", "people", "kjj"}, false);
  ASSERT_EQ(people.code, 0) << people.err;
  EXPECT_EQ(FromJson<api::v1::ListPeopleResponse>(people.out).people_size(), 2);

  CtlRun depart_unknown = Ctl({"person", "depart", "nobody", "--reason", "退休"});
  EXPECT_EQ(depart_unknown.code, 1);
  EXPECT_THAT(depart_unknown.err, HasSubstr("NOT_FOUND"));
  CtlRun depart_reason = Ctl({"person", "depart", "p2", "--reason", "跳槽"});
  EXPECT_EQ(depart_reason.code, 2);
  EXPECT_THAT(depart_reason.err, HasSubstr("退休"));

  CtlRun mandate_count = Ctl({"agency", "mandate", "kjj", "--quota", "行政编制=abc"});
  EXPECT_EQ(mandate_count.code, 2);
  CtlRun mandate_unknown = Ctl({"agency", "mandate", "nope", "--function", "科技管理"});
  EXPECT_EQ(mandate_unknown.code, 1);

  // kjj (5 行政编制, p1 and p2) splits in two; every quota unit and person goes to one part.
  const std::string part = R"({"kind": "GOVERNMENT_DEPARTMENT", "rank": "SECTION_CHIEF",
                               "parent_id": "gov", "jurisdiction": "西区"})";
  const std::string parts = dir_.Sub("parts.json");
  std::ofstream(parts) << R"({"parts": [{"agency": {"agency_id": "kjj-a", "name": "区科技局",)"
                       << part.substr(1) << R"(, "quotas": [{"category": "ADMINISTRATIVE",
                          "count": 3}], "person_ids": ["p1"]}, {"agency": {"agency_id": "kjj-b",
                          "name": "区知识产权局",)"
                       << part.substr(1) << R"(, "quotas": [{"category": "ADMINISTRATIVE",
                          "count": 2}], "person_ids": ["p2"]}]})";
  const std::string short_parts = dir_.Sub("short.json");
  std::ofstream(short_parts)
      << R"({"parts": [{"agency": {"agency_id": "kjj-a", "name": "区科技局",)" << part.substr(1)
      << R"(, "quotas": [{"category": "ADMINISTRATIVE",
                                "count": 5}], "person_ids": ["p1"]}]})";
  CtlRun left_out = Ctl({"agency", "split", "kjj", "--parts", short_parts});
  EXPECT_EQ(left_out.code, 1) << left_out.err;
  CtlRun no_file = Ctl({"agency", "split", "kjj", "--parts", dir_.Sub("missing.json")});
  EXPECT_EQ(no_file.code, 2);
  MustSucceed({"agency", "split", "kjj", "--parts", parts});

  CtlRun merge_usage = Ctl({"agency", "merge", "--from", "jxj,kjj-a"});
  EXPECT_EQ(merge_usage.code, 2);
  EXPECT_THAT(merge_usage.err, HasSubstr("--absorb-into"));
  CtlRun merge_unknown = Ctl({"agency", "merge", "--from", "jxj,nope", "--absorb-into", "jxj"});
  EXPECT_EQ(merge_unknown.code, 1);
  MustSucceed({"agency", "merge", "--from", "jxj,kjj-a", "--absorb-into", "jxj"});

  MustSucceed({"agency", "abolish", "kjj-b", "--successor", "jxj", "--reason", "职能整合"});
  CtlRun abolished_twice = Ctl({"agency", "abolish", "kjj-b", "--successor", "jxj"});
  EXPECT_EQ(abolished_twice.code, 1);

  CtlRun staffing = Ctl({"--json", "staffing", "--agency", "jxj"}, false);
  ASSERT_EQ(staffing.code, 0) << staffing.err;
  const auto figures = FromJson<api::v1::GetStaffingResponse>(staffing.out);
  ASSERT_EQ(figures.agencies_size(), 1);
  EXPECT_EQ(figures.agencies(0).total().quota(), 3 + 3 + 2) << staffing.out;
  EXPECT_EQ(figures.agencies(0).total().in_post(), 2) << staffing.out;
}

}  // namespace
}  // namespace reformlog::testing
