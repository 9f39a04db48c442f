// The command path under races: a request and its twin, commands queuing on one agency, a
// state gone stale behind the runner's back, and a commit that others decided against but
// that never became durable. Races are staged with the runner's hooks and a store wrapper
// that holds a chosen commit after it is queued, so every test is deterministic.
#include "services/commands/command_runner.h"

#include <atomic>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"
#include "eventstore/in_memory_event_store.h"
#include "eventstore/rocks_event_store.h"
#include "gtest/gtest.h"
#include "reformlog/api/v1/org_commands.pb.h"
#include "reformlog/api/v1/staffing_commands.pb.h"
#include "services/domain/org_agency_decide.h"
#include "services/domain/org_quota_decide.h"
#include "services/domain/staffing_decide.h"
#include "tests/testing/fake_clock.h"
#include "tests/testing/requests.h"
#include "tests/testing/temp_dir.h"

namespace reformlog::services {
namespace {

namespace pb = ::reformlog::domain::v1;
namespace api = ::reformlog::api::v1;
using eventstore::AppendResult;
using eventstore::Commit;

// Passes everything to a real store, except that the commit with id `hold_id` is held after
// it has been queued (its states applied and unlocked by the runner) until Release(), and is
// then failed with INTERNAL instead of written: a commit others decide against and that
// never becomes durable.
class FailingAfterQueueStore final : public eventstore::EventStore {
 public:
  explicit FailingAfterQueueStore(eventstore::EventStore& inner) : inner_(inner) {}

  void FailCommit(std::string id) { hold_id_ = std::move(id); }
  // Returns once the held commit is queued.
  void WaitUntilHeld() { held_.WaitForNotification(); }
  void Release() { release_.Notify(); }

  using EventStore::Append;
  absl::StatusOr<AppendResult> Append(const Commit& commit,
                                      absl::FunctionRef<void()> queued) override {
    if (commit.commit_id != hold_id_) return inner_.Append(commit, queued);
    queued();
    held_.Notify();
    release_.WaitForNotification();
    return absl::InternalError("the disk failed (injected)");
  }
  absl::StatusOr<eventstore::StreamSlice> ReadStream(absl::string_view stream_id,
                                                     uint64_t from_version,
                                                     eventstore::ReadDirection direction,
                                                     size_t max_count) override {
    return inner_.ReadStream(stream_id, from_version, direction, max_count);
  }
  absl::StatusOr<eventstore::AllSlice> ReadAll(uint64_t from_position,
                                               const eventstore::EventFilter& filter,
                                               size_t max_count) override {
    return inner_.ReadAll(from_position, filter, max_count);
  }
  uint64_t HeadPosition() const override { return inner_.HeadPosition(); }
  absl::StatusOr<eventstore::CommitRecord> FindCommit(absl::string_view commit_id) override {
    return inner_.FindCommit(commit_id);
  }
  absl::StatusOr<uint64_t> CurrentStreamVersion(absl::string_view stream_id) override {
    return inner_.CurrentStreamVersion(stream_id);
  }
  absl::StatusOr<std::unique_ptr<eventstore::Subscription>> Subscribe(
      uint64_t from_position, eventstore::EventFilter filter) override {
    return inner_.Subscribe(from_position, std::move(filter));
  }

 private:
  eventstore::EventStore& inner_;
  std::string hold_id_;
  absl::Notification held_;
  absl::Notification release_;
};

api::CommandHeader Header(const std::string& request_id) {
  api::CommandHeader h;
  h.set_request_id(request_id);
  h.mutable_basis()->set_number("西委编〔2019〕1号");
  h.set_effective_date("2019-03-01");
  return h;
}

api::RegisterPersonRequest Registration(const std::string& request_id, const std::string& person,
                                        const std::string& agency) {
  api::RegisterPersonRequest r;
  *r.mutable_header() = Header(request_id);
  r.mutable_person()->set_person_id(person);
  r.mutable_person()->set_name(absl::StrCat("人员", person));
  r.mutable_person()->set_agency_id(agency);
  r.mutable_person()->set_category(pb::ADMINISTRATIVE);
  r.mutable_person()->set_entry_reason(pb::CIVIL_SERVICE_EXAM);
  r.mutable_person()->set_post("科员");
  return r;
}

template <typename Request>
absl::StatusOr<api::CommandResult> RunCommand(
    CommandRunner& runner, const Request& request,
    absl::StatusOr<domain::Decision> (*decide)(domain::StateView&, const Request&)) {
  return runner.Run("test-operator", request, request.header(),
                    [&](domain::StateView& view) { return decide(view, request); });
}

absl::StatusOr<api::CommandResult> Register(CommandRunner& runner, const std::string& request_id,
                                            const std::string& person, const std::string& agency) {
  return RunCommand(runner, Registration(request_id, person, agency),
                    &domain::DecideRegisterPerson);
}

class CommandRunnerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto store = eventstore::RocksEventStore::Open({dir_.Sub("log"), &clock_});
    ASSERT_TRUE(store.ok()) << store.status();
    store_ = std::move(*store);
    runner_ = std::make_unique<CommandRunner>(*store_, clock_);
  }

