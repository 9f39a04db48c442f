// eventstore_bench: the throughput of RocksEventStore next to raw RocksDB on the same bytes,
// both measured in the same run on the same machine.
//
// Prints one JSON object per case on stdout (progress goes to stderr):
//   {"name": ..., "value": ..., "unit": "events/s", "baseline": ..., "ratio": value/baseline}
//
//   append_batch100          100 events per commit, one thread. Baseline: a raw rocksdb::DB
//                            written with one synced WriteBatch per commit holding the
//                            byte-identical stored events (format::EncodeEvent, checked
//                            against the store's directory). The stream index and commit
//                            records the store also writes are its own overhead.
//   append_single_1thread    1 event per commit, one thread. Baseline: the same, raw, with a
//                            one-event synced WriteBatch.
//   append_single_64threads  1 event per commit, 64 threads. Baseline: append_single_1thread
//                            of this run, so the ratio is the gain of group commit.
//   hash_sm3                 What the writer adds per event for tamper evidence, alone: the
//                            canonical record, its chain hash, its Merkle leaf and the tree
//                            nodes it completes (eventstore/log_hash.h), with SM3 through
//                            OpenSSL's EVP. Baseline: the same with SHA-256.
//   read_all                 ReadAll over the whole log in pages of kReadCountMax. Baseline: a
//                            raw iterator scan of the events column family of the same
//                            directory (same block cache size), copying every key and value.
//
// Each side runs `repetitions` times, the two sides alternating, and reports its median.
// Flags: --quick (smaller counts, well under a minute), --json-out FILE (also write the lines).
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <latch>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "eventstore/limits.h"
#include "eventstore/log_hash.h"
#include "eventstore/rocks_event_store.h"
#include "eventstore/rocks_format.h"
#include "eventstore/types.h"
#include "rocksdb/cache.h"
#include "rocksdb/db.h"
#include "rocksdb/table.h"
#include "rocksdb/write_batch.h"
#include "spdlog/spdlog.h"
#include "tests/testing/fake_clock.h"

