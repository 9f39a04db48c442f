// EventRouter and ApplyPage: each event of a page is decoded once and routed, in log order, only
// to the projections that take its type; an event that does not decode is skipped and named;
// ApplyPage applies only what comes after the position given.
#include "projections/event_router.h"

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "projections/entity_persistence.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "tests/projections/positions_seen.h"

namespace reformlog::projections {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::PositionsIn;
using testing::PositionsSeen;
using testing::SmallLogEvent;

// Events 1..count of the small log (odd: AgencyEstablished, even: PersonRegistered), and one of
// a type this build does not know at position `unknown_at` (none when 0). Not routed yet.
std::unique_ptr<DecodedPage> PageOf(uint64_t count, uint64_t unknown_at = 0) {
  auto page = std::make_unique<DecodedPage>();
  for (uint64_t p = 1; p <= count; ++p) {
    const eventstore::NewEvent event = SmallLogEvent(static_cast<int>(p));
    eventstore::RecordedEvent recorded;
    recorded.position = p;
    recorded.type = p == unknown_at ? "reformlog.domain.v9.FromANewerWriter" : event.type;
    recorded.data = event.data;
    page->events.push_back(std::move(recorded));
  }
  return page;
}

TEST(ProjectionEventRouterTest, EachProjectionGetsTheEventsItTakesInLogOrder) {
  PositionsSeen agencies(EventSet<domain::v1::AgencyEstablished>::Descriptors());
  PositionsSeen people(EventSet<domain::v1::PersonRegistered>::Descriptors());
  PositionsSeen everything;
  EventRouter router({&agencies, &people, &everything});
  std::unique_ptr<DecodedPage> owned = PageOf(6, /*unknown_at=*/5);
  DecodedPage& page = *owned;
  router.Route(page);
  ASSERT_TRUE(page.decode_error.ok()) << page.decode_error;
  ASSERT_EQ(page.routes.size(), 3u);
  // Indices into page.events: positions 1, 3 (5 is of an unknown type); 2, 4, 6; all known.
  EXPECT_THAT(page.routes[0], ElementsAre(0, 2));
  EXPECT_THAT(page.routes[1], ElementsAre(1, 3, 5));
  EXPECT_THAT(page.routes[2], ElementsAre(0, 1, 2, 3, 5));
  // Decoded once, whoever takes it; an event nobody can take is not decoded.
  ASSERT_EQ(page.payloads.size(), 6u);
  EXPECT_EQ(page.payloads[4], nullptr);
  const auto* first = dynamic_cast<const domain::v1::AgencyEstablished*>(page.payloads[0]);
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->agency_id(), "agency-1");
  EXPECT_EQ(page.CountAfter(4), 2u);
}

TEST(ProjectionEventRouterTest, AnEventThatDoesNotDecodeIsSkippedAndNamed) {
  PositionsSeen everything;
  EventRouter router({&everything});
  std::unique_ptr<DecodedPage> owned = PageOf(4);
  DecodedPage& page = *owned;
  page.events[1].data = "\xff\xff\xff";  // not a PersonRegistered
  page.events[2].data = "\xff\xff\xff";
  router.Route(page);
  EXPECT_EQ(page.decode_error.code(), absl::StatusCode::kDataLoss);
  EXPECT_THAT(page.decode_error.message(), HasSubstr("event at position 2"));
  EXPECT_THAT(page.routes[0], ElementsAre(0, 3));
}

TEST(ProjectionEventRouterTest, ApplyPageAppliesOnlyWhatComesAfterThePositionGiven) {
  PositionsSeen agencies(EventSet<domain::v1::AgencyEstablished>::Descriptors());
  PositionsSeen everything;
  EventRouter router({&agencies, &everything});
  std::unique_ptr<DecodedPage> owned = PageOf(6);
  DecodedPage& page = *owned;
  router.Route(page);
  std::unique_ptr<EntityTable> agency_table = NewTable(agencies);
  std::unique_ptr<EntityTable> all_table = NewTable(everything);
  ApplyPage(agencies, 0, *agency_table, page, /*after=*/0);
  ApplyPage(everything, 1, *all_table, page, /*after=*/4);
  EXPECT_THAT(PositionsIn(*agency_table), ElementsAre(1, 3, 5));
  EXPECT_THAT(PositionsIn(*all_table), ElementsAre(5, 6));
  std::unique_ptr<EntityTable> none = NewTable(everything);
  ApplyPage(everything, 1, *none, page, /*after=*/6);
  EXPECT_THAT(PositionsIn(*none), IsEmpty());
}

}  // namespace
}  // namespace reformlog::projections
