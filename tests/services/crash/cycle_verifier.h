// CycleVerifier: the verification of one cycle of reformd_crash_test, after a restart and
// before the writers go on. It owns the test's fold of the log (LogOracle) and every request
// sent since the last verification, and checks, against a live reformd:
//  * the log read past what it knew (and a page re-read) holds only commits that were asked
//    for, whole, once, gapless, never over quota or funds (LogOracle);
//  * every request is settled: answered OK and in the log at the positions it was told,
//    refused and absent, or in doubt (its answer lost to the kill) and then re-sent once and
//    settled by that answer;
//  * the copies of each twin got answers the server's promise allows (twin_failures());
//  * a sample of acknowledged requests re-sent is answered replayed and moves no head; their
//    id with other content is ALREADY_EXISTS;
//  * the read models over gRPC equal the fold (read_model_checks.h).
// Not thread-safe: the test's main thread owns it.
#ifndef REFORMLOG_TESTS_SERVICES_CRASH_CYCLE_VERIFIER_H_
#define REFORMLOG_TESTS_SERVICES_CRASH_CYCLE_VERIFIER_H_

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "tests/services/crash/client.h"
#include "tests/services/crash/oracle.h"
#include "tests/services/crash/workload.h"

namespace reformlog::services::crash {

// What a run did, for its summary line and for the checks that the workload did its job.
struct Counts {
  size_t sent = 0, acknowledged = 0, refused = 0, over_quota = 0, no_funds = 0, aborted = 0;
  size_t in_doubt = 0, resent_recorded_before = 0, resent_recorded_now = 0, resent_refused = 0;
  size_t twins = 0, twins_compared = 0, twins_both_ok = 0, twins_both_refused = 0;
  size_t twins_refused_apart = 0;     // both refused, differently: decided one after the other
  size_t twins_refused_recorded = 0;  // one refused before the other recorded it
  size_t twins_sequential = 0;        // one answered refused before the other was sent
  size_t replays = 0, kills_during_start = 0, projection_checks = 0, resumed_behind_max = 0;
  size_t acknowledged_by_op[6] = {};
};

class CycleVerifier {
 public:
  // `seed` draws the samples of what to re-read and replay (not the kill schedule).
  explicit CycleVerifier(uint64_t seed) : sample_rng_(~seed), oracle_(kPrincipal) {}

  // A request about to be sent: the log may hold it from now on.
  void Expect(const Request& r) { oracle_.Expect(r); }
  // The answers a request got, to be settled by the next Verify.
  void Pend(Outcome o) { pending_.push_back(std::move(o)); }

  // Everything there is to check after a restart, before the writers go on. OK, or the
  // first check that failed (DATA_LOSS for what the log or a read model got wrong).
  absl::Status Verify(const Client& client);

  // Twins whose copies were answered differently.
  const std::vector<std::string>& twin_failures() const { return twin_failures_; }
  const Counts& counts() const { return counts_; }
  Counts& counts() { return counts_; }
  const LogOracle& oracle() const { return oracle_; }

 private:
  absl::Status Scan(const Client& client);
  static absl::Status ReadPage(const Client& client, uint64_t from, api::ReadAllResponse* page);
  absl::Status Settle(std::vector<Outcome> outcomes, std::vector<Outcome>* in_doubt);
  absl::StatusOr<bool> SettleOne(const Outcome& o);
  void Acknowledged(const Outcome& o, const std::vector<Answer>& answers);
  void Refused(const Outcome& o, const std::vector<Answer>& answers);
  void CompareTwins(const Outcome& o);
  static absl::Status Resend(const Client& client, std::vector<Outcome>& resend);
  absl::Status Replays(const Client& client);

  // The samples of what to re-read and replay draw from their own generator, as many times
  // as the outcomes make them.
  std::mt19937_64 sample_rng_;
  LogOracle oracle_;
  std::vector<Outcome> pending_;  // sent since the last Verify, or still in doubt
  std::vector<Request> replay_pool_;
  std::vector<Request> newest_;  // acknowledged since the last Replays
  uint64_t acknowledged_seen_ = 0;
  std::vector<std::string> twin_failures_;
  Counts counts_;
};

}  // namespace reformlog::services::crash

#endif  // REFORMLOG_TESTS_SERVICES_CRASH_CYCLE_VERIFIER_H_
