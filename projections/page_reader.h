// PageReader: reads the log from `from` through `last` in pages of at most `page_events` events
// on its own thread, decoding and routing each (EventRouter), at most kReadAheadPagesMax pages
// ahead of its consumer — what the runner's catch-up, a rebuild and ReplayInMemory read the log
// with, so that reading and decoding overlap applying.
//
// Next() hands out the pages in log order: every event of [from, last] the store holds, each
// once, none beyond `last`; then null. A read that fails ends the pages, and Next() then returns
// the store's error (after every page read before it). Setting `*stop` ends the reading after
// the page being read (Next() then returns null: the caller tells a stop from the end). The
// reader's thread starts in the constructor and is joined by the destructor, which may run
// before the last page was read. One consumer thread.
#ifndef REFORMLOG_PROJECTIONS_PAGE_READER_H_
#define REFORMLOG_PROJECTIONS_PAGE_READER_H_

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "eventstore/event_store.h"
#include "eventstore/limits.h"
#include "projections/event_router.h"

namespace reformlog::projections {

// Decoded pages a reader may hold ahead of its consumer (the catch-up's slowest projection, a
// rebuild or a replay): bounds the memory of a catch-up.
inline constexpr size_t kReadAheadPagesMax = 8;
// Events a rebuild or replay reads per page of the log.
inline constexpr size_t kRebuildPageEvents = eventstore::kReadCountMax;

class PageReader {
 public:
  // `store` (and `stop`, when given) must outlive the reader. page_events: 1..kReadCountMax.
  PageReader(eventstore::EventStore& store, EventRouter router, uint64_t from, uint64_t last,
             size_t page_events, const std::atomic<bool>* stop = nullptr)
      : store_(store),
        router_(std::move(router)),
        last_(last),
        page_events_(page_events),
        stop_(stop),
        thread_([this, from] { Read(from); }) {}

  PageReader(const PageReader&) = delete;
  PageReader& operator=(const PageReader&) = delete;

  ~PageReader();

  // The next page, or null after the last one; the store's error when a read failed.
  absl::StatusOr<std::shared_ptr<DecodedPage>> Next();

 private:
  void Read(uint64_t next);

  eventstore::EventStore& store_;
  EventRouter router_;
  const uint64_t last_;
  const size_t page_events_;
  const std::atomic<bool>* const stop_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::shared_ptr<DecodedPage>> pages_;
  bool done_ = false;    // the reader has finished
  bool closed_ = false;  // the consumer has gone
  absl::Status error_;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace reformlog::projections

#endif  // REFORMLOG_PROJECTIONS_PAGE_READER_H_
