// The workload of reformd_crash_test: the commands its writers send to a real reformd, and
// how each one reads in the log.
//
// Four agencies (two 政府部门 on 行政编制, two 事业单位 on 事业编制), each with a small quota and
// two budget lines, are set up once (SetupRequests). Then every writer thread sends a
// sequence of commands that follows from (seed, cycle, thread) alone (WriterScript):
//
//   register a person     more often than quota is granted, so most meet 超编 once full
//   disburse from a line  more than is appropriated, so lines run near empty (no funds)
//   grant quota           the top-ups that keep registrations possible
//   appropriate           the top-ups that keep disbursements possible
//   record a departure    of someone this thread tried to register (a vacancy, or NOT_FOUND)
//
// and one command in kTwinOneIn is a twin: the same request (same request_id, same bytes)
// sent twice at once, two calls in flight together. A request is kept as its serialized bytes, so
// what is sent, re-sent after a crash and replayed later is always byte for byte the same.
//
// Summary() turns a recorded event into one line of text ("agency-x QuotaGranted 1 2"), and
// ExpectedSummaries() says which lines a command must leave in the log; the test compares
// the two as multisets, so the log holds exactly what was asked, nothing else.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_WORKLOAD_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_WORKLOAD_H_

#include <algorithm>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "reformlog/api/v1/budget_commands.pb.h"
#include "reformlog/api/v1/feed.pb.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "services/domain/rules.h"
#include "tests/testing/requests.h"

namespace reformlog::services::crash {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;

inline constexpr int kFiscalYear = 2020;
inline constexpr const char* kJurisdiction = "西区";
inline constexpr const char* kIssuer = "中共攀枝花市西区委员会机构编制委员会";
// The principal the clients call as — the administrator reformd creates on first start, whose
// token it writes to <data_dir>/admin.token: every event in the log carries it, and every
// commit id is "<kPrincipal>/<request id>".
inline constexpr const char* kPrincipal = "admin";
inline constexpr int kInitialQuota = 6;
inline constexpr int64_t kInitialAppropriationFen = 20'000'000;  // 20 万元 a line
inline constexpr int64_t kDisburseFenMin = 100'000;
inline constexpr int64_t kDisburseFenMax = 2'000'000;
inline constexpr int64_t kTopUpFenMin = 1'000'000;
inline constexpr int64_t kTopUpFenMax = 4'000'000;
inline constexpr int kQuotaTopUpMax = 2;
// Out of 100 commands of a writer (the rest are registrations).
inline constexpr int kDisbursePercent = 30;
inline constexpr int kGrantPercent = 8;
inline constexpr int kAppropriatePercent = 7;
inline constexpr int kDepartPercent = 10;
inline constexpr int kTwinOneIn = 8;

struct AgencyPlan {
  const char* id;
  const char* name;
  pb::AgencyKind kind;
  pb::QuotaCategory category;
};

inline constexpr AgencyPlan kAgencies[] = {
    {"crash-fgj", "攀枝花市西区发展和改革局", pb::GOVERNMENT_DEPARTMENT, pb::ADMINISTRATIVE},
    {"crash-sfj", "攀枝花市西区司法局", pb::GOVERNMENT_DEPARTMENT, pb::ADMINISTRATIVE},
    {"crash-dag", "攀枝花市西区档案馆", pb::PUBLIC_INSTITUTION, pb::PUBLIC_SERVICE},
    {"crash-ylfw", "攀枝花市西区养老服务中心", pb::PUBLIC_INSTITUTION, pb::PUBLIC_SERVICE},
};
inline constexpr int kAgencyCount = sizeof(kAgencies) / sizeof(kAgencies[0]);
// Economic codes of each agency's two lines (基本工资, 办公费), both 2013601 基本支出.
inline constexpr const char* kLineEconomicCodes[] = {"30101", "30201"};
inline constexpr int kLinesPerAgency = 2;

inline pb::BudgetLine Line(int line) {
  pb::BudgetLine l;
  l.set_fund_source(pb::GENERAL_PUBLIC_BUDGET);
  l.set_function_code("2013601");
  l.set_economic_code(kLineEconomicCodes[line]);
  l.set_kind(pb::BASIC);
  return l;
}

inline std::string LineKey(const pb::BudgetLine& l) {
  return absl::StrCat(l.fund_source(), "/", l.function_code(), "/", l.economic_code(), "/",
                      l.kind(), "/", l.project_id());
}

enum class Op { kEstablish, kGrantQuota, kAppropriate, kRegister, kDisburse, kDepart };

inline const char* OpName(Op op) {
  switch (op) {
    case Op::kEstablish:
      return "EstablishAgency";
    case Op::kGrantQuota:
      return "GrantQuota";
    case Op::kAppropriate:
      return "Appropriate";
    case Op::kRegister:
      return "RegisterPerson";
    case Op::kDisburse:
      return "Disburse";
    case Op::kDepart:
      return "RecordDeparture";
  }
  return "?";
}

// One command as sent: its request id, which RPC, the request's bytes.
struct Request {
  std::string id;
  Op op = Op::kEstablish;
  std::string bytes;
  bool twin = false;
};

template <typename Message>
Request Pack(Op op, const Message& m, bool twin = false) {
  Request r{m.header().request_id(), op, {}, twin};
  m.SerializeToString(&r.bytes);  // proto3 without maps: the same message, the same bytes
  return r;
}

// The effective date of every command of the workload (the set-up's are earlier).
inline constexpr int kWorkloadMonth = 6;
inline constexpr int kWorkloadDay = 30;

inline api::CommandHeader Header(const std::string& request_id, int document, int month, int day) {
  api::CommandHeader h;
  h.set_request_id(request_id);
  h.mutable_basis()->set_number(absl::StrCat("西委编〔", kFiscalYear, "〕", document, "号"));
  h.mutable_basis()->set_issuer(kIssuer);
  h.set_effective_date(absl::StrFormat("%d-%02d-%02d", kFiscalYear, month, day));
  return h;
}

// The agencies, their first quota and their lines' first appropriation, in that order.
inline std::vector<Request> SetupRequests() {
  std::vector<Request> out;
  for (const AgencyPlan& a : kAgencies) {
    api::EstablishAgencyRequest e =
        testing::requests::EstablishAgency(a.id, a.name, a.kind, "", kJurisdiction);
    *e.mutable_header() = Header(absl::StrCat("setup-establish-", a.id), 1, 1, 2);
    out.push_back(Pack(Op::kEstablish, e));
  }
  for (const AgencyPlan& a : kAgencies) {
    api::ChangeQuotaRequest q;
    *q.mutable_header() = Header(absl::StrCat("setup-quota-", a.id), 2, 1, 2);
    q.set_agency_id(a.id);
    q.set_category(a.category);
    q.set_count(kInitialQuota);
    out.push_back(Pack(Op::kGrantQuota, q));
    for (int line = 0; line < kLinesPerAgency; ++line) {
      api::AppropriateRequest p;
      *p.mutable_header() = Header(absl::StrCat("setup-appropriate-", a.id, "-", line), 3, 1, 2);
      p.set_agency_id(a.id);
      p.set_fiscal_year(kFiscalYear);
      *p.mutable_line() = Line(line);
      p.set_amount_fen(kInitialAppropriationFen);
      out.push_back(Pack(Op::kAppropriate, p));
    }
  }
  return out;
}

// The commands of one writer thread in one cycle: the same (seed, cycle, thread), the same
// sequence, however far the thread gets before the kill.
class WriterScript {
 public:
  WriterScript(uint64_t seed, int cycle, int thread)
      : rng_(Seeded(seed, cycle, thread)), prefix_(absl::StrCat("c", cycle, "-t", thread, "-")) {}

