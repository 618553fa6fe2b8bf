#include "traffic_gen/impairment.h"

#include <gtest/gtest.h>

#include "metrics/sequence_tracker.h"

namespace rxbench::traffic_gen {
namespace {

ImpairmentSpec Parse(const std::string& text) {
  ImpairmentSpec spec;
  std::string error;
  EXPECT_TRUE(ParseImpairmentSpec(text, &spec, &error)) << error;
  return spec;
}

TEST(Impairment, ParsesPercentagesAndFractions) {
  const ImpairmentSpec spec = Parse("loss=1%,dup=0.005,reorder=1%");
  EXPECT_DOUBLE_EQ(spec.loss, 0.01);
  EXPECT_DOUBLE_EQ(spec.duplicate, 0.005);
  EXPECT_DOUBLE_EQ(spec.reorder, 0.01);
  EXPECT_DOUBLE_EQ(Parse("reorder=2%").reorder, 0.02);
  EXPECT_DOUBLE_EQ(Parse("reorder=2%").loss, 0);
}

TEST(Impairment, RejectsBadText) {
  ImpairmentSpec spec;
  std::string error;
  for (const char* bad : {"", "loss", "loss=", "jitter=1%", "loss=x", "loss=150%", "loss=0.6,dup=0.6"}) {
    SCOPED_TRACE(bad);
    error.clear();
    EXPECT_FALSE(ParseImpairmentSpec(bad, &spec, &error));
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
}

TEST(Impairment, FirstAndLastAreNeverImpaired) {
  const ImpairmentPlan plan(Parse("loss=0.3,dup=0.3,reorder=0.4"), 7, 1000);
  EXPECT_EQ(plan.At(0), Impairment::kNone);
  EXPECT_EQ(plan.At(999), Impairment::kNone);
  EXPECT_NE(plan.At(998), Impairment::kSwapWithNext);
  const auto order = plan.SendOrder();
  EXPECT_EQ(order.front(), 0u);
  EXPECT_EQ(order.back(), 999u);
}

TEST(Impairment, IsSeeded) {
  const ImpairmentSpec spec = Parse("loss=5%,dup=5%,reorder=5%");
  const ImpairmentPlan a(spec, 1, 5000), b(spec, 1, 5000), c(spec, 2, 5000);
  EXPECT_EQ(a.SendOrder(), b.SendOrder());
  EXPECT_NE(a.SendOrder(), c.SendOrder());
}

// The contract with the receive side: what the plan reports equals what
// metrics::SequenceTracker counts from the send order, exactly. The stream
// crosses the 16-bit sequence wrap, and the rates are high enough that
// impairments sit close together.
void ExpectTrackerMatches(const std::string& text, std::uint64_t seed, std::uint64_t total) {
  SCOPED_TRACE(text + " seed " + std::to_string(seed));
  const ImpairmentPlan plan(Parse(text), seed, total);
  const ImpairmentReport report = plan.Tally();
  metrics::SequenceTracker tracker;
  constexpr std::uint16_t kFirstSequence = 65000;
  for (std::uint64_t index : plan.SendOrder()) tracker.OnPacket(static_cast<std::uint16_t>(kFirstSequence + index));
  EXPECT_EQ(tracker.seq_gaps(), report.losses);
  EXPECT_EQ(tracker.duplicates(), report.duplicates);
  EXPECT_EQ(tracker.reordered(), report.reorders);
  EXPECT_EQ(tracker.expected(), total);
  EXPECT_GT(report.losses + report.duplicates + report.reorders, 0u);
}

TEST(Impairment, ReportMatchesSequenceTrackerExactly) {
  ExpectTrackerMatches("loss=1%,dup=0.5%,reorder=1%", 1, 20000);
  ExpectTrackerMatches("loss=10%,dup=10%,reorder=10%", 2, 20000);
  ExpectTrackerMatches("loss=0.2,dup=0.2,reorder=0.2", 3, 5000);
  ExpectTrackerMatches("reorder=50%", 4, 5000);
  ExpectTrackerMatches("loss=50%", 5, 5000);
}

TEST(Impairment, InjectedRatesAreCloseToTheAskedOnes) {
  // Keeping impairments apart costs a little at 1 %: the neighbours must both
  // draw nothing, probability (1 - 0.025)^2.
  const ImpairmentPlan plan(Parse("loss=1%,dup=0.5%,reorder=1%"), 11, 100000);
  const ImpairmentReport r = plan.Tally();
  EXPECT_NEAR(static_cast<double>(r.losses), 950, 150);
  EXPECT_NEAR(static_cast<double>(r.duplicates), 475, 110);
  EXPECT_NEAR(static_cast<double>(r.reorders), 950, 150);
}

}  // namespace
}  // namespace rxbench::traffic_gen
