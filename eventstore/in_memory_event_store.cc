#include "eventstore/in_memory_event_store.h"

#include <algorithm>
#include <cstddef>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "eventstore/commit_planner.h"
#include "eventstore/limits.h"

namespace reformlog::eventstore {

InMemoryEventStore::InMemoryEventStore(const Clock& clock) : clock_(clock) {}

InMemoryEventStore::~InMemoryEventStore() { notifier_.Close(); }

absl::StatusOr<AppendResult> InMemoryEventStore::Append(const Commit& commit,
                                                        absl::FunctionRef<void()> queued) {
  RETURN_IF_ERROR(ValidateCommit(commit));
  absl::StatusOr<AppendResult> result = AppendLocked(commit);
  queued();
  return result;
}

absl::StatusOr<AppendResult> InMemoryEventStore::AppendLocked(const Commit& commit) {
  uint64_t head;
  {
    std::lock_guard lock(mu_);
    if (auto it = commits_.find(commit.commit_id); it != commits_.end()) {
      const CommitRecord& record = it->second;
      std::vector<RecordedEvent> events(
          log_.begin() + static_cast<std::ptrdiff_t>(record.first_position - 1),
          log_.begin() + static_cast<std::ptrdiff_t>(record.last_position));
      if (!SameCommit(commit, record, events)) return CommitIdReused(commit, record);
      return record.ToResult(/*replayed=*/true);
    }
    auto lookup = [&](absl::string_view stream_id) -> absl::StatusOr<uint64_t> {
      auto it = streams_.find(stream_id);
      return it == streams_.end() ? 0 : it->second.size();
    };
    absl::StatusOr<PlannedCommit> plan =
        PlanCommit(commit, log_.size() + 1, absl::ToUnixMicros(clock_.Now()), lookup, NewUuid);
    if (!plan.ok()) return plan.status();
    for (const PlannedEvent& planned : plan->events) {
      streams_[planned.write->stream_id].push_back(planned.position);
      log_.push_back(Materialize(commit, planned, plan->record.recorded_at_us));
    }
    commits_.emplace(commit.commit_id, plan->record);
    head = log_.size();
    notifier_.Advance(head);
    return plan->record.ToResult(/*replayed=*/false);
  }
}

absl::StatusOr<StreamSlice> InMemoryEventStore::ReadStream(absl::string_view stream_id,
                                                           uint64_t from_version,
                                                           ReadDirection direction,
                                                           size_t max_count) {
  absl::StatusOr<size_t> count = ResolveReadCount(max_count);
  if (!count.ok()) return count.status();
  std::lock_guard lock(mu_);
  StreamSlice slice;
  auto it = streams_.find(stream_id);
  if (it == streams_.end()) return slice;
  const std::vector<uint64_t>& positions = it->second;
  slice.stream_version = positions.size();
  size_t bytes = 0;
  auto add = [&](uint64_t v) {
    slice.events.push_back(log_[positions[v - 1] - 1]);
    bytes += EventBytes(slice.events.back());
  };
  if (direction == ReadDirection::kForward) {
    for (uint64_t v = std::max<uint64_t>(from_version, 1);
         v <= positions.size() && slice.events.size() < *count && bytes < kReadBytesMax; ++v) {
      add(v);
    }
  } else {
    uint64_t v =
        from_version == 0 ? positions.size() : std::min<uint64_t>(from_version, positions.size());
    for (; v >= 1 && slice.events.size() < *count && bytes < kReadBytesMax; --v) add(v);
  }
  return slice;
}

absl::StatusOr<AllSlice> InMemoryEventStore::ReadAll(uint64_t from_position,
                                                     const EventFilter& filter, size_t max_count) {
  absl::StatusOr<size_t> count = ResolveReadCount(max_count);
  if (!count.ok()) return count.status();
  RETURN_IF_ERROR(ValidateFilter(filter));
  std::lock_guard lock(mu_);
  AllSlice slice;
  uint64_t p = std::max<uint64_t>(from_position, 1);
  size_t scanned = 0;
  size_t bytes = 0;
  for (; p <= log_.size() && slice.events.size() < *count && scanned < kReadAllScanMax &&
         bytes < kReadBytesMax;
       ++p) {
    ++scanned;
    const RecordedEvent& event = log_[p - 1];
    if (filter.Matches(event)) {
      slice.events.push_back(event);
      bytes += EventBytes(event);
    }
  }
  slice.next_position = p;
  return slice;
}

absl::StatusOr<CommitRecord> InMemoryEventStore::FindCommit(absl::string_view commit_id) {
  std::lock_guard lock(mu_);
  auto it = commits_.find(commit_id);
  if (it == commits_.end()) return absl::NotFoundError(absl::StrCat("no commit ", commit_id));
  return it->second;
}

uint64_t InMemoryEventStore::HeadPosition() const {
  std::lock_guard lock(mu_);
  return log_.size();
}

absl::StatusOr<uint64_t> InMemoryEventStore::CurrentStreamVersion(absl::string_view stream_id) {
  std::lock_guard lock(mu_);
  auto it = streams_.find(stream_id);
  return it == streams_.end() ? 0 : it->second.size();
}

absl::StatusOr<std::unique_ptr<Subscription>> InMemoryEventStore::Subscribe(uint64_t from_position,
                                                                            EventFilter filter) {
  RETURN_IF_ERROR(ValidateFilter(filter));
  return std::make_unique<Subscription>(*this, notifier_, from_position, std::move(filter));
}

}  // namespace reformlog::eventstore
