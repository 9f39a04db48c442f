// LatencyHistogram: a fixed-size, lock-free histogram of latencies in microseconds, for the
// load generator, which records one value per command from many gRPC threads at once.
//
// Buckets are log-linear (as in HdrHistogram): values below kExactUs each have their own
// bucket; above, every power of two is split into kSubBucketsPerOctave buckets, so a
// reported percentile is the upper bound of its bucket and at most 1/kSubBucketsPerOctave
// (1.6 %) above the true value — never below it. Values at or above kRangeMaxUs fall into
// the last bucket. Percentile() never reports more than the largest value recorded.
//
// Record() is wait-free (relaxed atomic increments) and may be called from any thread;
// the readers (Percentile, count, max_us) see every Record() that happened before them.
#ifndef REFORMLOG_CLIENTS_LOADGEN_LATENCY_HISTOGRAM_H_
#define REFORMLOG_CLIENTS_LOADGEN_LATENCY_HISTOGRAM_H_

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace reformlog::loadgen {

class LatencyHistogram {
 public:
  static constexpr int kSubBucketBits = 6;
  static constexpr uint64_t kSubBucketsPerOctave = uint64_t{1} << kSubBucketBits;  // 64
  static constexpr uint64_t kExactUs = 2 * kSubBucketsPerOctave;                   // 128
  static constexpr int kOctaves = 32;  // above kExactUs: up to 2^39 µs, about 6 days
  static constexpr size_t kBuckets = kExactUs + kOctaves * kSubBucketsPerOctave;
  static constexpr uint64_t kRangeMaxUs = uint64_t{1} << (kSubBucketBits + 1 + kOctaves);

  LatencyHistogram() = default;
  LatencyHistogram(const LatencyHistogram&) = delete;
  LatencyHistogram& operator=(const LatencyHistogram&) = delete;

  void Record(uint64_t latency_us);

  // The smallest bucket bound at or above `fraction` (0–1) of the values recorded, in µs;
  // 0 when nothing was recorded.
  uint64_t Percentile(double fraction) const;

  uint64_t count() const { return count_.load(std::memory_order_acquire); }
  uint64_t max_us() const { return max_us_.load(std::memory_order_acquire); }

  // The bucket of `latency_us`, and the largest value that bucket holds (for the tests).
  static size_t BucketOf(uint64_t latency_us);
  static uint64_t BucketUpperBoundUs(size_t bucket);

 private:
  std::array<std::atomic<uint64_t>, kBuckets> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> max_us_{0};
};

}  // namespace reformlog::loadgen

#endif  // REFORMLOG_CLIENTS_LOADGEN_LATENCY_HISTOGRAM_H_
