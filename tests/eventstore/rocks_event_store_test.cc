// RocksEventStore beyond the shared contract: what survives reopening, the on-disk format
// and its version, corruption, backup, close, and concurrent duplicates.
#include "eventstore/rocks_event_store.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "eventstore/rocks_format.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "rocksdb/db.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::eventstore {
namespace {

using ::testing::HasSubstr;
using ::testing::SizeIs;

Commit OneEvent(std::string commit_id, std::string stream, ExpectedVersion expected,
                std::string data = "payload") {
  Commit c;
  c.commit_id = std::move(commit_id);
  c.principal = "bianban-admin";
  NewEvent e;
  e.type = "test.v1.Happened";
  e.data = std::move(data);
  c.writes.push_back({std::move(stream), expected, {e}});
  return c;
}

// Opens the raw RocksDB database under a store, with every column family, for tampering.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    std::vector<std::string> names;
    EXPECT_TRUE(rocksdb::DB::ListColumnFamilies(rocksdb::DBOptions(), path, &names).ok());
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names)
      families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    rocksdb::DB* raw = nullptr;
    rocksdb::Status s = rocksdb::DB::Open(rocksdb::DBOptions(), path, families, &handles_, &raw);
    EXPECT_TRUE(s.ok()) << s.ToString();
    db_.reset(raw);
    for (size_t i = 0; i < names.size(); ++i) by_name_[names[i]] = handles_[i];
  }
  ~RawDb() {
    for (auto* h : handles_) db_->DestroyColumnFamilyHandle(h);
    EXPECT_TRUE(db_->Close().ok());
  }
  void Put(const std::string& family, const std::string& key, const std::string& value) {
    ASSERT_TRUE(db_->Put(rocksdb::WriteOptions(), by_name_.at(family), key, value).ok());
  }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  std::map<std::string, rocksdb::ColumnFamilyHandle*> by_name_;
};

class RocksEventStoreTest : public ::testing::Test {
 protected:
  std::unique_ptr<RocksEventStore> Open(const std::string& path) {
    RocksEventStoreOptions options;
    options.path = path;
    options.clock = &clock_;
    absl::StatusOr<std::unique_ptr<RocksEventStore>> store = RocksEventStore::Open(options);
    EXPECT_TRUE(store.ok()) << store.status();
    return store.ok() ? std::move(*store) : nullptr;
  }
  std::string Path() const { return dir_.Sub("store"); }

  testing::TempDir dir_;
  testing::FakeClock clock_;
};

TEST_F(RocksEventStoreTest, ReopenKeepsEventsVersionsAndCommitIds) {
  AppendResult first;
  {
    auto store = Open(Path());
    first = *store->Append(OneEvent("req-1", "agency-1", ExpectedVersion::NoStream(), "one"));
    ASSERT_TRUE(store->Append(OneEvent("req-2", "agency-1", ExpectedVersion::Exact(1))).ok());
  }
  clock_.Advance(absl::Hours(24));
  auto store = Open(Path());
  EXPECT_EQ(store->HeadPosition(), 2u);
  EXPECT_EQ(*store->CurrentStreamVersion("agency-1"), 2u);
  // The retry after a restart is answered from the durable commit record.
  absl::StatusOr<AppendResult> again =
      store->Append(OneEvent("req-1", "agency-1", ExpectedVersion::NoStream(), "one"));
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(again->replayed);
  EXPECT_EQ(again->first_position, first.first_position);
  EXPECT_EQ(again->recorded_at_us, first.recorded_at_us);
  EXPECT_EQ(store->Append(OneEvent("req-1", "agency-1", ExpectedVersion::NoStream(), "other"))
                .status()
                .code(),
            absl::StatusCode::kAlreadyExists);
  // Appends continue the positions and versions.
  absl::StatusOr<AppendResult> next =
      store->Append(OneEvent("req-3", "agency-1", ExpectedVersion::Exact(2)));
  ASSERT_TRUE(next.ok()) << next.status();
  EXPECT_EQ(next->first_position, 3u);
  EXPECT_EQ(next->stream_versions[0].version, 3u);
}

