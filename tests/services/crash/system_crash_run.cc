#include "tests/services/crash/system_crash_run.h"

#include <fstream>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "clients/cpp/reformlog_client.h"
#include "tests/services/crash/read_model_checks.h"
#include "tests/services/crash/writers.h"

namespace reformlog::services::crash {
namespace {

constexpr int64_t kKillAfterMsMin = 100;
constexpr int64_t kKillAfterMsMax = 1500;
// One restart in this many is killed again while it starts (recovery, read-model catch-up)
// after up to kStartKillMsMax, before the restart that goes on.
constexpr uint64_t kKillDuringStartOneIn = 4;
constexpr int64_t kStartKillMsMax = 300;

}  // namespace

SystemCrashRun::SystemCrashRun(uint64_t seed, std::string data_dir, std::string stderr_path)
    : seed_(seed),
      schedule_rng_(seed),
      data_dir_(std::move(data_dir)),
      stderr_path_(std::move(stderr_path)),
      verifier_(seed) {}

// Starts reformd and connects; kills it first during a start now and then.
absl::Status SystemCrashRun::Start(int cycle) {
  Mark(absl::StrCat("cycle ", cycle, ": start"));
  if (cycle > 0 && schedule_rng_() % kKillDuringStartOneIn == 0) {
    const auto after_ms = static_cast<int64_t>(schedule_rng_() % (kStartKillMsMax + 1));
    ReformdProcess early(data_dir_, stderr_path_);
    if (absl::Status s = early.Start(/*wait_until_serving=*/false); !s.ok()) return s;
    absl::SleepFor(absl::Milliseconds(after_ms));
    if (absl::Status s = early.Kill(); !s.ok()) {
      return absl::Status(s.code(),
                          absl::StrCat("killed ", after_ms, " ms into its start: ", s.message()));
    }
    ++verifier_.counts().kills_during_start;
    Mark(absl::StrCat("cycle ", cycle, ": killed ", after_ms, " ms into its start; again"));
  }
  reformd_ = std::make_unique<ReformdProcess>(data_dir_, stderr_path_);
  if (absl::Status s = reformd_->Start(/*wait_until_serving=*/true); !s.ok()) return s;
  absl::StatusOr<std::string> token = client::ReadTokenFile(data_dir_ + "/admin.token");
  if (!token.ok()) return token.status();
  client_ = std::make_unique<Client>(reformd_->address(), *token);
  return absl::OkStatus();
}

// The agencies, quotas and lines: every one must be recorded (or replayed).
absl::Status SystemCrashRun::Setup() {
  for (const Request& r : SetupRequests()) {
    verifier_.Expect(r);
    api::CommandResult result;
    const grpc::Status s = client_->Send(r, &result);
    if (!s.ok()) {
      return absl::InternalError(absl::StrCat("setup request ", r.id, ": ", s.error_message()));
    }
    Outcome o{r, {Classify(s, result, false)}, {}};
    verifier_.Pend(std::move(o));
  }
  return absl::OkStatus();
}

absl::Status SystemCrashRun::Verify() { return verifier_.Verify(*client_); }

// Writers until a random kill.
absl::Status SystemCrashRun::WriteUntilKilled(int cycle) {
  const int64_t kill_ms =
      kKillAfterMsMin +
      static_cast<int64_t>(schedule_rng_() % (kKillAfterMsMax - kKillAfterMsMin + 1));
  Mark(absl::StrCat("cycle ", cycle, ": writers, kill after ", kill_ms, " ms"));
  absl::Status killed;
  std::vector<Outcome> outcomes =
      RunWriters(*client_, seed_, cycle, absl::Milliseconds(kill_ms), *reformd_, &killed);
  client_.reset();
  reformd_.reset();
  if (!killed.ok()) return killed;  // it died on its own: that explains any odd answer
  for (Outcome& o : outcomes) {
    for (const Answer& a : o.copies) {
      if (a.kind == Answer::kUnexpected) {
        return absl::InternalError(absl::StrCat("request ", o.request.id, " (",
                                                OpName(o.request.op), ") got ", a.Text(),
                                                " from a live server"));
      }
    }
    verifier_.Expect(o.request);
    verifier_.Pend(std::move(o));
  }
  return absl::OkStatus();
}

// SIGTERM: a clean stop after all the crashes.
absl::Status SystemCrashRun::Stop() {
  client_.reset();
  absl::Status s = reformd_->Stop();
  reformd_.reset();
  return s;
}

absl::Status SystemCrashRun::CheckProjectionsInProcess(const std::string& dir) {
  ++verifier_.counts().projection_checks;
  return crash::CheckProjectionsInProcess(dir, &verifier_.counts().resumed_behind_max);
}

void SystemCrashRun::Mark(const std::string& text) {
  std::ofstream(stderr_path_, std::ios::app) << "=== reformd_crash_test: " << text << " ===\n";
}

}  // namespace reformlog::services::crash
