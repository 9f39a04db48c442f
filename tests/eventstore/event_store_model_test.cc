// Randomized comparison of RocksEventStore with the in-memory model: thousands of random
// commits (conflicts, retries, reused ids, read-only checks), with reopenings of the RocksDB
// store in between; every result and every read must agree.
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/rocks_event_store.h"
#include "gtest/gtest.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::eventstore {
namespace {

constexpr int kCommits = 3000;
constexpr int kStreams = 12;

std::string Describe(const absl::StatusOr<AppendResult>& r) {
  if (!r.ok()) return absl::StrCat("error ", absl::StatusCodeToString(r.status().code()));
  std::string out = absl::StrCat(r->first_position, "-", r->last_position, " at ",
                                 r->recorded_at_us, r->replayed ? " replayed" : "");
  for (const StreamVersion& sv : r->stream_versions)
    absl::StrAppend(&out, " ", sv.stream_id, "@", sv.version);
  return out;
}

class ModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    seed_ = std::random_device{}();
    if (const char* s = std::getenv("REFORMLOG_MODEL_SEED")) seed_ = std::stoul(s);
    rng_.seed(seed_);
    model_ = std::make_unique<InMemoryEventStore>(clock_);
    Reopen();
  }

  void Reopen() {
    rocks_.reset();
    RocksEventStoreOptions options;
    options.path = dir_.Sub("store");
    options.clock = &clock_;
    auto opened = RocksEventStore::Open(options);
    ASSERT_TRUE(opened.ok()) << opened.status();
    rocks_ = std::move(*opened);
  }

  int Pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }
  std::string Stream() { return absl::StrCat(Pick(2) ? "agency-" : "person-", Pick(kStreams)); }

  ExpectedVersion RandomExpectation(const std::string& stream) {
    const uint64_t actual = *model_->CurrentStreamVersion(stream);
    switch (Pick(10)) {
      case 0:
        return ExpectedVersion::Any();
      case 1:
        return ExpectedVersion::NoStream();
      case 2:
        return ExpectedVersion::Exists();
      case 3:
        return ExpectedVersion::Exact(actual + 1);  // stale the other way
      case 4:
        return ExpectedVersion::Exact(actual > 0 ? actual - 1 : 0);
      default:
        return ExpectedVersion::Exact(actual);
    }
  }

  Commit RandomCommit(int n) {
    Commit c;
    c.commit_id = absl::StrCat("commit-", n);
    c.principal = Pick(2) ? "bianban" : "finance";
    c.correlation_id = Pick(3) ? "" : absl::StrCat("corr-", Pick(5));
    std::set<std::string> used;
    const int writes = 1 + Pick(3);
    for (int w = 0; w < writes; ++w) {
      std::string stream = Stream();
      if (!used.insert(stream).second) continue;
      StreamWrite write{stream, RandomExpectation(stream), {}};
      const int events = 1 + Pick(4);
      for (int e = 0; e < events; ++e) {
        NewEvent event;
        event.event_id = Pick(4) ? absl::StrCat(c.commit_id, "/", w, "/", e) : "";
        event.type = Pick(2) ? "org.v1.Renamed" : "staffing.v1.Registered";
        event.data = std::string(static_cast<size_t>(Pick(200)), static_cast<char>('a' + Pick(26)));
        event.effective_date = Pick(2) ? "2019-06-30" : "";
        write.events.push_back(std::move(event));
      }
      c.writes.push_back(std::move(write));
    }
    for (int k = Pick(3); k > 0; --k) {
      std::string stream = Stream();
      if (used.insert(stream).second) c.checks.push_back({stream, RandomExpectation(stream)});
    }
    return c;
  }

  // Event ids the store chose differ between stores; compare everything else.
  static std::vector<RecordedEvent> Comparable(std::vector<RecordedEvent> events) {
    for (RecordedEvent& e : events) {
      if (e.event_id.find('/') == std::string::npos) e.event_id = "<assigned>";
    }
    return events;
  }

  void CompareReads() {
    for (uint64_t from = 1;;) {
      absl::StatusOr<AllSlice> a = model_->ReadAll(from, {}, 1000);
      absl::StatusOr<AllSlice> b = rocks_->ReadAll(from, {}, 1000);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_EQ(Comparable(a->events), Comparable(b->events)) << "ReadAll from " << from;
      ASSERT_EQ(a->next_position, b->next_position);
      if (a->events.empty()) break;
      from = a->next_position;
    }
    ASSERT_EQ(model_->HeadPosition(), rocks_->HeadPosition());
    for (int i = 0; i < 20; ++i) {
      const std::string stream = Stream();
      const auto from = static_cast<uint64_t>(Pick(12));
      const auto count = static_cast<size_t>(Pick(6));
      const ReadDirection dir = Pick(2) ? ReadDirection::kForward : ReadDirection::kBackward;
      absl::StatusOr<StreamSlice> a = model_->ReadStream(stream, from, dir, count);
      absl::StatusOr<StreamSlice> b = rocks_->ReadStream(stream, from, dir, count);
      ASSERT_TRUE(a.ok() && b.ok());
      ASSERT_EQ(a->stream_version, b->stream_version) << stream;
      ASSERT_EQ(Comparable(a->events), Comparable(b->events)) << stream << " from " << from;
      ASSERT_EQ(*model_->CurrentStreamVersion(stream), *rocks_->CurrentStreamVersion(stream));

      EventFilter filter;
      if (Pick(2)) filter.stream_prefix = Pick(2) ? "agency-" : "person-1";
      if (Pick(2)) filter.event_types = {"org.v1.Renamed"};
      const uint64_t at =
          1 + static_cast<uint64_t>(Pick(static_cast<int>(model_->HeadPosition() + 2)));
      absl::StatusOr<AllSlice> fa = model_->ReadAll(at, filter, count);
      absl::StatusOr<AllSlice> fb = rocks_->ReadAll(at, filter, count);
      ASSERT_TRUE(fa.ok() && fb.ok());
      ASSERT_EQ(Comparable(fa->events), Comparable(fb->events));
      ASSERT_EQ(fa->next_position, fb->next_position);
    }
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  unsigned seed_ = 0;
  std::mt19937 rng_;
  std::unique_ptr<InMemoryEventStore> model_;
  std::unique_ptr<RocksEventStore> rocks_;
};