  // An agency with `quota` 行政编制 and nobody in post.
  void Establish(const std::string& id, int quota) {
    api::EstablishAgencyRequest e =
        testing::requests::EstablishAgency(id, absl::StrCat("机构", id), pb::GOVERNMENT_DEPARTMENT);
    *e.mutable_header() = Header(absl::StrCat("establish-", id));
    ASSERT_TRUE(RunCommand(*runner_, e, &domain::DecideEstablishAgency).ok());
    api::ChangeQuotaRequest q = testing::requests::ChangeQuota(id, pb::ADMINISTRATIVE, quota);
    *q.mutable_header() = Header(absl::StrCat("quota-", id));
    ASSERT_TRUE(RunCommand(*runner_, q, &domain::DecideGrantQuota).ok());
  }

  testing::FakeClock clock_;
  testing::TempDir dir_;
  std::unique_ptr<eventstore::RocksEventStore> store_;
  std::unique_ptr<CommandRunner> runner_;
};

TEST_F(CommandRunnerTest, ATwinHeldBetweenDecideAndAppendGetsTheOriginalAnswer) {
  Establish("a", 5);
  absl::Notification decided, twin_waiting, go;
  runner_->SetHooksForTesting(
      {.after_answered_check = nullptr, .after_decide = [&](const std::string& id) {
         if (id != "twin") return;
         decided.Notify();
         go.WaitForNotification();
       }});
  runner_->gate_for_testing().SetOnWaitForTesting(
      [&](const std::string&) { twin_waiting.Notify(); });
  std::future<absl::StatusOr<api::CommandResult>> first =
      std::async(std::launch::async, [&] { return Register(*runner_, "twin", "p1", "a"); });
  decided.WaitForNotification();
  std::future<absl::StatusOr<api::CommandResult>> second =
      std::async(std::launch::async, [&] { return Register(*runner_, "twin", "p1", "a"); });
  twin_waiting.WaitForNotification();
  go.Notify();

  absl::StatusOr<api::CommandResult> a = first.get();
  absl::StatusOr<api::CommandResult> b = second.get();
  ASSERT_TRUE(a.ok()) << a.status();
  ASSERT_TRUE(b.ok()) << b.status();
  EXPECT_FALSE(a->replayed());
  EXPECT_TRUE(b->replayed());
  EXPECT_EQ(a->first_position(), b->first_position());
  EXPECT_EQ(a->position(), b->position());
  EXPECT_EQ(store_->HeadPosition(), a->position());
}

