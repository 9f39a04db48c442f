// OrgQueries and ProjectionAdmin over a real reformd on port 0: read-your-writes with
// min_position, the tree and an agency as of dates, the diff, lineage, the recorded-time
// audit (as_of_position), projection status and rebuild, and errors.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "grpcpp/create_channel.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/admin.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "services/reformd/reformd_server.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class OrgQueriesTest : public testing::ReformdFixture {
 protected:
  void SetUp() override {
    ReformdFixture::SetUp();
    if (HasFatalFailure()) return;
    const auto& channel = Channel();
    commands_ = api::OrgCommands::NewStub(channel);
    queries_ = api::OrgQueries::NewStub(channel);
    admin_ = api::ProjectionAdmin::NewStub(channel);
  }

  uint64_t Establish(const std::string& id, const std::string& name, const std::string& parent,
                     const std::string& date) {
    api::EstablishAgencyRequest r;
    *r.mutable_header() = Header(date);
    r.mutable_agency()->set_agency_id(id);
    r.mutable_agency()->set_name(name);
    r.mutable_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
    r.mutable_agency()->set_rank(pb::SECTION_CHIEF);
    r.mutable_agency()->set_parent_id(parent);
    r.mutable_agency()->set_jurisdiction("西区");
    api::CommandResult result;
    grpc::Status s = commands_->EstablishAgency(Context().get(), r, &result);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return result.position();
  }

  uint64_t Merge() {
    api::MergeAgenciesRequest r;
    *r.mutable_header() = Header("2019-03-01", "西委发〔2019〕5号");
    r.add_original_ids("jxj");
    r.add_original_ids("kjj");
    r.mutable_new_agency()->set_agency_id("jxkj");
    r.mutable_new_agency()->set_name("区经济信息化和科学技术局");
    r.mutable_new_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
    r.mutable_new_agency()->set_rank(pb::SECTION_CHIEF);
    r.mutable_new_agency()->set_parent_id("gov");
    r.mutable_new_agency()->set_jurisdiction("西区");
    api::CommandResult result;
    grpc::Status s = commands_->MergeAgencies(Context().get(), r, &result);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return result.position();
  }

  std::vector<std::string> Tree(const std::string& date, uint64_t min_position,
                                uint64_t as_of_position = 0) {
    api::GetOrgTreeRequest r;
    r.set_as_of_date(date);
    r.set_min_position(min_position);
    r.set_as_of_position(as_of_position);
    api::GetOrgTreeResponse response;
    grpc::Status s = queries_->GetOrgTree(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> out;
    for (const api::TreeNode& n : response.nodes()) {
      out.push_back(absl::StrCat(std::string(static_cast<size_t>(n.depth()) * 2, ' '),
                                 n.agency().agency_id()));
    }
    return out;
  }

  uint64_t Rename(const std::string& id, const std::string& name, const std::string& date) {
    api::RenameAgencyRequest r;
    *r.mutable_header() = Header(date);
    r.set_agency_id(id);
    r.set_new_name(name);
    api::CommandResult result;
    grpc::Status s = commands_->RenameAgency(Context().get(), r, &result);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return result.position();
  }

  // "id name" a node, indented by depth; and the position the answer reflects.
  std::vector<std::string> NamedTree(const std::string& date, uint64_t min_position,
                                     uint64_t* position = nullptr) {
    api::GetOrgTreeRequest r;
    r.set_as_of_date(date);
    r.set_min_position(min_position);
    api::GetOrgTreeResponse response;
    grpc::Status s = queries_->GetOrgTree(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    if (position != nullptr) *position = response.position();
    std::vector<std::string> out;
    for (const api::TreeNode& n : response.nodes()) {
      out.push_back(absl::StrCat(std::string(static_cast<size_t>(n.depth()) * 2, ' '),
                                 n.agency().agency_id(), " ", n.agency().name()));
    }
    return out;
  }

  std::unique_ptr<api::OrgCommands::Stub> commands_;
  std::unique_ptr<api::OrgQueries::Stub> queries_;
  std::unique_ptr<api::ProjectionAdmin::Stub> admin_;
};

TEST_F(OrgQueriesTest, ReadYourWritesTreeAsOfDatesAndAudit) {
  Establish("gov", "西区人民政府", "", "2018-01-01");
  Establish("jxj", "区经济和信息化局", "gov", "2018-01-01");
  const uint64_t before_merge = Establish("kjj", "区科学技术局", "gov", "2018-01-01");
  const uint64_t merged = Merge();
  // Immediately after the command: min_position makes the query wait for the read model.
  EXPECT_THAT(Tree("2019-06-30", merged), ElementsAre("gov", "  jxkj"));
  EXPECT_THAT(Tree("2019-02-28", merged), ElementsAre("gov", "  jxj", "  kjj"));
  // What the system knew before the merger was recorded, even about a later date.
  EXPECT_THAT(Tree("2019-06-30", 0, before_merge), ElementsAre("gov", "  jxj", "  kjj"));

  api::GetOrgTreeRequest bad;
  bad.set_as_of_date("2019-13-01");
  api::GetOrgTreeResponse response;
  grpc::Status s = queries_->GetOrgTree(Context().get(), bad, &response);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(s.error_message(), HasSubstr("as_of_date"));
  bad.set_as_of_date("");
  bad.set_as_of_position(merged + 100);
  EXPECT_EQ(queries_->GetOrgTree(Context().get(), bad, &response).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
}

// GetOrgTree keeps every agency's summary between calls: each write — back-dated, future-dated
// — shows in the next answer, on dates before and after it, and so after a rebuild.
TEST_F(OrgQueriesTest, TreeFollowsEveryWriteAndARebuild) {
  Establish("gov", "西区人民政府", "", "2018-01-01");
  const uint64_t established = Establish("jxj", "区经济和信息化局", "gov", "2018-01-01");
  EXPECT_THAT(NamedTree("2019-06-30", established),
              ElementsAre("gov 西区人民政府", "  jxj 区经济和信息化局"));
  // Back-dated before the date just asked about.
  const uint64_t renamed = Rename("jxj", "区经济信息化局", "2019-01-01");
  uint64_t position = 0;
  EXPECT_THAT(NamedTree("2019-06-30", renamed, &position),
              ElementsAre("gov 西区人民政府", "  jxj 区经济信息化局"));
  EXPECT_GE(position, renamed);
  EXPECT_THAT(NamedTree("2018-12-31", renamed),
              ElementsAre("gov 西区人民政府", "  jxj 区经济和信息化局"));
  EXPECT_THAT(NamedTree("2019-01-01", renamed),
              ElementsAre("gov 西区人民政府", "  jxj 区经济信息化局"));
  // Future-dated: absent until its date, while the summaries kept for today stay right.
  const uint64_t future = Establish("kjj", "区科学技术局", "gov", "2030-01-01");
  EXPECT_THAT(NamedTree("2029-12-31", future),
              ElementsAre("gov 西区人民政府", "  jxj 区经济信息化局"));
  EXPECT_THAT(NamedTree("2030-01-01", future),
              ElementsAre("gov 西区人民政府", "  jxj 区经济信息化局", "  kjj 区科学技术局"));
  const std::vector<std::string> before_rebuild = NamedTree("2030-01-01", future);

  api::RebuildProjectionRequest rebuild;
  rebuild.set_name("org");
  api::RebuildProjectionResponse rebuilt;
  ASSERT_TRUE(admin_->Rebuild(Context().get(), rebuild, &rebuilt).ok());
  EXPECT_EQ(NamedTree("2030-01-01", future), before_rebuild);
  const uint64_t after_rebuild = Rename("kjj", "区科技局", "2030-01-01");
  EXPECT_THAT(NamedTree("2030-01-01", after_rebuild),
              ElementsAre("gov 西区人民政府", "  jxj 区经济信息化局", "  kjj 区科技局"));
  // The audit of what the system knew before the rename folds its own replay.
  EXPECT_THAT(Tree("2019-06-30", 0, established), ElementsAre("gov", "  jxj"));
}

// Tree answers are packed into the messages of earlier ones: nothing of an earlier answer —
// more nodes, ceased agencies — may show in a later one.
TEST_F(OrgQueriesTest, TreeAnswersCarryNothingOver) {
  constexpr int kRounds = 12;
  Establish("gov", "西区人民政府", "", "2018-01-01");
  Establish("jxj", "区经济和信息化局", "gov", "2018-01-01");
  Establish("kjj", "区科学技术局", "gov", "2018-01-01");
  Merge();
  api::ExtraNameRequest alias;
  *alias.mutable_header() = Header("2019-04-01");
  alias.set_agency_id("gov");
  alias.set_name("西区政府办");
  api::CommandResult result;
  ASSERT_TRUE(commands_->AddExtraName(Context().get(), alias, &result).ok());
  const uint64_t merged = result.position();
  auto ask = [&](const std::string& date, bool include_ceased) {
    api::GetOrgTreeRequest r;
    r.set_as_of_date(date);
    r.set_include_ceased(include_ceased);
    r.set_min_position(merged);
    api::GetOrgTreeResponse response;
    grpc::Status s = queries_->GetOrgTree(Context().get(), r, &response);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return response;
  };
  const api::GetOrgTreeResponse with_ceased = ask("2019-06-30", true);
  ASSERT_THAT(with_ceased.nodes(), SizeIs(4));
  EXPECT_THAT(with_ceased.nodes(0).agency().extra_names(), ElementsAre("西区政府办"));
  EXPECT_EQ(with_ceased.nodes(1).agency().ceased_how(), "merged into jxkj");
  for (int round = 0; round < kRounds; ++round) {
    SCOPED_TRACE(round);
    const api::GetOrgTreeResponse before = ask("2019-02-28", false);
    EXPECT_EQ(before.as_of_date(), "2019-02-28");
    EXPECT_GE(before.position(), merged);
    std::vector<std::string> nodes;
    for (const api::TreeNode& n : before.nodes()) {
      const api::AgencySummary& a = n.agency();
      nodes.push_back(absl::StrCat(n.depth(), " ", a.agency_id(), " ", a.name(), " ", a.parent_id(),
                                   " ", a.established_on(), " ", a.ceased(), a.ceased_on(),
                                   a.ceased_how(), a.extra_names_size()));
    }
    EXPECT_THAT(nodes, ElementsAre("0 gov 西区人民政府  2018-01-01 00",
                                   "1 jxj 区经济和信息化局 gov 2018-01-01 00",
                                   "1 kjj 区科学技术局 gov 2018-01-01 00"));
    EXPECT_EQ(ask("2019-06-30", true).SerializeAsString(), with_ceased.SerializeAsString());
    const api::GetOrgTreeResponse nothing = ask("2017-12-31", true);
    EXPECT_THAT(nothing.nodes(), SizeIs(0));
    EXPECT_EQ(nothing.as_of_date(), "2017-12-31");
  }
}

TEST_F(OrgQueriesTest, AgencyDiffAndLineage) {
  Establish("gov", "西区人民政府", "", "2018-01-01");
  Establish("jxj", "区经济和信息化局", "gov", "2018-01-01");
  Establish("kjj", "区科学技术局", "gov", "2018-01-01");
  const uint64_t merged = Merge();

  api::GetAgencyRequest agency;
  agency.set_agency_id("jxj");
  agency.set_as_of_date("2019-06-30");
  agency.set_min_position(merged);
  api::GetAgencyResponse detail;
  ASSERT_TRUE(queries_->GetAgency(Context().get(), agency, &detail).ok());
  EXPECT_TRUE(detail.agency().ceased());
  EXPECT_EQ(detail.agency().ceased_how(), "merged into jxkj");
  ASSERT_THAT(detail.history(), SizeIs(2));
  EXPECT_EQ(detail.history(1).summary(), "merged into jxkj");
  EXPECT_EQ(detail.history(1).ref().basis_number(), "西委发〔2019〕5号");
  agency.set_agency_id("jxkj");
  agency.set_as_of_date("2019-01-01");
  EXPECT_EQ(queries_->GetAgency(Context().get(), agency, &detail).error_code(),
            grpc::StatusCode::NOT_FOUND);

  api::DiffOrgRequest diff;
  diff.set_from_date("2018-12-31");
  diff.set_to_date("2019-12-31");
  api::DiffOrgResponse changes;
  ASSERT_TRUE(queries_->DiffOrg(Context().get(), diff, &changes).ok());
  std::vector<std::string> kinds;
  for (const auto& e : changes.entries())
    kinds.push_back(absl::StrCat(e.agency_id(), ":", e.kind()));
  EXPECT_THAT(kinds, ElementsAre("jxj:ceased", "jxkj:founded", "kjj:ceased"));

  api::GetLineageRequest lineage;
  lineage.set_agency_id("jxkj");
  api::GetLineageResponse steps;
  ASSERT_TRUE(queries_->GetLineage(Context().get(), lineage, &steps).ok());
  ASSERT_THAT(steps.predecessors(), SizeIs(2));
  EXPECT_EQ(steps.predecessors(0).from_name(), "区经济和信息化局");
  EXPECT_EQ(steps.predecessors(0).kind(), "merger");
  EXPECT_EQ(steps.predecessors(0).ref().effective_date(), "2019-03-01");
  lineage.set_agency_id("nobody");
  EXPECT_EQ(queries_->GetLineage(Context().get(), lineage, &steps).error_code(),
            grpc::StatusCode::NOT_FOUND);

  // A caller that asks for Chinese (or for nothing) reads how an agency ceased, its history
  // and a diff in the words of 机构沿革, agencies named by name.
  auto chinese = api::OrgQueries::NewStub(ChannelWith(AdminToken(), "zh-CN"));
  agency.set_agency_id("jxj");
  agency.set_as_of_date("2019-06-30");
  ASSERT_TRUE(chinese->GetAgency(Context().get(), agency, &detail).ok());
  EXPECT_EQ(detail.agency().ceased_how(), "并入区经济信息化和科学技术局");
  EXPECT_EQ(detail.history(1).summary(), "并入区经济信息化和科学技术局");
  ASSERT_TRUE(chinese->DiffOrg(Context().get(), diff, &changes).ok());
  ASSERT_THAT(changes.entries(), SizeIs(3));
  EXPECT_EQ(changes.entries(0).after(), "并入区经济信息化和科学技术局");
  api::GetOrgTreeRequest tree;
  tree.set_as_of_date("2019-06-30");
  tree.set_include_ceased(true);
  api::GetOrgTreeResponse nodes;
  ASSERT_TRUE(chinese->GetOrgTree(Context().get(), tree, &nodes).ok());
  std::vector<std::string> ceased;
  for (const api::TreeNode& n : nodes.nodes()) {
    if (n.agency().ceased()) ceased.push_back(n.agency().ceased_how());
  }
  EXPECT_THAT(ceased, ElementsAre("并入区经济信息化和科学技术局", "并入区经济信息化和科学技术局"));
  agency.set_agency_id("nobody");
  const grpc::Status unknown = chinese->GetAgency(Context().get(), agency, &detail);
  EXPECT_EQ(unknown.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(unknown.error_message(), "2019-06-30无机构nobody");
}

TEST_F(OrgQueriesTest, StatusAndRebuildOverTheWire) {
  Establish("gov", "西区人民政府", "", "2018-01-01");
  const uint64_t last = Establish("jxj", "区经济和信息化局", "gov", "2018-01-01");
  ASSERT_TRUE(server_->projections().WaitForAll(last, absl::Seconds(30)));
  api::ProjectionStatusResponse status;
  ASSERT_TRUE(admin_->Status(Context().get(), api::ProjectionStatusRequest(), &status).ok());
  bool found = false;
  for (const api::ProjectionState& p : status.projections()) {
    EXPECT_EQ(p.position(), last) << p.name();
    EXPECT_EQ(p.lag(), 0u) << p.name();
    if (p.name() == "org") {
      found = true;
      EXPECT_EQ(p.entities(), 2u);
    }
  }
  EXPECT_TRUE(found);
  api::RebuildProjectionRequest rebuild;
  rebuild.set_name("org");
  api::RebuildProjectionResponse rebuilt;
  ASSERT_TRUE(admin_->Rebuild(Context().get(), rebuild, &rebuilt).ok());
  EXPECT_EQ(rebuilt.projection().version(), 2u);
  EXPECT_EQ(rebuilt.projection().entities(), 2u);
  EXPECT_THAT(Tree("2019-01-01", last), ElementsAre("gov", "  jxj"));
  rebuild.set_name("no_such_model");
  EXPECT_EQ(admin_->Rebuild(Context().get(), rebuild, &rebuilt).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

}  // namespace
}  // namespace reformlog::services
