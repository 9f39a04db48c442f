// RandomCommands: a seeded stream of domain commands across every context — some valid,
// some refused — recorded through a CommandDriver. The same seed on two stores gives the
// same log, so read models built on each can be compared.
#ifndef REFORMLOG_TESTS_PROJECTIONS_RANDOM_COMMANDS_H_
#define REFORMLOG_TESTS_PROJECTIONS_RANDOM_COMMANDS_H_

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "services/domain/budget_decide.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/power_decide.h"
#include "services/domain/reform_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/requests.h"

namespace reformlog::testing {

class RandomCommands {
 public:
  RandomCommands(CommandDriver& driver, unsigned seed)
      : driver_(driver), rng_(seed), tag_(absl::StrCat("s", seed)) {}

  void Run(int commands) {
    for (int i = 0; i < commands; ++i) One();
  }

 private:
  using Kind = domain::v1::AgencyKind;

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  template <typename T>
  const T& PickFrom(const std::vector<T>& v) {
    return v[static_cast<size_t>(Pick(static_cast<int>(v.size())))];
  }
  // As a ledger is kept: mostly in date order, a day or two on each time, with one change in
  // five a late entry (补录) dated up to a year back.
  std::string Date() {
    if (Pick(5) == 0) return absl::FormatCivilTime(today_ - Pick(365));
    today_ += Pick(3);
    return absl::FormatCivilTime(today_);
  }
  std::string NewId(const char* what) { return absl::StrCat(what, "-", tag_, "-", ++ids_); }

  void One() {
    const std::string date = Date();
    latest_ = std::max(latest_, date);
    driver_.On(date, absl::StrCat("西委编〔2019〕", Pick(100), "号"));
    if (agencies_.size() < 4) return Establish();
    switch (Pick(20)) {
      case 0:
      case 1:
        return Establish();
      case 2:
        return Grant();
      case 3:
      case 4:
        return Register();
      case 5:
        return Rename();
      case 6:
        return Alias();
      case 7:
        return Reparent();
      case 8:
        return Mandate();
      case 9:
        return Merge();
      case 10:
        return Transfer();
      case 11:
        return Depart();
      case 12:
        return Budget();
      case 13:
        return Powers();
      case 14:
        return Plan();
      case 15:
        return Leader();
      case 16:
        return Lock();
      case 17:
        return Split();
      default:
        return Abolish();
    }
  }

  void Establish() {
    const std::string id = NewId("agency");
    const Kind kind = Pick(3) == 0
                          ? domain::v1::PUBLIC_INSTITUTION
                          : (Pick(4) == 0 ? domain::v1::TOWN : domain::v1::GOVERNMENT_DEPARTMENT);
    api::v1::EstablishAgencyRequest r;
    *r.mutable_agency() =
        requests::Agency(id, absl::StrCat("机构", id), kind,
                         agencies_.empty() || Pick(3) == 0 ? "" : PickFrom(agencies_));
    if (kind == domain::v1::GOVERNMENT_DEPARTMENT && Pick(5) == 0) {
      r.mutable_agency()->set_role(Pick(2) ? domain::v1::COMPREHENSIVE_ENFORCEMENT
                                           : domain::v1::ADMINISTRATIVE_APPROVAL);
    }
    if (driver_.Run(domain::DecideEstablishAgency, r).ok()) {
      agencies_.push_back(id);
      if (kind == domain::v1::TOWN) towns_.push_back(id);
    }
  }

  domain::v1::QuotaCategory Category() {
    return Pick(2) ? domain::v1::ADMINISTRATIVE : domain::v1::PUBLIC_SERVICE;
  }

  void Grant() {
    const std::string& agency = PickFrom(agencies_);
    const domain::v1::QuotaCategory category = Category();
    (void)driver_.Run(domain::DecideGrantQuota,
                      requests::ChangeQuota(agency, category, 1 + Pick(5)));
  }

  void Register() {
    const std::string id = NewId("person");
    const std::string& agency = PickFrom(agencies_);
    const domain::v1::QuotaCategory category = Category();
    if (driver_
            .Run(domain::DecideRegisterPerson,
                 requests::RegisterPerson(id, absl::StrCat("人员", id), agency, category, "科员"))
            .ok()) {
      persons_.push_back(id);
    }
  }

  void Rename() {
    api::v1::RenameAgencyRequest r;
    r.set_agency_id(PickFrom(agencies_));
    r.set_new_name(absl::StrCat("新名称", Pick(1000)));
    (void)driver_.Run(domain::DecideRenameAgency, r);
  }

  void Alias() {
    api::v1::ExtraNameRequest r;
    r.set_agency_id(PickFrom(agencies_));
    r.set_name(absl::StrCat("牌子", Pick(5)));
    (void)(Pick(3) ? driver_.Run(domain::DecideAddExtraName, r)
                   : driver_.Run(domain::DecideRemoveExtraName, r));
  }