  Request Next() {
    const std::string n = absl::StrCat(prefix_, next_++);
    const bool twin = Below(kTwinOneIn) == 0;
    const AgencyPlan& agency = kAgencies[Below(kAgencyCount)];
    // One effective date for the whole workload: a later date would make every command a
    // late entry (补录), judged against the changes after it, and this test is about
    // durability; late entries have their own (services/commands/late_entry_test.cc).
    api::CommandHeader header = Header(n, 10 + Below(90), kWorkloadMonth, kWorkloadDay);
    int pick = Below(100);
    if (pick < kDepartPercent && !tried_.empty()) {
      api::RecordDepartureRequest r;
      *r.mutable_header() = header;
      r.set_person_id(tried_[Below(tried_.size())]);
      r.set_reason(Below(2) == 0 ? pb::RETIRED : pb::RESIGNED);
      return Pack(Op::kDepart, r, twin);
    }
    pick -= kDepartPercent;
    if (pick >= 0 && pick < kDisbursePercent) {
      api::DisburseRequest r;
      *r.mutable_header() = header;
      r.set_agency_id(agency.id);
      r.set_fiscal_year(kFiscalYear);
      *r.mutable_line() = Line(Below(kLinesPerAgency));
      r.set_amount_fen(Between(kDisburseFenMin, kDisburseFenMax));
      r.set_disbursement_id(absl::StrCat("d", n));
      r.set_date(header.effective_date());
      r.set_purpose("基本支出");
      return Pack(Op::kDisburse, r, twin);
    }
    pick -= kDisbursePercent;
    if (pick >= 0 && pick < kGrantPercent) {
      api::ChangeQuotaRequest r = testing::requests::ChangeQuota(
          agency.id, agency.category, static_cast<int>(Between(1, kQuotaTopUpMax)));
      *r.mutable_header() = header;
      return Pack(Op::kGrantQuota, r, twin);
    }
    pick -= kGrantPercent;
    if (pick >= 0 && pick < kAppropriatePercent) {
      api::AppropriateRequest r;
      *r.mutable_header() = header;
      r.set_agency_id(agency.id);
      r.set_fiscal_year(kFiscalYear);
      *r.mutable_line() = Line(Below(kLinesPerAgency));
      r.set_amount_fen(Between(kTopUpFenMin, kTopUpFenMax));
      return Pack(Op::kAppropriate, r, twin);
    }
    api::RegisterPersonRequest r = testing::requests::RegisterPerson(
        absl::StrCat("p", n), absl::StrCat("人员", n), agency.id, agency.category, "科员");
    *r.mutable_header() = header;
    tried_.push_back(r.person().person_id());
    return Pack(Op::kRegister, r, twin);
  }

