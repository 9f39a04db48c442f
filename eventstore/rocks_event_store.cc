// The durable store in one Impl (about 650 lines, over the ~600 of the rest of the tree): the
// group commit, the reads and opening share the database handles, the writer's head and its
// stream-version cache, and splitting them would turn those private members into an
// interface of their own with no second user.
#include "eventstore/rocks_event_store.h"

#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "base/check.h"
#include "base/lru_cache.h"
#include "base/status_macros.h"
#include "eventstore/commit_planner.h"
#include "eventstore/head_notifier.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_format.h"
#include "eventstore/rocks_integrity.h"
#include "rocksdb/db.h"
#include "rocksdb/filter_policy.h"
#include "rocksdb/slice_transform.h"
#include "rocksdb/table.h"
#include "rocksdb/utilities/checkpoint.h"
#include "rocksdb/write_batch.h"
#include "spdlog/spdlog.h"

namespace reformlog::eventstore {
namespace {

// The writer keeps the versions of the streams it wrote or checked most recently, at most
// this many (the others are re-read from the stream index on demand), so memory stays
// bounded on huge logs and a busy stream never falls out because of a crowd of new ones.
constexpr size_t kStreamVersionCacheEntriesMax = 1'000'000;

absl::Status FromRocks(const rocksdb::Status& status, absl::string_view what) {
  if (status.ok()) return absl::OkStatus();
  const std::string message = absl::StrCat(what, ": ", status.ToString());
  if (status.IsCorruption()) return absl::DataLossError(message);
  if (status.IsNotFound()) return absl::NotFoundError(message);
  if (status.IsInvalidArgument()) return absl::InvalidArgumentError(message);
  if (status.IsIOError() && status.ToString().find("lock") != std::string::npos) {
    return absl::FailedPreconditionError(message);
  }
  return absl::InternalError(message);
}

// The stream index's prefix: a key's stream id and its 0x00 terminator (rocks_format.h), so
// that a lookup of one stream's head consults the prefix bloom filter of every file and
// seeks only in the files that hold the stream. A stream never written (a new person, a
// new budget) costs no seek at all. Iterators over the index stay within one stream.
class StreamIdPrefix final : public rocksdb::SliceTransform {
 public:
  const char* Name() const override { return "reformlog.StreamIdPrefix.v1"; }
  rocksdb::Slice Transform(const rocksdb::Slice& key) const override {
    const void* end = std::memchr(key.data(), 0, key.size());
    return {key.data(), static_cast<size_t>(static_cast<const char*>(end) - key.data()) + 1};
  }
  bool InDomain(const rocksdb::Slice& key) const override {
    return std::memchr(key.data(), 0, key.size()) != nullptr;
  }
};

// Reads of the stream index: within the prefix of the stream sought.
rocksdb::ReadOptions StreamIndexRead(const rocksdb::ReadOptions& read) {
  rocksdb::ReadOptions within = read;
  within.prefix_same_as_start = true;
  return within;
}

// The position of the last event (0 when empty), after checking that it decodes and sits
// under its own key.
absl::StatusOr<uint64_t> ReadHead(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* events) {
  std::unique_ptr<rocksdb::Iterator> it(db.NewIterator(rocksdb::ReadOptions(), events));
  it->SeekToLast();
  if (!it->status().ok()) return FromRocks(it->status(), "reading the log's head");
  if (!it->Valid()) return 0;
  absl::StatusOr<uint64_t> position =
      format::DecodePositionKey({it->key().data(), it->key().size()});
  if (!position.ok()) return position.status();
  absl::StatusOr<RecordedEvent> last =
      format::DecodeEvent({it->value().data(), it->value().size()}, *position);
  if (!last.ok()) return last.status();
  return *position;
}

size_t CommitBytes(const Commit& commit) {
  size_t bytes = 0;
  for (const StreamWrite& write : commit.writes) {
    for (const NewEvent& event : write.events) bytes += event.data.size() + 256;
  }
  return bytes;
}

}  // namespace

class RocksEventStore::Impl {
 public:
  Impl(RocksEventStoreOptions options, std::unique_ptr<rocksdb::DB> db,
       std::vector<rocksdb::ColumnFamilyHandle*> handles, uint64_t head,
       std::unique_ptr<RocksIntegrity> integrity)
      : options_(std::move(options)),
        db_(std::move(db)),
        handles_(std::move(handles)),
        meta_(handles_[0]),
        events_(handles_[1]),
        streams_(handles_[2]),
        commits_(handles_[3]),
        head_(head),
        integrity_(std::move(integrity)),
        notifier_(head) {
    sync_write_.sync = true;
  }

