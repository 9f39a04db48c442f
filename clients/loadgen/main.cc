// reformlog_load: a load generator for reformd's command path. It sets up agencies of its
// own (workload.h), sends commands for --warmup then --duration seconds, closed loop
// (--clients clients back to back) or open loop (--rate commands a second on schedule), and
// prints one JSON object on stdout: throughput of OK answers in the measured window and per
// second, latency percentiles, and the count of every outcome by status code and command.
// A one-line summary goes to stderr. tests/bench/load.sh runs it against a fresh reformd.
//
// Exit codes: 0 the run finished (whatever its commands came to); 1 reformd unreachable or
// the set-up refused; 2 bad usage.
#include <sys/resource.h>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <string>

#include "CLI/CLI.hpp"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "clients/cpp/reformlog_client.h"
#include "clients/loadgen/load_driver.h"
#include "clients/loadgen/workload.h"

namespace reformlog::loadgen {
namespace {

constexpr size_t kRunTagBytesMax = 24;  // agency ids `<tag>-a<n>` stay within 64 bytes
constexpr double kDurationSecondsMax = 24 * 3600;
constexpr double kRatePerSecondMax = 1'000'000;
constexpr int kSetupConcurrency = 64;
constexpr absl::Duration kConnectTimeout = absl::Seconds(10);

struct Flags {
  std::string server = "127.0.0.1:50051";
  std::string token_file;
  std::string workload = "register";
  std::string mode = "closed";
  int clients = 64;
  int agencies = 64;
  double warmup_s = 1;
  double duration_s = 10;
  double rate_per_s = 0;
  double deadline_s = 30;
  int threads = 1;
  uint64_t seed = 1;
  std::string run_tag;
  bool existing_staff = false;
};

struct Usage {
  std::string message;
};

WorkloadKind ParseWorkload(const std::string& name) {
  if (name == "register") return WorkloadKind::kRegister;
  if (name == "disburse") return WorkloadKind::kDisburse;
  if (name == "mixed") return WorkloadKind::kMixed;
  throw Usage{absl::StrCat("--workload ", name, ": expected register, disburse or mixed")};
}

void Validate(const Flags& f) {
  if (f.mode != "closed" && f.mode != "open") {
    throw Usage{absl::StrCat("--mode ", f.mode, ": expected closed or open")};
  }
  if (!(f.duration_s >= 1 && f.duration_s <= kDurationSecondsMax) ||
      f.duration_s != std::floor(f.duration_s)) {
    throw Usage{
        absl::StrCat("--duration ", f.duration_s, ": whole seconds, 1–", kDurationSecondsMax)};
  }
  if (!(f.warmup_s >= 0 && f.warmup_s <= kDurationSecondsMax)) {
    throw Usage{absl::StrCat("--warmup ", f.warmup_s, ": seconds, 0–", kDurationSecondsMax)};
  }
  if (!(f.deadline_s > 0 && f.deadline_s <= kDurationSecondsMax)) {
    throw Usage{absl::StrCat("--deadline ", f.deadline_s, ": seconds, more than 0")};
  }
  if (f.threads < 1 || f.threads > LoadDriver::kThreadsMax) {
    throw Usage{absl::StrCat("--threads ", f.threads, ": 1–", LoadDriver::kThreadsMax)};
  }
  if (f.mode == "open") {
    if (!(f.rate_per_s > 0 && f.rate_per_s <= kRatePerSecondMax)) {
      // %.10g: a rate just past the limit must not print as the limit (StrCat's 6 digits).
      throw Usage{
          absl::StrFormat("--rate %.10g: open loop needs a rate in (0, %.10g] commands a "
                          "second",
                          f.rate_per_s, kRatePerSecondMax)};
    }
    if (f.workload == "mixed") {
      // Its bookkeeping (who is in post where) needs one command per client at a time.
      throw Usage{"--workload mixed runs only closed loop (--mode closed)"};
    }
  } else if (f.rate_per_s != 0) {
    throw Usage{"--rate applies only to --mode open"};
  }
  if (f.run_tag.size() > kRunTagBytesMax ||
      f.run_tag.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                  "0123456789.-_") != std::string::npos) {
    throw Usage{absl::StrCat("--run-tag \"", f.run_tag, "\": at most ", kRunTagBytesMax,
                             " of A-Z a-z 0-9 . - _")};
  }
}

double CpuSeconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
         static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

// A JSON string literal of `text` (the examples are server messages: any UTF-8).
std::string Quote(const std::string& text) {
  std::string out = "\"";
  for (const char ch : text) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20) {
      out += absl::StrFormat("\\u%04x", u);
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

double Ms(uint64_t us) { return static_cast<double>(us) / 1000.0; }

std::string Report(const Flags& f, const Recorder& rec, size_t setup_commands, double setup_s,
                   double cpu_s, const OpenLoopStats* open) {
  const std::vector<uint64_t> per_second = rec.OkPerSecond();
  uint64_t ok_in_window = 0;
  for (uint64_t n : per_second) ok_in_window += n;
  const LatencyHistogram& latency = rec.latency();
  std::vector<std::string> status;
  std::vector<std::string> examples;
  for (int code = 0; code < kStatusCodes; ++code) {
    const uint64_t n = rec.CountOfCode(code);
    if (n == 0) continue;
    status.push_back(absl::StrCat("\"", CodeName(code), "\": ", n));
    if (code != 0)
      examples.push_back(absl::StrCat("\"", CodeName(code), "\": ", Quote(rec.Example(code))));
  }
  std::vector<std::string> by_command;
  for (size_t k = 0; k < kCommandKinds; ++k) {
    std::vector<std::string> codes;
    for (int code = 0; code < kStatusCodes; ++code) {
      const uint64_t n = rec.Count(static_cast<CommandKind>(k), code);
      if (n > 0) codes.push_back(absl::StrCat("\"", CodeName(code), "\": ", n));
    }
    if (!codes.empty()) {
      by_command.push_back(absl::StrCat("\"", CommandName(static_cast<CommandKind>(k)), "\": {",
                                        absl::StrJoin(codes, ", "), "}"));
    }
  }
  const uint64_t sent = rec.sent();
  std::string json = absl::StrFormat(
      "{\"workload\": \"%s\", \"mode\": \"%s\", \"clients\": %d, \"agencies\": %d, "
      "\"warmup_s\": %g, \"duration_s\": %g, ",
      f.workload, f.mode, f.clients, f.agencies, f.warmup_s, f.duration_s);
  if (open != nullptr) absl::StrAppendFormat(&json, "\"rate_per_s\": %g, ", f.rate_per_s);
  absl::StrAppendFormat(
      &json,
      "\"run_tag\": \"%s\", \"setup_commands\": %d, \"setup_s\": %.3f, \"sent\": %d, "
      "\"ok_per_s\": %.1f, \"latency_ms\": {\"count\": %d, \"p50\": %.3f, \"p99\": %.3f, "
      "\"p999\": %.3f, \"max\": %.3f}, \"ok_per_second\": [%s], \"status\": {%s}, "
      "\"by_command\": {%s}, \"examples\": {%s}, \"cpu_s\": %.3f, \"cpu_us_per_command\": %.1f",
      f.run_tag, setup_commands, setup_s, sent,
      static_cast<double>(ok_in_window) / static_cast<double>(per_second.size()), latency.count(),
      Ms(latency.Percentile(0.50)), Ms(latency.Percentile(0.99)), Ms(latency.Percentile(0.999)),
      Ms(latency.max_us()), absl::StrJoin(per_second, ", "), absl::StrJoin(status, ", "),
      absl::StrJoin(by_command, ", "), absl::StrJoin(examples, ", "), cpu_s,
      sent > 0 ? cpu_s * 1e6 / static_cast<double>(sent) : 0.0);
  if (open != nullptr) {
    absl::StrAppendFormat(&json,
                          ", \"open_loop\": {\"scheduled\": %d, \"late\": %d, \"lag_max_ms\": "
                          "%.3f, \"outstanding_max\": %d}",
                          open->scheduled, open->late, open->lag_max_ms,
                          open->outstanding_max_seen);
  }
  return json + "}";
}

int Run(Flags f) {
  Validate(f);
  if (f.run_tag.empty()) f.run_tag = absl::StrCat("ld", client::NewRequestId().substr(0, 8));
  WorkloadOptions options;
  options.kind = ParseWorkload(f.workload);
  options.clients = f.clients;
  options.agencies = f.agencies;
  options.run_tag = f.run_tag;
  options.seed = f.seed;
  options.existing_staff = f.existing_staff;
  absl::StatusOr<std::unique_ptr<Workload>> workload = Workload::Create(options);
  if (!workload.ok()) throw Usage{std::string(workload.status().message())};

  client::ClientOptions client_options;
  client_options.target = f.server;
  if (!f.token_file.empty()) {
    absl::StatusOr<std::string> token = client::ReadTokenFile(f.token_file);
    if (!token.ok()) throw Usage{std::string(token.status().message())};
    client_options.token = *std::move(token);
  }
  absl::StatusOr<std::unique_ptr<client::ReformlogClient>> client =
      client::ReformlogClient::Connect(client_options);
  if (!client.ok()) throw Usage{std::string(client.status().message())};
  if (absl::Status s = (*client)->WaitForConnected(kConnectTimeout); !s.ok()) {
    std::cerr << "reformlog_load: " << s.message() << "\n";
    return 1;
  }
  LoadDriver driver(**client, absl::Seconds(f.deadline_s), f.threads);

  const SteadyClock::time_point setup_start = SteadyClock::now();
  size_t setup_commands = 0;
  for (std::vector<Command>& phase : (*workload)->SetupPhases()) {
    setup_commands += phase.size();
    if (absl::Status s = driver.RunAll(std::move(phase), kSetupConcurrency); !s.ok()) {
      std::cerr << "reformlog_load: the set-up was refused: " << s << "\n";
      return 1;
    }
  }
  const double setup_s = std::chrono::duration<double>(SteadyClock::now() - setup_start).count();

  const double cpu_before = CpuSeconds();
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point window_start =
      start +
      std::chrono::duration_cast<SteadyClock::duration>(std::chrono::duration<double>(f.warmup_s));
  const auto window_seconds = static_cast<size_t>(f.duration_s);
  const SteadyClock::time_point end = window_start + std::chrono::seconds(window_seconds);
  Recorder recorder(window_start, window_seconds);
  OpenLoopStats open;
  if (f.mode == "open") {
    open = driver.RunOpen(**workload, f.clients, f.rate_per_s, start, end, recorder);
  } else {
    driver.RunClosed(**workload, f.clients, end, recorder);
  }
  const double cpu_s = CpuSeconds() - cpu_before;

  std::cout << Report(f, recorder, setup_commands, setup_s, cpu_s,
                      f.mode == "open" ? &open : nullptr)
            << std::endl;
  const LatencyHistogram& latency = recorder.latency();
  std::cerr << absl::StrFormat(
      "reformlog_load: %s %s, %d clients, %d agencies: %d sent, %d OK, %d ABORTED, "
      "p50 %.2f ms, p99 %.2f ms; %.1f s of generator CPU\n",
      f.workload, f.mode, f.clients, f.agencies, recorder.sent(), recorder.CountOfCode(0),
      recorder.CountOfCode(static_cast<int>(grpc::StatusCode::ABORTED)),
      Ms(latency.Percentile(0.5)), Ms(latency.Percentile(0.99)), cpu_s);
  return 0;
}

}  // namespace
}  // namespace reformlog::loadgen

