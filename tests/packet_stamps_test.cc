// The receiver's stamps carry what the sink needs in two 64-bit buffer fields
// (packet_stamps.h): they must come back exactly, refuse what does not fit
// rather than wrap, and refuse at the sink what cannot be true.
#include "stamps/packet_stamps.h"

#include <gtest/gtest.h>

namespace rxbench::stamps {
namespace {

class PacketStampsTest : public ::testing::Test {
 protected:
  void SetUp() override { buffer_ = gst_buffer_new(); }
  void TearDown() override { gst_buffer_unref(buffer_); }
  GstBuffer* buffer_ = nullptr;
};

constexpr std::uint64_t kEpoch = 5'000'000'000'000;  // 83 minutes of uptime

TEST_F(PacketStampsTest, RoundTripsEveryField) {
  // Extremes of every field: the last representable send, 4.29 s to the push,
  // the highest sequence number and RTP timestamp.
  const PacketStamp stamps[] = {
      {kEpoch, kEpoch, 0, 0},
      {kEpoch + 123'456'789, kEpoch + 123'456'789 + 2'345, 0x89ABCDEF, 0x1234},
      {kEpoch + kStampMaxSendAfterEpoch, kEpoch + kStampMaxSendAfterEpoch + kStampMaxSendToPush, 0xFFFFFFFF, 0xFFFF},
  };
  for (const PacketStamp& in : stamps) {
    ASSERT_TRUE(StampBuffer(buffer_, in, kEpoch));
    const std::optional<PacketStamp> out = ReadStamp(buffer_, kEpoch, in.push_ns + 1);
    ASSERT_TRUE(out.has_value());
    EXPECT_EQ(out->send_ns, in.send_ns);
    EXPECT_EQ(out->push_ns, in.push_ns);
    EXPECT_EQ(out->sequence, in.sequence);
    EXPECT_EQ(out->rtp_timestamp, in.rtp_timestamp);
  }
}

TEST_F(PacketStampsTest, WhatDoesNotFitIsNotStamped) {
  ASSERT_TRUE(StampBuffer(buffer_, {kEpoch + 10, kEpoch + 20, 1, 1}, kEpoch));  // a stale stamp to overwrite
  const PacketStamp misfits[] = {
      {kEpoch - 1, kEpoch, 1, 1},                                                          // sent before the epoch
      {kEpoch + kStampMaxSendAfterEpoch + 1, kEpoch + kStampMaxSendAfterEpoch + 2, 1, 1},  // 78 h later
      {kEpoch + 10, kEpoch + 10 + kStampMaxSendToPush + 1, 1, 1},  // pushed 4.3 s after the send
      {kEpoch + 10, kEpoch + 9, 1, 1},                             // pushed before it was sent
  };
  for (const PacketStamp& in : misfits) {
    EXPECT_FALSE(StampBuffer(buffer_, in, kEpoch));
    EXPECT_FALSE(ReadStamp(buffer_, kEpoch, ~std::uint64_t{0}).has_value()) << "a stale stamp survived";
  }
}

TEST_F(PacketStampsTest, TheSinkRefusesTheImpossible) {
  EXPECT_FALSE(ReadStamp(buffer_, kEpoch, kEpoch + 1'000'000).has_value()) << "a fresh buffer has no stamp";
  ASSERT_TRUE(StampBuffer(buffer_, {kEpoch + 100, kEpoch + 200, 7, 7}, kEpoch));
  EXPECT_FALSE(ReadStamp(buffer_, kEpoch, kEpoch + 199).has_value()) << "arrived before it was pushed";
  EXPECT_TRUE(ReadStamp(buffer_, kEpoch, kEpoch + 200).has_value());
  ClearStamp(buffer_);
  EXPECT_FALSE(ReadStamp(buffer_, kEpoch, kEpoch + 1'000'000).has_value());
}

}  // namespace
}  // namespace rxbench::stamps
