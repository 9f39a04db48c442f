#include "services/integrity/log_keeper.h"

#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "eventstore/rocks_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/log_tamper.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services::integrity {
namespace {

using ::testing::HasSubstr;

class LogKeeperTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<SigningKey> key = SigningKey::Generate(SignatureAlgorithm::kSm2);
    ASSERT_TRUE(key.ok());
    key_ = std::make_unique<SigningKey>(*std::move(key));
    Open();
  }
  void Open() {
    keeper_.reset();
    store_.reset();
    eventstore::RocksEventStoreOptions options;
    options.path = dir_.Sub("log");
    options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<eventstore::RocksEventStore>> store =
        eventstore::RocksEventStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = *std::move(store);
    keeper_ =
        std::make_unique<LogKeeper>("main", *store_, key_->verifying_key(), key_.get(), clock_);
  }
  void Close() {
    keeper_.reset();
    store_.reset();
  }
  void Append(int events) {
    for (int i = 0; i < events; ++i) {
      eventstore::Commit c;
      c.commit_id = absl::StrCat("c", ++commits_);
      c.principal = "bianban-admin";
      c.writes.push_back({absl::StrCat("s", commits_ % 5),
                          eventstore::ExpectedVersion::Any(),
                          {{"", "test.v1.Happened", absl::StrCat("payload ", commits_), "", {}}}});
      ASSERT_TRUE(store_->Append(c).ok());
    }
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<SigningKey> key_;
  std::unique_ptr<eventstore::RocksEventStore> store_;
  std::unique_ptr<LogKeeper> keeper_;
  int commits_ = 0;
};

TEST_F(LogKeeperTest, ACheckpointIsSignedWhenTheLogGrewAndOneIsDue) {
  absl::StatusOr<std::optional<eventstore::CheckpointNote>> none = keeper_->SignIfDue();
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value()) << "nothing to sign in an empty log";
  Append(3);
  absl::StatusOr<std::optional<eventstore::CheckpointNote>> first = keeper_->SignIfDue();
  ASSERT_TRUE(first.ok() && first->has_value());
  EXPECT_EQ((*first)->head, store_->Head());
  Append(2);
  EXPECT_FALSE(keeper_->SignIfDue()->has_value()) << "the interval has not passed";
  clock_.Advance(kCheckpointInterval);
  absl::StatusOr<std::optional<eventstore::CheckpointNote>> second = keeper_->SignIfDue();
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_EQ((*second)->head.size, 5u);
  EXPECT_FALSE(keeper_->SignIfDue()->has_value()) << "the log has not grown";
  // Stored, verifiable, and what SignNow returns when nothing changed.
  absl::StatusOr<std::vector<eventstore::StoredCheckpoint>> stored = store_->ListCheckpoints(0, 0);
  ASSERT_TRUE(stored.ok());
  ASSERT_EQ(stored->size(), 2u);
  EXPECT_EQ((*stored)[1].bytes, (*second)->Text());
  EXPECT_EQ(keeper_->SignNow()->Text(), (*second)->Text());
}

TEST_F(LogKeeperTest, OpeningVerifiesSinceTheLatestCheckpointOnly) {
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Append(4);
  Close();
  Open();
  absl::StatusOr<LogReport> report = keeper_->VerifyOnOpen();
  ASSERT_TRUE(report.ok());
  EXPECT_TRUE(report->intact) << report->problem;
  EXPECT_EQ(report->verified_from, 11u);
  EXPECT_EQ(report->verified_to, 14u);
  EXPECT_EQ(report->checkpoints_checked, 1u);
}

TEST_F(LogKeeperTest, AnAlteredEventAfterTheCheckpointIsFoundOnOpenAndStopsWrites) {
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Append(4);
  Close();
  ASSERT_TRUE(testing::FlipEventByte(dir_.Sub("log"), 12).ok());
  Open();
  absl::StatusOr<LogReport> report = keeper_->VerifyOnOpen();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_position, 12u);
  EXPECT_FALSE(keeper_->intact());
  eventstore::Commit c;
  c.commit_id = "late";
  c.principal = "p";
  c.writes.push_back({"s", eventstore::ExpectedVersion::Any(), {{"", "t", "d", "", {}}}});
  absl::StatusOr<eventstore::AppendResult> refused = store_->Append(c);
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("first bad position 12"));
  EXPECT_EQ(keeper_->SignNow().status().code(), absl::StatusCode::kFailedPrecondition);
}

TEST_F(LogKeeperTest, ARechainedRewriteIsBoundedByTheCheckpointsAroundIt) {
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Close();
  ASSERT_TRUE(testing::RewritePrincipal(dir_.Sub("log"), 15, 15, "someone-else").ok());
  ASSERT_TRUE(testing::Rechain(dir_.Sub("log")).ok());
  Open();
  absl::StatusOr<LogReport> report = keeper_->VerifyFull();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_position, 11u);  // after the checkpoint at 10, which holds
  EXPECT_THAT(report->problem, HasSubstr("differs from its checkpoint at size 20"));
  EXPECT_THAT(report->problem, HasSubstr("at or before 20"));
}