namespace reformlog::eventstore {
namespace {

constexpr size_t kEventDataBytes = 150;  // payload; the stored event is ~306 bytes
constexpr size_t kBatchEventsPerCommit = 100;
constexpr size_t kManyThreads = 64;
constexpr size_t kReadAllLoadEventsPerCommit = 1'000;
constexpr size_t kReadAllLoadStreams = 100;
constexpr size_t kBlockCacheBytes = 64 << 20;  // the store's default, used by both sides
constexpr char kEventType[] = "reformlog.org.v1.PostTransferred";
constexpr char kPrincipal[] = "bianban-admin";

struct BenchOptions {
  size_t batch_commits;        // append_batch100: commits per repetition
  size_t single_commits;       // append_single_1thread: commits per repetition
  size_t many_thread_commits;  // append_single_64threads: commits per thread
  size_t read_all_events;      // read_all: events in the log; hash_sm3: events hashed
  size_t repetitions;          // per side and case; the median is reported
  std::string json_out;        // also write the lines here when not empty
};

BenchOptions QuickOptions() { return {200, 2'000, 150, 200'000, 5, ""}; }
BenchOptions FullOptions() { return {1'000, 5'000, 1'000, 1'000'000, 7, ""}; }

// Ends the run at once: appender threads may still be running, so no destructors run.
[[noreturn]] void Fail(absl::string_view what, absl::string_view why) {
  std::fprintf(stderr, "eventstore_bench: %s: %s\n", std::string(what).c_str(),
               std::string(why).c_str());
  std::fflush(stdout);
  std::_Exit(1);
}

void Check(const absl::Status& status, absl::string_view what) {
  if (!status.ok()) Fail(what, status.ToString());
}

void Check(const rocksdb::Status& status, absl::string_view what) {
  if (!status.ok()) Fail(what, status.ToString());
}

// A fresh directory under $TMPDIR (or /tmp), removed with everything in it afterwards.
class ScratchDir {
 public:
  ScratchDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern =
        absl::StrCat(base != nullptr && *base != '\0' ? base : "/tmp", "/reformlog-bench-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) Fail("mkdtemp", pattern);
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  std::string Sub(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

 private:
  std::string path_;
};

// On ext4 (data=ordered) an fsync may wait for unrelated dirty pages: the build's output, the
// previous repetition's directory. Write them out before a timed append run starts.
void FlushOtherWrites() { ::sync(); }

double SecondsSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double Median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  const size_t n = values.size();
  return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

// Deterministic commits: the same arguments give the same bytes, so the store and the raw
// baseline write identical events. Event ids are set, so the store does not choose them.
class CommitFactory {
 public:
  Commit Make(absl::string_view commit_id, absl::string_view stream_id, size_t events) {
    Commit commit;
    commit.commit_id = std::string(commit_id);
    commit.principal = kPrincipal;
    commit.correlation_id = absl::StrCat("req-", commit_id);
    StreamWrite& write = commit.writes.emplace_back();
    write.stream_id = std::string(stream_id);
    write.expected = ExpectedVersion::Any();
    for (size_t i = 0; i < events; ++i) write.events.push_back(NextEvent());
    return commit;
  }

 private:
  NewEvent NextEvent() {
    const uint64_t n = ++events_made_;
    NewEvent event;
    event.event_id =
        absl::StrCat("00000000-0000-4000-8000-", absl::Dec(n, absl::PadSpec::kZeroPad12));
    event.type = kEventType;
    event.data.resize(kEventDataBytes);
    for (char& c : event.data) c = static_cast<char>(random_());
    event.effective_date = "2019-07-01";
    return event;
  }

  uint64_t events_made_ = 0;
  std::mt19937_64 random_{20190701};
};

// One key/value pair per event, as the store lays it out in the events column family.
using EncodedCommit = std::vector<std::pair<std::string, std::string>>;

// What the store writes for `commits` appended in order to an empty log at `recorded_at_us`.
std::vector<EncodedCommit> EncodeAsStored(const std::vector<Commit>& commits,
                                          int64_t recorded_at_us) {
  std::vector<EncodedCommit> encoded;
  absl::flat_hash_map<std::string, uint64_t> versions;
  uint64_t position = 0;
  for (const Commit& commit : commits) {
    EncodedCommit& out = encoded.emplace_back();
    for (const StreamWrite& write : commit.writes) {
      for (const NewEvent& event : write.events) {
        RecordedEvent recorded{.position = ++position,
                               .stream_id = write.stream_id,
                               .stream_version = ++versions[write.stream_id],
                               .event_id = event.event_id,
                               .type = event.type,
                               .data = event.data,
                               .recorded_at_us = recorded_at_us,
                               .effective_date = event.effective_date,
                               .principal = commit.principal,
                               .basis = event.basis,
                               .commit_id = commit.commit_id,
                               .correlation_id = commit.correlation_id,
                               .causation_id = commit.causation_id};
        std::string value;
        format::EncodeEvent(recorded, &value);
        out.emplace_back(format::PositionKey(position), std::move(value));
      }
    }
  }
  return encoded;
}

size_t EventCount(const std::vector<Commit>& commits) {
  size_t events = 0;
  for (const Commit& commit : commits) {
    for (const StreamWrite& write : commit.writes) events += write.events.size();
  }
  return events;
}

// A raw RocksDB database over a directory, with every column family it holds (or "default"
// and "events" when new). The events family uses the store's table options.
class RawDb {
 public:
  explicit RawDb(const std::string& path) {
    rocksdb::DBOptions options;
    options.create_if_missing = true;
    options.create_missing_column_families = true;
    std::vector<std::string> names;
    if (!rocksdb::DB::ListColumnFamilies(options, path, &names).ok()) {
      names = {rocksdb::kDefaultColumnFamilyName, format::kEventsColumnFamily};
    }
    rocksdb::BlockBasedTableOptions table;
    table.block_cache = rocksdb::NewLRUCache(kBlockCacheBytes);
    rocksdb::ColumnFamilyOptions events_options;
    events_options.table_factory.reset(rocksdb::NewBlockBasedTableFactory(table));
    std::vector<rocksdb::ColumnFamilyDescriptor> families;
    for (const std::string& name : names) {
      families.emplace_back(name, name == format::kEventsColumnFamily
                                      ? events_options
                                      : rocksdb::ColumnFamilyOptions());
    }
    rocksdb::DB* raw = nullptr;
    Check(rocksdb::DB::Open(options, path, families, &handles_, &raw),
          absl::StrCat("opening raw RocksDB at ", path));
    db_.reset(raw);
    for (size_t i = 0; i < names.size(); ++i) {
      if (names[i] == format::kEventsColumnFamily) events_ = handles_[i];
    }
    if (events_ == nullptr) Fail(path, "no events column family");
  }
  ~RawDb() {
    for (rocksdb::ColumnFamilyHandle* handle : handles_) db_->DestroyColumnFamilyHandle(handle);
    Check(db_->Close(), "closing raw RocksDB");
  }
  RawDb(const RawDb&) = delete;
  RawDb& operator=(const RawDb&) = delete;

  rocksdb::DB& db() { return *db_; }
  rocksdb::ColumnFamilyHandle* events() { return events_; }

 private:
  std::unique_ptr<rocksdb::DB> db_;
  std::vector<rocksdb::ColumnFamilyHandle*> handles_;
  rocksdb::ColumnFamilyHandle* events_ = nullptr;
};

std::unique_ptr<RocksEventStore> OpenStore(const std::string& path, const Clock& clock) {
  RocksEventStoreOptions options;
  options.path = path;
  options.clock = &clock;
  options.block_cache_bytes = kBlockCacheBytes;
  absl::StatusOr<std::unique_ptr<RocksEventStore>> store = RocksEventStore::Open(options);
  Check(store.status(), absl::StrCat("opening the store at ", path));
  return std::move(*store);
}

// Appends every thread's commits (thread t appends per_thread[t] in order) to a fresh
// store at `path`, all threads released together; events/s over the wall time.
double StoreAppendRate(const std::string& path, const Clock& clock,
                       const std::vector<std::vector<Commit>>& per_thread) {
  std::unique_ptr<RocksEventStore> store = OpenStore(path, clock);
  FlushOtherWrites();
  std::latch ready(static_cast<std::ptrdiff_t>(per_thread.size()));
  std::latch go(1);
  std::vector<std::thread> threads;
  for (const std::vector<Commit>& commits : per_thread) {
    threads.emplace_back([&] {
      ready.count_down();
      go.wait();
      for (const Commit& commit : commits) Check(store->Append(commit).status(), "append");
    });
  }
  ready.wait();
  const auto start = std::chrono::steady_clock::now();
  go.count_down();
  for (std::thread& thread : threads) thread.join();
  const double seconds = SecondsSince(start);
  store->Close();
  size_t events = 0;
  for (const std::vector<Commit>& commits : per_thread) events += EventCount(commits);
  return static_cast<double>(events) / seconds;
}

// Writes each encoded commit as one synced WriteBatch into a fresh raw database; events/s.
double RawAppendRate(const std::string& path, const std::vector<EncodedCommit>& commits) {
  RawDb raw(path);
  FlushOtherWrites();
  rocksdb::WriteOptions sync;
  sync.sync = true;
  size_t events = 0;
  const auto start = std::chrono::steady_clock::now();
  for (const EncodedCommit& commit : commits) {
    rocksdb::WriteBatch batch;
    for (const auto& [key, value] : commit) Check(batch.Put(raw.events(), key, value), "batch");
    Check(raw.db().Write(sync, &batch), "raw write");
    events += commit.size();
  }
  return static_cast<double>(events) / SecondsSince(start);
}

// The bytes the store wrote to its events column family must be the baseline's bytes.
void CheckSameBytes(const std::string& store_path, const std::vector<EncodedCommit>& expected) {
  RawDb raw(store_path);
  std::unique_ptr<rocksdb::Iterator> it(raw.db().NewIterator(rocksdb::ReadOptions(), raw.events()));
  it->SeekToFirst();
  for (const EncodedCommit& commit : expected) {
    for (const auto& [key, value] : commit) {
      if (!it->Valid() || it->key() != key || it->value() != value) {
        Fail("same bytes",
             absl::StrCat("the store's event at position ", *format::DecodePositionKey(key),
                          " differs from the baseline's"));
      }
      it->Next();
    }
  }
  if (it->Valid()) Fail("same bytes", "the store holds more events than the baseline");
  Check(it->status(), "scanning the store's events");
}

struct Measured {
  double value = 0;
  double baseline = 0;
};

// Store and raw runs alternate, each in a fresh directory, so drift hits both sides alike.
Measured MeasureAppend(absl::string_view name, const std::vector<std::vector<Commit>>& per_thread,
                       const std::vector<Commit>* raw_commits, size_t repetitions) {
  testing::FakeClock clock;
  const int64_t recorded_at_us = absl::ToUnixMicros(clock.Now());
  std::vector<EncodedCommit> encoded;
  if (raw_commits != nullptr) {
    encoded = EncodeAsStored(*raw_commits, recorded_at_us);
    size_t events = 0;
    size_t bytes = 0;
    for (const EncodedCommit& commit : encoded) {
      for (const auto& [key, value] : commit) bytes += value.size();
      events += commit.size();
    }
    std::fprintf(stderr, "  %s: a stored event is %zu bytes on average\n",
                 std::string(name).c_str(), bytes / std::max<size_t>(events, 1));
  }
  std::vector<double> store_rates;
  std::vector<double> raw_rates;
  for (size_t rep = 0; rep < repetitions; ++rep) {
    ScratchDir dir;
    store_rates.push_back(StoreAppendRate(dir.Sub("store"), clock, per_thread));
    if (raw_commits != nullptr) {
      if (rep == 0) CheckSameBytes(dir.Sub("store"), encoded);
      raw_rates.push_back(RawAppendRate(dir.Sub("raw"), encoded));
    }
    std::fprintf(stderr, "  %s rep %zu: store %.0f events/s", std::string(name).c_str(), rep,
                 store_rates.back());
    if (!raw_rates.empty()) std::fprintf(stderr, ", raw %.0f events/s", raw_rates.back());
    std::fprintf(stderr, "\n");
  }
  return {Median(store_rates), raw_rates.empty() ? 0 : Median(raw_rates)};
}

std::vector<Commit> MakeCommits(CommitFactory& factory, absl::string_view prefix, size_t commits,
                                size_t events_per_commit, size_t streams) {
  std::vector<Commit> out;
  out.reserve(commits);
  for (size_t i = 0; i < commits; ++i) {
    out.push_back(factory.Make(absl::StrCat(prefix, "-c", i),
                               absl::StrCat(prefix, "-", i % streams), events_per_commit));
  }
  return out;
}

// Reads the whole log with ReadAll; events/s. Touches each event's payload.
double StoreReadAllRate(RocksEventStore& store, size_t expected_events) {
  size_t events = 0;
  size_t bytes = 0;
  const auto start = std::chrono::steady_clock::now();
  for (uint64_t from = 1;;) {
    absl::StatusOr<AllSlice> slice = store.ReadAll(from, EventFilter{}, kReadCountMax);
    Check(slice.status(), "ReadAll");
    if (slice->events.empty()) break;
    for (const RecordedEvent& event : slice->events) bytes += event.data.size();
    events += slice->events.size();
    from = slice->next_position;
  }
  const double seconds = SecondsSince(start);
  if (events != expected_events || bytes != events * kEventDataBytes) {
    Fail("ReadAll", absl::StrCat("read ", events, " events, expected ", expected_events));
  }
  return static_cast<double>(events) / seconds;
}

// Scans the events column family with a plain iterator, copying each key and value; events/s.
double RawScanRate(RawDb& raw, size_t expected_events) {
  size_t events = 0;
  size_t bytes = 0;
  std::string key;
  std::string value;
  const auto start = std::chrono::steady_clock::now();
  std::unique_ptr<rocksdb::Iterator> it(raw.db().NewIterator(rocksdb::ReadOptions(), raw.events()));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    key.assign(it->key().data(), it->key().size());
    value.assign(it->value().data(), it->value().size());
    bytes += key.size() + value.size();
    ++events;
  }
  Check(it->status(), "raw scan");
  const double seconds = SecondsSince(start);
  if (events != expected_events || bytes == 0) {
    Fail("raw scan", absl::StrCat("read ", events, " events, expected ", expected_events));
  }
  return static_cast<double>(events) / seconds;
}

// Fills a store, compacts its log into one level (so no background compaction runs while
// either side is timed), then alternates: the store reading the whole log with ReadAll, and a
// raw iterator scan over the same directory. Each opens the directory afresh and makes one
// untimed warm-up pass before the timed one.
Measured MeasureReadAll(const BenchOptions& options) {
  testing::FakeClock clock;
  ScratchDir dir;
  const std::string path = dir.Sub("store");
  const size_t commits = options.read_all_events / kReadAllLoadEventsPerCommit;
  const size_t events = commits * kReadAllLoadEventsPerCommit;
  {
    CommitFactory factory;
    std::unique_ptr<RocksEventStore> store = OpenStore(path, clock);
    for (size_t i = 0; i < commits; ++i) {
      Commit commit =
          factory.Make(absl::StrCat("load-c", i), absl::StrCat("agency-", i % kReadAllLoadStreams),
                       kReadAllLoadEventsPerCommit);
      Check(store->Append(commit).status(), "loading the log");
    }
  }
  {
    RawDb raw(path);
    Check(raw.db().CompactRange(rocksdb::CompactRangeOptions(), raw.events(), nullptr, nullptr),
          "compacting the log");
  }
  std::vector<double> store_rates;
  std::vector<double> raw_rates;
  for (size_t rep = 0; rep < options.repetitions; ++rep) {
    {
      std::unique_ptr<RocksEventStore> store = OpenStore(path, clock);
      StoreReadAllRate(*store, events);
      store_rates.push_back(StoreReadAllRate(*store, events));
    }
    {
      RawDb raw(path);
      RawScanRate(raw, events);
      raw_rates.push_back(RawScanRate(raw, events));
    }
    std::fprintf(stderr, "  read_all rep %zu: store %.0f, raw %.0f events/s\n", rep,
                 store_rates.back(), raw_rates.back());
  }
  return {Median(store_rates), Median(raw_rates)};
}

std::string JsonLine(absl::string_view name, const Measured& m) {
  const double ratio = m.baseline > 0 ? m.value / m.baseline : 0;
  return absl::StrCat(R"({"name": ")", name, R"(", "value": )", std::llround(m.value),
                      R"(, "unit": "events/s", "baseline": )", std::llround(m.baseline),
                      ", \"ratio\": ", std::round(ratio * 1000) / 1000, "}");
}

void Emit(const std::string& line, std::ofstream* json_out) {
  std::printf("%s\n", line.c_str());
  std::fflush(stdout);
  if (json_out != nullptr) *json_out << line << "\n" << std::flush;
}

// Events hashed per second by the writer's tamper-evidence work alone (hash_sm3 above).
double HashRate(DigestAlgorithm algorithm, const std::vector<RecordedEvent>& events, size_t total) {
  MerkleFrontier frontier;
  Digest chain{};
  std::string canonical;
  uint64_t emitted = 0;
  const auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < total; ++i) {
    RecordedEvent e = events[i % events.size()];
    e.position = i + 1;
    CanonicalRecord(e, &canonical);
    chain = ChainHash(algorithm, chain, canonical);
    frontier.Append(algorithm, LeafHash(algorithm, chain),
                    [&](const MerkleFrontier::Node& n) { emitted += n.hash[0]; });
  }
  const double seconds = SecondsSince(start);
  if (emitted == 1 && chain[0] == 0) std::fprintf(stderr, " ");  // keep the work observable
  return static_cast<double>(total) / seconds;
}

Measured MeasureHashing(CommitFactory& factory, const BenchOptions& options) {
  std::vector<RecordedEvent> events;
  for (const Commit& c : MakeCommits(factory, "hash", 64, 1, 1)) {
    RecordedEvent e;
    e.stream_id = c.writes[0].stream_id;
    e.stream_version = 1;
    e.event_id = c.writes[0].events[0].event_id;
    e.type = c.writes[0].events[0].type;
    e.data = c.writes[0].events[0].data;
    e.recorded_at_us = 1'560'000'000'000'000;
    e.principal = c.principal;
    e.commit_id = c.commit_id;
    events.push_back(std::move(e));
  }
  std::vector<double> sm3;
  std::vector<double> sha256;
  for (size_t r = 0; r < options.repetitions; ++r) {
    sm3.push_back(HashRate(DigestAlgorithm::kSm3, events, options.read_all_events));
    sha256.push_back(HashRate(DigestAlgorithm::kSha256, events, options.read_all_events));
  }
  return {Median(sm3), Median(sha256)};
}

int Run(const BenchOptions& options) {
  std::unique_ptr<std::ofstream> json_out;
  if (!options.json_out.empty()) {
    json_out = std::make_unique<std::ofstream>(options.json_out, std::ios::trunc);
    if (!*json_out) Fail("--json-out", absl::StrCat("cannot write ", options.json_out));
  }
  CommitFactory factory;

  std::fprintf(stderr, "append_batch100: %zu commits x %zu events, %zu repetitions\n",
               options.batch_commits, kBatchEventsPerCommit, options.repetitions);
  const std::vector<Commit> batch =
      MakeCommits(factory, "agency", options.batch_commits, kBatchEventsPerCommit, 16);
  Emit(JsonLine("append_batch100",
                MeasureAppend("append_batch100", {batch}, &batch, options.repetitions)),
       json_out.get());

  std::fprintf(stderr, "append_single_1thread: %zu commits\n", options.single_commits);
  const std::vector<Commit> single = MakeCommits(factory, "person", options.single_commits, 1, 1);
  const Measured one_thread =
      MeasureAppend("append_single_1thread", {single}, &single, options.repetitions);
  Emit(JsonLine("append_single_1thread", one_thread), json_out.get());

  std::fprintf(stderr, "hash_sm3: %zu events, %zu repetitions\n", options.read_all_events,
               options.repetitions);
  Emit(JsonLine("hash_sm3", MeasureHashing(factory, options)), json_out.get());

  std::fprintf(stderr, "read_all: %zu events, %zu repetitions\n", options.read_all_events,
               options.repetitions);
  Emit(JsonLine("read_all", MeasureReadAll(options)), json_out.get());

  // Last: the case most likely to find a concurrency bug must not hide the other numbers.
  std::fprintf(stderr, "append_single_64threads: %zu threads x %zu commits\n", kManyThreads,
               options.many_thread_commits);
  std::vector<std::vector<Commit>> many;
  for (size_t t = 0; t < kManyThreads; ++t) {
    many.push_back(
        MakeCommits(factory, absl::StrCat("person", t), options.many_thread_commits, 1, 1));
  }
  const Measured many_threads =
      MeasureAppend("append_single_64threads", many, nullptr, options.repetitions);
  Emit(JsonLine("append_single_64threads", {many_threads.value, one_thread.value}), json_out.get());

  return 0;
}

}  // namespace
}  // namespace reformlog::eventstore

int main(int argc, char** argv) {
  using reformlog::eventstore::BenchOptions;
  BenchOptions options = reformlog::eventstore::FullOptions();
  std::string json_out;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--quick") {
      options = reformlog::eventstore::QuickOptions();
    } else if (arg == "--json-out" && i + 1 < argc) {
      json_out = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--quick] [--json-out FILE]\n", argv[0]);
      return 2;
    }
  }
  options.json_out = json_out;
  // The store logs opening at info level to stdout; stdout carries only the JSON lines.
  spdlog::set_level(spdlog::level::warn);
  return reformlog::eventstore::Run(options);
}