  ~Impl() { Close(); }

  void Close() {
    {
      std::unique_lock lock(queue_mu_);
      if (closing_) return;
      closing_ = true;
      space_cv_.notify_all();
      // Commits already queued are written by their own appenders; wait for them.
      idle_cv_.wait(lock, [&] { return queue_.empty() && !writing_; });
    }
    notifier_.Close();
    std::unique_lock db_lock(db_mu_);
    for (rocksdb::ColumnFamilyHandle* handle : handles_) {
      db_->DestroyColumnFamilyHandle(handle);
    }
    handles_.clear();
    if (rocksdb::Status s = db_->Close(); !s.ok()) {
      spdlog::error("closing event store {}: {}", options_.path, s.ToString());
    }
    db_.reset();
  }

  // Leader/follower group commit: the appender at the front of the queue, when no group is
  // being written, writes the group itself (everything queued, up to the group limits) and
  // then wakes the members and the next leader. No hand-off to another thread on the way in
  // or out (tests/bench: append_batch100, append_single_64threads).
  absl::StatusOr<AppendResult> Append(const Commit& commit, absl::FunctionRef<void()> queued) {
    RETURN_IF_ERROR(ValidateCommit(commit));
    Pending pending{&commit, CommitBytes(commit)};
    std::unique_lock lock(queue_mu_);
    space_cv_.wait(lock, [&] { return closing_ || queue_.size() < kPendingCommitsMax; });
    if (closing_) return absl::UnavailableError("event store is closed");
    if (!refused_.ok()) return refused_;
    queue_.push_back(&pending);
    // Its place is fixed: groups are taken from the front, in order. A leader may take and
    // even finish it while `queued` runs; the wait below then returns at once.
    lock.unlock();
    queued();
    lock.lock();
    pending.cv.wait(lock,
                    [&] { return pending.done || (!writing_ && queue_.front() == &pending); });
    if (pending.done) return std::move(pending.result);

    writing_ = true;
    std::vector<Pending*> group;
    size_t bytes = 0;
    while (!queue_.empty() && group.size() < kGroupCommitsMax &&
           (group.empty() || bytes + queue_.front()->bytes <= kGroupBytesMax)) {
      bytes += queue_.front()->bytes;
      group.push_back(queue_.front());
      queue_.pop_front();
    }
    lock.unlock();
    space_cv_.notify_all();
    std::vector<Pending*> deferred = WriteGroup(group);
    lock.lock();
    for (auto it = deferred.rbegin(); it != deferred.rend(); ++it) queue_.push_front(*it);
    for (Pending* p : group) {
      if (std::find(deferred.begin(), deferred.end(), p) != deferred.end()) continue;
      p->done = true;
      if (p != &pending) p->cv.notify_one();
    }
    writing_ = false;
    if (!queue_.empty()) queue_.front()->cv.notify_one();  // the next leader
    if (queue_.empty()) idle_cv_.notify_all();
    // The leader is first in its group, so it is never deferred.
    return std::move(pending.result);
  }

  absl::StatusOr<StreamSlice> ReadStream(absl::string_view stream_id, uint64_t from_version,
                                         ReadDirection direction, size_t max_count) {
    absl::StatusOr<size_t> count = ResolveReadCount(max_count);
    if (!count.ok()) return count.status();
    std::shared_lock db_lock(db_mu_);
    if (!db_) return absl::UnavailableError("event store is closed");
    rocksdb::ReadOptions read;
    const rocksdb::Snapshot* snapshot = db_->GetSnapshot();
    read.snapshot = snapshot;
    absl::StatusOr<StreamSlice> slice =
        ReadStreamAt(read, stream_id, from_version, direction, *count);
    db_->ReleaseSnapshot(snapshot);
    return slice;
  }

