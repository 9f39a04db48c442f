// Logs written by hand for the tests of reformd_crash_test's own checks (LogOracle,
// JudgeRefusalBesideCommit): LogBuilder writes commits as reformd would, HandLog commits of
// the workload's kinds. Each check must fire on a log that breaks it, and name what broke.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_HAND_LOG_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_HAND_LOG_H_

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "tests/services/crash/oracle.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {

// Writes commits as reformd would: positions and stream versions in order, the request's
// document on every event.
class LogBuilder {
 public:
  explicit LogBuilder(LogOracle& oracle) : oracle_(oracle) {}

  absl::Status Commit(
      const Request& r,
      const std::vector<std::pair<std::string, const google::protobuf::Message*>>& events) {
    oracle_.Expect(r);
    api::ChangeQuotaRequest header_only;  // every request has its header at field 1
    header_only.ParseFromString(r.bytes);
    for (const auto& [stream, message] : events) {
      api::Event e;
      e.set_position(++position_);
      e.set_stream_id(stream);
      e.set_stream_version(++versions_[stream]);
      e.set_type(message->GetDescriptor()->full_name());
      e.set_data(message->SerializeAsString());
      e.set_recorded_at_us(1'000'000 + static_cast<int64_t>(commits_));
      e.set_effective_date(header_only.header().effective_date());
      e.set_principal(kPrincipal);
      *e.mutable_basis() = header_only.header().basis();
      e.set_commit_id(absl::StrCat(kPrincipal, "/", r.id));
      if (absl::Status s = oracle_.Learn(e); !s.ok()) return s;
    }
    ++commits_;
    return absl::OkStatus();
  }
  absl::Status End() { return oracle_.EndScan(); }
  void SkipPosition() { ++position_; }

 private:
  LogOracle& oracle_;
  uint64_t position_ = 0;
  size_t commits_ = 0;
  std::map<std::string, uint64_t> versions_;
};

inline Request Establish(const std::string& id) {
  api::EstablishAgencyRequest r;
  *r.mutable_header() = Header("establish-" + id, 1, 1, 2);
  r.mutable_agency()->set_agency_id(id);
  r.mutable_agency()->set_name("攀枝花市西区档案馆");
  r.mutable_agency()->set_kind(pb::PUBLIC_INSTITUTION);
  return Pack(Op::kEstablish, r);
}

inline pb::AgencyEstablished Established(const std::string& id) {
  pb::AgencyEstablished e;
  e.set_agency_id(id);
  e.set_name("攀枝花市西区档案馆");
  e.set_kind(pb::PUBLIC_INSTITUTION);
  return e;
}

// The claim on the agency's name that an establishment records beside it, and its stream.
inline pb::AgencyNameClaimed NameClaimed(const std::string& id) {
  pb::AgencyNameClaimed e;
  e.set_name("攀枝花市西区档案馆");
  e.set_agency_id(id);
  return e;
}
inline std::string NameStreamOf() { return domain::AgencyNameStream("", "攀枝花市西区档案馆"); }

// Commits of the workload's kinds (people on 事业编制, payments from line 0), written as reformd
// would; those a test judges return their request. End() reads the log whole and says whether
// every commit so far passed the oracle.
class HandLog {
 public:
  explicit HandLog(LogOracle& oracle) : log_(oracle) {}

  void Establish(const std::string& agency) {
    const pb::AgencyEstablished e = Established(agency);
    const pb::AgencyNameClaimed claimed = NameClaimed(agency);
    Keep(log_.Commit(crash::Establish(agency),
                     {{AgencyStreamOf(agency), &e}, {NameStreamOf(), &claimed}}));
  }

  void Grant(const std::string& agency, int count) {
    api::ChangeQuotaRequest r;
    *r.mutable_header() = Header(NextId("grant"), 2, 1, 3);
    r.set_agency_id(agency);
    r.set_category(pb::PUBLIC_SERVICE);
    r.set_count(count);
    pb::QuotaGranted e;
    e.set_agency_id(agency);
    e.set_category(pb::PUBLIC_SERVICE);
    e.set_count(count);
    Keep(log_.Commit(Pack(Op::kGrantQuota, r), {{AgencyStreamOf(agency), &e}}));
  }