int main(int argc, char** argv) {
  using reformlog::loadgen::Flags;
  Flags f;
  CLI::App app{
      "reformlog_load — load generator for reformd's commands (registrations, transfers, "
      "编制 changes, disbursements) over gRPC; prints one JSON object"};
  app.add_option("--server", f.server, "reformd address, host:port")->capture_default_str();
  app.add_option("--token-file", f.token_file,
                 "file holding the bearer token of a principal allowed to set up agencies, "
                 "people and budgets (reformd's <data_dir>/admin.token)")
      ->envname("REFORMLOG_TOKEN_FILE");
  app.add_option("--workload", f.workload,
                 "register (RegisterPerson), disburse (Disburse) or mixed (registrations, "
                 "转隶 transfers, 编制 grants/withdrawals and disbursements)")
      ->capture_default_str();
  app.add_option("--mode", f.mode,
                 "closed: each client sends its next command when the last has answered; "
                 "open: --rate commands a second on schedule")
      ->capture_default_str();
  app.add_option("--clients", f.clients,
                 "concurrent clients (closed loop); open loop spreads commands over them")
      ->capture_default_str();
  app.add_option("--agencies", f.agencies,
                 "agencies the run sets up; ≥ clients: each client its own share, < clients: "
                 "clients share them (1 = every client on one agency)")
      ->capture_default_str();
  app.add_option("--warmup", f.warmup_s, "seconds of load before the measured window")
      ->capture_default_str();
  app.add_option("--duration", f.duration_s, "seconds measured (whole seconds)")
      ->capture_default_str();
  app.add_option("--rate", f.rate_per_s, "open loop: commands a second");
  app.add_option("--deadline", f.deadline_s, "seconds each command may take")
      ->capture_default_str();
  app.add_option("--threads", f.threads, "generator threads, each polling its own completion queue")
      ->capture_default_str();
  app.add_option("--seed", f.seed, "seed of the clients' random choices")->capture_default_str();
  app.add_flag("--existing-staff", f.existing_staff,
               "register as 首次登记 (no 用编审批 policy read) instead of 考录 newcomers");
  app.add_option("--run-tag", f.run_tag,
                 "prefix of every id the run creates (default: ld + 8 random hex digits)");
  try {
    app.parse(argc, argv);
    return reformlog::loadgen::Run(f);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  } catch (const reformlog::loadgen::Usage& e) {
    std::cerr << "reformlog_load: " << e.message << "\n";
    return 2;
  }
}
