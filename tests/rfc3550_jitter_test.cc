#include "metrics/rfc3550_jitter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

namespace rxbench::metrics {
namespace {

constexpr std::uint64_t kMs = 1000000;  // ns

TEST(InterarrivalJitterTest, HandWorkedSeries) {
  // Clock rate 1000 Hz, so one timestamp unit is 1 ms and arrivals in ms can
  // be read directly as units. Packets sent every 10 units:
  //
  //   packet  S (units)  R (ms)  transit R-S  D = transit - previous transit
  //   0         0        100     100          -
  //   1        10        112     102          +2
  //   2        20        119      99          -3
  //   3        30        133     103          +4
  //   4        40        140     100          -3
  //
  //   J0 = 0
  //   J1 = 0        + (2 - 0)/16        = 0.125
  //   J2 = 0.125    + (3 - 0.125)/16    = 0.125 + 0.1796875      = 0.3046875
  //   J3 = 0.3046875 + (4 - 0.3046875)/16 = 0.3046875 + 0.23095703125 = 0.53564453125
  //   J4 = 0.53564453125 + (3 - 0.53564453125)/16
  //      = 0.53564453125 + 0.154022216796875                     = 0.689666748046875
  //
  // In microseconds (1 unit = 1000 us): 689.666748046875.
  InterarrivalJitter j(1000);
  const std::uint32_t s[] = {0, 10, 20, 30, 40};
  const std::uint64_t r[] = {100, 112, 119, 133, 140};
  const double expected[] = {0.0, 0.125, 0.3046875, 0.53564453125, 0.689666748046875};
  const double abs_d_ms[] = {0, 2, 3, 4, 3};  // |D| per packet, 1 unit = 1 ms
  for (int i = 0; i < 5; ++i) {
    j.OnPacket(s[i], r[i] * kMs);
    EXPECT_NEAR(j.jitter_rtp_units(), expected[i], 1e-12) << "after packet " << i;
    EXPECT_NEAR(j.jitter_ns(), expected[i] * 1e6, 1e-3) << "after packet " << i;
    EXPECT_NEAR(j.last_abs_d_ns(), abs_d_ms[i] * 1e6, 1e-3) << "after packet " << i;
  }
  EXPECT_EQ(j.packets(), 5u);
  EXPECT_NEAR(j.jitter_us(), 689.666748046875, 1e-9);
}

TEST(InterarrivalJitterTest, PerfectlyPacedIsZero) {
  // 90 kHz video at 30 fps: 3000 units = 33.333... ms per frame. 3000 units
  // is 100/3 ms, so use arrivals computed from the timestamps themselves
  // (rounded to whole ns: a < 1 ns error, 0.00009 units).
  InterarrivalJitter j(90000);
  for (std::uint32_t i = 0; i < 1000; ++i) {
    const std::uint32_t ts = 1234 + i * 3000;
    const auto arrival = static_cast<std::uint64_t>(std::llround(5e9 + i * 3000 * 1e9 / 90000));
    j.OnPacket(ts, arrival);
  }
  EXPECT_LT(j.jitter_rtp_units(), 1e-3);
  EXPECT_LT(j.jitter_us(), 0.1);
}

TEST(InterarrivalJitterTest, ConstantTransitOffsetIsZero) {
  // Arrival clock and timestamp clock differ by a fixed (huge) offset: only
  // differences matter, so jitter stays exactly 0.
  InterarrivalJitter j(1000);
  for (std::uint32_t i = 0; i < 100; ++i) j.OnPacket(7 * i, (987654321 + 7 * i) * kMs);
  EXPECT_EQ(j.jitter_rtp_units(), 0.0);
}

TEST(InterarrivalJitterTest, TimestampWrapAround) {
  // Timestamps cross 2^32 -> 0; read as unsigned the step would be -4294967286
  // and J would explode. As a signed 32-bit difference it is +10.
  InterarrivalJitter j(1000);
  j.OnPacket(0xFFFFFFF6u, 1000 * kMs);  // 2^32 - 10
  j.OnPacket(0x00000000u, 1010 * kMs);  // +10 units, +10 ms: D = 0
  EXPECT_EQ(j.jitter_rtp_units(), 0.0);
  j.OnPacket(0x0000000Au, 1022 * kMs);  // +10 units, +12 ms: D = 2, J = 2/16
  EXPECT_NEAR(j.jitter_rtp_units(), 0.125, 1e-12);
  j.OnPacket(0xFFFFFFFEu, 1023 * kMs);  // -12 units (reordered across the wrap), +1 ms: D = 13
  EXPECT_NEAR(j.jitter_rtp_units(), 0.125 + (13 - 0.125) / 16, 1e-12);
}

TEST(InterarrivalJitterTest, AlternatingDelayConvergesToD) {
  // Nominal spacing 10 ms; every other packet is delayed by d = 2 ms:
  //   transit: T, T+2, T, T+2, ...  ->  D: +2, -2, +2, ...  ->  |D| = 2 always.
  // With |D| constant, J_n = d + (J_{n-1} - d) * 15/16, so from J_0 = 0:
  //   J_n = d * (1 - (15/16)^n)  ->  d.
  // (A +-d offset around the nominal time would give |D| = 2d instead.)
  InterarrivalJitter j(1000);
  const double d = 2.0;
  for (int i = 0; i <= 400; ++i) {
    const std::uint64_t arrival = (1000 + 10 * static_cast<std::uint64_t>(i) + (i % 2 == 1 ? 2 : 0)) * kMs;
    j.OnPacket(static_cast<std::uint32_t>(10 * i), arrival);
    const double expected = d * (1.0 - std::pow(15.0 / 16.0, i));
    ASSERT_NEAR(j.jitter_rtp_units(), expected, 1e-9) << "after packet " << i;
  }
  EXPECT_NEAR(j.jitter_rtp_units(), d, 1e-9);
  EXPECT_NEAR(j.jitter_us(), 2000.0, 1e-6);
}

TEST(InterarrivalJitterTest, SubUnitPrecisionAt90kHz) {
  // A.8 would truncate arrivals to whole units (11.1 us at 90 kHz) and lose
  // this: packets 3000 units (33.333 ms) apart, every other one 5 us late.
  // |D| = 5 us = 0.45 units every packet, so J converges to 0.45 units.
  InterarrivalJitter j(90000);
  for (int i = 0; i < 400; ++i) {
    const double ideal_ns = i * 3000 * 1e9 / 90000;
    const auto arrival = static_cast<std::uint64_t>(std::llround(1e9 + ideal_ns + (i % 2 == 1 ? 5000 : 0)));
    j.OnPacket(static_cast<std::uint32_t>(i * 3000), arrival);
  }
  EXPECT_NEAR(j.jitter_us(), 5.0, 0.01);
  EXPECT_NEAR(j.jitter_rtp_units(), 0.45, 0.001);
}

}  // namespace
}  // namespace rxbench::metrics