TEST_F(CommandRunnerTest, ATwinOfARefusedRequestGetsTheSameRefusalWithoutDecidingAgain) {
  Establish("a", 1);
  ASSERT_TRUE(Register(*runner_, "r-0", "p0", "a").ok());  // no vacancy left
  absl::Notification first_running, twin_waiting;
  runner_->SetHooksForTesting({.after_answered_check =
                                   [&](const std::string&) {
                                     first_running.Notify();
                                     twin_waiting.WaitForNotification();
                                   },
                               .after_decide = nullptr});
  runner_->gate_for_testing().SetOnWaitForTesting(
      [&](const std::string&) { twin_waiting.Notify(); });
  std::future<absl::StatusOr<api::CommandResult>> first =
      std::async(std::launch::async, [&] { return Register(*runner_, "twin", "p1", "a"); });
  first_running.WaitForNotification();  // the first copy holds the request id
  std::atomic<int> twin_decisions{0};
  api::RegisterPersonRequest copy = Registration("twin", "p1", "a");
  absl::StatusOr<api::CommandResult> second =
      runner_->Run("test-operator", copy, copy.header(), [&](domain::StateView& view) {
        ++twin_decisions;
        return domain::DecideRegisterPerson(view, copy);
      });
  absl::StatusOr<api::CommandResult> original = first.get();
  EXPECT_EQ(original.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(second.status(), original.status());
  EXPECT_EQ(twin_decisions, 0);
}

TEST_F(CommandRunnerTest, ATwinInAnotherProcessRefusedByItsOwnEffectGetsTheOriginalAnswer) {
  // Two runners on one store stand for two processes: no gate between them.
  Establish("a", 1);
  CommandRunner other(*store_, clock_);
  absl::Notification checked, original_done;
  other.SetHooksForTesting({.after_answered_check =
                                [&](const std::string&) {
                                  checked.Notify();
                                  original_done.WaitForNotification();
                                },
                            .after_decide = nullptr});
  // The copy in `other` finds no record of the request, then the original commits; deciding
  // after it, the copy meets the original's effect: the person registered, the last vacancy
  // filled. Both refusals would be wrong answers to a request that was recorded.
  std::future<absl::StatusOr<api::CommandResult>> copy =
      std::async(std::launch::async, [&] { return Register(other, "r-1", "p1", "a"); });
  checked.WaitForNotification();
  absl::StatusOr<api::CommandResult> original = Register(*runner_, "r-1", "p1", "a");
  original_done.Notify();
  absl::StatusOr<api::CommandResult> twin = copy.get();
  ASSERT_TRUE(original.ok()) << original.status();
  ASSERT_TRUE(twin.ok()) << twin.status();
  EXPECT_TRUE(twin->replayed());
  EXPECT_EQ(twin->position(), original->position());
  EXPECT_EQ(store_->HeadPosition(), original->position());
}

TEST_F(CommandRunnerTest, ARequestIdReusedForAnotherRequestIsRefusedEvenWhenRacing) {
  Establish("a", 5);
  ASSERT_TRUE(Register(*runner_, "r-1", "p1", "a").ok());
  absl::StatusOr<api::CommandResult> other = Register(*runner_, "r-1", "p2", "a");
  EXPECT_EQ(other.status().code(), absl::StatusCode::kAlreadyExists) << other.status();
}

TEST_F(CommandRunnerTest, CommandsOnOneAgencyQueueInsteadOfGivingUp) {
  constexpr int kThreads = 16;
  constexpr int kPerThread = 40;
  constexpr int kQuota = 500;  // fewer than the 640 registrations: the rest are 超编
  Establish("hot", kQuota);
  std::atomic<int> ok{0}, refused{0}, other{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        const std::string id = absl::StrCat("t", t, "-", i);
        absl::StatusOr<api::CommandResult> r = Register(*runner_, id, id, "hot");
        if (r.ok()) {
          ++ok;
        } else if (r.status().code() == absl::StatusCode::kFailedPrecondition) {
          ++refused;
        } else {
          ++other;
          ADD_FAILURE() << id << ": " << r.status();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(ok, kQuota);
  EXPECT_EQ(refused, kThreads * kPerThread - kQuota);
  EXPECT_EQ(other, 0);
  // Two events per registration (the person's, the agency roster's), positions gapless.
  absl::StatusOr<uint64_t> agency = store_->CurrentStreamVersion("agency-hot");
  ASSERT_TRUE(agency.ok());
  EXPECT_EQ(*agency, 2u + kQuota);
}

TEST_F(CommandRunnerTest, AStateWrittenBehindTheRunnersBackIsReadAgain) {
  Establish("a", 1);
  ASSERT_TRUE(Register(*runner_, "r-1", "p1", "a").ok());  // the runner caches agency-a
  // Another process grants a second post.
  CommandRunner other(*store_, clock_);
  api::ChangeQuotaRequest q;
  *q.mutable_header() = Header("more-quota");
  q.set_agency_id("a");
  q.set_category(pb::ADMINISTRATIVE);
  q.set_count(1);
  ASSERT_TRUE(RunCommand(other, q, &domain::DecideGrantQuota).ok());
  // The cached state says the agency is full; the store's check says it is stale.
  absl::StatusOr<api::CommandResult> second = Register(*runner_, "r-2", "p2", "a");
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_FALSE(second->replayed());
}

class CommandRunnerFailureTest : public CommandRunnerTest {
 protected:
  void SetUp() override {
    CommandRunnerTest::SetUp();
    failing_ = std::make_unique<FailingAfterQueueStore>(*store_);
    runner_ = std::make_unique<CommandRunner>(*failing_, clock_);
  }
  std::unique_ptr<FailingAfterQueueStore> failing_;
};

TEST_F(CommandRunnerFailureTest, ARefusalCausedByACommitThatFailedIsDecidedAgain) {
  Establish("a", 1);
  failing_->FailCommit(CommitIdOf("test-operator", "doomed"));
  std::future<absl::StatusOr<api::CommandResult>> doomed =
      std::async(std::launch::async, [&] { return Register(*runner_, "doomed", "p1", "a"); });
  failing_->WaitUntilHeld();
  // The doomed registration took the only vacancy in the runner's state, not yet durable.
  absl::Notification decided;
  api::RegisterPersonRequest next = Registration("next", "p2", "a");
  std::future<absl::StatusOr<api::CommandResult>> second = std::async(std::launch::async, [&] {
    bool first_decision = true;
    return runner_->Run("test-operator", next, next.header(), [&](domain::StateView& view) {
      absl::StatusOr<domain::Decision> d = domain::DecideRegisterPerson(view, next);
      if (first_decision) {
        first_decision = false;
        EXPECT_EQ(d.status().code(), absl::StatusCode::kFailedPrecondition) << d.status();
        decided.Notify();
      }
      return d;
    });
  });
  decided.WaitForNotification();  // refused against the doomed commit's state
  failing_->Release();
  EXPECT_EQ(doomed.get().status().code(), absl::StatusCode::kInternal);
  absl::StatusOr<api::CommandResult> r = second.get();
  ASSERT_TRUE(r.ok()) << r.status();  // decided again once the doomed commit failed
  absl::StatusOr<uint64_t> person = store_->CurrentStreamVersion("person-p1");
  ASSERT_TRUE(person.ok());
  EXPECT_EQ(*person, 0u);
}

TEST_F(CommandRunnerFailureTest, ACommitDecidedAgainstOneThatFailedIsDecidedAgain) {
  Establish("a", 2);
  failing_->FailCommit(CommitIdOf("test-operator", "doomed"));
  std::future<absl::StatusOr<api::CommandResult>> doomed =
      std::async(std::launch::async, [&] { return Register(*runner_, "doomed", "p1", "a"); });
  failing_->WaitUntilHeld();
  // Decided against the doomed commit (agency-a one version ahead of the store) and queued
  // behind it; the store refuses its expectation, and the runner decides it again.
  std::future<absl::StatusOr<api::CommandResult>> second =
      std::async(std::launch::async, [&] { return Register(*runner_, "next", "p2", "a"); });
  failing_->Release();
  EXPECT_EQ(doomed.get().status().code(), absl::StatusCode::kInternal);
  absl::StatusOr<api::CommandResult> r = second.get();
  ASSERT_TRUE(r.ok()) << r.status();
  absl::StatusOr<uint64_t> agency = store_->CurrentStreamVersion("agency-a");
  ASSERT_TRUE(agency.ok());
  EXPECT_EQ(*agency, 3u);  // established, quota granted, p2's roster change
}

TEST(CommandRunnerInMemoryTest, RacingTwinsOnTheInMemoryStoreAllGetOneAnswer) {
  testing::FakeClock clock;
  eventstore::InMemoryEventStore store(clock);
  CommandRunner runner(store, clock);
  api::EstablishAgencyRequest e;
  *e.mutable_header() = Header("establish");
  e.mutable_agency()->set_agency_id("a");
  e.mutable_agency()->set_name("机构");
  e.mutable_agency()->set_kind(pb::GOVERNMENT_DEPARTMENT);
  e.mutable_agency()->set_rank(pb::SECTION_CHIEF);
  e.mutable_agency()->set_jurisdiction("西区");
  ASSERT_TRUE(RunCommand(runner, e, &domain::DecideEstablishAgency).ok());
  api::ChangeQuotaRequest q;
  *q.mutable_header() = Header("quota");
  q.set_agency_id("a");
  q.set_category(pb::ADMINISTRATIVE);
  q.set_count(100);
  ASSERT_TRUE(RunCommand(runner, q, &domain::DecideGrantQuota).ok());

  constexpr int kPairs = 50;
  std::vector<std::future<absl::StatusOr<api::CommandResult>>> copies;
  for (int i = 0; i < kPairs; ++i) {
    for (int copy = 0; copy < 2; ++copy) {
      copies.push_back(std::async(std::launch::async, [&, i] {
        return Register(runner, absl::StrCat("pair-", i), absl::StrCat("p", i), "a");
      }));
    }
  }
  for (size_t i = 0; i < kPairs; ++i) {
    absl::StatusOr<api::CommandResult> a = copies[2 * i].get();
    absl::StatusOr<api::CommandResult> b = copies[2 * i + 1].get();
    ASSERT_TRUE(a.ok()) << "pair " << i << ": " << a.status();
    ASSERT_TRUE(b.ok()) << "pair " << i << ": " << b.status();
    EXPECT_EQ(a->position(), b->position()) << "pair " << i;
    EXPECT_NE(a->replayed(), b->replayed()) << "pair " << i;
  }
  EXPECT_EQ(store.HeadPosition(), 3u + 2u * kPairs);  // the agency with its name, the quota
}

}  // namespace
}  // namespace reformlog::services
