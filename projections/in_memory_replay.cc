#include "projections/in_memory_replay.h"

#include <algorithm>
#include <functional>
#include <memory>
#include <vector>

#include "projections/entity_persistence.h"
#include "projections/event_router.h"
#include "projections/page_reader.h"

namespace reformlog::projections {

namespace {

// A position inside a commit means the whole commit: nobody ever saw half of one.
absl::StatusOr<uint64_t> EndOfCommitAt(eventstore::EventStore& store, uint64_t up_to) {
  if (up_to == 0) return up_to;
  absl::StatusOr<eventstore::AllSlice> at = store.ReadAll(up_to, {}, 1);
  if (!at.ok()) return at.status();
  if (!at->events.empty()) {
    absl::StatusOr<eventstore::CommitRecord> commit = store.FindCommit(at->events[0].commit_id);
    if (commit.ok()) up_to = std::max(up_to, commit->last_position);
  }
  return up_to;
}

using Tables = std::vector<std::unique_ptr<EntityTable>>;

// The position a replay up to `up_to` ends at (the end of the commit there), also stored in
// `*applied_through` (when given) as the last position there is to apply.
absl::StatusOr<uint64_t> ReplayEnd(eventstore::EventStore& store, uint64_t up_to,
                                   uint64_t* applied_through) {
  absl::StatusOr<uint64_t> end = EndOfCommitAt(store, up_to);
  if (!end.ok()) return end.status();
  if (applied_through != nullptr) *applied_through = std::min(*end, store.HeadPosition());
  return end;
}

Tables NewTables(const std::vector<const Projection*>& projections) {
  Tables tables;
  tables.reserve(projections.size());
  for (const Projection* p : projections) tables.push_back(NewTable(*p));
  return tables;
}

// Calls `take` with each page of events [1, up_to], decoded and routed for `projections`.
absl::Status ForEachPage(eventstore::EventStore& store,
                         const std::vector<const Projection*>& projections, uint64_t up_to,
                         const std::function<void(std::shared_ptr<DecodedPage>)>& take) {
  PageReader reader(store, EventRouter(projections), 1, up_to, kRebuildPageEvents);
  while (true) {
    absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
    if (!page.ok()) return page.status();
    if (*page == nullptr) return absl::OkStatus();
    if (!(*page)->decode_error.ok()) return (*page)->decode_error;
    take(*std::move(page));
  }
}

}  // namespace

absl::StatusOr<Tables> ReplayInMemory(eventstore::EventStore& store,
                                      const std::vector<const Projection*>& projections,
                                      uint64_t up_to, uint64_t* applied_through) {
  absl::StatusOr<uint64_t> end = ReplayEnd(store, up_to, applied_through);
  if (!end.ok()) return end.status();
  Tables tables = NewTables(projections);
  if (*end == 0) return tables;
  absl::Status read =
      ForEachPage(store, projections, *end, [&](const std::shared_ptr<DecodedPage>& page) {
        for (size_t i = 0; i < projections.size(); ++i) {
          ApplyPage(*projections[i], i, *tables[i], *page, 0);
        }
      });
  if (!read.ok()) return read;
  for (const auto& table : tables) table->ForgetChanges();  // nothing is persisted
  return tables;
}

absl::StatusOr<Tables> ReplayInMemoryAsOfDate(eventstore::EventStore& store,
                                              const std::vector<const Projection*>& projections,
                                              uint64_t up_to, absl::string_view date,
                                              uint64_t* applied_through) {
  absl::StatusOr<uint64_t> end =
      ReplayEnd(store, up_to == 0 ? store.HeadPosition() : up_to, applied_through);
  if (!end.ok()) return end.status();
  Tables tables = NewTables(projections);
  if (*end == 0) return tables;
  // Every event some projection takes and that is in effect on `date`, with the page that
  // holds its payload (kept while it holds one).
  struct Dated {
    const DecodedPage* page;
    uint32_t index;
  };
  std::vector<std::shared_ptr<DecodedPage>> pages;
  std::vector<Dated> dated;
  absl::Status read = ForEachPage(store, projections, *end, [&](std::shared_ptr<DecodedPage> page) {
    const size_t before = dated.size();
    for (uint32_t i = 0; i < page->events.size(); ++i) {
      if (page->payloads[i] != nullptr && page->events[i].effective_date <= date) {
        dated.push_back({page.get(), i});
      }
    }
    if (dated.size() > before) pages.push_back(std::move(page));
  });
  if (!read.ok()) return read;
  std::stable_sort(dated.begin(), dated.end(), [](const Dated& a, const Dated& b) {
    return a.page->events[a.index].effective_date < b.page->events[b.index].effective_date;
  });
  for (size_t p = 0; p < projections.size(); ++p) {
    for (const Dated& d : dated) {
      const std::vector<uint32_t>& route = d.page->routes[p];
      if (!std::binary_search(route.begin(), route.end(), d.index)) continue;
      projections[p]->Apply(AppliedEvent{d.page->events[d.index], *d.page->payloads[d.index]},
                            *tables[p]);
    }
  }
  for (const auto& table : tables) table->ForgetChanges();  // nothing is persisted
  return tables;
}

}  // namespace reformlog::projections
