// 用编审批 decided (quota_use_decide.h, and registrations citing a notice in
// staffing_decide.h): apply, approve (reserving: 预留编制 counts in every 空编 check), register
// into the reservation (入编), lapse and withdrawal release it, and a jurisdiction's policy makes
// a notice required for newcomers. Against a FakeStateView with effective dates.
#include "services/domain/quota_use_decide.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/domain/timeline.h"
#include "tests/services/domain/org_decide_fixture.h"

namespace reformlog::domain {
namespace {

using testing::EventsOf;
using ::testing::HasSubstr;
using ::testing::SizeIs;

class QuotaUseDecideTest : public OrgDecideTest {
 protected:
  // Agency a: 行政编制 6, 3 in post (a1–a3): 3 free.
  void SetUp() override {
    view_.set_effective_date("2019-03-01");
    SetUpDistrict();
  }

  static api::RequestQuotaUseRequest Request(const std::string& notice, int count,
                                             const std::string& agency = "a") {
    api::RequestQuotaUseRequest r;
    r.set_notice_id(notice);
    r.set_agency_id(agency);
    r.set_category(pb::ADMINISTRATIVE);
    r.set_count(count);
    r.set_purpose("2019年公务员考录");
    return r;
  }
  static api::ApproveQuotaUseRequest Approve(const std::string& notice, int count = 0,
                                             const std::string& until = "2019-12-31") {
    api::ApproveQuotaUseRequest r;
    r.set_notice_id(notice);
    r.set_agency_id("a");
    r.set_count(count);
    r.set_notice_number("西编用〔2019〕3号");
    r.set_valid_until(until);
    return r;
  }
  static api::CloseQuotaUseRequest Close(const std::string& notice) {
    api::CloseQuotaUseRequest r;
    r.set_notice_id(notice);
    r.set_agency_id("a");
    r.set_reason("招录计划调整");
    return r;
  }
  static api::RegisterPersonRequest Newcomer(const std::string& person,
                                             const std::string& notice = "") {
    api::RegisterPersonRequest r = testing::requests::RegisterPerson(person, person, "a");
    r.mutable_person()->set_notice_id(notice);
    return r;
  }
  // Requests and approves `count` of notice `id`.
  void Reserve(const std::string& id, int count, const std::string& until = "2019-12-31") {
    ASSERT_TRUE(view_.Record(DecideRequestQuotaUse(view_, Request(id, count))));
    ASSERT_TRUE(view_.Record(DecideApproveQuotaUse(view_, Approve(id, 0, until))));
  }
};

TEST_F(QuotaUseDecideTest, AnApprovedNoticeReservesVacanciesThatCountInEveryCheck) {
  absl::StatusOr<Decision> requested = DecideRequestQuotaUse(view_, Request("n1", 2));
  ASSERT_TRUE(requested.ok()) << requested.status();
  ASSERT_THAT(requested->events(), SizeIs(1));
  EXPECT_EQ(requested->events()[0].stream_id, "notice-n1");
  view_.Record(*requested);
  absl::StatusOr<Decision> approved = DecideApproveQuotaUse(view_, Approve("n1"));
  ASSERT_TRUE(approved.ok()) << approved.status();
  ASSERT_THAT(EventsOf<pb::QuotaReserved>(*approved), SizeIs(1));
  EXPECT_EQ(EventsOf<pb::QuotaReserved>(*approved)[0]->count(), 2);
  view_.Record(*approved);
  EXPECT_EQ(Agency("a").ReservedOn(pb::ADMINISTRATIVE, "2019-06-01"), 2);
  EXPECT_EQ(FreeVacancies(Agency("a"), pb::ADMINISTRATIVE, "2019-06-01"), 1);

  // One vacancy is free; the second newcomer without a notice finds none.
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Newcomer("x1"))));
  EXPECT_THAT(DecideRegisterPerson(view_, Newcomer("x2")).status().message(),
              HasSubstr("quota 6, in post 4, reserved 2 (预留编制), requested +1 (no vacancy"));
  // Quota cannot be withdrawn from under a reservation, nor can a 三定 cut it.
  EXPECT_THAT(DecideWithdrawQuota(view_, testing::requests::ChangeQuota("a", pb::ADMINISTRATIVE, 1))
                  .status()
                  .message(),
              HasSubstr("reserved 2 (预留编制), withdrawing 1 would leave 5 (超编)"));
  EXPECT_THAT(DecideRequestQuotaUse(view_, Request("n2", 1)).status().message(),
              HasSubstr("0 free, 1 asked for"));
  // And an agency holding a reservation does not cease before it is settled.
  api::AbolishAgencyRequest abolish;
  abolish.set_agency_id("a");
  abolish.set_successor_id("b");
  EXPECT_THAT(DecideAbolishAgency(view_, abolish).status().message(),
              HasSubstr("holds vacancies reserved (预留编制) by notice-n1"));
}

