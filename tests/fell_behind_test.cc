// The one "fell behind" rule (GeneratorReport::fell_behind) that `run`,
// `compare` and `gen` all report: on hand-made reports whose achieved rate is
// exactly known, so the 2 % boundary is tested, not approximated.
#include <gtest/gtest.h>

#include "traffic_gen/generator.h"

namespace rxbench::traffic_gen {
namespace {

// Offered 1000 pps; the measured stream was due to take 1 s (1000 packets
// apart) and took `took_ns`: achieved = 1000 * 1e9 / took_ns.
GeneratorReport Took(std::uint64_t took_ns) {
  GeneratorReport r;
  r.offered_pps = 1000;
  r.first_due_ns = 0;
  r.last_due_ns = 1'000'000'000;
  r.first_send_ns = 5'000;
  r.last_send_ns = 5'000 + took_ns;
  return r;
}

TEST(FellBehind, OnScheduleIsNot) { EXPECT_FALSE(Took(1'000'000'000).fell_behind()); }

TEST(FellBehind, AheadIsNot) { EXPECT_FALSE(Took(900'000'000).fell_behind()); }

TEST(FellBehind, ExactlyTwoPerCentShortIsNot) {
  // 1e9 / 0.98 ns: achieved is 980 pps, within the tolerance.
  const GeneratorReport r = Took(1'020'408'163);
  ASSERT_GE(r.achieved_pps(), 980.0);
  EXPECT_FALSE(r.fell_behind());
}

TEST(FellBehind, MoreThanTwoPerCentShortIs) {
  const GeneratorReport r = Took(1'020'408'164 + 2'000);
  ASSERT_LT(r.achieved_pps(), 980.0);
  EXPECT_TRUE(r.fell_behind());
  EXPECT_TRUE(Took(2'000'000'000).fell_behind());  // half the rate
}

TEST(FellBehind, UnknownAchievedRateIsNot) {
  // Fewer than two send instants: the achieved rate cannot be told (0), which
  // is not evidence of falling behind.
  GeneratorReport r;
  r.offered_pps = 1000;
  EXPECT_EQ(r.achieved_pps(), 0.0);
  EXPECT_FALSE(r.fell_behind());
}

}  // namespace
}  // namespace rxbench::traffic_gen
