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
//
// The pieces: bench_report.h (the JSON lines), district_log.h (the generated log),
// per_event_cases.h (the per-event cases); here the rebuild and the queries.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/cpp/reformlog_client.h"
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "grpcpp/create_channel.h"
#include "projections/all_projections.h"
#include "projections/in_memory_replay.h"
#include "projections/projection_runner.h"
#include "reformlog/api/v1/budget_queries.grpc.pb.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/org_queries.grpc.pb.h"
#include "services/reformd/reformd_server.h"
#include "spdlog/spdlog.h"
#include "tests/bench/bench_report.h"
#include "tests/bench/district_log.h"
#include "tests/bench/per_event_cases.h"

namespace reformlog::bench {
namespace {

namespace api = ::reformlog::api::v1;
using Clock = std::chrono::steady_clock;

constexpr int kQueryRepetitions = 300;

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
  RunSizeCases(dir, options.quick);
  RunLiveFollow(dir, options.quick);
  if (options.per_event_only) {
    std::filesystem::remove_all(dir);
    WriteJson(options.json_out);
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
  absl::StatusOr<std::string> token = client::ReadTokenFile((*server)->admin_token_path());
  if (!token.ok()) {
    std::fprintf(stderr, "reformd: %s\n", std::string(token.status().message()).c_str());
    return 1;
  }
  client::ClientOptions client_options;
  client_options.target = (*server)->address();
  client_options.token = *token;
  auto channel = client::MakeChannel(client_options);
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
  WriteJson(options.json_out);
  return 0;
}

}  // namespace
}  // namespace reformlog::bench

int main(int argc, char** argv) {
  reformlog::bench::Options options;
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
  return reformlog::bench::Run(options);
}