  Request Register(const std::string& person, const std::string& agency) {
    api::RegisterPersonRequest r;
    *r.mutable_header() = Header(NextId("register"), 3, 1, 4);
    r.mutable_person()->set_person_id(person);
    r.mutable_person()->set_name("人员" + person);
    r.mutable_person()->set_agency_id(agency);
    r.mutable_person()->set_category(pb::PUBLIC_SERVICE);
    r.mutable_person()->set_entry_reason(pb::OPEN_RECRUITMENT);
    pb::PersonRegistered registered;
    registered.set_person_id(person);
    registered.set_name("人员" + person);
    registered.set_agency_id(agency);
    registered.set_category(pb::PUBLIC_SERVICE);
    pb::RosterChanged roster;
    roster.set_agency_id(agency);
    roster.add_joined()->set_person_id(person);
    roster.mutable_joined(0)->set_category(pb::PUBLIC_SERVICE);
    Request request = Pack(Op::kRegister, r, /*twin=*/true);
    Keep(log_.Commit(request,
                     {{PersonStreamOf(person), &registered}, {AgencyStreamOf(agency), &roster}}));
    return request;
  }

  Request Depart(const std::string& person, const std::string& agency) {
    api::RecordDepartureRequest r;
    *r.mutable_header() = Header(NextId("depart"), 4, 2, 1);
    r.set_person_id(person);
    r.set_reason(pb::RETIRED);
    pb::PersonDeparted departed;
    departed.set_person_id(person);
    departed.set_agency_id(agency);
    departed.set_reason(pb::RETIRED);
    pb::RosterChanged roster;
    roster.set_agency_id(agency);
    roster.add_left()->set_person_id(person);
    roster.mutable_left(0)->set_category(pb::PUBLIC_SERVICE);
    Request request = Pack(Op::kDepart, r, /*twin=*/true);
    Keep(log_.Commit(request,
                     {{PersonStreamOf(person), &departed}, {AgencyStreamOf(agency), &roster}}));
    return request;
  }

  void Appropriate(const std::string& agency, int64_t fen) {
    api::AppropriateRequest r;
    *r.mutable_header() = Header(NextId("appropriate"), 5, 1, 3);
    r.set_agency_id(agency);
    r.set_fiscal_year(kFiscalYear);
    *r.mutable_line() = Line(0);
    r.set_amount_fen(fen);
    pb::BudgetAppropriated e;
    e.set_agency_id(agency);
    e.set_fiscal_year(kFiscalYear);
    *e.mutable_line() = Line(0);
    e.set_amount_fen(fen);
    Keep(log_.Commit(Pack(Op::kAppropriate, r), {{BudgetStreamOf(agency), &e}}));
  }

  Request Disburse(const std::string& agency, const std::string& disbursement, int64_t fen) {
    api::DisburseRequest r;
    *r.mutable_header() = Header(NextId("disburse"), 6, 2, 1);
    r.set_agency_id(agency);
    r.set_fiscal_year(kFiscalYear);
    *r.mutable_line() = Line(0);
    r.set_amount_fen(fen);
    r.set_disbursement_id(disbursement);
    r.set_date("2020-02-01");
    pb::FundsDisbursed e;
    e.set_agency_id(agency);
    e.set_fiscal_year(kFiscalYear);
    *e.mutable_line() = Line(0);
    e.set_amount_fen(fen);
    e.set_disbursement_id(disbursement);
    e.set_date("2020-02-01");
    Request request = Pack(Op::kDisburse, r, /*twin=*/true);
    Keep(log_.Commit(request, {{BudgetStreamOf(agency), &e}}));
    return request;
  }

  // The log so far is read whole.
  const absl::Status& End() {
    Keep(log_.End());
    return status_;
  }

 private:
  std::string NextId(const std::string& kind) { return absl::StrCat(kind, "-", ++requests_); }
  void Keep(const absl::Status& s) { status_.Update(s); }

  LogBuilder log_;
  int requests_ = 0;
  absl::Status status_;
};

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_HAND_LOG_H_