 private:
  static std::mt19937_64 Seeded(uint64_t seed, int cycle, int thread) {
    std::seed_seq seq{static_cast<uint32_t>(seed), static_cast<uint32_t>(seed >> 32),
                      static_cast<uint32_t>(cycle), static_cast<uint32_t>(thread)};
    return std::mt19937_64(seq);
  }
  int Below(uint64_t n) { return static_cast<int>(rng_() % n); }
  int64_t Between(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(rng_() % static_cast<uint64_t>(hi - lo + 1));
  }

  std::mt19937_64 rng_;
  std::string prefix_;
  uint64_t next_ = 0;
  std::vector<std::string> tried_;  // people this thread tried to register
};

// ---- How commands and events read as text ----------------------------------------------

inline std::string AgencyStreamOf(const std::string& id) { return "agency-" + id; }
inline std::string PersonStreamOf(const std::string& id) { return "person-" + id; }
inline std::string BudgetStreamOf(const std::string& id) {
  return absl::StrCat("budget-", id, "-", kFiscalYear);
}

template <typename Event>
bool Is(const api::Event& e) {
  return e.type() == Event::descriptor()->full_name();
}

// "stream Type key fields…" of a recorded event of the workload's types; NOT_FOUND for any
// other type (the workload never asks for one), DATA_LOSS when the payload does not parse.
inline absl::StatusOr<std::string> Summary(const api::Event& e) {
  auto parse = [&](google::protobuf::Message& m) -> absl::Status {
    if (m.ParseFromString(e.data())) return absl::OkStatus();
    return absl::DataLossError(
        absl::StrCat("the ", e.type(), " at position ", e.position(), " does not parse"));
  };
  const std::string& s = e.stream_id();
  if (Is<pb::AgencyEstablished>(e)) {
    pb::AgencyEstablished m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " AgencyEstablished ", m.agency_id(), " ", m.name(), " ", m.kind());
  }
  if (Is<pb::AgencyNameClaimed>(e)) {
    pb::AgencyNameClaimed m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " AgencyNameClaimed ", m.jurisdiction(), " ", m.name(), " ",
                        m.agency_id());
  }
  if (Is<pb::QuotaGranted>(e)) {
    pb::QuotaGranted m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " QuotaGranted ", m.agency_id(), " ", m.category(), " ", m.count());
  }
  if (Is<pb::PersonRegistered>(e)) {
    pb::PersonRegistered m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " PersonRegistered ", m.person_id(), " ", m.agency_id(), " ",
                        m.category(), " ", m.name());
  }
  if (Is<pb::PersonDeparted>(e)) {
    pb::PersonDeparted m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " PersonDeparted ", m.person_id(), " ", m.agency_id(), " ", m.reason());
  }
  if (Is<pb::RosterChanged>(e)) {
    pb::RosterChanged m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    std::string out = absl::StrCat(s, " RosterChanged ", m.agency_id());
    for (const pb::RosterEntry& j : m.joined())
      absl::StrAppend(&out, " +", j.person_id(), ":", j.category());
    for (const pb::RosterEntry& l : m.left())
      absl::StrAppend(&out, " -", l.person_id(), ":", l.category());
    return out;
  }
  if (Is<pb::BudgetAppropriated>(e)) {
    pb::BudgetAppropriated m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " BudgetAppropriated ", m.agency_id(), " ", m.fiscal_year(), " ",
                        LineKey(m.line()), " ", m.amount_fen());
  }
  if (Is<pb::FundsDisbursed>(e)) {
    pb::FundsDisbursed m;
    if (absl::Status st = parse(m); !st.ok()) return st;
    return absl::StrCat(s, " FundsDisbursed ", m.agency_id(), " ", m.fiscal_year(), " ",
                        LineKey(m.line()), " ", m.amount_fen(), " ", m.disbursement_id(), " ",
                        m.date());
  }
  return absl::NotFoundError(absl::StrCat("position ", e.position(), " (stream ", s, ", commit ",
                                          e.commit_id(), ") has type ", e.type(),
                                          ", which the workload never asks for"));
}