  absl::StatusOr<AllSlice> ReadAll(uint64_t from_position, const EventFilter& filter,
                                   size_t max_count) {
    absl::StatusOr<size_t> count = ResolveReadCount(max_count);
    if (!count.ok()) return count.status();
    RETURN_IF_ERROR(ValidateFilter(filter));
    std::shared_lock db_lock(db_mu_);
    if (!db_) return absl::UnavailableError("event store is closed");
    AllSlice slice;
    uint64_t expected = std::max<uint64_t>(from_position, 1);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(rocksdb::ReadOptions(), events_));
    const bool filtered = !filter.Empty();
    RecordedEvent scratch;
    size_t scanned = 0;
    size_t bytes = 0;
    // Room for the whole page up front when it is unfiltered: no regrowth while decoding.
    const uint64_t head = notifier_.head();
    const size_t expect = expected > head ? 0 : std::min<uint64_t>(*count, head - expected + 1);
    slice.events.reserve(filtered ? std::min<size_t>(expect, 1024) : expect);
    for (it->Seek(format::PositionKey(expected));
         it->Valid() && slice.events.size() < *count && scanned < kReadAllScanMax &&
         bytes < kReadBytesMax;
         it->Next(), ++expected, ++scanned) {
      absl::StatusOr<uint64_t> position = format::DecodePositionKey(ToView(it->key()));
      if (!position.ok()) return position.status();
      if (*position != expected) {
        return absl::DataLossError(
            absl::StrCat("the log has a gap: expected position ", expected, ", found ", *position));
      }
      RecordedEvent& event = filtered ? scratch : slice.events.emplace_back();
      RETURN_IF_ERROR(format::DecodeEventInto(ToView(it->value()), *position, &event));
      if (!filtered) {
        bytes += EventBytes(event);
      } else if (filter.Matches(scratch)) {
        bytes += EventBytes(scratch);
        slice.events.push_back(std::exchange(scratch, {}));
      }
    }
    if (!it->status().ok()) return FromRocks(it->status(), "reading the log");
    slice.next_position = expected;
    return slice;
  }

  uint64_t HeadPosition() const { return notifier_.head(); }

  absl::StatusOr<CommitRecord> FindCommit(absl::string_view commit_id) {
    std::shared_lock db_lock(db_mu_);
    if (!db_) return absl::UnavailableError("event store is closed");
    std::string value;
    rocksdb::Status got = db_->Get(rocksdb::ReadOptions(), commits_,
                                   rocksdb::Slice(commit_id.data(), commit_id.size()), &value);
    if (got.IsNotFound()) return absl::NotFoundError(absl::StrCat("no commit ", commit_id));
    if (!got.ok()) return FromRocks(got, "reading commit records");
    return format::DecodeCommitRecord(value);
  }

  absl::StatusOr<uint64_t> CurrentStreamVersion(absl::string_view stream_id) {
    std::shared_lock db_lock(db_mu_);
    if (!db_) return absl::UnavailableError("event store is closed");
    return StoredStreamVersion(rocksdb::ReadOptions(), stream_id);
  }

  absl::StatusOr<std::unique_ptr<Subscription>> Subscribe(EventStore& self, uint64_t from_position,
                                                          EventFilter filter) {
    RETURN_IF_ERROR(ValidateFilter(filter));
    if (notifier_.closed()) return absl::UnavailableError("event store is closed");
    return std::make_unique<Subscription>(self, notifier_, from_position, std::move(filter));
  }

  absl::Status Backup(const std::string& directory) {
    std::shared_lock db_lock(db_mu_);
    if (!db_) return absl::UnavailableError("event store is closed");
    rocksdb::Checkpoint* raw = nullptr;
    RETURN_IF_ERROR(FromRocks(rocksdb::Checkpoint::Create(db_.get(), &raw), "backup"));
    std::unique_ptr<rocksdb::Checkpoint> checkpoint(raw);
    return FromRocks(checkpoint->CreateCheckpoint(directory),
                     absl::StrCat("backup to ", directory));
  }

 private:
  struct Pending {
    const Commit* commit;
    size_t bytes;
    absl::StatusOr<AppendResult> result = absl::UnknownError("not processed");
    bool done = false;
    std::condition_variable cv;  // wakes this appender: done, or its turn to lead
  };

  static absl::string_view ToView(const rocksdb::Slice& slice) {
    return {slice.data(), slice.size()};
  }

  // The stream-index run an iterator is on: versions first … last at positions from
  // `first_position`.
  struct Run {
    uint64_t first_version;
    uint64_t first_position;
    uint64_t count;
    uint64_t last_version() const { return first_version + count - 1; }
  };

  static absl::StatusOr<Run> RunAt(const rocksdb::Iterator& it, size_t prefix_bytes) {
    absl::StatusOr<uint64_t> first =
        format::DecodeStreamIndexVersion(ToView(it.key()), prefix_bytes);
    if (!first.ok()) return first.status();
    absl::StatusOr<format::StreamRun> run = format::DecodeStreamRun(ToView(it.value()));
    if (!run.ok()) return run.status();
    return Run{*first, run->first_position, run->count};
  }