// Without a checkpoint, opening recomputes the last kCheckpointEventsMax events only: what is
// older is the background full verification's.
TEST_F(LogKeeperTest, OpeningWithoutACheckpointVerifiesTheTailOnly) {
  eventstore::Commit bulk;
  bulk.commit_id = "bulk";
  bulk.principal = "bianban-admin";
  bulk.writes.push_back({"bulk", eventstore::ExpectedVersion::Any(), {}});
  for (uint64_t i = 0; i < kCheckpointEventsMax; ++i) {
    bulk.writes[0].events.push_back({"", "test.v1.Happened", absl::StrCat("bulk ", i), "", {}});
  }
  ASSERT_TRUE(store_->Append(bulk).ok());
  Append(5);
  const uint64_t head = kCheckpointEventsMax + 5;
  Close();
  ASSERT_TRUE(testing::FlipEventByte(dir_.Sub("log"), 3).ok());
  Open();
  absl::StatusOr<LogReport> on_open = keeper_->VerifyOnOpen();
  ASSERT_TRUE(on_open.ok());
  EXPECT_TRUE(on_open->intact);
  EXPECT_EQ(on_open->verified_from, 6u);
  EXPECT_EQ(on_open->verified_to, head);
  absl::StatusOr<LogReport> full = keeper_->VerifyFull();
  ASSERT_TRUE(full.ok());
  EXPECT_FALSE(full->intact);
  EXPECT_EQ(full->first_bad_position, 3u);

  Close();
  ASSERT_TRUE(testing::FlipEventByte(dir_.Sub("log"), head - 1).ok());
  Open();
  on_open = keeper_->VerifyOnOpen();
  ASSERT_TRUE(on_open.ok());
  EXPECT_FALSE(on_open->intact);
  EXPECT_EQ(on_open->first_bad_position, head - 1);
}

// On open, a latest checkpoint that no longer holds sends the keeper through the whole log,
// to say where the rewrite lies.
TEST_F(LogKeeperTest, ALatestCheckpointThatNoLongerHoldsIsTracedOnOpen) {
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Append(10);
  ASSERT_TRUE(keeper_->SignNow().ok());
  Close();
  ASSERT_TRUE(testing::RewritePrincipal(dir_.Sub("log"), 13, 13, "someone-else").ok());
  ASSERT_TRUE(testing::Rechain(dir_.Sub("log")).ok());
  Open();
  absl::StatusOr<LogReport> report = keeper_->VerifyOnOpen();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_position, 11u);
  EXPECT_THAT(report->problem, HasSubstr("at or before 20"));
  EXPECT_FALSE(keeper_->intact());
}

// A full verification in chunks of 7 events is one verification of the whole log: an
// altered event is found at its position whichever chunk it falls in; Stop() ends it.
TEST_F(LogKeeperTest, AFullVerificationInChunksFindsWhatOneWouldAndStops) {
  Append(30);
  ASSERT_TRUE(keeper_->SignNow().ok());
  LogKeeper chunked("main", *store_, key_->verifying_key(), nullptr, clock_, 7);
  absl::StatusOr<LogReport> intact = chunked.VerifyFull();
  ASSERT_TRUE(intact.ok()) << intact.status();
  EXPECT_TRUE(intact->intact) << intact->problem;
  EXPECT_EQ(intact->verified_to, 30u);
  Close();
  ASSERT_TRUE(testing::FlipEventByte(dir_.Sub("log"), 12).ok());
  Open();
  LogKeeper altered("main", *store_, key_->verifying_key(), nullptr, clock_, 7);
  absl::StatusOr<LogReport> report = altered.VerifyFull();
  ASSERT_TRUE(report.ok());
  EXPECT_FALSE(report->intact);
  EXPECT_EQ(report->first_bad_position, 12u);
  LogKeeper stopped("main", *store_, key_->verifying_key(), nullptr, clock_, 7);
  stopped.Stop();
  EXPECT_EQ(stopped.VerifyFull().status().code(), absl::StatusCode::kCancelled);
}

TEST_F(LogKeeperTest, AKeptCheckpointIsCheckedAgainstTheLog) {
  Append(6);
  absl::StatusOr<eventstore::CheckpointNote> kept = keeper_->SignNow();
  ASSERT_TRUE(kept.ok());
  Append(6);
  absl::StatusOr<LogReport> holds = keeper_->VerifyKept(kept->Text());
  ASSERT_TRUE(holds.ok()) << holds.status();
  EXPECT_TRUE(holds->intact);

  // A checkpoint of another log, or one that is not a checkpoint, is an error, not a finding.
  std::string other_log = kept->Text();
  other_log.replace(other_log.find("log main"), 8, "log security");
  EXPECT_EQ(keeper_->VerifyKept(other_log).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(keeper_->VerifyKept("hello\n").status().code(), absl::StatusCode::kInvalidArgument);

  Close();
  ASSERT_TRUE(testing::RewritePrincipal(dir_.Sub("log"), 2, 2, "x").ok());
  ASSERT_TRUE(testing::Rechain(dir_.Sub("log")).ok());
  Open();
  absl::StatusOr<LogReport> broken = keeper_->VerifyKept(kept->Text());
  ASSERT_TRUE(broken.ok());
  EXPECT_FALSE(broken->intact);
  EXPECT_THAT(broken->problem, HasSubstr("at or before position 6"));
}

}  // namespace
}  // namespace reformlog::services::integrity
