// The Integrity service over a real reformd, and tamper evidence as an operator meets it:
// proofs an auditor checks against checkpoints, a data directory altered while reformd was
// stopped found on the next start (writes refused, health NOT_SERVING), and reformd --verify.
#include "services/integrity/integrity_service.h"

#include <chrono>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/synchronization/notification.h"
#include "eventstore/log_hash.h"
#include "gmock/gmock.h"
#include "grpcpp/generic/generic_stub.h"
#include "grpcpp/support/byte_buffer.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/feed.grpc.pb.h"
#include "reformlog/api/v1/integrity.grpc.pb.h"
#include "reformlog/api/v1/org_commands.grpc.pb.h"
#include "tests/testing/log_tamper.h"
#include "tests/testing/reformd_fixture.h"
#include "tests/testing/requests.h"
#include "tests/testing/run_program.h"

namespace reformlog::services {
namespace {

namespace api = ::reformlog::api::v1;
namespace pb = ::reformlog::domain::v1;
using ::testing::HasSubstr;

Digest AsDigest(const std::string& bytes) { return *DigestFromBytes(bytes); }

std::vector<Digest> AsDigests(const google::protobuf::RepeatedPtrField<std::string>& path) {
  std::vector<Digest> out;
  for (const std::string& d : path) out.push_back(AsDigest(d));
  return out;
}

// The event as the feed serves it, in the store's terms, to recompute its canonical bytes.
eventstore::RecordedEvent FromFeed(const api::Event& e) {
  eventstore::RecordedEvent r;
  r.position = e.position();
  r.stream_id = e.stream_id();
  r.stream_version = e.stream_version();
  r.event_id = e.event_id();
  r.type = e.type();
  r.data = e.data();
  r.recorded_at_us = e.recorded_at_us();
  r.effective_date = e.effective_date();
  r.principal = e.principal();
  r.basis = {e.basis().number(), e.basis().issuer(), e.basis().date(), e.basis().title()};
  r.commit_id = e.commit_id();
  r.correlation_id = e.correlation_id();
  r.causation_id = e.causation_id();
  return r;
}

// The standard health check's status: 1 SERVING, 2 NOT_SERVING (grpc.health.v1).
int HealthStatus(const std::shared_ptr<grpc::Channel>& channel) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::Slice empty("");
  grpc::ByteBuffer in(&empty, 1);
  grpc::ByteBuffer out;
  grpc::Status status;
  absl::Notification done;
  stub.UnaryCall(&context, "/grpc.health.v1.Health/Check", grpc::StubOptions(), &in, &out,
                 [&](grpc::Status s) {
                   status = std::move(s);
                   done.Notify();
                 });
  done.WaitForNotification();
  if (!status.ok()) return -1;
  std::vector<grpc::Slice> slices;
  if (!out.Dump(&slices).ok()) return -1;
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return bytes.size() == 2 && bytes[0] == '\x08' ? bytes[1] : 0;
}

class IntegrityServiceTest : public testing::ReformdFixture {
 protected:
  void SetUp() override { ServerUp(); }
  void Establish(const std::string& id, const std::string& name) {
    Must([&](auto* c, const auto& r, auto* out) { return org_->EstablishAgency(c, r, out); },
         testing::requests::EstablishAgency(id, name, pb::GOVERNMENT_DEPARTMENT), "2019-01-01");
  }
  api::Checkpoint Sign() {
    api::Checkpoint checkpoint;
    const grpc::Status s =
        integrity_->SignCheckpoint(Context().get(), api::SignCheckpointRequest(), &checkpoint);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return checkpoint;
  }
  // reformd on the data directory (again, after a test stopped it), and fresh stubs.
  void ServerUp() {
    ReformdFixture::SetUp();
    integrity_ = api::Integrity::NewStub(Channel());
    org_ = api::OrgCommands::NewStub(Channel());
  }
  // Waits (bounded) for the health service to say `status`.
  bool HealthBecomes(int status) {
    for (int i = 0; i < 200; ++i) {
      if (HealthStatus(Channel()) == status) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::unique_ptr<api::Integrity::Stub> integrity_;
  std::unique_ptr<api::OrgCommands::Stub> org_;
};

TEST_F(IntegrityServiceTest, AnAuditorProvesAnEventAndThatTheLogOnlyGrew) {
  Establish("xq-czj", "西区财政局");
  Establish("xq-rsj", "西区人力资源和社会保障局");
  const api::Checkpoint old_checkpoint = Sign();
  Establish("xq-jyj", "西区教育局");
  const api::Checkpoint new_checkpoint = Sign();
  ASSERT_GT(new_checkpoint.size(), old_checkpoint.size());
  EXPECT_EQ(new_checkpoint.digest(), "sm3");
  EXPECT_EQ(new_checkpoint.signature_algorithm(), "sm2");

  // The checkpoints as kept: their text parses and verifies with the published key.
  api::ListCheckpointsResponse listed;
  ASSERT_TRUE(
      integrity_->ListCheckpoints(Context().get(), api::ListCheckpointsRequest(), &listed).ok());
  ASSERT_GE(listed.checkpoints_size(), 2);
  absl::StatusOr<VerifyingKey> key = VerifyingKey::FromPublicPem(listed.public_key_pem());
  ASSERT_TRUE(key.ok()) << key.status();
  absl::StatusOr<eventstore::CheckpointNote> kept =
      eventstore::ParseCheckpoint(old_checkpoint.note());
  ASSERT_TRUE(kept.ok());
  EXPECT_TRUE(eventstore::VerifyCheckpoint(*kept, *key).ok());

  // Inclusion: every event of the old checkpoint, its leaf recomputed from the feed.
  api::ReadAllRequest read;
  read.set_max_count(static_cast<uint32_t>(old_checkpoint.size()));
  api::ReadAllResponse events;
  ASSERT_TRUE(api::EventFeed::NewStub(Channel())->ReadAll(Context().get(), read, &events).ok());
  std::string canonical;
  for (const api::Event& e : events.events()) {
    api::InclusionProofRequest request;
    request.set_position(e.position());
    request.set_size(old_checkpoint.size());
    api::InclusionProofResponse proof;
    ASSERT_TRUE(integrity_->GetInclusionProof(Context().get(), request, &proof).ok());
    eventstore::CanonicalRecord(FromFeed(e), &canonical);
    const Digest leaf = eventstore::LeafHash(
        DigestAlgorithm::kSm3,
        eventstore::ChainHash(DigestAlgorithm::kSm3, AsDigest(proof.previous_chain()), canonical));
    EXPECT_EQ(AsDigest(proof.leaf_hash()), leaf);
    EXPECT_TRUE(eventstore::VerifyInclusion(DigestAlgorithm::kSm3, leaf, e.position() - 1,
                                            old_checkpoint.size(), AsDigests(proof.path()),
                                            AsDigest(old_checkpoint.root())))
        << e.position();
  }

  // Consistency: from the old checkpoint to the new one, against the roots the auditor kept.
  api::ConsistencyProofRequest request;
  request.set_old_size(old_checkpoint.size());
  request.set_new_size(new_checkpoint.size());
  api::ConsistencyProofResponse proof;
  ASSERT_TRUE(integrity_->GetConsistencyProof(Context().get(), request, &proof).ok());
  EXPECT_TRUE(eventstore::VerifyConsistency(
      DigestAlgorithm::kSm3, old_checkpoint.size(), new_checkpoint.size(),
      AsDigest(old_checkpoint.root()), AsDigest(new_checkpoint.root()), AsDigests(proof.path())));

  // Out of range and malformed requests are named.
  request.set_new_size(new_checkpoint.size() + 1000);
  ExpectStatus(integrity_->GetConsistencyProof(Context().get(), request, &proof),
               grpc::StatusCode::OUT_OF_RANGE, "beyond the log");
  api::InclusionProofRequest zero;
  api::InclusionProofResponse none;
  ExpectStatus(integrity_->GetInclusionProof(Context().get(), zero, &none),
               grpc::StatusCode::INVALID_ARGUMENT, "positions start at 1");

  api::VerifyLogRequest full;
  full.set_full(true);
  api::VerifyLogResponse verified;
  ASSERT_TRUE(integrity_->VerifyLog(Context().get(), full, &verified).ok());
  ASSERT_EQ(verified.logs_size(), 2);
  for (const api::LogReport& report : verified.logs()) {
    EXPECT_TRUE(report.intact()) << report.log() << ": " << report.problem();
    EXPECT_GE(report.checkpoints_checked(), 1u) << report.log();
  }
  EXPECT_EQ(HealthStatus(Channel()), 1);
}

TEST_F(IntegrityServiceTest, AnEventAlteredWhileStoppedIsFoundOnTheNextStart) {
  Establish("xq-czj", "西区财政局");
  Establish("xq-rsj", "西区人力资源和社会保障局");
  server_->Shutdown(absl::Seconds(1));  // signs a final checkpoint
  server_.reset();
  ASSERT_TRUE(testing::FlipEventByte(dir_.Sub("data") + "/log", 1).ok());
  ServerUp();
  ASSERT_TRUE(HealthBecomes(2)) << "health still says SERVING";

  api::CommandResult result;
  api::EstablishAgencyRequest establish =
      testing::requests::EstablishAgency("xq-jyj", "西区教育局", pb::GOVERNMENT_DEPARTMENT);
  *establish.mutable_header() = Header("2019-01-01");
  ExpectStatus(org_->EstablishAgency(Context().get(), establish, &result),
               grpc::StatusCode::DATA_LOSS, "first bad position 1");

  api::VerifyLogRequest full;
  full.set_full(true);
  api::VerifyLogResponse verified;
  ASSERT_TRUE(integrity_->VerifyLog(Context().get(), full, &verified).ok());
  EXPECT_FALSE(verified.logs(0).intact());
  EXPECT_EQ(verified.logs(0).first_bad_position(), 1u);
  EXPECT_TRUE(verified.logs(1).intact());
  api::Checkpoint refused;
  ExpectStatus(integrity_->SignCheckpoint(Context().get(), api::SignCheckpointRequest(), &refused),
               grpc::StatusCode::FAILED_PRECONDITION, "altered");
}

TEST_F(IntegrityServiceTest, ReformdVerifyChecksAStoppedDataDirectory) {
  Establish("xq-czj", "西区财政局");
  const api::Checkpoint kept = Sign();
  Establish("xq-rsj", "西区人力资源和社会保障局");
  server_->Shutdown(absl::Seconds(1));
  server_.reset();
  const std::string kept_file = dir_.Sub("kept-checkpoint.txt");
  {
    std::ofstream out(kept_file);
    out << kept.note();
  }
  const std::string data = "--data_dir=" + dir_.Sub("data");
  testing::ProgramRun run = testing::RunProgram(
      REFORMD_BINARY, {"--verify", data, "--kept_checkpoint=" + kept_file}, dir_.path());
  EXPECT_EQ(run.code, 0) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("主日志 (main)：完整"));
  EXPECT_THAT(run.out, HasSubstr("安全日志 (security)：完整"));

  ASSERT_TRUE(testing::RewritePrincipal(dir_.Sub("data") + "/log", 2, 2, "someone-else").ok());
  run = testing::RunProgram(REFORMD_BINARY, {"--verify", data}, dir_.path());
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("主日志 (main)：已被篡改！第 2 号事件起不一致"));

  // Rewritten and rechained: only the checkpoints tell, and the kept one names its range.
  ASSERT_TRUE(testing::Rechain(dir_.Sub("data") + "/log").ok());
  run = testing::RunProgram(REFORMD_BINARY, {"--verify", data, "--kept_checkpoint=" + kept_file},
                            dir_.path());
  EXPECT_EQ(run.code, 1) << run.out << run.err;
  EXPECT_THAT(run.out, HasSubstr("differs from its checkpoint"));

  run = testing::RunProgram(REFORMD_BINARY, {"--verify", "--data_dir=" + dir_.Sub("nothing")},
                            dir_.path());
  EXPECT_EQ(run.code, 2) << run.out << run.err;
}

}  // namespace
}  // namespace reformlog::services