  absl::StatusOr<uint64_t> StoredStreamVersion(const rocksdb::ReadOptions& read,
                                               absl::string_view stream_id) {
    const std::string prefix = format::StreamPrefix(stream_id);
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(StreamIndexRead(read), streams_));
    it->SeekForPrev(format::StreamIndexKey(stream_id, UINT64_MAX));
    if (!it->status().ok()) return FromRocks(it->status(), "reading the stream index");
    if (!it->Valid() || !it->key().starts_with(prefix)) return 0;
    absl::StatusOr<Run> run = RunAt(*it, prefix.size());
    if (!run.ok()) return run.status();
    return run->last_version();
  }

  absl::StatusOr<StreamSlice> ReadStreamAt(const rocksdb::ReadOptions& read,
                                           absl::string_view stream_id, uint64_t from_version,
                                           ReadDirection direction, size_t count) {
    StreamSlice slice;
    absl::StatusOr<uint64_t> version = StoredStreamVersion(read, stream_id);
    if (!version.ok()) return version.status();
    slice.stream_version = *version;
    if (*version == 0) return slice;
    const bool forward = direction == ReadDirection::kForward;
    uint64_t next = forward ? std::max<uint64_t>(from_version, 1)
                            : (from_version == 0 ? *version : std::min(from_version, *version));
    if (forward && next > *version) return slice;
    const std::string prefix = format::StreamPrefix(stream_id);
    std::vector<std::string> keys;
    std::unique_ptr<rocksdb::Iterator> it(db_->NewIterator(StreamIndexRead(read), streams_));
    // The run holding `next` starts at or before it: every stream's first run starts at 1.
    it->SeekForPrev(format::StreamIndexKey(stream_id, next));
    for (; it->Valid() && it->key().starts_with(prefix) && keys.size() < count;
         forward ? it->Next() : it->Prev()) {
      absl::StatusOr<Run> run = RunAt(*it, prefix.size());
      if (!run.ok()) return run.status();
      if (forward) {
        for (uint64_t v = std::max(next, run->first_version);
             v <= run->last_version() && keys.size() < count; ++v) {
          keys.push_back(format::PositionKey(run->first_position + (v - run->first_version)));
        }
        next = run->last_version() + 1;
      } else {
        for (uint64_t v = std::min(next, run->last_version());
             v >= run->first_version && v >= 1 && keys.size() < count; --v) {
          keys.push_back(format::PositionKey(run->first_position + (v - run->first_version)));
        }
        next = run->first_version - 1;
      }
    }
    if (!it->status().ok()) return FromRocks(it->status(), "reading the stream index");
    std::vector<rocksdb::Slice> key_slices(keys.begin(), keys.end());
    std::vector<rocksdb::PinnableSlice> values(keys.size());
    std::vector<rocksdb::Status> statuses(keys.size());
    db_->MultiGet(read, events_, keys.size(), key_slices.data(), values.data(), statuses.data());
    slice.events.reserve(keys.size());
    size_t bytes = 0;
    for (size_t i = 0; i < keys.size() && bytes < kReadBytesMax; ++i) {
      absl::StatusOr<uint64_t> position = format::DecodePositionKey(keys[i]);
      if (!position.ok()) return position.status();
      if (!statuses[i].ok()) {
        return absl::DataLossError(
            absl::StrCat("stream ", stream_id, " indexes position ", *position,
                         " but the log has no such event: ", statuses[i].ToString()));
      }
      absl::StatusOr<RecordedEvent> event = format::DecodeEvent(ToView(values[i]), *position);
      if (!event.ok()) return event.status();
      if (event->stream_id != stream_id) {
        return absl::DataLossError(absl::StrCat("stream ", stream_id, " indexes position ",
                                                *position, " which belongs to ", event->stream_id));
      }
      bytes += EventBytes(*event);
      slice.events.push_back(std::move(*event));
    }
    return slice;
  }

  absl::StatusOr<uint64_t> CurrentVersion(
      absl::string_view stream_id, const absl::flat_hash_map<std::string, uint64_t>& staged) {
    if (auto it = staged.find(stream_id); it != staged.end()) return it->second;
    if (const uint64_t* cached = versions_.Get(stream_id); cached != nullptr) return *cached;
    absl::StatusOr<uint64_t> stored = StoredStreamVersion(rocksdb::ReadOptions(), stream_id);
    if (stored.ok()) versions_.Put(std::string(stream_id), *stored);
    return stored;
  }

  // Resolves a commit id seen before: the original result, or ALREADY_EXISTS.
  absl::StatusOr<AppendResult> Replay(const Commit& commit, const CommitRecord& record) {
    std::vector<RecordedEvent> events;
    for (uint64_t p = record.first_position; p <= record.last_position;) {
      absl::StatusOr<AllSlice> slice = ReadAll(
          p, EventFilter{}, std::min<uint64_t>(kReadCountMax, record.last_position - p + 1));
      if (!slice.ok()) return slice.status();
      if (slice->events.empty()) {
        return absl::DataLossError(absl::StrCat("commit ", record.commit_id, " records positions ",
                                                record.first_position, "-", record.last_position,
                                                " but the log ends before ", p));
      }
      for (RecordedEvent& e : slice->events) events.push_back(std::move(e));
      p = slice->next_position;
    }
    if (!SameCommit(commit, record, events)) return CommitIdReused(commit, record);
    return record.ToResult(/*replayed=*/true);
  }

  // Decides and writes one group. Returns the commits to retry in the next group (a second
  // commit with an id already staged in this one).
  std::vector<Pending*> WriteGroup(const std::vector<Pending*>& group) {
    std::vector<Pending*> deferred;
    if (!failed_.ok()) {
      for (Pending* p : group) p->result = failed_;
      return deferred;
    }
    rocksdb::WriteBatch batch;
    absl::flat_hash_map<std::string, uint64_t> staged;
    absl::flat_hash_set<std::string> staged_commits;
    std::vector<std::pair<Pending*, CommitRecord>> planned;
    uint64_t next_position = head_ + 1;
    const int64_t now_us = absl::ToUnixMicros(options_.clock->Now());
    std::string key;
    std::string value;
    RocksIntegrity::Staging staging = integrity_->Begin();
    RecordedEvent recorded;
    for (Pending* p : group) {
      const Commit& commit = *p->commit;
      if (staged_commits.contains(commit.commit_id)) {
        deferred.push_back(p);
        continue;
      }
      std::string stored_record;
      rocksdb::Status got =
          db_->Get(rocksdb::ReadOptions(), commits_, commit.commit_id, &stored_record);
      if (got.ok()) {
        absl::StatusOr<CommitRecord> record = format::DecodeCommitRecord(stored_record);
        p->result = record.ok() ? Replay(commit, *record) : record.status();
        continue;
      }
      if (!got.IsNotFound()) {
        p->result = FromRocks(got, "reading commit records");
        continue;
      }
      absl::StatusOr<PlannedCommit> plan = PlanCommit(
          commit, next_position, now_us,
          [&](absl::string_view stream) { return CurrentVersion(stream, staged); }, NewUuid);
      if (!plan.ok()) {
        p->result = plan.status();
        continue;
      }
      for (size_t i = 0; i < plan->events.size(); ++i) {
        const PlannedEvent& event = plan->events[i];
        format::EncodeEvent(commit, event, now_us, &value);
        batch.Put(events_, format::PositionKey(event.position), value);
        FillRecorded(commit, event, now_us, &recorded);
        integrity_->Stage(staging, recorded, batch);
        // One index entry per write: its events have consecutive versions and positions.
        if (i == 0 || plan->events[i - 1].write != event.write) {
          batch.Put(streams_, format::StreamIndexKey(event.write->stream_id, event.stream_version),
                    format::EncodeStreamRun({event.position, event.write->events.size()}));
        }
      }
      for (const StreamVersion& sv : plan->record.stream_versions) {
        uint64_t& staged_version = staged[sv.stream_id];
        REFORMLOG_CHECK(sv.version > staged_version, "a stream's version moves forward");
        staged_version = sv.version;
      }
      batch.Put(commits_, commit.commit_id, format::EncodeCommitRecord(plan->record));
      REFORMLOG_CHECK(plan->record.first_position == next_position &&
                          plan->record.last_position >= plan->record.first_position,
                      "a commit's positions follow the last one's, without a gap");
      next_position = plan->record.last_position + 1;
      staged_commits.insert(commit.commit_id);
      planned.emplace_back(p, std::move(plan->record));
    }
    if (planned.empty()) return deferred;
    rocksdb::Status written = db_->Write(sync_write_, &batch);
    if (!written.ok()) {
      failed_ = FromRocks(written, "writing to the event store");
      spdlog::critical("event store {} stops taking appends: {}", options_.path,
                       failed_.ToString());
      for (auto& [p, record] : planned) p->result = failed_;
      return deferred;
    }
    for (auto& [stream, version] : staged) versions_.Put(stream, version);
    REFORMLOG_CHECK(next_position - 1 > head_, "a written group advances the head");
    head_ = next_position - 1;
    integrity_->Publish(std::move(staging));
    notifier_.Advance(head_);
    for (auto& [p, record] : planned) p->result = record.ToResult(/*replayed=*/false);
    return deferred;
  }

  const RocksEventStoreOptions options_;
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* const meta_;
  rocksdb::ColumnFamilyHandle* const events_;
  rocksdb::ColumnFamilyHandle* const streams_;
  rocksdb::ColumnFamilyHandle* const commits_;
  rocksdb::WriteOptions sync_write_;
  // Guards db_ against Close() while reads run: reads share it, Close() takes it alone.
  mutable std::shared_mutex db_mu_;

  // The queue of appends waiting for the writer.
  std::mutex queue_mu_;
  std::condition_variable space_cv_;  // appenders wait for room in the queue
  std::condition_variable idle_cv_;   // Close() waits for the queue to drain
  std::deque<Pending*> queue_;
  bool closing_ = false;
  bool writing_ = false;  // a leader is writing a group

  absl::Status refused_;  // RefuseAppends; guarded by queue_mu_

  // Owned by the leader of the moment (one at a time: writing_ under queue_mu_).
  uint64_t head_;
  LruCache<std::string, uint64_t> versions_{kStreamVersionCacheEntriesMax};
  absl::Status failed_;

 public:
  // The chain and the tree; its reads are thread-safe, Begin/Stage/Publish are the leader's.
  const std::unique_ptr<RocksIntegrity> integrity_;

  void RefuseAppends(const absl::Status& reason) {
    std::lock_guard lock(queue_mu_);
    if (refused_.ok()) refused_ = reason;
  }

  // Runs a read of the integrity data while the database is open.
  template <typename F>
  auto WhileOpen(F&& read) -> decltype(read()) {
    std::shared_lock db_lock(db_mu_);
    if (!db_) return absl::UnavailableError("event store is closed");
    return read();
  }

 private:
  // The event as it will be read back, for hashing.
  static void FillRecorded(const Commit& commit, const PlannedEvent& e, int64_t now_us,
                           RecordedEvent* out) {
    out->position = e.position;
    out->stream_id = e.write->stream_id;
    out->stream_version = e.stream_version;
    out->event_id = e.event_id;
    out->type = e.event->type;
    out->data = e.event->data;
    out->recorded_at_us = now_us;
    out->effective_date = e.event->effective_date;
    out->principal = commit.principal;
    out->basis = e.event->basis;
    out->commit_id = commit.commit_id;
    out->correlation_id = commit.correlation_id;
    out->causation_id = commit.causation_id;
  }

  HeadNotifier notifier_;
};