  void Reparent() {
    api::v1::ReparentAgencyRequest r;
    r.set_agency_id(PickFrom(agencies_));
    r.set_new_parent_id(Pick(4) == 0 ? "" : PickFrom(agencies_));
    (void)driver_.Run(domain::DecideReparentAgency, r);
  }

  void Mandate() {
    api::v1::IssueMandateRequest r;
    r.set_agency_id(PickFrom(agencies_));
    r.add_functions(absl::StrCat("职能", Pick(10)));
    api::v1::Division* d = r.add_divisions();
    d->set_division_id(absl::StrCat("div", Pick(3)));
    d->set_name(absl::StrCat("股", Pick(3)));
    domain::v1::QuotaCount* q = r.add_quotas();
    q->set_category(Category());
    q->set_count(Pick(12));
    domain::v1::LeaderPostCount* p = r.add_leader_posts();
    p->set_rank(domain::v1::SECTION_CHIEF);
    p->set_count(1 + Pick(2));
    p->set_title("局长");
    (void)driver_.Run(domain::DecideIssueMandate, r);
  }

  void Merge() {
    api::v1::MergeAgenciesRequest r;
    const std::string a = PickFrom(agencies_);
    const std::string b = PickFrom(agencies_);
    r.add_original_ids(a);
    r.add_original_ids(b);
    if (Pick(2)) {
      r.set_absorbing_id(b);
    } else {
      const std::string id = NewId("agency");
      *r.mutable_new_agency() =
          requests::Agency(id, absl::StrCat("合并机构", id), domain::v1::GOVERNMENT_DEPARTMENT);
      if (driver_.Run(domain::DecideMergeAgencies, r).ok()) agencies_.push_back(id);
      return;
    }
    (void)driver_.Run(domain::DecideMergeAgencies, r);
  }

  void Transfer() {
    if (persons_.empty()) return;
    api::v1::TransferPersonsRequest r;
    r.set_from_agency_id(PickFrom(agencies_));
    r.set_to_agency_id(PickFrom(agencies_));
    r.add_person_ids(PickFrom(persons_));
    if (Pick(2)) {
      domain::v1::QuotaCount* q = r.add_quotas();
      q->set_category(Category());
      q->set_count(1);
    }
    (void)driver_.Run(domain::DecideTransferPersons, r);
  }

  void Depart() {
    if (persons_.empty()) return;
    api::v1::RecordDepartureRequest r;
    r.set_person_id(PickFrom(persons_));
    r.set_reason(domain::v1::RETIRED);
    (void)driver_.Run(domain::DecideRecordDeparture, r);
  }

