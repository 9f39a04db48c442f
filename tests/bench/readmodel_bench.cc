// readmodel_bench: how fast the read models are built from the log, and how fast the
// big queries answer over gRPC, on a generated district log.
//
// Prints one JSON object per case on stdout (progress goes to stderr):
//   {"name": ..., "value": ..., "unit": ..., "baseline": ..., "ratio": value/baseline}
//
//   projection_rebuild        every read model built together from position 1 by a fresh
//                             ProjectionRunner (decoding, applying, persisting with
//                             checkpoints), events/s. Baseline: EventStore::ReadAll over the
//                             same log in the same run (target ratio ≥ 0.5).
//   query_org_tree_2000_p50/_p99     GetOrgTree of a jurisdiction of 2,000 agencies, µs.
//   query_budget_rollup_20000_p50/_p99  GetBudget roll-ups (omit_lines) of a budget of
//                             20,000 lines, µs.
//                             Baseline of the four: the same percentile of EventFeed.Head, the
//                             smallest round trip of the same server (target: p99 < 5 ms).
//
// And what one event costs a read model whose entity it touches, small against large — apply,
// then persist on its own, as a live batch of one event is (the changes taken and serialised,
// the meta, one write to a RocksDB read-model store), in ns of process CPU per event (the
// store's background work included). Baseline: the same with the small entity (target ratio
// ≤ 1.5: the cost does not grow with the entity).
//   staffing_roster_change_agency_10000   a person joins or leaves an agency of 10,000 people
//                                         (baseline: of 10)
//   budget_disburse_book_20000_lines      a disbursement on a book of 20,000 lines (of 10)
//   people_register_agency_10000          a person registered into an agency of 10,000 (of 10)
//   reform_complete_task_plan_1000_tasks  a task of a plan of 1,000 tasks (kPlanTasksMax, the
//                                         most a plan holds) completed (of 10)
//
//   live_follow_commit        a ProjectionRunner of every read model following a log (in memory)
//                             and a RocksDB read-model store, near the head: ns of process CPU
//                             per small commit (a registration: PersonRegistered and
//                             RosterChanged), each applied before the next is appended — a
//                             steady trickle of commands, one subscription batch each — with the
//                             live flush bounds of ProjectionRunnerOptions. Baseline: the same
//                             persisting after every batch (live_flush_interval_ms = 0).
//
// The log is written directly with domain events (as the decisions would have made them),
// in large commits: ≥ 1,000,000 events (200,000 with --quick). --per-event-only runs only the
// per-event cases (those above projection_rebuild in the output).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "grpcpp/create_channel.h"
#include "projections/all_projections.h"
#include "projections/budget/budget_projection.h"
#include "projections/entity_persistence.h"
#include "projections/in_memory_replay.h"
#include "projections/projection_runner.h"
#include "projections/reform/reform_projection.h"
#include "projections/staffing/people_projection.h"
#include "projections/staffing/staffing_projection.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/power_events.pb.h"
#include "reformlog/domain/v1/reform_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "services/reformd/reformd_server.h"
#include "spdlog/spdlog.h"

namespace reformlog {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;
using Clock = std::chrono::steady_clock;

constexpr int kAgencies = 2'000;
constexpr int kBudgetLines = 20'000;
constexpr size_t kEventsPerCommit = 4'000;
constexpr int kQueryRepetitions = 300;
// An apply+persist case runs until it has used this much CPU and at least kCaseEventsMin events
// (--quick: a quarter of it), kCaseRounds times alternating small and large; the least of the
// rounds counts (the machine is shared).
constexpr double kCaseCpuSeconds = 0.4;
constexpr size_t kCaseEventsMin = 100;
constexpr int kCaseRounds = 3;
constexpr uint64_t kCaseClockEvents = 16;

struct Options {
  bool quick = false;
  bool rebuild_only = false;  // --rebuild-only: stop after projection_rebuild (for profiling)
  bool per_event_only =
      false;  // --per-event-only: only the per-event cases (apply+persist, live follow)
  std::string json_out;
  // --log DIR: the generated log is kept in DIR and reused by later runs given the same DIR
  // (profiling the rebuild without paying for the generation each time).
  std::string log_dir;
};

std::vector<std::string> g_lines;

void Emit(const std::string& name, double value, const std::string& unit, double baseline) {
  const std::string line = absl::StrFormat(
      "{\"name\": \"%s\", \"value\": %.0f, \"unit\": \"%s\", \"baseline\": %.0f, \"ratio\": %.3f}",
      name, value, unit, baseline, baseline > 0 ? value / baseline : 0.0);
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  g_lines.push_back(line);
}

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

// A district: kAgencies agencies under one government, each with a mandate, quota and
// people; a power list; budgets, one of them kBudgetLines lines. Returns the head.
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

double ReadAllRate(eventstore::EventStore& store) {
  const auto start = Clock::now();
  uint64_t n = 0;
  for (uint64_t next = 1;;) {
    absl::StatusOr<eventstore::AllSlice> page = store.ReadAll(next, {}, eventstore::kReadCountMax);
    if (!page.ok() || page->events.empty()) break;
    n += page->events.size();
    next = page->next_position;
  }
  return static_cast<double>(n) / std::chrono::duration<double>(Clock::now() - start).count();
}

double ProcessCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}