TEST_F(ModelTest, RandomCommitsAgreeWithTheModel) {
  SCOPED_TRACE(absl::StrCat("seed ", seed_, " (rerun with REFORMLOG_MODEL_SEED)"));
  std::vector<Commit> sent;
  int accepted = 0;
  int refused = 0;
  for (int n = 0; n < kCommits; ++n) {
    Commit commit;
    const int roll = Pick(20);
    if (roll == 0 && !sent.empty()) {
      commit = sent[static_cast<size_t>(Pick(static_cast<int>(sent.size())))];  // a retry
    } else if (roll == 1 && !sent.empty()) {
      commit = RandomCommit(n);  // a reused id with other content
      commit.commit_id = sent[static_cast<size_t>(Pick(static_cast<int>(sent.size())))].commit_id;
    } else {
      commit = RandomCommit(n);
    }
    if (Pick(10) == 0) clock_.Advance(absl::Seconds(1 + Pick(100)));
    absl::StatusOr<AppendResult> a = model_->Append(commit);
    absl::StatusOr<AppendResult> b = rocks_->Append(commit);
    ASSERT_EQ(Describe(a), Describe(b))
        << "commit " << n << " " << commit.commit_id << ": " << a.status() << " vs " << b.status();
    if (a.ok()) {
      ++accepted;
      sent.push_back(commit);
    } else {
      ++refused;
    }
    if (n % 500 == 499) {
      CompareReads();
      Reopen();
    }
  }
  CompareReads();
  EXPECT_GT(accepted, kCommits / 4);
  EXPECT_GT(refused, kCommits / 10);
}

}  // namespace
}  // namespace reformlog::eventstore
