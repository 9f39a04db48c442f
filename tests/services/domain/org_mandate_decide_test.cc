// Decisions about an agency's 三定 (org_mandate_decide.h): the mandate and its limits, and
// which functions may leave an agency — each success and each rejection, against in-memory
// states.
#include "services/domain/org_mandate_decide.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/domain/org_decide_fixture.h"

namespace reformlog::domain {
namespace {

using ::testing::ElementsAre;
using testing::EventsOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

using OrgMandateDecideTest = OrgDecideTest;

TEST_F(OrgMandateDecideTest, MandateSetsQuotasDivisionsAndPostsWithoutOverstaffing) {
  SetUpDistrict();
  api::IssueMandateRequest r;
  r.set_agency_id("a");
  r.add_functions("贯彻执行工业和信息化方针政策");
  api::Division* div = r.add_divisions();
  div->set_division_id("general");
  div->set_name("综合股");
  div->add_extra_names("区事业单位登记管理局");
  pb::QuotaCount* q = r.add_quotas();
  q->set_category(pb::ADMINISTRATIVE);
  q->set_count(5);
  pb::LeaderPostCount* post = r.add_leader_posts();
  post->set_rank(pb::SECTION_CHIEF);
  post->set_count(1);
  post->set_title("局长");
  absl::StatusOr<Decision> d = DecideIssueMandate(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::DivisionCreated>(*d), SizeIs(1));
  view_.Record(*d);
  EXPECT_TRUE(Agency("a").mandate_issued);
  EXPECT_EQ(Agency("a").Quota(pb::ADMINISTRATIVE), 5);
  EXPECT_EQ(Agency("a").LeaderPostsAt(pb::SECTION_CHIEF), 1);

  // 超编: a mandate below the people in post.
  r.mutable_quotas(0)->set_count(2);
  d = DecideIssueMandate(view_, r);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("行政编制: the mandate sets quota 2, in post 3"));
  // Categories never mix.
  r.mutable_quotas(0)->set_category(pb::PUBLIC_SERVICE);
  r.mutable_quotas(0)->set_count(9);
  d = DecideIssueMandate(view_, r);
  EXPECT_THAT(d.status().message(), HasSubstr("事业编制 is never used"));
  // Dropping a division abolishes it.
  r.mutable_quotas(0)->set_category(pb::ADMINISTRATIVE);
  r.mutable_quotas(0)->set_count(5);
  r.clear_divisions();
  d = DecideIssueMandate(view_, r);
  ASSERT_TRUE(d.ok()) << d.status();
  EXPECT_THAT(EventsOf<pb::DivisionAbolished>(*d), SizeIs(1));
}

TEST_F(OrgMandateDecideTest, FunctionsMoveOnlyFromTheMandate) {
  SetUpDistrict();
  IssueMandateOfA();
  api::TransferFunctionsRequest t;
  t.set_from_agency_id("a");
  t.set_to_agency_id("b");
  t.add_functions("科技创新");
  EXPECT_THAT(DecideTransferFunctions(view_, t).status().message(),
              HasSubstr("lists no function \"科技创新\""));
  t.set_functions(0, "工业运行监测");
  ASSERT_TRUE(view_.Record(DecideTransferFunctions(view_, t)));
  EXPECT_THAT(Agency("a").functions, SizeIs(0));
  EXPECT_THAT(Agency("b").functions, ElementsAre("工业运行监测"));
}

TEST_F(OrgMandateDecideTest, FunctionsNotInTheMandateAreListedUpToTheLimit) {
  SetUpDistrict();
  IssueMandateOfA();
  api::TransferFunctionsRequest t;
  t.set_from_agency_id("a");
  t.set_to_agency_id("b");
  for (int i = 1; i <= 12; ++i) t.add_functions(absl::StrCat("职能", i));
  EXPECT_THAT(DecideTransferFunctions(view_, t).status().message(),
              HasSubstr("lists no function \"职能1\"; \"职能2\"; \"职能3\"; \"职能4\"; "
                        "\"职能5\"; \"职能6\"; \"职能7\"; \"职能8\"; \"职能9\"; "
                        "\"职能10\"; … and 2 more (12 in all)"));
}

}  // namespace
}  // namespace reformlog::domain
