#include "metrics/log_histogram.h"

#include <algorithm>
#include <cmath>

namespace rxbench::metrics {

LogHistogram::LogHistogram() : buckets_(kBucketCount, 0) {}

std::uint64_t LogHistogram::BucketLowest(std::size_t index) {
  // Inverse of BucketIndex: index = shift * 128 + (v >> shift), where
  // v >> shift lies in [128, 256) once shift > 0.
  const std::size_t block = index >> kSubBucketBits;
  const unsigned shift = block == 0 ? 0 : static_cast<unsigned>(block - 1);
  return static_cast<std::uint64_t>(index - (static_cast<std::size_t>(shift) << kSubBucketBits)) << shift;
}

std::uint64_t LogHistogram::BucketWidth(std::size_t index) {
  const std::size_t block = index >> kSubBucketBits;
  return std::uint64_t{1} << (block == 0 ? 0 : block - 1);
}

double LogHistogram::mean() const {
  if (count_ == 0) return 0.0;
  return static_cast<double>(static_cast<long double>(sum_) / count_);
}

double LogHistogram::stddev() const {
  if (count_ < 2) return 0.0;
  // sum((v - mean)^2) = sum_squares - sum^2 / n. Subtracting two large
  // floating-point numbers would cancel catastrophically for narrow
  // distributions, so the integer part is computed exactly: with
  // sum = q*n + r, sum^2/n = q^2*n + 2*q*r + r^2/n.
  const Wide n = count_;
  const Wide q = sum_ / n;
  const Wide r = sum_ % n;
  const Wide integer_part = sum_squares_ - q * q * n - 2 * q * r;
  const long double m2 =
      static_cast<long double>(integer_part) - static_cast<long double>(r * r) / static_cast<long double>(n);
  const long double variance = std::max(m2, 0.0L) / static_cast<long double>(n);
  return static_cast<double>(std::sqrt(variance));
}

std::uint64_t LogHistogram::Percentile(double p) const {
  if (count_ == 0) return 0;
  // Nearest rank: the ceil(p/100 * n)-th smallest sample. p * n is computed
  // before dividing by 100 so that whole-number ranks (p = 50, n = 1000)
  // come out exact instead of 500.00000000000006.
  const double clamped = std::clamp(std::isnan(p) ? 0.0 : p, 0.0, 100.0);
  const double exact_rank = std::ceil(clamped * static_cast<double>(count_) / 100.0);
  const std::uint64_t rank = std::clamp<std::uint64_t>(static_cast<std::uint64_t>(exact_rank), 1, count_);
  if (rank == 1) return min_;
  if (rank == count_) return max_;

  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBucketCount; ++i) {
    seen += buckets_[i];
    if (seen >= rank) {
      const std::uint64_t middle = BucketLowest(i) + (BucketWidth(i) - 1) / 2;
      return std::clamp(middle, min_, max_);
    }
  }
  return max_;  // unreachable: the buckets add up to count_
}

void LogHistogram::Merge(const LogHistogram& other) {
  for (std::size_t i = 0; i < kBucketCount; ++i) buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  sum_ += other.sum_;
  sum_squares_ += other.sum_squares_;
  min_ = std::min(min_, other.min_);
  max_ = std::max(max_, other.max_);
}

void LogHistogram::Reset() {
  std::fill(buckets_.begin(), buckets_.end(), 0);
  count_ = 0;
  sum_ = 0;
  sum_squares_ = 0;
  min_ = UINT64_MAX;
  max_ = 0;
}

}  // namespace rxbench::metrics
