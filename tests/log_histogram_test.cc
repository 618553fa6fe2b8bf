#include "metrics/log_histogram.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <random>
#include <vector>

namespace rxbench::metrics {
namespace {

// The reference: nearest-rank percentile of the sorted samples, with the rank
// computed the way the histogram documents it.
std::uint64_t ExactPercentile(const std::vector<std::uint64_t>& sorted, double p) {
  double rank = std::ceil(p * static_cast<double>(sorted.size()) / 100.0);
  rank = std::clamp(rank, 1.0, static_cast<double>(sorted.size()));
  return sorted[static_cast<std::size_t>(rank) - 1];
}

double RelativeError(std::uint64_t got, std::uint64_t want) {
  if (want == 0) return got == 0 ? 0.0 : 1.0;
  return std::abs(static_cast<double>(got) - static_cast<double>(want)) / static_cast<double>(want);
}

// Records `samples` and checks every statistic against an exact computation.
void CheckAgainstExact(std::vector<std::uint64_t> samples) {
  LogHistogram h;
  for (const std::uint64_t v : samples) h.Record(v);
  std::sort(samples.begin(), samples.end());

  ASSERT_EQ(h.count(), samples.size());
  EXPECT_FALSE(h.empty());
  EXPECT_EQ(h.min(), samples.front());
  EXPECT_EQ(h.max(), samples.back());

  long double sum = 0;
  for (const std::uint64_t v : samples) sum += v;
  const long double mean = sum / samples.size();
  long double m2 = 0;
  for (const std::uint64_t v : samples) m2 += (v - mean) * (v - mean);
  const double stddev = static_cast<double>(std::sqrt(m2 / samples.size()));
  EXPECT_NEAR(h.mean(), static_cast<double>(mean), 1e-9 * static_cast<double>(mean) + 1e-12);
  EXPECT_NEAR(h.stddev(), stddev, 1e-9 * static_cast<double>(mean) + 1e-9);

  for (const double p : {0.0, 1.0, 10.0, 50.0, 90.0, 99.0, 99.9, 99.99, 100.0}) {
    const std::uint64_t want = ExactPercentile(samples, p);
    const std::uint64_t got = h.Percentile(p);
    EXPECT_LE(RelativeError(got, want), 0.01) << "p" << p << ": got " << got << ", exact " << want;
  }
  EXPECT_EQ(h.Percentile(0), samples.front());
  EXPECT_EQ(h.Percentile(100), samples.back());
}

TEST(LogHistogramTest, BucketLayoutIsContiguousAndTight) {
  // Every bucket starts where the previous one ended, and is at most 1/128 of
  // its lower bound wide: the basis of the 1% (in fact 0.4%) error bound.
  std::uint64_t next = 0;
  for (std::size_t i = 0; i < LogHistogram::kBucketCount; ++i) {
    const std::uint64_t low = LogHistogram::BucketLowest(i);
    const std::uint64_t width = LogHistogram::BucketWidth(i);
    ASSERT_EQ(low, next) << "bucket " << i;
    ASSERT_EQ(LogHistogram::BucketIndex(low), i);
    ASSERT_EQ(LogHistogram::BucketIndex(low + (width - 1)), i);
    if (low >= 128) {
      ASSERT_LE(width * 128, low) << "bucket " << i;
    }
    next = low + width;
  }
  EXPECT_EQ(next, 0u) << "the last bucket must end exactly at 2^64 (wrapped to 0)";
  EXPECT_EQ(LogHistogram::BucketIndex(UINT64_MAX), LogHistogram::kBucketCount - 1);
  for (std::uint64_t v = 0; v < 128; ++v) EXPECT_EQ(LogHistogram::BucketWidth(LogHistogram::BucketIndex(v)), 1u);
}

TEST(LogHistogramTest, Uniform) {
  std::mt19937_64 rng(1);
  std::uniform_int_distribution<std::uint64_t> dist(1000, 5000000);
  std::vector<std::uint64_t> samples(200000);
  for (auto& v : samples) v = dist(rng);
  CheckAgainstExact(samples);
}

TEST(LogHistogramTest, LognormalFrom100nsTo10ms) {
  // ln(100) = 4.6, ln(1e7) = 16.1: mean 10.4, sigma 1.9 puts +-3 sigma there.
  std::mt19937_64 rng(2);
  std::lognormal_distribution<double> dist(10.35, 1.9);
  std::vector<std::uint64_t> samples(200000);
  for (auto& v : samples) v = static_cast<std::uint64_t>(std::clamp(dist(rng), 100.0, 1e7));
  CheckAgainstExact(samples);
}

TEST(LogHistogramTest, Constant) {
  std::vector<std::uint64_t> samples(10000, 123456789);
  CheckAgainstExact(samples);
  LogHistogram h;
  for (const std::uint64_t v : samples) h.Record(v);
  EXPECT_EQ(h.stddev(), 0.0);  // exact sums: no cancellation noise
  EXPECT_EQ(h.Percentile(50), 123456789u);
}

TEST(LogHistogramTest, SmallValuesAreExact) {
  std::mt19937_64 rng(3);
  std::uniform_int_distribution<std::uint64_t> dist(0, 127);
  std::vector<std::uint64_t> samples(50000);
  for (auto& v : samples) v = dist(rng);
  CheckAgainstExact(samples);

  LogHistogram h;
  for (const std::uint64_t v : samples) h.Record(v);
  std::sort(samples.begin(), samples.end());
  for (const double p : {1.0, 25.0, 50.0, 75.0, 99.0}) EXPECT_EQ(h.Percentile(p), ExactPercentile(samples, p));
}

TEST(LogHistogramTest, LargeValues) {
  // Up to 2^52 ns (52 days): far beyond any latency, still inside the range
  // where the exact sum of squares cannot overflow.
  std::mt19937_64 rng(4);
  std::vector<std::uint64_t> samples(20000);
  for (auto& v : samples) v = (rng() >> 12) >> (rng() % 40);
  CheckAgainstExact(samples);
}

TEST(LogHistogramTest, PercentilesCoverTheWholeUint64Range) {
  // Buckets reach 2^64 - 1, so even absurd values land in a bucket of the
  // right magnitude (stddev is not checked: its sum of squares would wrap).
  std::mt19937_64 rng(4);
  std::vector<std::uint64_t> samples(20000);
  for (auto& v : samples) v = rng() >> (rng() % 40);  // 2^24 .. 2^64
  samples.push_back(UINT64_MAX);
  LogHistogram h;
  for (const std::uint64_t v : samples) h.Record(v);
  std::sort(samples.begin(), samples.end());
  EXPECT_EQ(h.max(), UINT64_MAX);
  EXPECT_EQ(h.min(), samples.front());
  for (const double p : {1.0, 50.0, 90.0, 99.0, 99.9}) {
    EXPECT_LE(RelativeError(h.Percentile(p), ExactPercentile(samples, p)), 0.01) << p;
  }
  long double sum = 0;
  for (const std::uint64_t v : samples) sum += v;
  EXPECT_NEAR(h.mean(), static_cast<double>(sum / samples.size()), 1e-9 * h.mean());
}

TEST(LogHistogramTest, HandWorkedPercentiles) {
  // 1..100: nearest rank of p50 is the 50th sample, 50; p99 -> 99; p99.5 ->
  // ceil(99.5) = 100th; p0.5 -> ceil(0.5) = 1st. All below 128, so exact.
  LogHistogram h;
  for (std::uint64_t v = 100; v >= 1; --v) h.Record(v);
  EXPECT_EQ(h.Percentile(50), 50u);
  EXPECT_EQ(h.Percentile(99), 99u);
  EXPECT_EQ(h.Percentile(99.5), 100u);
  EXPECT_EQ(h.Percentile(0.5), 1u);
  EXPECT_EQ(h.Percentile(-5), 1u);  // clamped to [0, 100]
  EXPECT_EQ(h.Percentile(250), 100u);
  EXPECT_DOUBLE_EQ(h.mean(), 50.5);
  EXPECT_DOUBLE_EQ(h.stddev(), std::sqrt((100.0 * 100.0 - 1.0) / 12.0));  // discrete uniform
}

TEST(LogHistogramTest, MergeEqualsRecordingEverything) {
  std::mt19937_64 rng(5);
  std::lognormal_distribution<double> dist(9.0, 2.0);
  LogHistogram a, b, all;
  for (int i = 0; i < 50000; ++i) {
    const auto v = static_cast<std::uint64_t>(dist(rng));
    (i % 3 == 0 ? a : b).Record(v);
    all.Record(v);
  }
  a.Merge(b);
  EXPECT_EQ(a.count(), all.count());
  EXPECT_EQ(a.min(), all.min());
  EXPECT_EQ(a.max(), all.max());
  EXPECT_EQ(a.mean(), all.mean());
  EXPECT_EQ(a.stddev(), all.stddev());
  for (double p = 0; p <= 100; p += 0.5) EXPECT_EQ(a.Percentile(p), all.Percentile(p)) << p;

  LogHistogram empty;
  all.Merge(empty);  // merging nothing changes nothing, min included
  EXPECT_EQ(all.min(), a.min());
  EXPECT_EQ(all.count(), a.count());
}

TEST(LogHistogramTest, EmptyAndReset) {
  LogHistogram h;
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.count(), 0u);
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.mean(), 0.0);
  EXPECT_EQ(h.stddev(), 0.0);
  EXPECT_EQ(h.Percentile(50), 0u);

  h.Record(1000);
  EXPECT_FALSE(h.empty());
  EXPECT_EQ(h.count(), 1u);
  EXPECT_EQ(h.min(), 1000u);
  EXPECT_EQ(h.max(), 1000u);
  EXPECT_EQ(h.Percentile(50), 1000u);
  EXPECT_EQ(h.stddev(), 0.0);

  h.Reset();
  EXPECT_TRUE(h.empty());
  EXPECT_EQ(h.min(), 0u);
  EXPECT_EQ(h.max(), 0u);
  EXPECT_EQ(h.Percentile(99), 0u);
  h.Record(7);
  EXPECT_EQ(h.min(), 7u);
  EXPECT_EQ(h.Percentile(50), 7u);
}

}  // namespace
}  // namespace rxbench::metrics