RocksEventStore::RocksEventStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

RocksEventStore::~RocksEventStore() = default;

absl::StatusOr<std::unique_ptr<RocksEventStore>> RocksEventStore::Open(
    const RocksEventStoreOptions& options) {
  if (options.path.empty()) return absl::InvalidArgumentError("event store path is empty");
  if (options.clock == nullptr) return absl::InvalidArgumentError("event store clock is null");
  std::error_code ec;
  std::filesystem::create_directories(options.path, ec);
  if (ec) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot create data directory ", options.path, ": ", ec.message()));
  }

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  db_options.max_background_jobs = 2;
  db_options.keep_log_file_num = 4;
  db_options.info_log_level = rocksdb::InfoLogLevel::WARN_LEVEL;

  rocksdb::BlockBasedTableOptions table;
  table.block_cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::ColumnFamilyOptions sequential;  // events: keys arrive in order
  sequential.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
  rocksdb::BlockBasedTableOptions point_table = table;
  point_table.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  rocksdb::ColumnFamilyOptions point;  // commits: point lookups
  point.table_factory.reset(rocksdb::NewBlockBasedTableFactory(point_table));
  // Every command looks its request id up, and almost every lookup misses: a whole-key
  // bloom filter in the memtable answers those without a skiplist search.
  point.memtable_whole_key_filtering = true;
  point.memtable_prefix_bloom_size_ratio = 0.02;
  // The stream index: whole-key filters cannot serve its seeks; prefix filters (one per
  // stream) can, in the files and in the memtable.
  rocksdb::BlockBasedTableOptions index_table = point_table;
  index_table.whole_key_filtering = false;
  rocksdb::ColumnFamilyOptions index;
  index.table_factory.reset(rocksdb::NewBlockBasedTableFactory(index_table));
  index.prefix_extractor = std::make_shared<StreamIdPrefix>();
  index.memtable_prefix_bloom_size_ratio = 0.05;

  std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {format::kMetaColumnFamily, point},       {format::kEventsColumnFamily, sequential},
      {format::kStreamsColumnFamily, index},    {format::kCommitsColumnFamily, point},
      {format::kChainColumnFamily, sequential}, {format::kMerkleColumnFamily, point},
  };
  std::vector<std::string> existing;
  if (rocksdb::DB::ListColumnFamilies(db_options, options.path, &existing).ok()) {
    for (const std::string& name : existing) {
      bool known = false;
      for (const auto& family : families) known = known || family.name == name;
      if (!known) families.emplace_back(name, rocksdb::ColumnFamilyOptions());
    }
  }
  std::vector<rocksdb::ColumnFamilyHandle*> handles;
  rocksdb::DB* raw = nullptr;
  RETURN_IF_ERROR(FromRocks(rocksdb::DB::Open(db_options, options.path, families, &handles, &raw),
                            absl::StrCat("opening event store ", options.path)));
  std::unique_ptr<rocksdb::DB> db(raw);
  auto fail = [&](absl::Status status) {
    for (rocksdb::ColumnFamilyHandle* handle : handles) db->DestroyColumnFamilyHandle(handle);
    db->Close().PermitUncheckedError();
    return status;
  };

  // The head: the last event, which must decode and sit where its key says.
  absl::StatusOr<uint64_t> head = ReadHead(*db, handles[1]);
  if (!head.ok()) return fail(head.status());

  const RocksIntegrity::Handles chained{db.get(), handles[0], handles[1], handles[4], handles[5]};
  auto write_version = [&]() {
    rocksdb::WriteOptions sync;
    sync.sync = true;
    return FromRocks(db->Put(sync, handles[0], format::kFormatVersionKey,
                             format::EncodeFormatVersion(format::kFormatVersion)),
                     "writing the format version");
  };
  std::string version_value;
  rocksdb::Status got =
      db->Get(rocksdb::ReadOptions(), handles[0], format::kFormatVersionKey, &version_value);
  DigestAlgorithm algorithm = options.digest;
  if (got.IsNotFound()) {
    if (*head != 0) {
      return fail(absl::DataLossError(absl::StrCat("event store ", options.path,
                                                   " holds events but no format version record")));
    }
    if (absl::Status s = RocksIntegrity::Build(chained, algorithm, 0); !s.ok()) return fail(s);
    if (absl::Status s = write_version(); !s.ok()) return fail(s);
  } else if (!got.ok()) {
    return fail(FromRocks(got, "reading the format version"));
  } else {
    absl::StatusOr<uint32_t> version = format::DecodeFormatVersion(version_value);
    if (!version.ok()) return fail(version.status());
    if (*version > format::kFormatVersion) {
      return fail(absl::FailedPreconditionError(
          absl::StrCat("event store ", options.path, " has format version ", *version,
                       "; this build reads format versions up to ", format::kFormatVersion,
                       ". Use a newer reformd.")));
    }
    if (*version < format::kFormatVersionChained) {
      spdlog::warn("event store {}: format {} → {}: chaining {} events with {}", options.path,
                   *version, format::kFormatVersion, *head, std::string(DigestName(algorithm)));
      if (absl::Status s = RocksIntegrity::Build(chained, algorithm, *head); !s.ok()) {
        return fail(s);
      }
      if (absl::Status s = write_version(); !s.ok()) return fail(s);
    } else {
      absl::StatusOr<DigestAlgorithm> stored = RocksIntegrity::ReadDigest(chained);
      if (!stored.ok()) return fail(stored.status());
      algorithm = *stored;
    }
  }
  absl::StatusOr<std::unique_ptr<RocksIntegrity>> integrity =
      RocksIntegrity::Load(chained, algorithm, *head);
  if (!integrity.ok()) {
    return fail(absl::DataLossError(
        absl::StrCat("event store ", options.path, ": ", integrity.status().message())));
  }
  spdlog::info("event store {} open at head position {}", options.path, *head);
  return std::unique_ptr<RocksEventStore>(new RocksEventStore(std::make_unique<Impl>(
      options, std::move(db), std::move(handles), *head, *std::move(integrity))));
}