TEST_F(QuotaUseDecideTest, RegistrationsCitingTheNoticeFillItsReservation) {
  Reserve("n1", 2);
  absl::StatusOr<Decision> d = DecideRegisterPerson(view_, Newcomer("x1", "n1"));
  ASSERT_TRUE(d.ok()) << d.status();
  ASSERT_THAT(EventsOf<pb::QuotaUseFilled>(*d), SizeIs(1));
  ASSERT_THAT(EventsOf<pb::QuotaReservationReleased>(*d), SizeIs(1));
  EXPECT_EQ(EventsOf<pb::PersonRegistered>(*d)[0]->notice_id(), "n1");
  view_.Record(*d);
  EXPECT_EQ(Agency("a").ReservedOn(pb::ADMINISTRATIVE, ""), 1);
  EXPECT_EQ((*view_.QuotaUse("n1"))->filled, 1);
  // The free vacancy is still free for someone without a notice.
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Newcomer("x2"))));
  // Two more citing n1: only one vacancy is left on it.
  api::RegisterPersonsRequest two;
  *two.add_persons() = Newcomer("x3", "n1").person();
  *two.add_persons() = Newcomer("x4", "n1").person();
  EXPECT_THAT(DecideRegisterPersons(view_, two).status().message(),
              HasSubstr("person-x4 cites notice-n1 (西编用〔2019〕3号), whose 2 vacancies are "
                        "filled (1 before this command)"));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Newcomer("x3", "n1"))));
  EXPECT_THAT(Agency("a").reservations, SizeIs(0));
  EXPECT_THAT(Violations(Agency("a")), SizeIs(0));
  EXPECT_THAT(DecideWithdrawQuotaUse(view_, Close("n1")).status().message(),
              HasSubstr("every vacancy it reserved is filled"));
}

TEST_F(QuotaUseDecideTest, ALapsedOrWithdrawnNoticeReleasesItsVacancies) {
  Reserve("n1", 3, "2019-04-30");
  EXPECT_EQ(FreeVacancies(Agency("a"), pb::ADMINISTRATIVE, "2019-04-30"), 0);
  view_.set_effective_date("2019-05-01");
  EXPECT_EQ(FreeVacancies(Agency("a"), pb::ADMINISTRATIVE, "2019-05-01"), 3);
  EXPECT_THAT(DecideRegisterPerson(view_, Newcomer("x1", "n1")).status().message(),
              HasSubstr("person-x1 cites notice-n1 (西编用〔2019〕3号), which lapsed after "
                        "2019-04-30"));
  ASSERT_TRUE(view_.Record(DecideRegisterPerson(view_, Newcomer("x1"))))
      << "the lapsed reservation no longer holds the vacancy";

  view_.set_effective_date("2019-05-15");  // n1 lapsed: 2 free (x1 took one)
  ASSERT_TRUE(view_.Record(DecideRequestQuotaUse(view_, Request("n2", 1))));
  view_.set_effective_date("2019-06-01");
  ASSERT_TRUE(view_.Record(DecideApproveQuotaUse(view_, Approve("n2"))));
  EXPECT_EQ(Agency("a").ReservedOn(pb::ADMINISTRATIVE, "2019-06-01"), 1);
  absl::StatusOr<Decision> withdrawn = DecideWithdrawQuotaUse(view_, Close("n2"));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  EXPECT_EQ(EventsOf<pb::QuotaUseWithdrawn>(*withdrawn)[0]->released(), 1);
  view_.Record(*withdrawn);
  EXPECT_EQ(Agency("a").ReservedOn(pb::ADMINISTRATIVE, "2019-06-01"), 0);
  EXPECT_THAT(DecideRegisterPerson(view_, Newcomer("x2", "n2")).status().message(),
              HasSubstr("which is 已撤回, not approved (核准)"));
}