// Where a person is in post, for a departure's expected events: the agency and category.
struct PersonPost {
  std::string agency_id;
  pb::QuotaCategory category = pb::QUOTA_CATEGORY_UNSPECIFIED;
};

// The summaries the command must leave in the log, sorted; `post` is where the person of a
// departure was in post just before it. The header of the command, for the envelope checks.
inline absl::Status ExpectedSummaries(const Request& r, const PersonPost& post,
                                      std::vector<std::string>* out, api::CommandHeader* header) {
  auto parse = [&](google::protobuf::Message& m) -> absl::Status {
    if (m.ParseFromString(r.bytes)) return absl::OkStatus();
    return absl::InternalError(absl::StrCat("request ", r.id, " does not parse"));
  };
  switch (r.op) {
    case Op::kEstablish: {
      api::EstablishAgencyRequest m;
      if (absl::Status s = parse(m); !s.ok()) return s;
      *header = m.header();
      const api::AgencySpec& a = m.agency();
      out->push_back(absl::StrCat(AgencyStreamOf(a.agency_id()), " AgencyEstablished ",
                                  a.agency_id(), " ", a.name(), " ", a.kind()));
      out->push_back(absl::StrCat(domain::AgencyNameStream(a.jurisdiction(), a.name()),
                                  " AgencyNameClaimed ", a.jurisdiction(), " ", a.name(), " ",
                                  a.agency_id()));
      break;
    }
    case Op::kGrantQuota: {
      api::ChangeQuotaRequest m;
      if (absl::Status s = parse(m); !s.ok()) return s;
      *header = m.header();
      out->push_back(absl::StrCat(AgencyStreamOf(m.agency_id()), " QuotaGranted ", m.agency_id(),
                                  " ", m.category(), " ", m.count()));
      break;
    }
    case Op::kAppropriate: {
      api::AppropriateRequest m;
      if (absl::Status s = parse(m); !s.ok()) return s;
      *header = m.header();
      out->push_back(absl::StrCat(BudgetStreamOf(m.agency_id()), " BudgetAppropriated ",
                                  m.agency_id(), " ", m.fiscal_year(), " ", LineKey(m.line()), " ",
                                  m.amount_fen()));
      break;
    }
    case Op::kDisburse: {
      api::DisburseRequest m;
      if (absl::Status s = parse(m); !s.ok()) return s;
      *header = m.header();
      out->push_back(absl::StrCat(BudgetStreamOf(m.agency_id()), " FundsDisbursed ", m.agency_id(),
                                  " ", m.fiscal_year(), " ", LineKey(m.line()), " ", m.amount_fen(),
                                  " ", m.disbursement_id(), " ", m.date()));
      break;
    }
    case Op::kRegister: {
      api::RegisterPersonRequest m;
      if (absl::Status s = parse(m); !s.ok()) return s;
      *header = m.header();
      const api::PersonToRegister& p = m.person();
      out->push_back(absl::StrCat(PersonStreamOf(p.person_id()), " PersonRegistered ",
                                  p.person_id(), " ", p.agency_id(), " ", p.category(), " ",
                                  p.name()));
      out->push_back(absl::StrCat(AgencyStreamOf(p.agency_id()), " RosterChanged ", p.agency_id(),
                                  " +", p.person_id(), ":", p.category()));
      break;
    }
    case Op::kDepart: {
      api::RecordDepartureRequest m;
      if (absl::Status s = parse(m); !s.ok()) return s;
      *header = m.header();
      out->push_back(absl::StrCat(PersonStreamOf(m.person_id()), " PersonDeparted ", m.person_id(),
                                  " ", post.agency_id, " ", m.reason()));
      out->push_back(absl::StrCat(AgencyStreamOf(post.agency_id), " RosterChanged ", post.agency_id,
                                  " -", m.person_id(), ":", post.category));
      break;
    }
  }
  std::sort(out->begin(), out->end());
  return absl::OkStatus();
}

// The person a departure is about ("" for other commands).
inline std::string DepartingPerson(const Request& r) {
  if (r.op != Op::kDepart) return "";
  api::RecordDepartureRequest m;
  return m.ParseFromString(r.bytes) ? m.person_id() : "";
}

// The same request id with other content: another document title. Every request has its
// header at field 1, and a field that appears twice in the bytes merges into the first, so
// appending a header with only the title changes that and nothing else.
inline Request Altered(const Request& r) {
  api::ChangeQuotaRequest patch;
  patch.mutable_header()->mutable_basis()->set_title("另一文件");
  Request other = r;
  other.bytes += patch.SerializeAsString();
  return other;
}

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_WORKLOAD_H_
