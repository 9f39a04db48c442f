#include "projections/event_router.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "domain/event_codec.h"

namespace reformlog::projections {

google::protobuf::ArenaOptions PageArenaOptions() {
  google::protobuf::ArenaOptions options;
  options.max_block_size = kPageArenaBlockBytesMax;
  return options;
}

size_t DecodedPage::CountAfter(uint64_t position) const {
  return static_cast<size_t>(
      events.end() -
      std::partition_point(events.begin(), events.end(), [&](const eventstore::RecordedEvent& e) {
        return e.position <= position;
      }));
}

EventRouter::EventRouter(const std::vector<const Projection*>& projections) {
  for (const Projection* projection : projections) {
    std::vector<const google::protobuf::Descriptor*> types = projection->EventTypes();
    takes_.emplace_back(types.begin(), types.end());
  }
}

void EventRouter::Route(DecodedPage& page) {
  page.payloads.assign(page.events.size(), nullptr);
  page.routes.assign(takes_.size(), {});
  for (size_t i = 0; i < page.events.size(); ++i) {
    const eventstore::RecordedEvent& event = page.events[i];
    const TypeRoute& route = RouteOf(event.type);
    if (route.takers.empty()) continue;  // unknown (a newer writer), or taken by nobody
    absl::StatusOr<const google::protobuf::Message*> payload =
        domain::DecodeEventOnArena(*route.prototype, event.data, page.arena);
    if (!payload.ok()) {
      if (page.decode_error.ok()) {
        page.decode_error = absl::DataLossError(
            absl::StrCat("event at position ", event.position, ": ", payload.status().message()));
      }
      continue;
    }
    page.payloads[i] = *payload;
    for (uint32_t taker : route.takers) page.routes[taker].push_back(static_cast<uint32_t>(i));
  }
}

const EventRouter::TypeRoute& EventRouter::RouteOf(const std::string& type) {
  auto it = routes_.find(type);
  if (it != routes_.end()) return it->second;
  TypeRoute route;
  route.prototype = domain::EventPrototype(type);
  if (route.prototype != nullptr) {
    for (size_t p = 0; p < takes_.size(); ++p) {
      if (takes_[p].empty() || takes_[p].contains(route.prototype->GetDescriptor())) {
        route.takers.push_back(static_cast<uint32_t>(p));
      }
    }
  }
  return routes_.emplace(type, std::move(route)).first->second;
}

void ApplyPage(const Projection& projection, size_t index, EntityTable& table,
               const DecodedPage& page, uint64_t after) {
  for (uint32_t i : page.routes[index]) {
    const eventstore::RecordedEvent& event = page.events[i];
    if (event.position <= after) continue;
    projection.Apply(AppliedEvent{event, *page.payloads[i]}, table);
  }
}

}  // namespace reformlog::projections