// A notice that lapsed may outlive its agency: withdrawing it then records nothing on the
// ceased agency (a change it could not take), only on the notice.
TEST_F(QuotaUseDecideTest, WithdrawingALapsedNoticeOfACeasedAgencyLeavesTheAgencyAlone) {
  Reserve("n1", 1, "2019-04-30");
  view_.set_effective_date("2019-06-01");
  api::AbolishAgencyRequest abolish;
  abolish.set_agency_id("a");
  abolish.set_successor_id("b");
  ASSERT_TRUE(view_.Record(DecideAbolishAgency(view_, abolish))) << "the reservation lapsed";
  absl::StatusOr<Decision> withdrawn = DecideWithdrawQuotaUse(view_, Close("n1"));
  ASSERT_TRUE(withdrawn.ok()) << withdrawn.status();
  ASSERT_THAT(withdrawn->events(), SizeIs(1));
  EXPECT_EQ(withdrawn->events()[0].stream_id, "notice-n1");
  view_.Record(*withdrawn);
  EXPECT_THAT(Violations(Agency("a")), SizeIs(0));
}

TEST_F(QuotaUseDecideTest, ApprovalDeclineAndRequestsAreCheckedAgainstTheNotice) {
  ASSERT_TRUE(view_.Record(DecideRequestQuotaUse(view_, Request("n1", 2))));
  EXPECT_EQ(DecideRequestQuotaUse(view_, Request("n1", 1)).status().code(),
            absl::StatusCode::kAlreadyExists);
  EXPECT_THAT(DecideRequestQuotaUse(view_, Request("n9", 4)).status().message(),
              HasSubstr("3 free, 4 asked for"));
  EXPECT_THAT(DecideApproveQuotaUse(view_, Approve("n1", 3)).status().message(),
              HasSubstr("count 3 is more than the 2 requested"));
  EXPECT_THAT(DecideApproveQuotaUse(view_, Approve("n1", 0, "2019-02-28")).status().message(),
              HasSubstr("valid_until 2019-02-28 is before the approval takes effect"));
  api::ApproveQuotaUseRequest other = Approve("n1");
  other.set_agency_id("b");
  EXPECT_THAT(DecideApproveQuotaUse(view_, other).status().message(),
              HasSubstr("is not agency-b's"));
  EXPECT_EQ(DecideApproveQuotaUse(view_, Approve("nope")).status().code(),
            absl::StatusCode::kNotFound);
  ASSERT_TRUE(view_.Record(DecideDeclineQuotaUse(view_, Close("n1"))));
  EXPECT_THAT(DecideApproveQuotaUse(view_, Approve("n1")).status().message(),
              HasSubstr("不予核准): only a requested notice is approved"));
  EXPECT_EQ(Agency("a").ReservedOn(pb::ADMINISTRATIVE, ""), 0);
}

TEST_F(QuotaUseDecideTest, AJurisdictionRequiringNoticesRefusesNewcomersWithoutOne) {
  api::SetQuotaUsePolicyRequest policy;
  policy.set_jurisdiction("西区");
  policy.set_notice_required(true);
  ASSERT_TRUE(view_.Record(DecideSetQuotaUsePolicy(view_, policy)));
  EXPECT_THAT(DecideSetQuotaUsePolicy(view_, policy).status().message(),
              HasSubstr("already requires"));
  EXPECT_THAT(DecideRegisterPerson(view_, Newcomer("x1")).status().message(),
              HasSubstr("person-x1 (考录) cites no notice: \"西区\" requires 用编审批"));
  // Staff in post when the register began (首次登记) need none.
  api::RegisterPersonRequest existing = Newcomer("x2");
  existing.mutable_person()->set_entry_reason(pb::EXISTING_STAFF);
  EXPECT_TRUE(DecideRegisterPerson(view_, existing).ok());
  Reserve("n1", 1);
  EXPECT_TRUE(DecideRegisterPerson(view_, Newcomer("x1", "n1")).ok());
}

}  // namespace
}  // namespace reformlog::domain
