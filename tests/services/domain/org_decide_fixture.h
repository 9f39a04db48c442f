// The fixture of the organisation decisions' tests (org_*_decide_test.cc): agency specs, a
// FakeStateView, and a small district to run commands against.
#ifndef REFORMLOG_TESTS_SERVICES_DOMAIN_ORG_DECIDE_FIXTURE_H_
#define REFORMLOG_TESTS_SERVICES_DOMAIN_ORG_DECIDE_FIXTURE_H_

#include <string>

#include "gtest/gtest.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/fake_state_view.h"
#include "tests/testing/requests.h"

namespace reformlog::domain {

inline api::AgencySpec Spec(const std::string& id, const std::string& name, pb::AgencyKind kind,
                            const std::string& parent = "") {
  return testing::requests::Agency(id, name, kind, parent);
}

class OrgDecideTest : public ::testing::Test {
 protected:
  void Establish(const api::AgencySpec& spec) {
    ASSERT_TRUE(
        view_.Record(DecideEstablishAgency(view_, testing::requests::EstablishAgency(spec))))
        << spec.agency_id();
  }
  void Grant(const std::string& agency, pb::QuotaCategory category, int count) {
    ASSERT_TRUE(view_.Record(
        DecideGrantQuota(view_, testing::requests::ChangeQuota(agency, category, count))));
  }
  void Register(const std::string& person, const std::string& agency, pb::QuotaCategory category) {
    ASSERT_TRUE(view_.Record(DecideRegisterPerson(
        view_, testing::requests::RegisterPerson(person, person, agency, category))))
        << person;
  }
  const AgencyState& Agency(const std::string& id) { return **view_.Agency(id); }

  // The 三定 of agency a: one function (工业运行监测) and 6 行政编制.
  void IssueMandateOfA() {
    api::IssueMandateRequest m;
    m.set_agency_id("a");
    m.add_functions("工业运行监测");
    pb::QuotaCount* q = m.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(6);
    ASSERT_TRUE(view_.Record(DecideIssueMandate(view_, m)));
  }

  // The district committee and two departments with quota and people.
  void SetUpDistrict() {
    Establish(Spec("xiqu", "中共攀枝花市西区区委", pb::PARTY_DEPARTMENT));
    Establish(Spec("a", "区经济和信息化局", pb::GOVERNMENT_DEPARTMENT, "xiqu"));
    Establish(Spec("b", "区科学技术局", pb::GOVERNMENT_DEPARTMENT, "xiqu"));
    Grant("a", pb::ADMINISTRATIVE, 6);
    Grant("b", pb::ADMINISTRATIVE, 4);
    Grant("b", pb::SUPPORT_STAFF, 1);
    for (const char* p : {"a1", "a2", "a3"}) Register(p, "a", pb::ADMINISTRATIVE);
    for (const char* p : {"b1", "b2"}) Register(p, "b", pb::ADMINISTRATIVE);
    Register("b3", "b", pb::SUPPORT_STAFF);
  }

  testing::FakeStateView view_;
};

}  // namespace reformlog::domain

#endif  // REFORMLOG_TESTS_SERVICES_DOMAIN_ORG_DECIDE_FIXTURE_H_