void RocksEventStore::Close() { impl_->Close(); }

absl::Status RocksEventStore::Backup(const std::string& directory) {
  return impl_->Backup(directory);
}

absl::StatusOr<AppendResult> RocksEventStore::Append(const Commit& commit,
                                                     absl::FunctionRef<void()> queued) {
  return impl_->Append(commit, queued);
}

absl::StatusOr<StreamSlice> RocksEventStore::ReadStream(absl::string_view stream_id,
                                                        uint64_t from_version,
                                                        ReadDirection direction, size_t max_count) {
  return impl_->ReadStream(stream_id, from_version, direction, max_count);
}

absl::StatusOr<AllSlice> RocksEventStore::ReadAll(uint64_t from_position, const EventFilter& filter,
                                                  size_t max_count) {
  return impl_->ReadAll(from_position, filter, max_count);
}

uint64_t RocksEventStore::HeadPosition() const { return impl_->HeadPosition(); }

absl::StatusOr<CommitRecord> RocksEventStore::FindCommit(absl::string_view commit_id) {
  return impl_->FindCommit(commit_id);
}

absl::StatusOr<uint64_t> RocksEventStore::CurrentStreamVersion(absl::string_view stream_id) {
  return impl_->CurrentStreamVersion(stream_id);
}

absl::StatusOr<std::unique_ptr<Subscription>> RocksEventStore::Subscribe(uint64_t from_position,
                                                                         EventFilter filter) {
  return impl_->Subscribe(*this, from_position, std::move(filter));
}

}  // namespace reformlog::eventstore

