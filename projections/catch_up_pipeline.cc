#include "projections/catch_up_pipeline.h"

#include <condition_variable>
#include <deque>
#include <iterator>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "projections/page_reader.h"
#include "spdlog/spdlog.h"

namespace reformlog::projections {
namespace {

// The catch-up: the calling thread hands pages from a PageReader to one lane per projection;
// each lane applies them to its projection and, at each flush point, serialises its changes
// and checkpoint; the writer thread puts a flush point's changes of every lane in one write.
class CatchUpPipeline {
 public:
  explicit CatchUpPipeline(CatchUpTarget& target)
      : target_(target), lanes_(target.projection_count()) {
    for (size_t i = 0; i < lanes_.size(); ++i) {
      lanes_[i].persisted = target_.PersistedCheckpoint(i);
      lanes_[i].thread = std::thread([this, i] { RunLane(i); });
    }
    writer_ = std::thread([this] { RunWriter(); });
  }

  // Gives `page` to every lane, after waiting for room; then, when `flush`, a flush point.
  void Push(const std::shared_ptr<const DecodedPage>& page, bool flush) {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return pages_in_lanes_ < kReadAheadPagesMax; });
    ++pages_in_lanes_;
    page_lanes_left_[page.get()] = lanes_.size();
    for (Lane& lane : lanes_) lane.queue.push_back(Item{page, flush, false});
    cv_.notify_all();
  }

  // A last flush point; returns once every lane has applied everything and it is written.
  void Finish() {
    {
      std::lock_guard lock(mu_);
      for (Lane& lane : lanes_) lane.queue.push_back(Item{nullptr, true, true});
      cv_.notify_all();
    }
    for (Lane& lane : lanes_) lane.thread.join();
    {
      std::lock_guard lock(mu_);
      lanes_done_ = true;
      cv_.notify_all();
    }
    writer_.join();
  }

 private:
  struct Item {
    std::shared_ptr<const DecodedPage> page;  // null: a flush point only
    bool flush = false;
    bool last = false;
  };
  struct Lane {
    std::deque<Item> queue;
    std::thread thread;
    uint64_t persisted = 0;  // the checkpoint of the lane's last flush
    size_t flushes = 0;      // flush points the lane has passed
  };
  // The changes of every lane at one flush point.
  struct Write {
    eventstore::KvBatch batch;
    std::vector<std::pair<size_t, uint64_t>> checkpoints;  // projection index, checkpoint
    size_t lanes = 0;                                      // lanes that have added theirs
  };

  void RunLane(size_t index) {
    Lane& lane = lanes_[index];
    while (true) {
      Item item;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] { return !lane.queue.empty(); });
        item = std::move(lane.queue.front());
        lane.queue.pop_front();
      }
      if (item.page != nullptr) {
        target_.Apply(index, *item.page);
        std::lock_guard lock(mu_);
        if (--page_lanes_left_[item.page.get()] == 0) {
          page_lanes_left_.erase(item.page.get());
          --pages_in_lanes_;
          cv_.notify_all();
        }
      }
      if (item.flush) AddFlush(index, lane);
      if (item.last) return;
    }
  }

  // Serialises the lane's changes and checkpoint into the write of its next flush point.
  void AddFlush(size_t index, Lane& lane) {
    const size_t flush = lane.flushes++;
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return flush < written_ + kPendingWritesMax; });
    }
    eventstore::KvBatch batch;
    const uint64_t checkpoint = target_.AddChangesSince(index, lane.persisted, batch);
    lane.persisted = checkpoint;
    std::lock_guard lock(mu_);
    Write& write = writes_[flush];
    if (!batch.empty()) {
      std::move(batch.ops.begin(), batch.ops.end(), std::back_inserter(write.batch.ops));
      write.checkpoints.emplace_back(index, checkpoint);
    }
    if (++write.lanes == lanes_.size()) cv_.notify_all();
  }

  void RunWriter() {
    while (true) {
      Write write;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [&] {
          return (!writes_.empty() && writes_.begin()->second.lanes == lanes_.size()) ||
                 lanes_done_;
        });
        if (writes_.empty() || writes_.begin()->second.lanes < lanes_.size()) return;
        write = std::move(writes_.begin()->second);
        writes_.erase(writes_.begin());
      }
      if (!write.batch.empty() && target_.Persist(write.batch)) {
        for (auto [index, checkpoint] : write.checkpoints) target_.SetPersisted(index, checkpoint);
      }
      std::lock_guard lock(mu_);
      ++written_;
      cv_.notify_all();
    }
  }

  CatchUpTarget& target_;
  std::mutex mu_;  // guards everything below but the threads
  std::condition_variable cv_;
  std::vector<Lane> lanes_;
  size_t pages_in_lanes_ = 0;  // pages some lane has not yet applied
  std::map<const DecodedPage*, size_t> page_lanes_left_;
  std::map<size_t, Write> writes_;  // by flush point
  size_t written_ = 0;              // flush points written (or failed)
  bool lanes_done_ = false;
  std::thread writer_;
};

}  // namespace

uint64_t CatchUp(eventstore::EventStore& store, EventRouter router, uint64_t from, uint64_t last,
                 const CatchUpOptions& options, const std::atomic<bool>* stop,
                 CatchUpTarget& target) {
  PageReader reader(store, std::move(router), from, last, options.page_events, stop);
  CatchUpPipeline pipeline(target);
  size_t since_flush = 0;
  while (true) {
    absl::StatusOr<std::shared_ptr<DecodedPage>> page = reader.Next();
    if (!page.ok()) {
      spdlog::error("projections cannot read the log: {}", page.status().ToString());
      break;
    }
    if (*page == nullptr) break;
    if (!(*page)->decode_error.ok())
      spdlog::error("projections: {}", (*page)->decode_error.ToString());
    from = (*page)->last_position() + 1;
    since_flush += (*page)->events.size();
    const bool flush = since_flush >= options.flush_events;
    if (flush) since_flush = 0;
    pipeline.Push(std::move(*page), flush);
  }
  pipeline.Finish();
  return from;
}

}  // namespace reformlog::projections
