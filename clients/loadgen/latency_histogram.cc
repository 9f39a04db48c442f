#include "clients/loadgen/latency_histogram.h"

#include <algorithm>
#include <bit>
#include <cmath>

namespace reformlog::loadgen {

size_t LatencyHistogram::BucketOf(uint64_t latency_us) {
  const uint64_t v = std::min(latency_us, kRangeMaxUs - 1);
  if (v < kExactUs) return static_cast<size_t>(v);
  const int shift = static_cast<int>(std::bit_width(v)) - 1 - kSubBucketBits;  // ≥ 1
  const uint64_t sub = v >> shift;  // kSubBucketsPerOctave…2×−1
  return static_cast<size_t>(kExactUs + static_cast<uint64_t>(shift - 1) * kSubBucketsPerOctave +
                             (sub - kSubBucketsPerOctave));
}

uint64_t LatencyHistogram::BucketUpperBoundUs(size_t bucket) {
  if (bucket < kExactUs) return bucket;
  const uint64_t above = bucket - kExactUs;
  const int shift = static_cast<int>(above / kSubBucketsPerOctave) + 1;
  const uint64_t sub = above % kSubBucketsPerOctave + kSubBucketsPerOctave;
  return ((sub + 1) << shift) - 1;
}

void LatencyHistogram::Record(uint64_t latency_us) {
  buckets_[BucketOf(latency_us)].fetch_add(1, std::memory_order_relaxed);
  uint64_t seen = max_us_.load(std::memory_order_relaxed);
  while (latency_us > seen &&
         !max_us_.compare_exchange_weak(seen, latency_us, std::memory_order_relaxed)) {
  }
  count_.fetch_add(1, std::memory_order_release);
}

uint64_t LatencyHistogram::Percentile(double fraction) const {
  uint64_t total = 0;
  for (const auto& b : buckets_) total += b.load(std::memory_order_acquire);
  if (total == 0) return 0;
  const double clamped = std::clamp(fraction, 0.0, 1.0);
  const uint64_t rank = std::clamp<uint64_t>(
      static_cast<uint64_t>(std::ceil(clamped * static_cast<double>(total))), 1, total);
  uint64_t seen = 0;
  for (size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i].load(std::memory_order_acquire);
    if (seen < rank) continue;
    // The last bucket also holds every value beyond the range: its bound is the largest.
    return i + 1 == kBuckets ? max_us() : std::min(BucketUpperBoundUs(i), max_us());
  }
  return max_us();
}

}  // namespace reformlog::loadgen
