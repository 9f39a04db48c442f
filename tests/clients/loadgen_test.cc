// reformlog_load (clients/loadgen) end to end, so that the benchmark harness cannot rot: the
// generator runs for a second against a real reformd on port 0 with a couple of clients, its
// JSON parses, and what it counted as OK is what the log recorded. Also its latency
// histogram's bounds and its usage errors. It measures nothing: tests/bench/load.sh does.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "clients/loadgen/latency_histogram.h"
#include "clients/loadgen/workload.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/util/json_util.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/run_program.h"

namespace reformlog {
namespace {

using google::protobuf::Struct;
using loadgen::LatencyHistogram;

TEST(LatencyHistogramTest, PercentilesAreBucketUpperBoundsWithinTheStatedError) {
  LatencyHistogram h;
  EXPECT_EQ(h.Percentile(0.5), 0u);  // nothing recorded
  for (uint64_t us = 1; us <= 10'000; ++us) h.Record(us);
  EXPECT_EQ(h.count(), 10'000u);
  EXPECT_EQ(h.max_us(), 10'000u);
  for (const double fraction : {0.5, 0.99, 0.999}) {
    const auto exact = static_cast<uint64_t>(fraction * 10'000);
    const uint64_t reported = h.Percentile(fraction);
    EXPECT_GE(reported, exact) << fraction;  // never optimistic
    EXPECT_LE(reported, exact + exact / LatencyHistogram::kSubBucketsPerOctave) << fraction;
  }
  EXPECT_EQ(h.Percentile(1.0), 10'000u);  // capped at the largest value recorded
}

TEST(LatencyHistogramTest, BucketsCoverTheRangeInOrder) {
  for (size_t b = 0; b + 1 < LatencyHistogram::kBuckets; ++b) {
    const uint64_t upper = LatencyHistogram::BucketUpperBoundUs(b);
    EXPECT_EQ(LatencyHistogram::BucketOf(upper), b);
    EXPECT_EQ(LatencyHistogram::BucketOf(upper + 1), b + 1);
  }
  LatencyHistogram h;
  h.Record(LatencyHistogram::kRangeMaxUs * 4);  // beyond the range: the last bucket
  EXPECT_EQ(LatencyHistogram::BucketOf(LatencyHistogram::kRangeMaxUs * 4),
            LatencyHistogram::kBuckets - 1);
  EXPECT_EQ(h.Percentile(0.5), LatencyHistogram::kRangeMaxUs * 4);
}

// The workload's own limits: kClientsMax clients and kAgenciesMax agencies are a workload,
// one more of either is INVALID_ARGUMENT naming the option and the limit.
TEST(WorkloadLimitsTest, ClientsAndAgenciesAtTheirLimitsAndOneMore) {
  loadgen::WorkloadOptions options;
  options.run_tag = "limits";
  options.clients = loadgen::kClientsMax;
  options.agencies = loadgen::kAgenciesMax;
  EXPECT_TRUE(loadgen::Workload::Create(options).ok());
  options.clients = loadgen::kClientsMax + 1;
  absl::StatusOr<std::unique_ptr<loadgen::Workload>> refused = loadgen::Workload::Create(options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("clients 10001 is outside 1–10000 (kClientsMax)"),
            std::string::npos)
      << refused.status();
  options.clients = loadgen::kClientsMax;
  options.agencies = loadgen::kAgenciesMax + 1;
  refused = loadgen::Workload::Create(options);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(refused.status().message().find("agencies 1000001 is outside 1–1000000 (kAgenciesMax)"),
            std::string::npos)
      << refused.status();
}

class LoadgenTest : public testing::ReformdFixture {
 protected:
  void SetUp() override { ReformdFixture::SetUp(); }

  testing::ProgramRun Load(std::vector<std::string> args) {
    args.insert(args.begin(), {"--server", server_->address(), "--token-file",
                               server_->admin_token_path(), "--warmup", "0", "--duration", "1"});
    return testing::RunProgram(LOADGEN_BINARY, args, dir_.path());
  }

  static Struct Parse(const testing::ProgramRun& run) {
    Struct result;
    EXPECT_EQ(run.code, 0) << run.err;
    const auto status = google::protobuf::util::JsonStringToMessage(run.out, &result);
    EXPECT_TRUE(status.ok()) << status.ToString() << "\n" << run.out;
    return result;
  }

  static double Number(const Struct& s, const std::string& key) {
    auto it = s.fields().find(key);
    EXPECT_NE(it, s.fields().end()) << "no " << key;
    return it == s.fields().end() ? -1 : it->second.number_value();
  }

  static const Struct& Object(const Struct& s, const std::string& key) {
    auto it = s.fields().find(key);
    EXPECT_NE(it, s.fields().end()) << "no " << key;
    return it == s.fields().end() ? Struct::default_instance() : it->second.struct_value();
  }

  // The events of `type` (short name) the log holds.
  uint64_t EventsOfType(const std::string& type) {
    auto feed = api::v1::EventFeed::NewStub(Channel());
    uint64_t n = 0;
    api::v1::ReadAllRequest request;
    request.mutable_filter()->add_event_types(absl::StrCat("reformlog.domain.v1.", type));
    request.set_from_position(1);
    while (true) {
      api::v1::ReadAllResponse page;
      grpc::Status s = feed->ReadAll(Context().get(), request, &page);
      EXPECT_TRUE(s.ok()) << s.error_message();
      if (!s.ok()) return n;
      n += static_cast<uint64_t>(page.events_size());
      if (page.next_position() > page.head_position() ||
          page.next_position() <= request.from_position()) {
        return n;
      }
      request.set_from_position(page.next_position());
    }
  }
};

TEST_F(LoadgenTest, ClosedLoopRegistrationsAreAllRecordedOnce) {
  const Struct result =
      Parse(Load({"--workload", "register", "--clients", "2", "--agencies", "2"}));
  const double sent = Number(result, "sent");
  EXPECT_GT(sent, 0);
  const Struct& status = Object(result, "status");
  EXPECT_EQ(status.fields_size(), 1) << "only OK expected";
  EXPECT_EQ(Number(status, "OK"), sent);
  EXPECT_EQ(Number(result, "setup_commands"), 4);  // 2 agencies established, 2 quotas granted
  // Every OK the generator counted is one person recorded, and nothing more.
  EXPECT_EQ(static_cast<double>(EventsOfType("PersonRegistered")), sent);
  EXPECT_EQ(EventsOfType("AgencyEstablished"), 2u);
  EXPECT_GT(Number(Object(result, "latency_ms"), "p50"), 0);
  EXPECT_EQ(result.fields().at("ok_per_second").list_value().values_size(), 1);
}

TEST_F(LoadgenTest, HotAgencyMixOnlySucceedsOrGivesUp) {
  const Struct result = Parse(Load({"--workload", "mixed", "--clients", "4", "--agencies", "1"}));
  // Every command of the mix is valid for the state the client knows: the server either
  // records it or gives up under contention (ABORTED) — never refuses it on its merits.
  for (const auto& [code, count] : Object(result, "status").fields()) {
    EXPECT_TRUE(code == "OK" || code == "ABORTED") << code << " " << count.number_value();
  }
  const Struct& by_command = Object(result, "by_command");
  EXPECT_GT(Number(Object(by_command, "RegisterPerson"), "OK"), 0);
  EXPECT_EQ(static_cast<double>(EventsOfType("PersonRegistered")),
            Number(Object(by_command, "RegisterPerson"), "OK"));
}

TEST_F(LoadgenTest, OpenLoopSendsOnScheduleWhateverTheAnswers) {
  const Struct result = Parse(Load({"--workload", "disburse", "--mode", "open", "--rate", "200",
                                    "--clients", "2", "--agencies", "2"}));
  EXPECT_EQ(Number(Object(result, "open_loop"), "scheduled"), 200);
  EXPECT_EQ(Number(Object(result, "status"), "OK"), 200);
  EXPECT_EQ(EventsOfType("FundsDisbursed"), 200u);
}

TEST_F(LoadgenTest, BadUsageIsExitCode2NamingTheFlag) {
  testing::ProgramRun run = Load({"--workload", "mixed", "--mode", "open", "--rate", "10"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--workload mixed"), std::string::npos) << run.err;
  run = Load({"--clients", "0"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("clients 0"), std::string::npos) << run.err;
  run = Load({"--run-tag", "has space"});
  EXPECT_EQ(run.code, 2);
  EXPECT_NE(run.err.find("--run-tag"), std::string::npos) << run.err;
  EXPECT_EQ(EventsOfType("AgencyEstablished"), 0u);  // nothing was set up
}

// The flags' limits: a run tag of 24 bytes and 64 threads run; one more of either, and a
// duration or an open-loop rate past its limit, are usage errors naming the flag and the limit,
// and set nothing up. (A run at the duration or rate limit would take a day or a million
// commands: only one past them is tried.)
TEST_F(LoadgenTest, FlagsAtTheirLimitsRunAndOnePastThemAreUsageErrors) {
  const std::string tag(24, 't');
  struct Over {
    std::vector<std::string> args;
    std::string says;
  };
  const std::vector<Over> overs = {
      {{"--threads", "65"}, "--threads 65: 1–64"},
      {{"--run-tag", tag + "t"}, "at most 24"},
      {{"--duration", "86401"}, "--duration 86401: whole seconds, 1–86400"},
      {{"--mode", "open", "--rate", "1000001"},
       "--rate 1000001: open loop needs a rate in (0, 1000000]"},
  };
  for (const Over& over : overs) {
    std::vector<std::string> args = {"--server",     server_->address(),
                                     "--token-file", server_->admin_token_path(),
                                     "--warmup",     "0"};
    args.insert(args.end(), over.args.begin(), over.args.end());
    const testing::ProgramRun run = testing::RunProgram(LOADGEN_BINARY, args, dir_.path());
    EXPECT_EQ(run.code, 2) << over.says;
    EXPECT_NE(run.err.find(over.says), std::string::npos) << run.err;
  }
  EXPECT_EQ(EventsOfType("AgencyEstablished"), 0u);  // nothing was set up

  const Struct result = Parse(Load({"--workload", "register", "--clients", "2", "--agencies", "2",
                                    "--threads", "64", "--run-tag", tag}));
  EXPECT_GT(Number(result, "sent"), 0);
  EXPECT_EQ(EventsOfType("AgencyEstablished"), 2u);
}

}  // namespace
}  // namespace reformlog