namespace reformlog::eventstore {

DigestAlgorithm RocksEventStore::digest_algorithm() const { return impl_->integrity_->algorithm(); }

LogHead RocksEventStore::Head() const { return impl_->integrity_->Head(); }

absl::StatusOr<LogHead> RocksEventStore::HeadAt(uint64_t size) {
  return impl_->WhileOpen(
      [&]() -> absl::StatusOr<LogHead> { return impl_->integrity_->HeadAt(size); });
}

absl::StatusOr<Digest> RocksEventStore::LeafAt(uint64_t position) {
  return impl_->WhileOpen(
      [&]() -> absl::StatusOr<Digest> { return impl_->integrity_->LeafAt(position); });
}

absl::StatusOr<std::vector<Digest>> RocksEventStore::InclusionProof(uint64_t position,
                                                                    uint64_t size) {
  return impl_->WhileOpen([&]() -> absl::StatusOr<std::vector<Digest>> {
    return impl_->integrity_->InclusionProof(position, size);
  });
}

absl::StatusOr<std::vector<Digest>> RocksEventStore::ConsistencyProof(uint64_t old_size,
                                                                      uint64_t new_size) {
  return impl_->WhileOpen([&]() -> absl::StatusOr<std::vector<Digest>> {
    return impl_->integrity_->ConsistencyProof(old_size, new_size);
  });
}

absl::StatusOr<VerifyOutcome> RocksEventStore::Verify(uint64_t from_size, uint64_t to_size) {
  return impl_->WhileOpen([&]() -> absl::StatusOr<VerifyOutcome> {
    return impl_->integrity_->Verify(from_size, to_size);
  });
}

void RocksEventStore::RefuseAppends(const absl::Status& reason) { impl_->RefuseAppends(reason); }

absl::Status RocksEventStore::PutCheckpoint(uint64_t size, const std::string& bytes) {
  return impl_->WhileOpen(
      [&]() -> absl::Status { return impl_->integrity_->PutCheckpoint(size, bytes); });
}

absl::StatusOr<std::vector<StoredCheckpoint>> RocksEventStore::ListCheckpoints(uint64_t from_size,
                                                                               size_t max_count) {
  return impl_->WhileOpen([&]() -> absl::StatusOr<std::vector<StoredCheckpoint>> {
    return impl_->integrity_->ListCheckpoints(from_size, max_count);
  });
}

absl::StatusOr<std::optional<StoredCheckpoint>> RocksEventStore::LatestCheckpoint() {
  return impl_->WhileOpen([&]() -> absl::StatusOr<std::optional<StoredCheckpoint>> {
    return impl_->integrity_->LatestCheckpoint();
  });
}

}  // namespace reformlog::eventstore
