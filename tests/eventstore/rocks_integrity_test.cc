// RocksEventStore's tamper evidence: the chain and the tree written with every group, kept
// across reopening, computed on upgrade from format 1, and every change the tamper tool
// makes found at the right position (tests/testing/log_tamper.h).
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/log_hash.h"
#include "eventstore/rocks_event_store.h"
#include "eventstore/rocks_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/log_tamper.h"
#include "tests/testing/run_program.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::eventstore {
namespace {

using ::testing::HasSubstr;

Commit Events(const std::string& commit_id, const std::string& stream, int count) {
  Commit c;
  c.commit_id = commit_id;
  c.principal = "bianban-admin";
  StreamWrite write{stream, ExpectedVersion::Any(), {}};
  for (int i = 0; i < count; ++i) {
    write.events.push_back({"",
                            "test.v1.Happened",
                            absl::StrCat(commit_id, " event ", i, " 欧阳娜娜"),
                            "2019-03-05",
                            {}});
  }
  c.writes.push_back(std::move(write));
  return c;
}

constexpr uint64_t kFilled = 41;

class RocksIntegrityTest : public ::testing::Test {
 protected:
  absl::StatusOr<std::unique_ptr<RocksEventStore>> TryOpen(
      DigestAlgorithm digest = DigestAlgorithm::kSm3) {
    RocksEventStoreOptions options;
    options.path = Path();
    options.clock = &clock_;
    options.digest = digest;
    return RocksEventStore::Open(options);
  }
  std::unique_ptr<RocksEventStore> Open(DigestAlgorithm digest = DigestAlgorithm::kSm3) {
    absl::StatusOr<std::unique_ptr<RocksEventStore>> store = TryOpen(digest);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  // 21 commits of 1–3 events (kFilled in all); the heads after each.
  static std::vector<LogHead> Fill(RocksEventStore& store) {
    std::vector<LogHead> heads;
    for (int i = 0; i < 21; ++i) {  // 1+2+3 … 7 times, then 2 (i = 20)
      EXPECT_TRUE(store
                      .Append(Events(absl::StrCat("c", i), absl::StrCat("s", i % 4),
                                     i == 20 ? 2 : 1 + i % 3))
                      .ok());
      heads.push_back(store.Head());
    }
    return heads;
  }
  std::string Path() const { return dir_.Sub("log"); }

  testing::TempDir dir_;
  testing::FakeClock clock_;
};

TEST_F(RocksIntegrityTest, EveryAppendExtendsTheChainAndTheTree) {
  auto store = Open();
  EXPECT_EQ(store->digest_algorithm(), DigestAlgorithm::kSm3);
  EXPECT_EQ(store->Head().size, 0u);
  EXPECT_EQ(store->Head().root, EmptyRoot(DigestAlgorithm::kSm3));
  const std::vector<LogHead> heads = Fill(*store);
  const LogHead head = store->Head();
  ASSERT_EQ(head.size, store->HeadPosition());
  ASSERT_EQ(head.size, kFilled);

  // The chain and the root are those of the events as read back.
  absl::StatusOr<AllSlice> all = store->ReadAll(1, {}, 0);
  ASSERT_TRUE(all.ok());
  Digest chain = ZeroDigest();
  MerkleFrontier frontier;
  std::string canonical;
  for (const RecordedEvent& e : all->events) {
    CanonicalRecord(e, &canonical);
    chain = ChainHash(DigestAlgorithm::kSm3, chain, canonical);
    frontier.Append(DigestAlgorithm::kSm3, LeafHash(DigestAlgorithm::kSm3, chain),
                    [](const MerkleFrontier::Node&) {});
    EXPECT_EQ(*store->LeafAt(e.position), LeafHash(DigestAlgorithm::kSm3, chain));
  }
  EXPECT_EQ(head.chain, chain);
  EXPECT_EQ(head.root, frontier.Root(DigestAlgorithm::kSm3));

  // Each past head is still provable: its root from stored nodes, inclusion of every event,
  // consistency with the present.
  for (const LogHead& past : heads) {
    EXPECT_EQ(*store->HeadAt(past.size), past);
    absl::StatusOr<std::vector<Digest>> consistency = store->ConsistencyProof(past.size, head.size);
    ASSERT_TRUE(consistency.ok()) << consistency.status();
    EXPECT_TRUE(VerifyConsistency(DigestAlgorithm::kSm3, past.size, head.size, past.root, head.root,
                                  *consistency));
  }
  for (uint64_t p = 1; p <= head.size; ++p) {
    absl::StatusOr<std::vector<Digest>> inclusion = store->InclusionProof(p, head.size);
    ASSERT_TRUE(inclusion.ok());
    EXPECT_TRUE(VerifyInclusion(DigestAlgorithm::kSm3, *store->LeafAt(p), p - 1, head.size,
                                *inclusion, head.root));
  }
  absl::StatusOr<VerifyOutcome> verified = store->Verify(0, head.size);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact) << verified->problem;
  EXPECT_EQ(verified->verified, head.size);
  EXPECT_EQ(verified->head, head);
  absl::StatusOr<VerifyOutcome> tail = store->Verify(heads[9].size, head.size);
  ASSERT_TRUE(tail.ok());
  EXPECT_TRUE(tail->intact);
  EXPECT_EQ(tail->verified, head.size - heads[9].size);
}

TEST_F(RocksIntegrityTest, SizesBeyondTheLogAreRefused) {
  auto store = Open();
  Fill(*store);
  EXPECT_EQ(store->HeadAt(42).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(store->InclusionProof(0, 41).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->InclusionProof(42, 41).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->InclusionProof(1, 42).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(store->ConsistencyProof(0, 41).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->ConsistencyProof(5, 42).status().code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(store->Verify(10, 5).status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(store->PutCheckpoint(42, "x").code(), absl::StatusCode::kOutOfRange);
  EXPECT_EQ(store->PutCheckpoint(4, std::string(kCheckpointBytesMax + 1, 'x')).code(),
            absl::StatusCode::kInvalidArgument);
}

TEST_F(RocksIntegrityTest, TheChainSurvivesReopeningAndTheDigestIsTheStoresOwn) {
  LogHead before;
  {
    auto store = Open(DigestAlgorithm::kSha256);
    Fill(*store);
    before = store->Head();
    ASSERT_TRUE(store->PutCheckpoint(10, "ten").ok());
    ASSERT_TRUE(store->PutCheckpoint(41, "forty").ok());
  }
  auto store = Open(DigestAlgorithm::kSm3);  // the option is for new stores only
  EXPECT_EQ(store->digest_algorithm(), DigestAlgorithm::kSha256);
  EXPECT_EQ(store->Head(), before);
  ASSERT_TRUE(store->Append(Events("after", "s9", 2)).ok());
  absl::StatusOr<VerifyOutcome> verified = store->Verify(0, store->Head().size);
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->intact) << verified->problem;
  absl::StatusOr<std::vector<StoredCheckpoint>> checkpoints = store->ListCheckpoints(0, 0);
  ASSERT_TRUE(checkpoints.ok());
  ASSERT_EQ(checkpoints->size(), 2u);
  EXPECT_EQ((*checkpoints)[0].size, 10u);
  EXPECT_EQ((*checkpoints)[1].bytes, "forty");
  EXPECT_EQ((*store->LatestCheckpoint())->size, 41u);
  EXPECT_EQ(store->ListCheckpoints(11, 0)->size(), 1u);
}

TEST_F(RocksIntegrityTest, RefusedAppendsStayRefusedUntilReopenedAndReadsGoOn) {
  auto store = Open();
  Fill(*store);
  store->RefuseAppends(absl::DataLossError("the log was rewritten at position 7"));
  absl::StatusOr<AppendResult> refused = store->Append(Events("late", "s1", 1));
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(refused.status().message(), HasSubstr("position 7"));
  EXPECT_TRUE(store->ReadAll(1, {}, 0).ok());
  store.reset();
  store = Open();
  EXPECT_TRUE(store->Append(Events("late", "s1", 1)).ok());
}

// A store written by the release before the chain (format 1): the demo district as
// `reformctl demo load` left it (tests/eventstore/data/store_v1_demo.tar.xz, 3,746 events).
TEST_F(RocksIntegrityTest, AFormatOneStoreIsChainedInPlaceOnOpen) {
  const testing::ProgramRun untar = testing::RunProgram(
      "/usr/bin/tar", {"-xJf", REFORMLOG_STORE_V1_ARCHIVE, "-C", dir_.path()}, dir_.path());
  ASSERT_EQ(untar.code, 0) << untar.err;
  LogHead upgraded;
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_EQ(store->HeadPosition(), 3746u);
    upgraded = store->Head();
    EXPECT_EQ(upgraded.size, 3746u);
    absl::StatusOr<VerifyOutcome> verified = store->Verify(0, upgraded.size);
    ASSERT_TRUE(verified.ok());
    EXPECT_TRUE(verified->intact) << verified->problem;
    EXPECT_EQ(verified->head, upgraded);
    ASSERT_TRUE(store->Append(Events("after-upgrade", "s1", 1)).ok());
  }
  auto store = Open();
  EXPECT_EQ(*store->HeadAt(3746), upgraded);
  absl::StatusOr<std::vector<Digest>> proof = store->ConsistencyProof(3746, 3747);
  ASSERT_TRUE(proof.ok());
  EXPECT_TRUE(VerifyConsistency(DigestAlgorithm::kSm3, 3746, 3747, upgraded.root,
                                store->Head().root, *proof));
}

// Each change of the tamper tool, found by Verify at the position changed.
class TamperTest : public RocksIntegrityTest {
 protected:
  void SetUp() override {
    auto store = Open();
    Fill(*store);
    original_ = store->Head();
  }
  VerifyOutcome VerifyAll() {
    auto store = Open();
    if (store == nullptr) return {};
    absl::StatusOr<VerifyOutcome> outcome = store->Verify(0, store->HeadPosition());
    EXPECT_TRUE(outcome.ok()) << outcome.status();
    return outcome.ok() ? *outcome : VerifyOutcome{};
  }
  LogHead original_;
};

TEST_F(TamperTest, OneFlippedByteIsFoundAtItsPosition) {
  ASSERT_TRUE(testing::FlipEventByte(Path(), 17).ok());
  const VerifyOutcome outcome = VerifyAll();
  EXPECT_FALSE(outcome.intact);
  EXPECT_EQ(outcome.first_bad_position, 17u);
  EXPECT_THAT(outcome.problem, HasSubstr("does not hash to its chain entry"));
}

TEST_F(TamperTest, ARewrittenPrincipalIsFoundAtTheFirstEventRewritten) {
  ASSERT_TRUE(testing::RewritePrincipal(Path(), 12, 30, "someone-else").ok());
  const VerifyOutcome outcome = VerifyAll();
  EXPECT_FALSE(outcome.intact);
  EXPECT_EQ(outcome.first_bad_position, 12u);
}

TEST_F(TamperTest, ADeletedEventIsFoundAndTheLastOneRefusesToOpen) {
  ASSERT_TRUE(testing::DeleteEvent(Path(), 23).ok());
  const VerifyOutcome outcome = VerifyAll();
  EXPECT_FALSE(outcome.intact);
  EXPECT_EQ(outcome.first_bad_position, 23u);
  EXPECT_THAT(outcome.problem, HasSubstr("missing"));

  ASSERT_TRUE(testing::DeleteEvent(Path(), 41).ok());
  absl::StatusOr<std::unique_ptr<RocksEventStore>> store = TryOpen();
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(store.status().message(), HasSubstr("removed from the end"));
}

TEST_F(TamperTest, TwoSwappedEventsAreFoundAtTheFirst) {
  ASSERT_TRUE(testing::SwapEvents(Path(), 8, 31).ok());
  const VerifyOutcome outcome = VerifyAll();
  EXPECT_FALSE(outcome.intact);
  EXPECT_EQ(outcome.first_bad_position, 8u);
}

// A rewritten event whose chain was recomputed from it on: the chain holds, the stored tree
// does not — found in the 16 positions its lowest stored node covers.
TEST_F(TamperTest, ARewriteWithItsChainRecomputedIsFoundByTheTree) {
  ASSERT_TRUE(testing::RewritePrincipal(Path(), 12, 12, "someone-else").ok());
  ASSERT_TRUE(testing::RewriteChain(Path(), 12).ok());
  const VerifyOutcome outcome = VerifyAll();
  EXPECT_FALSE(outcome.intact);
  EXPECT_EQ(outcome.first_bad_position, 1u);
  EXPECT_THAT(outcome.problem, HasSubstr("positions 1–16"));
}

// The thorough attacker recomputes the chain and the tree over the rewritten events: the
// store is consistent with itself, but not with any checkpoint kept from before — the
// auditor's consistency proof from the old root fails.
TEST_F(TamperTest, ARechainedRewriteFailsTheConsistencyProofFromAnOldRoot) {
  ASSERT_TRUE(testing::RewritePrincipal(Path(), 12, 12, "someone-else").ok());
  ASSERT_TRUE(testing::Rechain(Path()).ok());
  auto store = Open();
  ASSERT_NE(store, nullptr);
  EXPECT_TRUE(store->Verify(0, 41)->intact);
  ASSERT_TRUE(store->Append(Events("later", "s1", 1)).ok());
  const LogHead now = store->Head();
  absl::StatusOr<std::vector<Digest>> proof = store->ConsistencyProof(41, 42);
  ASSERT_TRUE(proof.ok());
  EXPECT_FALSE(VerifyConsistency(DigestAlgorithm::kSm3, 41, 42, original_.root, now.root, *proof));
  EXPECT_NE(store->HeadAt(41)->chain, original_.chain);
  // The prefix before the rewrite is untouched: its proof still holds.
  EXPECT_TRUE(VerifyConsistency(DigestAlgorithm::kSm3, 11, 42, store->HeadAt(11)->root, now.root,
                                *store->ConsistencyProof(11, 42)));
}

}  // namespace
}  // namespace reformlog::eventstore
