// The pure core of Append: expectations, planning, sameness of a re-sent commit, ids.
#include "eventstore/commit_planner.h"

#include <map>
#include <set>

#include "eventstore/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace reformlog::eventstore {
namespace {

using ::testing::HasSubstr;
using ::testing::MatchesRegex;

TEST(ExpectedVersionTest, MatchesAndPrints) {
  EXPECT_TRUE(ExpectedVersion::Any().Matches(0));
  EXPECT_TRUE(ExpectedVersion::Any().Matches(7));
  EXPECT_TRUE(ExpectedVersion::NoStream().Matches(0));
  EXPECT_FALSE(ExpectedVersion::NoStream().Matches(1));
  EXPECT_FALSE(ExpectedVersion::Exists().Matches(0));
  EXPECT_TRUE(ExpectedVersion::Exists().Matches(1));
  EXPECT_TRUE(ExpectedVersion::Exact(0).Matches(0));
  EXPECT_TRUE(ExpectedVersion::Exact(3).Matches(3));
  EXPECT_FALSE(ExpectedVersion::Exact(3).Matches(4));
  EXPECT_EQ(ExpectedVersion::Exact(3).ToString(), "3");
  EXPECT_EQ(ExpectedVersion::NoStream().ToString(), "no stream");
}

Commit TwoStreams() {
  Commit c;
  c.commit_id = "req";
  c.principal = "p";
  NewEvent e{"", "t.v1.E", "d", "2019-06-30", {}};
  c.writes.push_back({"a", ExpectedVersion::Exact(2), {e, e}});
  c.writes.push_back({"b", ExpectedVersion::NoStream(), {e}});
  c.checks.push_back({"c", ExpectedVersion::Exists()});
  return c;
}

TEST(PlanCommitTest, AssignsPositionsAndVersionsInOrder) {
  std::map<std::string, uint64_t> versions = {{"a", 2}, {"c", 5}};
  int ids = 0;
  const Commit commit = TwoStreams();  // the plan points into it
  absl::StatusOr<PlannedCommit> plan = PlanCommit(
      commit, 41, 1234,
      [&](absl::string_view s) -> absl::StatusOr<uint64_t> { return versions[std::string(s)]; },
      [&] { return absl::StrCat("id-", ids++); });
  ASSERT_TRUE(plan.ok()) << plan.status();
  ASSERT_EQ(plan->events.size(), 3u);
  EXPECT_EQ(plan->events[0].position, 41u);
  EXPECT_EQ(plan->events[0].stream_version, 3u);
  EXPECT_EQ(plan->events[1].stream_version, 4u);
  EXPECT_EQ(plan->events[2].write->stream_id, "b");
  EXPECT_EQ(Materialize(commit, plan->events[2], 1234).recorded_at_us, 1234);
  EXPECT_EQ(plan->events[2].stream_version, 1u);
  EXPECT_EQ(plan->events[2].event_id, "id-2");
  EXPECT_EQ(plan->record.first_position, 41u);
  EXPECT_EQ(plan->record.last_position, 43u);
  EXPECT_EQ(plan->record.stream_versions, (std::vector<StreamVersion>{{"a", 4}, {"b", 1}}));
  EXPECT_EQ(plan->record.expectations.size(), 3u);
  EXPECT_TRUE(plan->record.expectations[2].check_only);
}

TEST(PlanCommitTest, StorageErrorsPassThrough) {
  absl::StatusOr<PlannedCommit> plan = PlanCommit(
      TwoStreams(), 1, 0,
      [](absl::string_view) -> absl::StatusOr<uint64_t> { return absl::DataLossError("disk"); },
      [] { return std::string("x"); });
  EXPECT_EQ(plan.status().code(), absl::StatusCode::kDataLoss);
}

TEST(SameCommitTest, ComparesEverythingTheCallerSent) {
  std::map<std::string, uint64_t> versions = {{"a", 2}, {"c", 5}};
  Commit c = TwoStreams();
  absl::StatusOr<PlannedCommit> plan = PlanCommit(
      c, 1, 0,
      [&](absl::string_view s) -> absl::StatusOr<uint64_t> { return versions[std::string(s)]; },
      NewUuid);
  ASSERT_TRUE(plan.ok());
  std::vector<RecordedEvent> stored;
  for (const PlannedEvent& e : plan->events) stored.push_back(Materialize(c, e, 0));
  EXPECT_TRUE(SameCommit(c, plan->record, stored));
  Commit other = c;
  other.writes[0].events[1].data = "changed";
  EXPECT_FALSE(SameCommit(other, plan->record, stored));
  other = c;
  other.checks.clear();
  EXPECT_FALSE(SameCommit(other, plan->record, stored));
  other = c;
  other.writes[0].events[0].event_id = "explicit";
  EXPECT_FALSE(SameCommit(other, plan->record, stored));
  other = c;
  other.writes[1].events[0].basis.number = "doc";
  EXPECT_FALSE(SameCommit(other, plan->record, stored));
  other = c;
  other.causation_id = "because";
  EXPECT_FALSE(SameCommit(other, plan->record, stored));
}

TEST(ValidateFilterTest, Limits) {
  EventFilter filter;
  filter.event_types.assign(kEventTypesPerFilterMax, "t");
  EXPECT_TRUE(ValidateFilter(filter).ok());
  filter.event_types.emplace_back("t");
  EXPECT_THAT(ValidateFilter(filter).message(), HasSubstr("kEventTypesPerFilterMax"));
  EXPECT_FALSE(ValidateFilter({"", {""}}).ok());
}

TEST(NewUuidTest, IsVersionFourAndUnique) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    std::string id = NewUuid();
    EXPECT_THAT(
        id, MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"));
    EXPECT_TRUE(seen.insert(id).second);
  }
}

}  // namespace
}  // namespace reformlog::eventstore
