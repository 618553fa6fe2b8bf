// SampledCost times one occurrence in kPeriod and scales to all of them; an
// interrupted sample must not be scaled into the estimate.
#include "metrics/sampled_cost.h"

#include <gtest/gtest.h>

namespace rxbench::metrics {
namespace {

// Runs `occurrences` sections, feeding `elapsed(k)` for the k-th timed one.
template <typename Elapsed>
SampledCost RunSections(std::uint64_t occurrences, Elapsed elapsed) {
  SampledCost cost;
  std::uint64_t timed = 0;
  for (std::uint64_t i = 0; i < occurrences; ++i) {
    if (cost.Due()) cost.Sample(elapsed(timed++));
  }
  return cost;
}

TEST(SampledCostTest, TimesOneInPeriod) {
  const SampledCost cost = RunSections(10 * SampledCost::kPeriod + 5, [](std::uint64_t) { return 100; });
  EXPECT_EQ(cost.occurrences(), 10 * SampledCost::kPeriod + 5);
  EXPECT_EQ(cost.samples(), 10u);
  EXPECT_EQ(cost.interrupted(), 0u);
}

TEST(SampledCostTest, ScalesTheMeanSampleToEveryOccurrence) {
  // Timed sections alternate 100 and 300 ns: mean 200 ns over 1280 occurrences.
  const SampledCost cost = RunSections(20 * SampledCost::kPeriod, [](std::uint64_t k) { return k % 2 ? 300 : 100; });
  EXPECT_DOUBLE_EQ(cost.TotalNs(), 200.0 * 20 * SampledCost::kPeriod);
}

TEST(SampledCostTest, InterruptedSamplesAreCountedNotAdded) {
  // Every fifth timed section was preempted for 4 ms.
  const SampledCost cost = RunSections(50 * SampledCost::kPeriod,
                                       [](std::uint64_t k) -> std::uint64_t { return k % 5 == 4 ? 4'000'000 : 150; });
  EXPECT_EQ(cost.samples(), 40u);
  EXPECT_EQ(cost.interrupted(), 10u);
  EXPECT_DOUBLE_EQ(cost.TotalNs(), 150.0 * 50 * SampledCost::kPeriod);
}

TEST(SampledCostTest, NothingTimedIsZero) {
  const SampledCost cost = RunSections(SampledCost::kPeriod - 1, [](std::uint64_t) { return 100; });
  EXPECT_EQ(cost.samples(), 0u);
  EXPECT_EQ(cost.TotalNs(), 0.0);
}

}  // namespace
}  // namespace rxbench::metrics
