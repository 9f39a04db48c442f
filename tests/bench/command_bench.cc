// command_bench: what a command costs the command path (CommandRunner: decide, check, commit)
// as the agency it touches grows, with commands dated in order and as late entries (补录).
// In-process over the in-memory store, so no fsync hides the CPU a command costs.
//
// Prints one JSON object per case on stdout (bench_report.h):
//   register_in_order_agency_N   RegisterPerson commands/s into an agency of N people, each
//                                dated on or after everything the agency holds. Baseline: the
//                                same into an agency of kSmallAgency people (target ratio ≥ 0.9:
//                                the cost does not grow with the agency).
//   register_late_agency_N       The same, but the agency holds a change dated after them (a
//                                三定 issued ahead of its date), so each is a late entry: read as
//                                of its date and replayed against the later change. Baseline:
//                                the same at kSmallAgency people.
//   register_late_vs_in_order    register_late at N against register_in_order at N.
// Flags: --quick (smaller counts), --json-out FILE.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <string>

#include "absl/strings/str_cat.h"
#include "eventstore/in_memory_event_store.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "services/commands/command_runner.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_mandate_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/bench/bench_report.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"

namespace reformlog::bench {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;

constexpr int kSmallAgency = 100;
constexpr char kAgency[] = "dag";
constexpr char kFounded[] = "2019-01-01";
constexpr char kToday[] = "2020-06-01";
constexpr char kAhead[] = "2020-12-01";  // the later change of the late cases

class Bench {
 public:
  // An agency of `people` (quota for them and `commands` more); with `ahead`, a 三定 dated
  // after kToday that keeps the quota.
  Bench(int people, int commands, bool ahead) : runner_(store_, clock_) {
    Must(domain::DecideEstablishAgency,
         testing::requests::EstablishAgency(kAgency, "区档案局", pb::GOVERNMENT_DEPARTMENT),
         kFounded);
    const int quota = people + commands;
    Must(domain::DecideGrantQuota,
         testing::requests::ChangeQuota(kAgency, pb::ADMINISTRATIVE, quota), kFounded);
    for (int i = 0; i < people; ++i) Register(absl::StrCat("old-", i), kFounded);
    if (ahead) {
      api::IssueMandateRequest m;
      m.set_agency_id(kAgency);
      pb::QuotaCount* q = m.add_quotas();
      q->set_category(pb::ADMINISTRATIVE);
      q->set_count(quota);
      Must(domain::DecideIssueMandate, m, kAhead);
    }
  }

  // Registrations per second, dated kToday.
  double RegisterRate(int commands) {
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < commands; ++i) Register(absl::StrCat("new-", i), kToday);
    return commands /
           std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

 private:
  void Register(const std::string& person, const std::string& date) {
    Must(domain::DecideRegisterPerson,
         testing::requests::RegisterPerson(person, "人员", kAgency, pb::ADMINISTRATIVE, "科员"),
         date);
  }

  template <typename Request>
  void Must(absl::StatusOr<domain::Decision> (*decide)(domain::StateView&, const Request&),
            Request request, const std::string& date) {
    api::CommandHeader* h = request.mutable_header();
    h->set_request_id(absl::StrCat("bench-", ++requests_));
    h->mutable_basis()->set_number("西编委〔2020〕1号");
    h->set_effective_date(date);
    absl::StatusOr<api::CommandResult> result = runner_.Run(
        "bench", request, *h, [&](domain::StateView& view) { return decide(view, request); });
    if (!result.ok()) {
      std::fprintf(stderr, "command_bench: %s\n", result.status().ToString().c_str());
      std::exit(1);
    }
  }

  testing::FakeClock clock_;
  eventstore::InMemoryEventStore store_{clock_};
  services::CommandRunner runner_;
  int requests_ = 0;
};

double Median3(int people, int commands, bool ahead) {
  double rates[3];
  for (double& rate : rates) rate = Bench(people, commands, ahead).RegisterRate(commands);
  std::sort(std::begin(rates), std::end(rates));
  return rates[1];
}

}  // namespace
}  // namespace reformlog::bench

int main(int argc, char** argv) {
  using namespace reformlog::bench;  // NOLINT(google-build-using-namespace)
  bool quick = false;
  std::string json_out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      quick = true;
    } else if (arg == "--json-out" && i + 1 < argc) {
      json_out = argv[++i];
    } else {
      std::fprintf(stderr, "usage: command_bench [--quick] [--json-out FILE]\n");
      return 2;
    }
  }
  const int large = quick ? 2'000 : 10'000;
  const int commands = quick ? 200 : 1'000;
  const double in_order_small = Median3(kSmallAgency, commands, false);
  const double in_order_large = Median3(large, commands, false);
  const double late_small = Median3(kSmallAgency, commands, true);
  const double late_large = Median3(large, commands, true);
  Emit(absl::StrCat("register_in_order_agency_", large), in_order_large, "commands/s",
       in_order_small);
  Emit(absl::StrCat("register_late_agency_", large), late_large, "commands/s", late_small);
  Emit("register_late_vs_in_order", late_large, "commands/s", in_order_large);
  WriteJson(json_out);
  return 0;
}
