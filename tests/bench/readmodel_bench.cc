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
// The log is written directly with domain events (as the decisions would have made them),
// in large commits: ≥ 1,000,000 events (200,000 with --quick).
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
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "grpcpp/create_channel.h"
#include "projections/all_projections.h"
#include "projections/projection_runner.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "reformlog/domain/v1/budget_events.pb.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/power_events.pb.h"
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

struct Options {
  bool quick = false;
  bool rebuild_only = false;  // --rebuild-only: stop after projection_rebuild (for profiling)
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

int Run(const Options& options) {
  spdlog::set_level(spdlog::level::warn);
  const std::string dir =
      absl::StrCat(std::getenv("TMPDIR") != nullptr ? std::getenv("TMPDIR") : "/tmp",
                   "/reformlog-readmodel-bench-", getpid());
  std::filesystem::remove_all(dir);
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
  if (!options.json_out.empty()) {
    std::ofstream out(options.json_out, std::ios::app);
    for (const std::string& line : g_lines) out << line << "\n";
  }
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
    } else if (arg == "--json-out" && i + 1 < argc) {
      options.json_out = argv[++i];
    } else if (arg == "--log" && i + 1 < argc) {
      options.log_dir = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--rebuild-only] [--log DIR] [--json-out FILE]\n",
                   argv[0]);
      return 2;
    }
  }
  return reformlog::Run(options);
}
