// Which projections take which event types (Projection::EventTypes), and a page of the log
// decoded once for all of them: each event some projection takes is decoded on the page's arena,
// once, and each projection gets the indices of the events it takes, in log order. Used by the
// runner's catch-up and live follower, a rebuild and ReplayInMemory.
//
// An event of a type this build does not know (a newer writer), or that no projection takes, is
// neither decoded nor routed. An event that does not decode is skipped, and the first such event
// of a page is named in DecodedPage::decode_error (DATA_LOSS); the caller decides whether that
// ends its read (a rebuild, a replay) or is logged (the runner following the log).
#ifndef REFORMLOG_PROJECTIONS_EVENT_ROUTER_H_
#define REFORMLOG_PROJECTIONS_EVENT_ROUTER_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "eventstore/types.h"
#include "google/protobuf/arena.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "projections/entity_table.h"
#include "projections/projection.h"

namespace reformlog::projections {

// The arena of a page grows in blocks of at most this many bytes (a page of decoded events
// is a few MB).
inline constexpr size_t kPageArenaBlockBytesMax = 1 << 20;

google::protobuf::ArenaOptions PageArenaOptions();

// A page of the log, decoded once: the payload of every event some projection takes (on the
// page's arena), and for each projection the events it takes, in log order.
struct DecodedPage {
  std::vector<eventstore::RecordedEvent> events;  // in position order, never empty
  google::protobuf::Arena arena{PageArenaOptions()};
  std::vector<const google::protobuf::Message*> payloads;  // null: no projection takes it
  std::vector<std::vector<uint32_t>> routes;               // per projection: event indices
  absl::Status decode_error;  // the first event that did not decode (it is skipped)

  uint64_t last_position() const { return events.back().position; }
  // How many of the events come after `position`.
  size_t CountAfter(uint64_t position) const;
};

// Which projections take which event types, and the decoding of pages for them. Projection
// indices are those of the vector it was made from. Used by one thread at a time.
class EventRouter {
 public:
  // Keeps each projection's EventTypes(), not the projections.
  explicit EventRouter(const std::vector<const Projection*>& projections);

  // Decodes `page.events` and routes them; an event that does not decode is skipped and
  // named in page.decode_error.
  void Route(DecodedPage& page);

 private:
  struct TypeRoute {
    const google::protobuf::Message* prototype = nullptr;
    std::vector<uint32_t> takers;  // projection indices
  };

  const TypeRoute& RouteOf(const std::string& type);

  std::vector<absl::flat_hash_set<const google::protobuf::Descriptor*>> takes_;  // empty: all
  absl::flat_hash_map<std::string, TypeRoute> routes_;
};

// Applies the events of `page` that come after `after` and that projection `index` (of the
// router that routed the page) takes, to `table`.
void ApplyPage(const Projection& projection, size_t index, EntityTable& table,
               const DecodedPage& page, uint64_t after);

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_EVENT_ROUTER_H_
