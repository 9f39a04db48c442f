#include "projections/in_memory_replay.h"

#include <algorithm>

#include "projections/entity_persistence.h"
#include "projections/event_router.h"
#include "projections/page_reader.h"

namespace reformlog::projections {

absl::StatusOr<std::vector<std::unique_ptr<EntityTable>>> ReplayInMemory(
    eventstore::EventStore& store, const std::vector<const Projection*>& projections,
    uint64_t up_to, uint64_t* applied_through) {
  // A position inside a commit means the whole commit: nobody ever saw half of one.
  if (up_to > 0) {
    absl::StatusOr<eventstore::AllSlice> at = store.ReadAll(up_to, {}, 1);
    if (!at.ok()) return at.status();
    if (!at->events.empty()) {
      absl::StatusOr<eventstore::CommitRecord> commit = store.FindCommit(at->events[0].commit_id);
      if (commit.ok()) up_to = std::max(up_to, commit->last_position);
    }
  }
  if (applied_through != nullptr) *applied_through = std::min(up_to, store.HeadPosition());
  std::vector<std::unique_ptr<EntityTable>> tables;
  tables.reserve(projections.size());
  for (const Projection* p : projections) tables.push_back(NewTable(*p));
  if (up_to == 0) return tables;
  PageReader reader(store, EventRouter(projections), 1, up_to, kRebuildPageEvents);
  while (true) {
    absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
    if (!page.ok()) return page.status();
    if (*page == nullptr) break;
    if (!(*page)->decode_error.ok()) return (*page)->decode_error;
    for (size_t i = 0; i < projections.size(); ++i) {
      ApplyPage(*projections[i], i, *tables[i], **page, 0);
    }
  }
  for (const auto& table : tables) table->ForgetChanges();  // nothing is persisted
  return tables;
}

}  // namespace reformlog::projections
