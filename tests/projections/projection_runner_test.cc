// ProjectionRunner: checkpoints written with the state, restart without replaying the log,
// rebuild beside the live copy with no empty window, read-your-writes, and — for every
// projection — incremental state == rebuilt state == a replay on the in-memory store, for
// random command sequences.
#include "projections/projection_runner.h"

#include <algorithm>
#include <atomic>
#include <mutex>
#include <random>
#include <thread>

#include "absl/synchronization/notification.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/kv_store.h"
#include "eventstore/limits.h"
#include "eventstore/rocks_event_store.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/all_projections.h"
#include "projections/entity_persistence.h"
#include "projections/in_memory_replay.h"
#include "projections/org/org_projection.h"
#include "projections/readmodel_format.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"
#include "tests/projections/random_commands.h"
#include "tests/testing/command_driver.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::projections {
namespace {

namespace rm = ::reformlog::readmodel::v1;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

class ProjectionRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    eventstore::RocksEventStoreOptions options;
    options.path = dir_.Sub("log");
    options.clock = &clock_;
    auto store = eventstore::RocksEventStore::Open(options);
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    OpenKv();
    driver_ = std::make_unique<testing::CommandDriver>(*store_, clock_);
  }

  void OpenKv() {
    kv_.reset();
    auto kv = eventstore::OpenRocksKeyValueStore(dir_.Sub("readmodels"));
    ASSERT_TRUE(kv.ok()) << kv.status();
    kv_ = std::move(*kv);
  }

  std::unique_ptr<ProjectionRunner> StartRunner(
      const ProjectionRunnerOptions& options = ProjectionRunnerOptions()) {
    auto runner = ProjectionRunner::Start(*store_, *kv_, AllProjections(), options);
    EXPECT_TRUE(runner.ok()) << runner.status();
    return runner.ok() ? std::move(*runner) : nullptr;
  }

  static std::string Render(const ProjectionRunner& runner, const std::string& name) {
    std::string out;
    EXPECT_TRUE(runner
                    .Read(name, 0, absl::ZeroDuration(),
                          [&](const EntityTable& t, uint64_t) { out = t.Render(); })
                    .ok());
    return out;
  }

  // Every projection rendered from a replay of the whole log on the in-memory path.
  std::map<std::string, std::string> Replayed() {
    std::vector<std::unique_ptr<Projection>> projections = AllProjections();
    std::vector<const Projection*> raw;
    for (const auto& p : projections) raw.push_back(p.get());
    auto replayed = ReplayInMemory(*store_, raw, store_->HeadPosition());
    EXPECT_TRUE(replayed.ok()) << replayed.status();
    std::map<std::string, std::string> out;
    for (size_t i = 0; replayed.ok() && i < raw.size(); ++i) {
      out[std::string(raw[i]->name())] = (*replayed)[i]->Render();
    }
    return out;
  }

  static const ProjectionStatus* StatusOf(const std::vector<ProjectionStatus>& all,
                                          const std::string& name) {
    for (const ProjectionStatus& s : all) {
      if (s.name == name) return &s;
    }
    return nullptr;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<eventstore::RocksEventStore> store_;
  std::unique_ptr<eventstore::KeyValueStore> kv_;
  std::unique_ptr<testing::CommandDriver> driver_;
};

