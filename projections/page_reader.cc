#include "projections/page_reader.h"

#include <utility>
#include <vector>

namespace reformlog::projections {

PageReader::~PageReader() {
  {
    std::lock_guard lock(mu_);
    closed_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

absl::StatusOr<std::shared_ptr<DecodedPage>> PageReader::Next() {
  std::unique_lock lock(mu_);
  cv_.wait(lock, [&] { return !pages_.empty() || done_; });
  if (pages_.empty()) {
    if (!error_.ok()) return error_;
    return nullptr;
  }
  std::shared_ptr<DecodedPage> page = std::move(pages_.front());
  pages_.pop_front();
  cv_.notify_all();
  return page;
}

void PageReader::Read(uint64_t next) {
  absl::Status error = absl::OkStatus();
  while (next <= last_ && (stop_ == nullptr || !*stop_)) {
    absl::StatusOr<eventstore::AllSlice> slice = store_.ReadAll(next, {}, page_events_);
    if (!slice.ok()) {
      error = slice.status();
      break;
    }
    std::vector<eventstore::RecordedEvent>& events = slice->events;
    while (!events.empty() && events.back().position > last_) events.pop_back();
    if (events.empty()) break;
    auto page = std::make_shared<DecodedPage>();
    page->events = std::move(events);
    router_.Route(*page);
    next = page->last_position() + 1;
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pages_.size() < kReadAheadPagesMax || closed_; });
    if (closed_) break;
    pages_.push_back(std::move(page));
    cv_.notify_all();
  }
  std::lock_guard lock(mu_);
  done_ = true;
  error_ = error;
  cv_.notify_all();
}

}  // namespace reformlog::projections
