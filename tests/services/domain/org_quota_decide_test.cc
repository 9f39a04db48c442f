// Decisions about quotas (org_quota_decide.h): withdrawal and transfer keep the people in post
// covered, categories never mix, and refusals quote what the caller sent shortly.
#include "services/domain/org_quota_decide.h"

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/services/domain/org_decide_fixture.h"

namespace reformlog::domain {
namespace {

using ::testing::HasSubstr;

using OrgQuotaDecideTest = OrgDecideTest;

TEST_F(OrgQuotaDecideTest, QuotaWithdrawalAndTransferKeepPeopleCovered) {
  SetUpDistrict();
  api::ChangeQuotaRequest w;
  w.set_agency_id("a");
  w.set_category(pb::ADMINISTRATIVE);
  w.set_count(4);
  absl::StatusOr<Decision> d = DecideWithdrawQuota(view_, w);
  EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(d.status().message(), HasSubstr("quota 6, in post 3, withdrawing 4 would leave 2"));
  w.set_count(3);
  EXPECT_TRUE(view_.Record(DecideWithdrawQuota(view_, w)));

  api::TransferQuotaRequest t;
  t.set_from_agency_id("b");
  t.set_to_agency_id("a");
  t.set_category(pb::ADMINISTRATIVE);
  t.set_count(1);
  t.add_person_ids("b1");
  t.add_person_ids("b2");
  d = DecideTransferQuota(view_, t);
  EXPECT_THAT(d.status().message(), HasSubstr("2 people transferred with a quota of 1"));
  t.set_count(4);
  t.clear_person_ids();
  d = DecideTransferQuota(view_, t);
  EXPECT_THAT(d.status().message(), HasSubstr("leaves 0 for 2 people staying"));
  t.set_count(2);
  t.add_person_ids("b1");
  d = DecideTransferQuota(view_, t);
  ASSERT_TRUE(d.ok()) << d.status();
  view_.Record(*d);
  EXPECT_EQ(Agency("a").Quota(pb::ADMINISTRATIVE), 5);
  EXPECT_EQ(Agency("a").InPost(pb::ADMINISTRATIVE), 4);
  EXPECT_EQ(Agency("b").Quota(pb::ADMINISTRATIVE), 2);
  EXPECT_EQ(Agency("b").InPost(pb::ADMINISTRATIVE), 1);
}

TEST_F(OrgQuotaDecideTest, CategoriesNeverMix) {
  Establish(Spec("a", "局", pb::GOVERNMENT_DEPARTMENT));
  Establish(Spec("s", "中心", pb::PUBLIC_INSTITUTION));
  api::ChangeQuotaRequest g;
  g.set_agency_id("a");
  g.set_category(pb::PUBLIC_SERVICE);
  g.set_count(1);
  EXPECT_THAT(DecideGrantQuota(view_, g).status().message(),
              HasSubstr("事业编制 is never used in a 党政机关"));
  g.set_agency_id("s");
  g.set_category(pb::ADMINISTRATIVE);
  EXPECT_THAT(DecideGrantQuota(view_, g).status().message(),
              HasSubstr("行政编制 is used only in 党政机关"));
  g.set_category(pb::QUOTA_CATEGORY_UNSPECIFIED);
  EXPECT_EQ(DecideGrantQuota(view_, g).status().code(), absl::StatusCode::kInvalidArgument);
  g.set_category(pb::PUBLIC_SERVICE);
  g.set_count(-1);
  EXPECT_THAT(DecideGrantQuota(view_, g).status().message(), HasSubstr("count -1"));
}

// Messages echo what the caller sent through QuoteValue (domain/quote.h): short,
// whatever the caller sent, and ids are checked before they are named.
TEST_F(OrgQuotaDecideTest, RefusalsQuoteWhatTheCallerSentShortly) {
  SetUpDistrict();
  const std::string huge(8192, 'x');
  const std::string quoted = absl::StrCat("\"", std::string(32, 'x'), "…\" (8192 bytes)");

  api::TransferQuotaRequest transfer;
  transfer.set_from_agency_id("a");
  transfer.set_to_agency_id("b");
  transfer.set_category(pb::ADMINISTRATIVE);
  transfer.set_count(1);
  transfer.add_person_ids(huge);
  absl::Status s = DecideTransferQuota(view_, transfer).status();
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr(absl::StrCat("person_ids ", quoted)));
}

}  // namespace
}  // namespace reformlog::domain