TEST_F(ProjectionRunnerTest, RestartResumesFromCheckpointsWithoutReplay) {
  testing::RandomCommands commands(*driver_, 7);
  commands.Run(300);
  const uint64_t head = store_->HeadPosition();
  std::map<std::string, std::string> before;
  {
    auto runner = StartRunner();
    ASSERT_TRUE(runner->WaitForAll(head, absl::Seconds(30)));
    for (const ProjectionStatus& s : runner->Statuses()) {
      EXPECT_EQ(s.position, head) << s.name;
      EXPECT_EQ(s.applied_since_start, head) << s.name;
      before[s.name] = Render(*runner, s.name);
    }
  }
  OpenKv();  // as after a restart of the process
  auto runner = StartRunner();
  for (const ProjectionStatus& s : runner->Statuses()) {
    EXPECT_EQ(s.position, head) << s.name;
    EXPECT_EQ(s.applied_since_start, 0u) << s.name << " replayed the log on restart";
    EXPECT_EQ(Render(*runner, s.name), before[s.name]) << s.name;
  }
  // New events are applied once each.
  commands.Run(20);
  ASSERT_TRUE(runner->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  for (const ProjectionStatus& s : runner->Statuses()) {
    EXPECT_EQ(s.applied_since_start, store_->HeadPosition() - head) << s.name;
  }
}

// The org projection under another logic version, as a newer build would carry it.
class VersionedOrg final : public Projection {
 public:
  explicit VersionedOrg(uint32_t logic_version) : logic_version_(logic_version) {}
  absl::string_view name() const override { return org_.name(); }
  const google::protobuf::Message& entity_prototype() const override {
    return org_.entity_prototype();
  }
  void Apply(const AppliedEvent& event, EntityTable& table) const override {
    org_.Apply(event, table);
  }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override {
    return org_.EventTypes();
  }
  uint32_t logic_version() const override { return logic_version_; }

 private:
  OrgProjection org_;
  uint32_t logic_version_;
};

// A model persisted by another logic version is rebuilt beside the live copy when the runner
// starts (queries meanwhile see the old one, never an empty one); the same version again is
// left alone.
TEST_F(ProjectionRunnerTest, AModelOfAnotherLogicVersionIsRebuiltAtStart) {
  testing::RandomCommands commands(*driver_, 5);
  commands.Run(200);
  const uint64_t head = store_->HeadPosition();
  std::string before;
  uint32_t version = 0;
  {
    auto runner = StartRunner();  // every projection at logic version 1
    ASSERT_TRUE(runner->WaitForAll(head, absl::Seconds(30)));
    before = Render(*runner, OrgProjection::kName);
    version = StatusOf(runner->Statuses(), OrgProjection::kName)->version;
  }
  // What Start decided to rebuild, and each such rebuild's outcome (the runner's test hooks).
  std::vector<std::string> stale;
  absl::Notification rebuilt;
  absl::Status rebuild_status;
  auto start_with = [&](uint32_t logic_version) -> std::unique_ptr<ProjectionRunner> {
    OpenKv();
    std::vector<std::unique_ptr<Projection>> projections;
    projections.push_back(std::make_unique<VersionedOrg>(logic_version));
    ProjectionRunnerOptions options;
    options.hooks.stale_logic_at_start = [&](const std::vector<std::string>& names) {
      stale = names;
    };
    options.hooks.stale_logic_rebuilt = [&](absl::string_view, const absl::Status& status) {
      rebuild_status = status;
      rebuilt.Notify();
    };
    auto runner = ProjectionRunner::Start(*store_, *kv_, std::move(projections), options);
    EXPECT_TRUE(runner.ok()) << runner.status();
    return runner.ok() ? std::move(*runner) : nullptr;
  };
  auto version_of = [&](const ProjectionRunner& runner) {
    return StatusOf(runner.Statuses(), OrgProjection::kName)->version;
  };
  {
    auto runner = start_with(2);
    ASSERT_NE(runner, nullptr);
    EXPECT_THAT(stale, ElementsAre(OrgProjection::kName));
    EXPECT_EQ(Render(*runner, OrgProjection::kName), before);  // the old model serves
    ASSERT_TRUE(rebuilt.WaitForNotificationWithTimeout(absl::Seconds(30)));
    EXPECT_TRUE(rebuild_status.ok()) << rebuild_status;
    EXPECT_EQ(version_of(*runner), version + 1) << "not rebuilt for logic version 2";
    EXPECT_EQ(Render(*runner, OrgProjection::kName), before);
    EXPECT_EQ(StatusOf(runner->Statuses(), OrgProjection::kName)->applied_since_start, 0u);
  }
  {
    stale = {"(not called)"};
    auto runner = start_with(2);
    ASSERT_NE(runner, nullptr);
    // Start decides which models to rebuild before it returns: none, so no rebuild runs.
    EXPECT_THAT(stale, IsEmpty()) << "rebuilt although nothing changed";
    EXPECT_EQ(version_of(*runner), version + 1);
    EXPECT_EQ(Render(*runner, OrgProjection::kName), before);
  }
}

TEST_F(ProjectionRunnerTest, RebuildSwapsInAnEqualModelWithoutAnEmptyWindow) {
  testing::RandomCommands commands(*driver_, 11);
  commands.Run(300);
  auto runner = StartRunner();
  ASSERT_TRUE(runner->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  const std::string before = Render(*runner, OrgProjection::kName);
  const size_t entities = StatusOf(runner->Statuses(), OrgProjection::kName)->entities;
  ASSERT_GT(entities, 0u);
  // Readers and a writer keep going while the rebuild runs.
  std::atomic<bool> done{false};
  std::atomic<size_t> smallest{SIZE_MAX};
  std::thread reader([&] {
    while (!done) {
      ASSERT_TRUE(runner
                      ->Read(OrgProjection::kName, 0, absl::ZeroDuration(),
                             [&](const EntityTable& t, uint64_t) {
                               size_t seen = smallest;
                               while (t.size() < seen &&
                                      !smallest.compare_exchange_weak(seen, t.size())) {
                               }
                             })
                      .ok());
    }
  });
  std::thread writer([&] { commands.Run(40); });
  ASSERT_TRUE(runner->Rebuild(OrgProjection::kName).ok());
  writer.join();
  done = true;
  reader.join();
  EXPECT_GE(smallest.load(), entities) << "a query saw a partial model during the rebuild";
  EXPECT_EQ(StatusOf(runner->Statuses(), OrgProjection::kName)->version, 2u);
  // The rebuilt model equals a fresh replay of the whole log.
  ASSERT_TRUE(runner->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  OrgProjection org;
  auto replayed = ReplayInMemory(*store_, {&org}, store_->HeadPosition());
  ASSERT_TRUE(replayed.ok());
  EXPECT_EQ(Render(*runner, OrgProjection::kName), (*replayed)[0]->Render());
  // And it is what a restart loads.
  runner.reset();
  OpenKv();
  runner = StartRunner();
  EXPECT_EQ(StatusOf(runner->Statuses(), OrgProjection::kName)->version, 2u);
  EXPECT_EQ(Render(*runner, OrgProjection::kName), (*replayed)[0]->Render());
  EXPECT_NE(before, "");
}

TEST_F(ProjectionRunnerTest, ReadYourWritesWaitsBoundedThenNamesTheLag) {
  auto runner = StartRunner();
  testing::RandomCommands commands(*driver_, 3);
  commands.Run(30);
  const uint64_t head = store_->HeadPosition();
  uint64_t seen = 0;
  ASSERT_TRUE(runner
                  ->Read(OrgProjection::kName, head, absl::Seconds(30),
                         [&](const EntityTable&, uint64_t position) { seen = position; })
                  .ok());
  EXPECT_GE(seen, head);
  absl::Status beyond = runner->Read(OrgProjection::kName, head + 1000, absl::Milliseconds(50),
                                     [](const EntityTable&, uint64_t) {});
  EXPECT_EQ(beyond.code(), absl::StatusCode::kUnavailable);
  EXPECT_THAT(beyond.message(), HasSubstr("1000 behind the requested min_position"));
  EXPECT_EQ(
      runner->Read("nope", 0, absl::ZeroDuration(), [](const EntityTable&, uint64_t) {}).code(),
      absl::StatusCode::kNotFound);
}

// For every projection: the model built event by event as commands arrive equals the one a
// rebuild makes, and both equal a replay of the same commands on the in-memory store.
TEST_F(ProjectionRunnerTest, IncrementalEqualsRebuiltEqualsInMemoryReplay) {
  eventstore::InMemoryEventStore model(clock_);
  testing::CommandDriver model_driver(model, clock_);
  auto runner = StartRunner();
  for (const unsigned seed : {1u, 2u, 3u}) {
    testing::RandomCommands on_rocks(*driver_, seed);
    testing::RandomCommands on_model(model_driver, seed);
    on_rocks.Run(150);
    on_model.Run(150);
  }
  ASSERT_EQ(store_->HeadPosition(), model.HeadPosition());
  ASSERT_TRUE(runner->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  std::vector<std::unique_ptr<Projection>> projections = AllProjections();
  std::vector<const Projection*> raw;
  for (const auto& p : projections) raw.push_back(p.get());
  auto replayed = ReplayInMemory(model, raw, model.HeadPosition());
  ASSERT_TRUE(replayed.ok());
  for (size_t i = 0; i < raw.size(); ++i) {
    const std::string name(raw[i]->name());
    const std::string incremental = Render(*runner, name);
    ASSERT_TRUE(runner->Rebuild(name).ok()) << name;
    EXPECT_EQ(Render(*runner, name), incremental) << name << ": rebuilt differs from incremental";
    EXPECT_EQ((*replayed)[i]->Render(), incremental) << name << ": in-memory replay differs";
    EXPECT_GT((*replayed)[i]->size(), 0u) << name << ": the random commands touched nothing";
  }
}

// A small log caught up through the pipeline (pages of 7 events, a write every 50): every
// projection ends persisted at the head, equal to a replay, and a restart loads exactly that.
TEST_F(ProjectionRunnerTest, CatchUpPipelinePersistsEveryModelThroughTheHead) {
  testing::RandomCommands commands(*driver_, 5);
  commands.Run(300);
  const uint64_t head = store_->HeadPosition();
  ProjectionRunnerOptions options;
  options.catch_up_lag_events = 1;
  options.catch_up_flush_events = 50;
  options.page_events = 7;
  const std::map<std::string, std::string> replayed = Replayed();
  {
    auto runner = StartRunner(options);
    ASSERT_TRUE(runner->WaitForAll(head, absl::Seconds(30)));
    runner->Stop();
    for (const ProjectionStatus& s : runner->Statuses()) {
      EXPECT_EQ(s.persisted, head) << s.name;
      EXPECT_EQ(s.applied_since_start, head) << s.name;
      EXPECT_EQ(Render(*runner, s.name), replayed.at(s.name)) << s.name;
    }
  }
  OpenKv();
  auto runner = StartRunner(options);
  for (const ProjectionStatus& s : runner->Statuses()) {
    EXPECT_EQ(s.position, head) << s.name;
    EXPECT_EQ(s.applied_since_start, 0u) << s.name << " replayed the log on restart";
    EXPECT_EQ(Render(*runner, s.name), replayed.at(s.name)) << s.name;
  }
}

// Stopped in the middle of a catch-up, a runner leaves each model persisted at a checkpoint
// that agrees with its entities: the next runner applies exactly the events after it, once,
// and ends equal to a replay.
TEST_F(ProjectionRunnerTest, CatchUpStoppedHalfWayResumesWithoutGapOrRepeat) {
  testing::RandomCommands commands(*driver_, 9);
  commands.Run(400);
  const uint64_t head = store_->HeadPosition();
  ProjectionRunnerOptions options;
  options.catch_up_lag_events = 1;
  options.catch_up_flush_events = 20;
  options.page_events = 3;
  const std::map<std::string, std::string> replayed = Replayed();
  std::map<std::string, uint64_t> persisted;
  {
    auto runner = StartRunner(options);
    ASSERT_TRUE(runner->WaitForAll(head / 2, absl::Seconds(30)));
    runner->Stop();
    for (const ProjectionStatus& s : runner->Statuses()) {
      EXPECT_EQ(s.persisted, s.position) << s.name << ": a stop persists what was applied";
      persisted[s.name] = s.persisted;
    }
  }
  OpenKv();
  auto runner = StartRunner(options);
  ASSERT_TRUE(runner->WaitForAll(head, absl::Seconds(30)));
  for (const ProjectionStatus& s : runner->Statuses()) {
    EXPECT_EQ(s.applied_since_start, head - persisted.at(s.name)) << s.name;
    EXPECT_EQ(Render(*runner, s.name), replayed.at(s.name)) << s.name;
  }
}

// A read-model store that loses every write from Freeze() on, as one whose process died then
// would: what a restart finds is what was written before.
class FreezableKv final : public eventstore::KeyValueStore {
 public:
  explicit FreezableKv(eventstore::KeyValueStore& kv) : kv_(kv) {}
  // Returns once no write is under way: none lands after it.
  void Freeze() {
    std::lock_guard lock(mu_);
    frozen_ = true;
  }
  absl::StatusOr<std::optional<std::string>> Get(absl::string_view key) override {
    return kv_.Get(key);
  }
  absl::Status Scan(absl::string_view prefix,
                    const std::function<bool(absl::string_view, absl::string_view)>& fn) override {
    return kv_.Scan(prefix, fn);
  }
  absl::Status Write(const eventstore::KvBatch& batch) override {
    std::lock_guard lock(mu_);
    return frozen_ ? absl::OkStatus() : kv_.Write(batch);
  }

 private:
  eventstore::KeyValueStore& kv_;
  std::mutex mu_;
  bool frozen_ = false;
};

// Near the head the runner persists in bounded steps, not after every batch: nothing before
// live_flush_events events (the interval being an hour), then a checkpoint whose entities on
// disk are exactly the model at that position; a process that dies there resumes from it and
// applies every later event once.
TEST_F(ProjectionRunnerTest, LiveFlushesAreBoundedAndARestartResumesFromTheLastOne) {
  ProjectionRunnerOptions options;
  options.live_flush_events = 20;
  options.live_flush_interval_ms = 3'600'000;
  FreezableKv kv(*kv_);
  auto runner = ProjectionRunner::Start(*store_, kv, AllProjections(), options);
  ASSERT_TRUE(runner.ok()) << runner.status();
  testing::RandomCommands commands(*driver_, 13);
  commands.Run(2);
  ASSERT_GT(store_->HeadPosition(), 0u);
  ASSERT_LT(store_->HeadPosition(), options.live_flush_events);
  ASSERT_TRUE((*runner)->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  for (const ProjectionStatus& s : (*runner)->Statuses()) {
    EXPECT_EQ(s.persisted, 0u) << s.name << " persisted before the bounds said so";
  }
  commands.Run(300);
  const uint64_t head = store_->HeadPosition();
  ASSERT_GT(head, 3 * options.live_flush_events);
  ASSERT_TRUE((*runner)->WaitForAll(head, absl::Seconds(30)));
  // A batch is persisted just after it is applied: a runner that lagged (a slow or
  // instrumented machine) may have taken all of it in one batch and be writing its first
  // checkpoint now. Every bound-crossing flush lands; what stays unflushed is less than the
  // bound.
  auto flushed_to_bound = [&] {
    const std::vector<ProjectionStatus> statuses = (*runner)->Statuses();
    return std::all_of(statuses.begin(), statuses.end(), [&](const ProjectionStatus& s) {
      return s.persisted + options.live_flush_events > head;
    });
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (!flushed_to_bound() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  ASSERT_TRUE(flushed_to_bound());
  // What is on disk for each model: its meta's checkpoint, and entities equal to a replay of
  // the log up to it.
  kv.Freeze();
  std::map<std::string, uint64_t> checkpoints;
  for (const ProjectionStatus& s : (*runner)->Statuses()) {
    auto meta = kv_->Get(format::MetaKey(s.name));
    ASSERT_TRUE(meta.ok() && meta->has_value()) << s.name;
    rm::ProjectionMeta parsed;
    ASSERT_TRUE(parsed.ParseFromString(**meta));
    EXPECT_GT(parsed.checkpoint(), 0u) << s.name;
    EXPECT_LE(parsed.checkpoint(), head) << s.name;
    EXPECT_GE(
        parsed.checkpoint() + options.live_flush_events + eventstore::kSubscriptionBatchEventsMax,
        head)
        << s.name;
    checkpoints[s.name] = parsed.checkpoint();
  }
  for (const auto& projection : AllProjections()) {
    const std::string name(projection->name());
    std::unique_ptr<EntityTable> on_disk = NewTable(*projection);
    auto meta = kv_->Get(format::MetaKey(name));
    rm::ProjectionMeta parsed;
    ASSERT_TRUE(meta.ok() && meta->has_value() && parsed.ParseFromString(**meta));
    ASSERT_TRUE(LoadEntities(*projection, parsed.version(), *kv_, *on_disk).ok()) << name;
    auto replayed = ReplayInMemory(*store_, {projection.get()}, checkpoints[name]);
    ASSERT_TRUE(replayed.ok());
    EXPECT_EQ(on_disk->Render(), (*replayed)[0]->Render()) << name;
  }
  // The process dies (its last writes are lost); more commands come; a new runner resumes.
  commands.Run(20);
  runner->reset();
  auto restarted = StartRunner(options);
  ASSERT_TRUE(restarted->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  const std::map<std::string, std::string> replayed = Replayed();
  for (const ProjectionStatus& s : restarted->Statuses()) {
    EXPECT_EQ(s.applied_since_start, store_->HeadPosition() - checkpoints.at(s.name)) << s.name;
    EXPECT_EQ(Render(*restarted, s.name), replayed.at(s.name)) << s.name;
  }
}

// A quiet log: what was applied is persisted within the interval, with no more events coming.
TEST_F(ProjectionRunnerTest, AQuietLogIsPersistedWithinTheFlushInterval) {
  ProjectionRunnerOptions options;
  options.live_flush_events = 1'000'000;
  options.live_flush_interval_ms = 20;
  auto runner = StartRunner(options);
  testing::RandomCommands commands(*driver_, 17);
  commands.Run(10);
  const uint64_t head = store_->HeadPosition();
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  auto all_persisted = [&] {
    return std::ranges::all_of(runner->Statuses(),
                               [&](const ProjectionStatus& s) { return s.persisted >= head; });
  };
  while (!all_persisted() && absl::Now() < deadline) absl::SleepFor(absl::Milliseconds(5));
  EXPECT_TRUE(all_persisted());
}

// The payload types every event of the log had, one entity per type: what the runner offered.
class TypesSeenProjection final : public TypedProjection<rm::ProjectionMeta> {
 public:
  explicit TypesSeenProjection(std::vector<const google::protobuf::Descriptor*> types)
      : types_(std::move(types)) {}
  absl::string_view name() const override { return "types_seen"; }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override { return types_; }

 protected:
  void ApplyTyped(const AppliedEvent& event, Table<rm::ProjectionMeta>& table) const override {
    rm::ProjectionMeta* seen = table.Mutable(event.payload.GetDescriptor()->full_name());
    seen->set_checkpoint(seen->checkpoint() + 1);
  }

 private:
  std::vector<const google::protobuf::Descriptor*> types_;
};

TEST_F(ProjectionRunnerTest, AProjectionIsOfferedOnlyTheEventTypesItTakes) {
  testing::RandomCommands commands(*driver_, 4);
  commands.Run(200);
  TypesSeenProjection two_types(
      EventSet<domain::v1::PersonRegistered, domain::v1::AgencyEstablished>::Descriptors());
  TypesSeenProjection everything({});
  auto replayed = ReplayInMemory(*store_, {&two_types, &everything}, store_->HeadPosition());
  ASSERT_TRUE(replayed.ok()) << replayed.status();
  std::vector<std::string> offered;
  (*replayed)[0]->ForEach(
      [&](const std::string& key, const google::protobuf::Message&) { offered.push_back(key); });
  EXPECT_THAT(offered, ::testing::ElementsAre("reformlog.domain.v1.AgencyEstablished",
                                              "reformlog.domain.v1.PersonRegistered"));
  EXPECT_GT((*replayed)[1]->size(), 10u) << "an empty EventTypes() takes every event";
  // The runner routes the same way.
  std::vector<std::unique_ptr<Projection>> projections;
  projections.push_back(std::make_unique<TypesSeenProjection>(
      EventSet<domain::v1::PersonRegistered, domain::v1::AgencyEstablished>::Descriptors()));
  auto runner = ProjectionRunner::Start(*store_, *kv_, std::move(projections));
  ASSERT_TRUE(runner.ok()) << runner.status();
  ASSERT_TRUE((*runner)->WaitForAll(store_->HeadPosition(), absl::Seconds(30)));
  std::string rendered;
  ASSERT_TRUE((*runner)
                  ->Read("types_seen", 0, absl::ZeroDuration(),
                         [&](const EntityTable& t, uint64_t) { rendered = t.Render(); })
                  .ok());
  EXPECT_EQ(rendered, (*replayed)[0]->Render());
}

TEST_F(ProjectionRunnerTest, OptionsOutOfRangeAreRefused) {
  ProjectionRunnerOptions options;
  options.page_events = eventstore::kReadCountMax + 1;
  auto runner = ProjectionRunner::Start(*store_, *kv_, AllProjections(), options);
  EXPECT_EQ(runner.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(runner.status().message(), HasSubstr("page_events"));
  options = ProjectionRunnerOptions();
  options.live_flush_events = 0;
  runner = ProjectionRunner::Start(*store_, *kv_, AllProjections(), options);
  EXPECT_EQ(runner.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(runner.status().message(), HasSubstr("live_flush_events"));
  options = ProjectionRunnerOptions();
  options.live_flush_interval_ms = -1;
  runner = ProjectionRunner::Start(*store_, *kv_, AllProjections(), options);
  EXPECT_EQ(runner.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(runner.status().message(), HasSubstr("live_flush_interval_ms"));
}

}  // namespace
}  // namespace reformlog::projections
