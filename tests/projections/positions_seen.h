// For the tests of the runner's parts (event router, page reader, catch-up pipeline, in-memory
// replay): a log of a few real domain events in commits of a chosen size, and PositionsSeen, a
// projection that records which events it was applied.
#ifndef REFORMLOG_TESTS_PROJECTIONS_POSITIONS_SEEN_H_
#define REFORMLOG_TESTS_PROJECTIONS_POSITIONS_SEEN_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "domain/event_codec.h"
#include "eventstore/event_store.h"
#include "gtest/gtest.h"
#include "projections/entity_table.h"
#include "projections/projection.h"
#include "reformlog/domain/v1/org_events.pb.h"
#include "reformlog/domain/v1/staffing_events.pb.h"
#include "reformlog/readmodel/v1/readmodel.pb.h"

namespace reformlog::testing {

// Takes the events of `types` (every event when empty) and records each one applied: an entity
// per event, keyed by its position zero-padded (keys order as positions).
class PositionsSeen final : public projections::TypedProjection<readmodel::v1::ProjectionMeta> {
 public:
  explicit PositionsSeen(std::vector<const google::protobuf::Descriptor*> types = {})
      : types_(std::move(types)) {}
  absl::string_view name() const override { return "positions_seen"; }
  std::vector<const google::protobuf::Descriptor*> EventTypes() const override { return types_; }

 protected:
  void ApplyTyped(const projections::AppliedEvent& event,
                  projections::Table<readmodel::v1::ProjectionMeta>& table) const override {
    table.Mutable(absl::StrFormat("%020d", event.envelope.position))
        ->set_checkpoint(event.envelope.position);
  }

 private:
  std::vector<const google::protobuf::Descriptor*> types_;
};

// The positions a PositionsSeen recorded in `table`, in order.
inline std::vector<uint64_t> PositionsIn(const projections::EntityTable& table) {
  std::vector<uint64_t> out;
  projections::ConstTable<readmodel::v1::ProjectionMeta>(table).ForEach(
      [&](const std::string&, const readmodel::v1::ProjectionMeta& seen) {
        out.push_back(seen.checkpoint());
      });
  return out;
}

// An event with a real payload type: at odd `n` an AgencyEstablished, at even `n` a
// PersonRegistered.
inline eventstore::NewEvent SmallLogEvent(int n) {
  eventstore::NewEvent event;
  if (n % 2 == 1) {
    domain::v1::AgencyEstablished payload;
    payload.set_agency_id(absl::StrCat("agency-", n));
    event.type = domain::EventType(payload);
    event.data = payload.SerializeAsString();
  } else {
    domain::v1::PersonRegistered payload;
    payload.set_person_id(absl::StrCat("person-", n));
    event.type = domain::EventType(payload);
    event.data = payload.SerializeAsString();
  }
  return event;
}

// Appends `commits` commits of `events_per_commit` events each (SmallLogEvent 1, 2, … in log
// order), each commit to a stream of its own.
inline void AppendSmallLog(eventstore::EventStore& store, int commits, int events_per_commit) {
  const int before = static_cast<int>(store.HeadPosition());
  for (int c = 0; c < commits; ++c) {
    eventstore::Commit commit;
    commit.commit_id = absl::StrCat("commit-", before + c * events_per_commit);
    eventstore::StreamWrite write;
    write.stream_id = absl::StrCat("small-", before + c * events_per_commit);
    for (int e = 1; e <= events_per_commit; ++e) {
      write.events.push_back(SmallLogEvent(before + c * events_per_commit + e));
    }
    commit.writes.push_back(std::move(write));
    ASSERT_TRUE(store.Append(commit).ok());
  }
}

}  // namespace reformlog::testing

#endif  // REFORMLOG_TESTS_PROJECTIONS_POSITIONS_SEEN_H_
