// A latency distribution that can sit on a per-packet hot path.
//
// The receive path produces one value per packet (ns of latency, gaps between
// packets, time spent in a call) at up to millions of packets per second, and
// reports want percentiles out to p99.9 and beyond. Storing every sample is
// too much memory and sorting at the end too slow, so values are counted in
// log-linear buckets (HdrHistogram's layout):
//
//   * 0..127 have a bucket each: small values are exact;
//   * every power of two [2^k, 2^(k+1)) with k >= 7 is split into 128 equal
//     sub-buckets of width 2^(k-7).
//
// A bucket is therefore never wider than 1/128 of its lower bound, and a
// percentile reported as the bucket's midpoint is within 1/256 (0.4%) of the
// true sample. The buckets cover the whole uint64 range (7424 counters,
// ~58 KiB, allocated once in the constructor), so Record() never clamps,
// never allocates and never branches on the value's magnitude.
//
// count, min, max, mean and stddev are exact: they come from running integer
// sums, not from the buckets.
//
// Not thread-safe: give each thread its own histogram and Merge() them when
// the run is over. Copyable; a moved-from histogram has no buckets and may
// only be assigned to or destroyed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rxbench::metrics {

class LogHistogram {
 public:
  // Bucket layout (see the header comment). Exposed for tests and reporters
  // that want to dump the raw buckets.
  static constexpr unsigned kSubBucketBits = 7;
  static constexpr std::uint64_t kSubBuckets = std::uint64_t{1} << kSubBucketBits;  // 128
  static constexpr std::size_t kBucketCount = (64 - kSubBucketBits) * kSubBuckets + kSubBuckets;

  LogHistogram();

  // Hot path: one bucket increment plus the running sums.
  void Record(std::uint64_t v) {
    ++buckets_[BucketIndex(v)];
    ++count_;
    sum_ += v;
    sum_squares_ += static_cast<Wide>(v) * v;
    min_ = v < min_ ? v : min_;
    max_ = v > max_ ? v : max_;
  }

  bool empty() const { return count_ == 0; }
  std::uint64_t count() const { return count_; }
  // min/max/mean/stddev/Percentile of an empty histogram are 0.
  std::uint64_t min() const { return count_ == 0 ? 0 : min_; }
  std::uint64_t max() const { return max_; }
  double mean() const;
  // Population standard deviation (divides by count, not count - 1): the
  // histogram describes every packet of the run, not a sample of them.
  double stddev() const;

  // Nearest-rank percentile, p in [0, 100]: a value from the bucket holding
  // the ceil(p/100 * count)-th smallest sample (its midpoint, clamped to
  // [min, max]). The first and last rank return min() and max() exactly.
  std::uint64_t Percentile(double p) const;

  // Afterwards *this describes the samples of both histograms.
  void Merge(const LogHistogram& other);
  void Reset();

  // Index of the bucket that counts v. Branch-free: OR-ing in 128 makes every
  // value below 256 share shift 0, where the index is the value itself.
  static std::size_t BucketIndex(std::uint64_t v) {
    const unsigned msb = 63u - static_cast<unsigned>(__builtin_clzll(v | kSubBuckets));
    const unsigned shift = msb - kSubBucketBits;
    return (static_cast<std::size_t>(shift) << kSubBucketBits) + static_cast<std::size_t>(v >> shift);
  }
  // Smallest value counted by bucket `index`, and the bucket's width.
  static std::uint64_t BucketLowest(std::size_t index);
  static std::uint64_t BucketWidth(std::size_t index);

 private:
  // Exact sums. Sum of squares overflows only past 2^128 (e.g. 2^48 samples
  // of 2^40 ns = 18 minutes each), far beyond any benchmark run.
  __extension__ typedef unsigned __int128 Wide;

  std::vector<std::uint64_t> buckets_;  // kBucketCount, sized once
  std::uint64_t count_ = 0;
  Wide sum_ = 0;
  Wide sum_squares_ = 0;
  std::uint64_t min_ = UINT64_MAX;
  std::uint64_t max_ = 0;
};

}  // namespace rxbench::metrics