// p50 and p99 in µs of `call` over kQueryRepetitions runs (after a few to warm up).
std::pair<double, double> Percentiles(const std::function<void()>& call) {
  for (int i = 0; i < 10; ++i) call();
  std::vector<double> us;
  for (int i = 0; i < kQueryRepetitions; ++i) {
    const auto start = Clock::now();
    call();
    us.push_back(std::chrono::duration<double, std::micro>(Clock::now() - start).count());
  }
  std::sort(us.begin(), us.end());
  return {us[us.size() / 2], us[us.size() * 99 / 100]};
}

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

void WriteJson(const Options& options) {
  if (options.json_out.empty()) return;
  std::ofstream out(options.json_out, std::ios::app);
  for (const std::string& line : g_lines) out << line << "\n";
}

int Run(const Options& options) {
  spdlog::set_level(spdlog::level::warn);
  const std::string dir =
      absl::StrCat(std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp",
                   "/reformlog-readmodel-bench-", getpid());
  std::filesystem::remove_all(dir);
  RunSizeCases(dir, options.quick);
  RunLiveFollow(dir, options.quick);
  if (options.per_event_only) {
    std::filesystem::remove_all(dir);
    WriteJson(options);
    return 0;
  }
  const std::string log_path = options.log_dir.empty() ? dir + "/log" : options.log_dir;
  const size_t events_min = options.quick ? 200'000 : 1'000'000;
  uint64_t head = 0;
  double read_all = 0;
  {
    eventstore::RocksEventStoreOptions store_options;
    store_options.path = log_path;
    auto store = eventstore::RocksEventStore::Open(store_options);
    if (!store.ok()) return 1;
    head = (*store)->HeadPosition();
    if (head == 0) {
      std::fprintf(stderr, "generating a district log of at least %zu events…\n", events_min);
      head = GenerateDistrict(**store, events_min);
    } else if (head < events_min) {
      std::fprintf(stderr, "%s holds %llu events, fewer than %zu: remove it\n", log_path.c_str(),
                   static_cast<unsigned long long>(head), events_min);
      return 1;
    }
    std::fprintf(stderr, "%llu events; reading them back…\n",
                 static_cast<unsigned long long>(head));
    ReadAllRate(**store);  // warm the cache as the rebuild will find it
    read_all = ReadAllRate(**store);
    if (options.rebuild_only) {  // where the time goes, projection by projection (stderr)
      for (const auto& projection : projections::AllProjections()) {
        const auto start = Clock::now();
        (void)projections::ReplayInMemory(**store, {projection.get()}, head);
        std::fprintf(stderr, "  %-10s %8.0f events/s in memory alone\n",
                     std::string(projection->name()).c_str(),
                     static_cast<double>(head) /
                         std::chrono::duration<double>(Clock::now() - start).count());
      }
    }
  }

  // The rebuild: a fresh runner over the log and an empty read-model store, until every
  // read model is applied AND persisted through the head.
  {
    eventstore::RocksEventStoreOptions store_options;
    store_options.path = log_path;
    auto store = eventstore::RocksEventStore::Open(store_options);
    auto kv = eventstore::OpenRocksKeyValueStore(dir + "/readmodels");
    if (!store.ok() || !kv.ok()) return 1;
    const auto start = Clock::now();
    const double cpu_start = ProcessCpuSeconds();
    auto runner =
        projections::ProjectionRunner::Start(**store, **kv, projections::AllProjections());
    if (!runner.ok()) return 1;
    while (true) {
      bool done = true;
      for (const projections::ProjectionStatus& s : (*runner)->Statuses())
        done = done && s.persisted >= head;
      if (done) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    // CPU time says what the rebuild costs when other processes share the cores.
    std::fprintf(stderr, "rebuild: %.2f s, %.2f s of CPU\n", seconds,
                 ProcessCpuSeconds() - cpu_start);
    Emit("projection_rebuild", static_cast<double>(head) / seconds, "events/s", read_all);
  }
  if (options.rebuild_only) {
    std::filesystem::remove_all(dir);
    return 0;
  }

  services::ReformdOptions server_options;
  if (!options.log_dir.empty()) {  // reformd finds its log under data_dir
    std::filesystem::create_directories(dir);
    std::filesystem::copy(options.log_dir, dir + "/log", std::filesystem::copy_options::recursive);
  }
  server_options.data_dir = dir;
  server_options.listen = "127.0.0.1:0";
  auto server = services::ReformdServer::Start(server_options);
  if (!server.ok()) {
    std::fprintf(stderr, "reformd: %s\n", std::string(server.status().message()).c_str());
    return 1;
  }
  auto channel = grpc::CreateChannel((*server)->address(), grpc::InsecureChannelCredentials());
  auto feed = api::EventFeed::NewStub(channel);
  auto org = api::OrgQueries::NewStub(channel);
  auto budget = api::BudgetQueries::NewStub(channel);
  auto [head_p50, head_p99] = Percentiles([&] {
    grpc::ClientContext c;
    api::HeadResponse r;
    (void)feed->Head(&c, api::HeadRequest(), &r);
  });
  size_t nodes = 0;
  auto [tree_p50, tree_p99] = Percentiles([&] {
    grpc::ClientContext c;
    api::GetOrgTreeRequest q;
    q.set_as_of_date("2019-12-31");
    q.set_jurisdiction("西区");
    api::GetOrgTreeResponse r;
    if (!org->GetOrgTree(&c, q, &r).ok()) std::exit(1);
    nodes = static_cast<size_t>(r.nodes_size());
  });
  std::fprintf(stderr, "org tree: %zu agencies\n", nodes);
  Emit("query_org_tree_2000_p50", tree_p50, "us", head_p50);
  Emit("query_org_tree_2000_p99", tree_p99, "us", head_p99);
  auto [budget_p50, budget_p99] = Percentiles([&] {
    grpc::ClientContext c;
    api::GetBudgetRequest q;
    q.set_agency_id("a0");
    q.set_fiscal_year(2019);
    q.set_omit_lines(true);
    api::GetBudgetResponse r;
    grpc::Status s = budget->GetBudget(&c, q, &r);
    if (!s.ok()) {
      std::fprintf(stderr, "GetBudget: %s\n", s.error_message().c_str());
      std::exit(1);
    }
  });
  Emit("query_budget_rollup_20000_p50", budget_p50, "us", head_p50);
  Emit("query_budget_rollup_20000_p99", budget_p99, "us", head_p99);
  (*server)->Shutdown(absl::Seconds(1));
  server->reset();
  std::filesystem::remove_all(dir);
  WriteJson(options);
  return 0;
}

}  // namespace
}  // namespace reformlog

int main(int argc, char** argv) {
  reformlog::Options options;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      options.quick = true;
    } else if (arg == "--rebuild-only") {
      options.rebuild_only = true;
    } else if (arg == "--per-event-only") {
      options.per_event_only = true;
    } else if (arg == "--json-out" && i + 1 < argc) {
      options.json_out = argv[++i];
    } else if (arg == "--log" && i + 1 < argc) {
      options.log_dir = argv[++i];
    } else {
      std::fprintf(
          stderr,
          "usage: %s [--quick] [--rebuild-only] [--per-event-only] [--log DIR] [--json-out FILE]\n",
          argv[0]);
      return 2;
    }
  }
  return reformlog::Run(options);
}