TEST_F(RocksEventStoreTest, NewerFormatIsRefusedAndLeftUntouched) {
  { auto store = Open(Path()); }
  { RawDb(Path()).Put("default", format::kFormatVersionKey, format::EncodeFormatVersion(99)); }
  RocksEventStoreOptions options;
  options.path = Path();
  absl::StatusOr<std::unique_ptr<RocksEventStore>> store = RocksEventStore::Open(options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(store.status().message(), HasSubstr("format version 99"));
  EXPECT_THAT(store.status().message(), HasSubstr("up to 2"));
}

TEST_F(RocksEventStoreTest, CorruptRecordIsDataLoss) {
  {
    auto store = Open(Path());
    for (int i = 0; i < 3; ++i) {
      ASSERT_TRUE(store->Append(OneEvent(absl::StrCat("c", i), "s", ExpectedVersion::Any())).ok());
    }
  }
  { RawDb(Path()).Put("events", format::PositionKey(2), "\xff\xff not a record"); }
  auto store = Open(Path());
  absl::StatusOr<AllSlice> all = store->ReadAll(1, {}, 0);
  EXPECT_EQ(all.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(all.status().message(), HasSubstr("position 2"));
  absl::StatusOr<StreamSlice> stream = store->ReadStream("s", 0, ReadDirection::kForward, 0);
  EXPECT_EQ(stream.status().code(), absl::StatusCode::kDataLoss);
}

TEST_F(RocksEventStoreTest, RecordUnderTheWrongKeyIsDataLoss) {
  {
    auto store = Open(Path());
    ASSERT_TRUE(store->Append(OneEvent("a", "s", ExpectedVersion::Any())).ok());
  }
  RecordedEvent moved;
  moved.position = 1;
  moved.stream_id = "s";
  moved.type = "t";
  std::string value;
  format::EncodeEvent(moved, &value);
  { RawDb(Path()).Put("events", format::PositionKey(2), value); }
  RocksEventStoreOptions options;
  options.path = Path();
  absl::StatusOr<std::unique_ptr<RocksEventStore>> store = RocksEventStore::Open(options);
  EXPECT_EQ(store.status().code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(store.status().message(), HasSubstr("says position 1"));
}

TEST_F(RocksEventStoreTest, BackupWhileWritingOpensAsAConsistentStore) {
  auto store = Open(Path());
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    for (int i = 0; !stop.load(); ++i) {
      Commit c =
          OneEvent(absl::StrCat("w", i), absl::StrCat("agency-", i % 5), ExpectedVersion::Any());
      c.writes.push_back(
          {absl::StrCat("person-", i), ExpectedVersion::NoStream(), c.writes[0].events});
      ASSERT_TRUE(store->Append(c).ok());
    }
  });
  while (store->HeadPosition() < 200) std::this_thread::yield();
  ASSERT_TRUE(store->Backup(dir_.Sub("backup")).ok());
  stop = true;
  writer.join();
  absl::Status again = store->Backup(dir_.Sub("backup"));
  EXPECT_FALSE(again.ok()) << "backup into an existing directory must fail";

  auto backup = Open(dir_.Sub("backup"));
  const uint64_t head = backup->HeadPosition();
  EXPECT_GE(head, 200u);
  EXPECT_EQ(head % 2, 0u) << "a backup never splits a commit";
  absl::StatusOr<AllSlice> copied = backup->ReadAll(1, {}, 10000);
  absl::StatusOr<AllSlice> original = store->ReadAll(1, {}, static_cast<size_t>(head));
  ASSERT_TRUE(copied.ok() && original.ok());
  ASSERT_THAT(copied->events, SizeIs(head));
  EXPECT_EQ(copied->events, original->events);
  // The backup is a store of its own: it takes appends.
  EXPECT_TRUE(backup->Append(OneEvent("after", "s", ExpectedVersion::Any())).ok());
}

TEST_F(RocksEventStoreTest, CloseFinishesAppendsThenRefusesEverything) {
  auto store = Open(Path());
  ASSERT_TRUE(store->Append(OneEvent("a", "s", ExpectedVersion::Any())).ok());
  absl::StatusOr<std::unique_ptr<Subscription>> sub = store->Subscribe(1, {});
  ASSERT_TRUE(sub.ok());
  store->Close();
  store->Close();  // idempotent
  EXPECT_EQ(store->Append(OneEvent("b", "s", ExpectedVersion::Any())).status().code(),
            absl::StatusCode::kUnavailable);
  EXPECT_EQ(store->ReadAll(1, {}, 0).status().code(), absl::StatusCode::kUnavailable);
  EXPECT_EQ((*sub)->Poll().status().code(), absl::StatusCode::kUnavailable);
  sub->reset();
  auto reopened = Open(Path());
  EXPECT_EQ(reopened->HeadPosition(), 1u);
}

TEST_F(RocksEventStoreTest, SecondOpenOfTheSameDirectoryFailsClearly) {
  auto store = Open(Path());
  RocksEventStoreOptions options;
  options.path = Path();
  absl::StatusOr<std::unique_ptr<RocksEventStore>> second = RocksEventStore::Open(options);
  EXPECT_FALSE(second.ok());
  EXPECT_THAT(second.status().message(), HasSubstr(Path()));
}

TEST_F(RocksEventStoreTest, RacingDuplicatesOfOneCommitWriteItOnce) {
  auto store = Open(Path());
  constexpr int kThreads = 16;
  std::vector<absl::StatusOr<AppendResult>> results(kThreads, absl::UnknownError("unset"));
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      results[t] = store->Append(OneEvent("same", "agency-1", ExpectedVersion::NoStream()));
    });
  }
  for (auto& t : threads) t.join();
  int fresh = 0;
  for (const auto& r : results) {
    ASSERT_TRUE(r.ok()) << r.status();
    EXPECT_EQ(r->first_position, 1u);
    fresh += r->replayed ? 0 : 1;
  }
  EXPECT_EQ(fresh, 1);
  EXPECT_EQ(store->HeadPosition(), 1u);
}

}  // namespace
}  // namespace reformlog::eventstore
