#include "tests/bench/district_log.h"

#include <cstdio>
#include <cstdlib>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"

namespace reformlog::bench {
namespace {

namespace pb = ::reformlog::domain::v1;

constexpr size_t kEventsPerCommit = 4'000;

// Writes domain events in large commits.
class LogWriter {
 public:
  explicit LogWriter(eventstore::EventStore& store) : store_(store) {}

  void Add(const std::string& stream, const google::protobuf::Message& event,
           const std::string& date) {
    eventstore::NewEvent e;
    e.type = event.GetDescriptor()->full_name();
    e.data = event.SerializeAsString();
    e.effective_date = date;
    e.basis = {"西委发〔2019〕5号", "中共攀枝花市西区区委", "2019-01-01", ""};
    auto [it, inserted] = index_.emplace(stream, commit_.writes.size());
    if (inserted) commit_.writes.push_back({stream, eventstore::ExpectedVersion::Any(), {}});
    commit_.writes[it->second].events.push_back(std::move(e));
    if (++pending_ >= kEventsPerCommit || commit_.writes.size() >= 1'500) Flush();
  }

  void Flush() {
    if (pending_ == 0) return;
    commit_.commit_id = absl::StrCat("bench-", ++commits_);
    commit_.principal = "bench";
    absl::StatusOr<eventstore::AppendResult> r = store_.Append(commit_);
    if (!r.ok()) {
      std::fprintf(stderr, "generating the log failed: %s\n",
                   std::string(r.status().message()).c_str());
      std::exit(1);
    }
    commit_ = {};
    index_.clear();
    pending_ = 0;
  }

 private:
  eventstore::EventStore& store_;
  eventstore::Commit commit_;
  absl::flat_hash_map<std::string, size_t> index_;
  size_t pending_ = 0;
  int commits_ = 0;
};

}  // namespace

uint64_t GenerateDistrict(eventstore::EventStore& store, size_t events_min) {
  LogWriter log(store);
  const std::string root = "gov";
  pb::AgencyEstablished root_event;
  root_event.set_agency_id(root);
  root_event.set_name("攀枝花市西区人民政府");
  root_event.set_kind(pb::GOVERNMENT_DEPARTMENT);
  root_event.set_rank(pb::DIVISION_CHIEF);
  root_event.set_jurisdiction("西区");
  log.Add("agency-gov", root_event, "2018-01-01");
  for (int a = 0; a < kAgencies; ++a) {
    const std::string id = absl::StrCat("a", a);
    pb::AgencyEstablished e;
    e.set_agency_id(id);
    e.set_name(absl::StrCat("西区第", a, "局"));
    e.set_kind(pb::GOVERNMENT_DEPARTMENT);
    e.set_rank(pb::SECTION_CHIEF);
    e.set_parent_id(a < 50 ? root : absl::StrCat("a", a % 50));
    e.set_jurisdiction("西区");
    log.Add(absl::StrCat("agency-", id), e, "2018-01-01");
    pb::MandateIssued m;
    m.set_agency_id(id);
    m.add_functions("职能一");
    pb::QuotaCount* q = m.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(1'000'000);
    log.Add(absl::StrCat("agency-", id), m, "2019-03-01");
  }
  // Budgets: one big book, and a few lines for every agency.
  auto line = [](int i) {
    pb::BudgetLine l;
    l.set_fund_source(pb::GENERAL_PUBLIC_BUDGET);
    l.set_function_code(absl::StrCat(2010000 + i % 9999));
    l.set_economic_code(absl::StrCat(30100 + i % 90));
    l.set_kind(pb::BASIC);
    return l;
  };
  for (int i = 0; i < kBudgetLines; ++i) {
    pb::BudgetAppropriated b;
    b.set_agency_id("a0");
    b.set_fiscal_year(2019);
    *b.mutable_line() = line(i);
    b.set_amount_fen(100'000 + i);
    log.Add("budget-a0-2019", b, "2019-01-01");
  }
  // People and payments until the log is long enough.
  uint64_t events = 1 + 2 * kAgencies + kBudgetLines;
  for (int p = 0; events < events_min; ++p) {
    const std::string agency = absl::StrCat("a", p % kAgencies);
    const std::string person = absl::StrCat("p", p);
    pb::PersonRegistered r;
    r.set_person_id(person);
    r.set_name(absl::StrCat("人员", p));
    r.set_agency_id(agency);
    r.set_category(pb::ADMINISTRATIVE);
    r.set_post("科员");
    log.Add(absl::StrCat("person-", person), r, "2019-04-01");
    pb::RosterChanged roster;
    roster.set_agency_id(agency);
    pb::RosterEntry* joined = roster.add_joined();
    joined->set_person_id(person);
    joined->set_category(pb::ADMINISTRATIVE);
    log.Add(absl::StrCat("agency-", agency), roster, "2019-04-01");
    pb::FundsDisbursed d;
    d.set_agency_id(agency);
    d.set_fiscal_year(2019);
    *d.mutable_line() = line(p % 50);
    d.set_amount_fen(100);
    d.set_disbursement_id(absl::StrCat("v", p));
    d.set_date("2019-06-30");
    d.set_purpose("办公费");
    log.Add(absl::StrCat("budget-", agency, "-2019"), d, "2019-06-30");
    events += 3;
  }
  log.Flush();
  return store.HeadPosition();
}

}  // namespace reformlog::bench