  void Budget() {
    domain::v1::BudgetLine line;
    line.set_fund_source(domain::v1::GENERAL_PUBLIC_BUDGET);
    line.set_function_code(Pick(2) ? "2013601" : "2080505");
    line.set_economic_code(Pick(2) ? "30201" : "30101");
    line.set_kind(domain::v1::BASIC);
    const std::string agency = PickFrom(agencies_);
    if (Pick(2)) {
      api::v1::AppropriateRequest r;
      r.set_agency_id(agency);
      r.set_fiscal_year(2019);
      *r.mutable_line() = line;
      r.set_amount_fen(1 + Pick(1'000'000));
      (void)driver_.Run(domain::DecideAppropriate, r);
    } else {
      api::v1::DisburseRequest r;
      r.set_agency_id(agency);
      r.set_fiscal_year(2019);
      *r.mutable_line() = line;
      r.set_amount_fen(1 + Pick(500'000));
      r.set_disbursement_id(NewId("voucher"));
      r.set_date("2019-06-30");
      r.set_purpose("办公费");
      (void)driver_.Run(domain::DecideDisburse, r);
    }
  }

  void Powers() {
    switch (Pick(3)) {
      case 0: {
        api::v1::CatalogPowersRequest r;
        api::v1::PowerItem* item = r.add_items();
        const std::string code = NewId("power");
        item->set_code(code);
        item->set_name(absl::StrCat("事项", code));
        item->set_category(Pick(2) ? domain::v1::LICENSING : domain::v1::PENALTY);
        item->set_legal_basis("《行政许可法》");
        item->set_holder_agency_id(PickFrom(agencies_));
        if (driver_.Run(domain::DecideCatalogPowers, r).ok()) {
          powers_.push_back(code);
          holders_[code] = item->holder_agency_id();
        }
        return;
      }
      case 1: {
        if (powers_.empty()) return;
        // Mostly from the holder last seen to a town, so that some are passed on.
        api::v1::DelegatePowersRequest r;
        const std::string& code = PickFrom(powers_);
        r.add_codes(code);
        r.set_from_agency_id(Pick(4) == 0 ? PickFrom(agencies_) : holders_[code]);
        r.set_to_agency_id(towns_.empty() || Pick(4) == 0 ? PickFrom(agencies_) : PickFrom(towns_));
        r.set_mode(Pick(2) ? domain::v1::DIRECT : domain::v1::ENTRUSTED);
        if (driver_.Run(domain::DecideDelegatePowers, r).ok()) holders_[code] = r.to_agency_id();
        return;
      }
      default: {
        if (powers_.empty()) return;
        api::v1::ConcentratePowersRequest r;
        r.add_codes(PickFrom(powers_));
        r.set_to_agency_id(PickFrom(agencies_));
        (void)driver_.Run(domain::DecideConcentratePowers, r);
        return;
      }
    }
  }

  void Plan() {
    if (plans_.empty() || Pick(4) == 0) {
      api::v1::DraftPlanRequest r;
      const std::string id = NewId("plan");
      r.set_plan_id(id);
      r.set_title(absl::StrCat("改革方案", id));
      if (driver_.Run(domain::DecideDraftPlan, r).ok()) plans_.push_back(id);
      return;
    }
    api::v1::AddTaskRequest r;
    r.set_plan_id(PickFrom(plans_));
    r.set_task_id(NewId("task"));
    r.set_agency_id(PickFrom(agencies_));
    r.set_kind(Pick(2) ? domain::v1::MANDATE_ISSUED : domain::v1::HANG_NAMEPLATE);
    r.set_due_date(Date());
    (void)driver_.Run(domain::DecideAddTask, r);
  }

  void Leader() {
    if (persons_.empty()) return;
    const std::string person = PickFrom(persons_);
    const std::string agency = PickFrom(agencies_);
    if (Pick(3) == 0) {
      api::v1::RemoveLeaderRequest r;
      r.set_person_id(person);
      r.set_agency_id(agency);
      (void)driver_.Run(domain::DecideRemoveLeader, r);
      return;
    }
    api::v1::AppointLeaderRequest r;
    r.set_person_id(person);
    r.set_agency_id(agency);
    r.set_rank(domain::v1::SECTION_CHIEF);
    r.set_title("局长");
    (void)driver_.Run(domain::DecideAppointLeader, r);
  }

  // Locks are acts on the record as it stands: dated now (the latest date so far), since one
  // dated before the last lock or unlock is refused. A locked agency refuses every other
  // command here (none is made under a plan), so an agency locked is unlocked the next time.
  void Lock() {
    if (plans_.empty()) return;
    driver_.On(latest_);
    api::v1::LockRecordsRequest r;
    const std::string& agency = PickFrom(agencies_);
    r.add_agency_ids(agency);
    auto locked = locks_.find(agency);
    if (locked == locks_.end()) {
      const std::string& plan = PickFrom(plans_);
      driver_.UnderPlan(plan);
      if (driver_.Run(domain::DecideLockRecords, r).ok()) locks_[agency] = plan;
    } else {
      driver_.UnderPlan(locked->second);
      if (driver_.Run(domain::DecideUnlockRecords, r).ok()) locks_.erase(locked);
    }
    driver_.UnderPlan("");
  }

  void Split() {
    api::v1::SplitAgencyRequest r;
    r.set_agency_id(PickFrom(agencies_));
    std::vector<std::string> ids;
    for (int part = 0; part < 2; ++part) {
      ids.push_back(NewId("agency"));
      *r.add_parts()->mutable_agency() = requests::Agency(
          ids.back(), absl::StrCat("分设机构", ids.back()), domain::v1::GOVERNMENT_DEPARTMENT);
    }
    if (driver_.Run(domain::DecideSplitAgency, r).ok()) {
      agencies_.insert(agencies_.end(), ids.begin(), ids.end());
    }
  }

  void Abolish() {
    api::v1::AbolishAgencyRequest r;
    r.set_agency_id(PickFrom(agencies_));
    if (Pick(2)) r.set_successor_id(PickFrom(agencies_));
    (void)driver_.Run(domain::DecideAbolishAgency, r);
  }

  CommandDriver& driver_;
  std::mt19937 rng_;
  std::string tag_;
  absl::CivilDay today_{2018, 1, 1};
  std::string latest_;                        // the latest effective date given so far
  std::map<std::string, std::string> locks_;  // agency → the plan that locked it
  int ids_ = 0;
  std::vector<std::string> agencies_;
  std::vector<std::string> persons_;
  std::vector<std::string> powers_;
  std::vector<std::string> towns_;
  std::map<std::string, std::string> holders_;  // power code → its holder as last seen here
  std::vector<std::string> plans_;
};

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_PROJECTIONS_RANDOM_COMMANDS_H_
