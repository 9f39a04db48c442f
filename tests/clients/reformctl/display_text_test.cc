// How reformctl names events and agencies in its listings (clients/reformctl/display_text.h).
#include "clients/reformctl/display_text.h"

#include "gtest/gtest.h"

namespace reformlog::ctl {
namespace {

TEST(ReformctlDisplayTextTest, AnEventByItsDateAndDocument) {
  api::EventReference ref;
  ref.set_effective_date("2019-12-01");
  EXPECT_EQ(DateAndBasis(ref), "2019-12-01");
  ref.set_basis_number("西编〔2019〕9号");
  EXPECT_EQ(DateAndBasis(ref), "2019-12-01 西编〔2019〕9号");
}

TEST(ReformctlDisplayTextTest, AnEventTypeWithoutItsPackage) {
  EXPECT_EQ(EventName("reformlog.domain.v1.MandateIssued"), "MandateIssued");
  EXPECT_EQ(EventName("MandateIssued"), "MandateIssued");
  EXPECT_EQ(EventName(""), "");
  api::EventReference ref;
  ref.set_event_type("reformlog.domain.v1.PowerDelegated");
  EXPECT_EQ(EventName(ref), "PowerDelegated");
}

TEST(ReformctlDisplayTextTest, AnAgencyByIdAndName) {
  EXPECT_EQ(AgencyAndName("xq-glpz", "格里坪镇"), "xq-glpz 格里坪镇");
  EXPECT_EQ(AgencyAndName("xq-glpz", ""), "xq-glpz");
}

}  // namespace
}  // namespace reformlog::ctl
