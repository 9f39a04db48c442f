#include "tests/bench/per_event_cases.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/kv_store.h"
#include "projections/all_projections.h"
#include "projections/budget/budget_projection.h"
#include "projections/entity_persistence.h"
#include "projections/projection_runner.h"
#include "projections/reform/reform_projection.h"
#include "projections/staffing/people_projection.h"
#include "projections/staffing/staffing_projection.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "tests/bench/bench_report.h"

namespace reformlog::bench {
namespace {

namespace pb = ::reformlog::domain::v1;

// An apply+persist case runs until it has used this much CPU and at least kCaseEventsMin events
// (--quick: a quarter of it), kCaseRounds times alternating small and large; the least of the
// rounds counts (the machine is shared).
constexpr double kCaseCpuSeconds = 0.4;
constexpr size_t kCaseEventsMin = 100;
constexpr int kCaseRounds = 3;
constexpr uint64_t kCaseClockEvents = 16;

// Feeds synthetic events to one projection's table, with envelopes as the log would give them.
class EventFeed {
 public:
  EventFeed(const projections::Projection& projection, projections::EntityTable& table)
      : projection_(projection), table_(table) {}

  void operator()(const std::string& stream, const google::protobuf::Message& payload) {
    eventstore::RecordedEvent envelope;
    envelope.position = ++position_;
    envelope.stream_id = stream;
    envelope.type = payload.GetDescriptor()->full_name();
    envelope.effective_date = "2019-06-30";
    envelope.basis = {"西委发〔2019〕5号", "中共攀枝花市西区区委", "2019-01-01", ""};
    projection_.Apply(projections::AppliedEvent{envelope, payload}, table_);
  }
  uint64_t position() const { return position_; }

 private:
  const projections::Projection& projection_;
  projections::EntityTable& table_;
  uint64_t position_ = 0;
};

// One apply+persist case: `setup` builds the entity (persisted in one write), then `event(i)`
// is applied and persisted on its own for i = 0, 1, …; ns of process CPU per event.
double ApplyPersistNs(const projections::Projection& projection, const std::string& kv_dir,
                      double cpu_seconds, const std::function<void(EventFeed&)>& setup,
                      const std::function<void(EventFeed&, uint64_t)>& event) {
  std::filesystem::remove_all(kv_dir);
  auto kv = eventstore::OpenRocksKeyValueStore(kv_dir);
  if (!kv.ok()) std::exit(1);
  std::unique_ptr<projections::EntityTable> table = projections::NewTable(projection);
  EventFeed feed(projection, *table);
  auto persist = [&] {
    eventstore::KvBatch batch;
    projections::AddChanges(projection, 1, *table, batch);
    projections::AddMeta(projection, 1, feed.position(), batch);
    if (!(*kv)->Write(batch).ok()) std::exit(1);
  };
  setup(feed);
  persist();
  const double start = ProcessCpuSeconds();
  uint64_t events = 0;
  // The clock is read every kCaseClockEvents events: reading it costs about a microsecond.
  while (events < kCaseEventsMin || events % kCaseClockEvents != 0 ||
         ProcessCpuSeconds() - start < cpu_seconds) {
    event(feed, events++);
    persist();
  }
  const double ns = (ProcessCpuSeconds() - start) * 1e9 / static_cast<double>(events);
  kv->reset();
  std::filesystem::remove_all(kv_dir);
  return ns;
}

struct SizeCase {
  std::string name;    // of the large case: name_<large><suffix>
  std::string suffix;  // what the size counts, when not the entity's people
  const projections::Projection* projection;
  int small;
  int large;
  std::function<void(EventFeed&, int size)> setup;
  std::function<void(EventFeed&, uint64_t i, int size)> event;
};

pb::RosterChanged Roster(bool join, const std::string& person) {
  pb::RosterChanged roster;
  roster.set_agency_id("a0");
  pb::RosterEntry* entry = join ? roster.add_joined() : roster.add_left();
  entry->set_person_id(person);
  entry->set_category(pb::ADMINISTRATIVE);
  return roster;
}

pb::BudgetLine BookLine(int i) {
  pb::BudgetLine l;
  l.set_fund_source(pb::GENERAL_PUBLIC_BUDGET);
  l.set_function_code(absl::StrCat(2010000 + i));
  l.set_economic_code("30201");
  l.set_kind(pb::BASIC);
  return l;
}

void RegisterInto(EventFeed& feed, const std::string& person) {
  pb::PersonRegistered r;
  r.set_person_id(person);
  r.set_name("人员");
  r.set_agency_id("a0");
  r.set_category(pb::ADMINISTRATIVE);
  r.set_post("科员");
  feed(absl::StrCat("person-", person), r);
}

}  // namespace

void RunSizeCases(const std::string& dir, bool quick) {
  projections::StaffingProjection staffing;
  projections::BudgetProjection budget;
  projections::PeopleProjection people;
  projections::ReformProjection reform;
  std::vector<SizeCase> cases;
  cases.push_back({"staffing_roster_change_agency", "", &staffing, 10, 10'000,
                   [](EventFeed& feed, int size) {
                     pb::AgencyEstablished e;
                     e.set_agency_id("a0");
                     e.set_name("西区第0局");
                     e.set_kind(pb::GOVERNMENT_DEPARTMENT);
                     e.set_jurisdiction("西区");
                     feed("agency-a0", e);
                     pb::MandateIssued m;
                     m.set_agency_id("a0");
                     pb::QuotaCount* q = m.add_quotas();
                     q->set_category(pb::ADMINISTRATIVE);
                     q->set_count(1'000'000);
                     feed("agency-a0", m);
                     for (int p = 0; p < size; ++p) {
                       feed("agency-a0", Roster(true, absl::StrFormat("p%06d", p)));
                     }
                   },
                   [](EventFeed& feed, uint64_t i, int) {
                     // In and out again: the agency keeps its size.
                     feed("agency-a0", Roster(i % 2 == 0, absl::StrCat("x", i / 2)));
                   }});
  cases.push_back({"budget_disburse_book", "_lines", &budget, 10, 20'000,
                   [](EventFeed& feed, int size) {
                     for (int i = 0; i < size; ++i) {
                       pb::BudgetAppropriated b;
                       b.set_agency_id("a0");
                       b.set_fiscal_year(2019);
                       *b.mutable_line() = BookLine(i);
                       b.set_amount_fen(100'000'000);
                       feed("budget-a0-2019", b);
                     }
                   },
                   [](EventFeed& feed, uint64_t i, int size) {
                     pb::FundsDisbursed d;
                     d.set_agency_id("a0");
                     d.set_fiscal_year(2019);
                     *d.mutable_line() = BookLine(static_cast<int>(i * 7919 % size));
                     d.set_amount_fen(100);
                     d.set_disbursement_id(absl::StrCat("v", i));
                     d.set_date("2019-06-30");
                     d.set_purpose("办公费");
                     feed("budget-a0-2019", d);
                   }});
  cases.push_back(
      {"people_register_agency", "", &people, 10, 10'000,
       [](EventFeed& feed, int size) {
         for (int p = 0; p < size; ++p) RegisterInto(feed, absl::StrCat("p", p));
       },
       [](EventFeed& feed, uint64_t i, int) { RegisterInto(feed, absl::StrCat("x", i)); }});
  cases.push_back({"reform_complete_task_plan", "_tasks", &reform, 10, 1'000,
                   [](EventFeed& feed, int size) {
                     pb::PlanDrafted plan;
                     plan.set_plan_id("plan");
                     plan.set_title("西区深化机构改革方案");
                     plan.set_jurisdiction("西区");
                     feed("plan-plan", plan);
                     for (int t = 0; t < size; ++t) {
                       pb::TaskAdded task;
                       task.set_plan_id("plan");
                       task.set_task_id(absl::StrCat("t", t));
                       task.set_agency_id(absl::StrCat("a", t));
                       task.set_kind(pb::OTHER_TASK);
                       task.set_due_date("2019-12-31");
                       task.set_description("完成机构改革任务");
                       feed("plan-plan", task);
                     }
                   },
                   [](EventFeed& feed, uint64_t i, int size) {
                     pb::TaskCompleted done;
                     done.set_plan_id("plan");
                     done.set_task_id(absl::StrCat("t", i * 7 % size));
                     done.set_note("已完成");
                     feed("plan-plan", done);
                   }});
  const double cpu_seconds = quick ? kCaseCpuSeconds / 4 : kCaseCpuSeconds;
  for (const SizeCase& c : cases) {
    double small = 0;
    double large = 0;
    for (int round = 0; round < kCaseRounds; ++round) {
      for (const int size : {c.small, c.large}) {
        const double ns = ApplyPersistNs(
            *c.projection, absl::StrCat(dir, "/kv-", c.name, "-", size), cpu_seconds,
            [&](EventFeed& feed) { c.setup(feed, size); },
            [&](EventFeed& feed, uint64_t i) { c.event(feed, i, size); });
        double& best = size == c.small ? small : large;
        best = round == 0 ? ns : std::min(best, ns);
      }
    }
    std::fprintf(stderr, "%s: %.0f ns/event at %d, %.0f ns/event at %d\n", c.name.c_str(), small,
                 c.small, large, c.large);
    Emit(absl::StrCat(c.name, "_", c.large, c.suffix), large, "ns", small);
  }
}

namespace {

eventstore::NewEvent Event(const google::protobuf::Message& payload) {
  eventstore::NewEvent e;
  e.type = payload.GetDescriptor()->full_name();
  e.data = payload.SerializeAsString();
  e.effective_date = "2019-04-01";
  e.basis = {"西委编〔2019〕3号", "中共攀枝花市西区委员会机构编制委员会", "2019-03-20", ""};
  return e;
}

constexpr int kLiveAgencies = 10;

// ns of process CPU per registration commit followed by a runner with `options` (see the top).
double LiveFollowNs(const std::string& kv_dir, const projections::ProjectionRunnerOptions& options,
                    double cpu_seconds) {
  std::filesystem::remove_all(kv_dir);
  eventstore::InMemoryEventStore store;
  auto kv = eventstore::OpenRocksKeyValueStore(kv_dir);
  if (!kv.ok()) std::exit(1);
  int commits = 0;
  auto append =
      [&](const std::vector<std::pair<std::string, const google::protobuf::Message*>>& events) {
        eventstore::Commit commit;
        commit.commit_id = absl::StrCat("live-", ++commits);
        commit.principal = "bench";
        for (const auto& [stream, payload] : events) {
          commit.writes.push_back({stream, eventstore::ExpectedVersion::Any(), {Event(*payload)}});
        }
        if (!store.Append(commit).ok()) std::exit(1);
      };
  for (int a = 0; a < kLiveAgencies; ++a) {
    pb::AgencyEstablished e;
    e.set_agency_id(absl::StrCat("a", a));
    e.set_name(absl::StrCat("西区第", a, "局"));
    e.set_kind(pb::GOVERNMENT_DEPARTMENT);
    e.set_jurisdiction("西区");
    pb::MandateIssued m;
    m.set_agency_id(e.agency_id());
    pb::QuotaCount* q = m.add_quotas();
    q->set_category(pb::ADMINISTRATIVE);
    q->set_count(1'000'000);
    append({{absl::StrCat("agency-a", a), &e}});
    append({{absl::StrCat("agency-a", a), &m}});
  }
  auto runner =
      projections::ProjectionRunner::Start(store, **kv, projections::AllProjections(), options);
  if (!runner.ok()) std::exit(1);
  const double start = ProcessCpuSeconds();
  int registered = 0;
  while (registered < static_cast<int>(kCaseEventsMin) ||
         ProcessCpuSeconds() - start < cpu_seconds) {
    const std::string person = absl::StrCat("p", registered);
    const std::string agency = absl::StrCat("a", registered % kLiveAgencies);
    pb::PersonRegistered r;
    r.set_person_id(person);
    r.set_name("人员");
    r.set_agency_id(agency);
    r.set_category(pb::ADMINISTRATIVE);
    r.set_post("科员");
    pb::RosterChanged roster = Roster(true, person);
    roster.set_agency_id(agency);
    append({{absl::StrCat("person-", person), &r}, {absl::StrCat("agency-", agency), &roster}});
    if (!(*runner)->WaitForAll(store.HeadPosition(), absl::Seconds(10))) std::exit(1);
    ++registered;
  }
  const double ns = (ProcessCpuSeconds() - start) * 1e9 / registered;
  runner->reset();
  kv->reset();
  std::filesystem::remove_all(kv_dir);
  return ns;
}

}  // namespace

void RunLiveFollow(const std::string& dir, bool quick) {
  const double cpu_seconds = quick ? kCaseCpuSeconds / 4 : kCaseCpuSeconds;
  projections::ProjectionRunnerOptions every_batch;
  every_batch.live_flush_interval_ms = 0;
  double bounded = 0;
  double each = 0;
  for (int round = 0; round < kCaseRounds; ++round) {
    const double b =
        LiveFollowNs(dir + "/kv-live", projections::ProjectionRunnerOptions(), cpu_seconds);
    const double e = LiveFollowNs(dir + "/kv-live", every_batch, cpu_seconds);
    bounded = round == 0 ? b : std::min(bounded, b);
    each = round == 0 ? e : std::min(each, e);
  }
  std::fprintf(stderr, "live_follow_commit: %.0f ns/commit bounded, %.0f persisting every batch\n",
               bounded, each);
  Emit("live_follow_commit", bounded, "ns", each);
}

}  // namespace reformlog::bench
