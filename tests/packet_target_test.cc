// recv --packets's decision on plain counts and times: while packets flow, the
// full account (a lock the receiver takes per packet, a parse of /proc) is
// never asked for; once the stream stands still it is, once per quiet period.
#include "commands/packet_target.h"

#include <gtest/gtest.h>

namespace rxbench::harness {
namespace {

using Next = PacketTarget::Next;
constexpr std::uint64_t kPollNs = 2'000'000;  // recv's poll period
constexpr std::uint64_t kStartNs = 1'000'000'000;

TEST(PacketTargetTest, AFlowingStreamIsCountedByDeliveriesAlone) {
  PacketTarget target(1000);
  std::uint64_t now = kStartNs;
  // One packet delivered per poll, with a pause shorter than the quiet
  // period halfway (a frame gap).
  for (std::uint64_t delivered = 0; delivered < 1000; ++delivered, now += kPollNs) {
    if (delivered == 500) {
      for (std::uint64_t t = 0; t + kPollNs < PacketTarget::kQuietNs; t += kPollNs, now += kPollNs) {
        ASSERT_EQ(target.OnPoll(delivered, now), Next::kWait) << "paused at " << delivered;
      }
    }
    ASSERT_EQ(target.OnPoll(delivered, now), Next::kWait) << "at " << delivered;
  }
  EXPECT_EQ(target.OnPoll(1000, now), Next::kReached);
}

TEST(PacketTargetTest, LostPacketsAreCountedOnceTheStreamStandsStill) {
  PacketTarget target(1000);
  std::uint64_t now = kStartNs;
  for (std::uint64_t delivered = 0; delivered <= 995; ++delivered, now += kPollNs) {
    ASSERT_EQ(target.OnPoll(delivered, now), Next::kWait);
  }
  // 995 delivered, 5 dropped by the kernel: nothing moves any more.
  const std::uint64_t last_change = now - kPollNs;
  int reads = 0;
  std::uint64_t first_read = 0;
  for (; now < last_change + 3 * PacketTarget::kQuietNs + kPollNs; now += kPollNs) {
    if (target.OnPoll(995, now) == Next::kReadFullAccount) {
      if (reads++ == 0) first_read = now;
    }
  }
  // Never early, then once per quiet period.
  EXPECT_GE(first_read, last_change + PacketTarget::kQuietNs);
  EXPECT_EQ(reads, 3);
  EXPECT_FALSE(target.Reached(999));
  EXPECT_TRUE(target.Reached(1000));
}

TEST(PacketTargetTest, NothingYetIsAQuietStream) {
  PacketTarget target(10);
  EXPECT_EQ(target.OnPoll(0, kStartNs), Next::kWait);
  EXPECT_EQ(target.OnPoll(0, kStartNs + PacketTarget::kQuietNs), Next::kReadFullAccount);
  EXPECT_EQ(target.OnPoll(0, kStartNs + PacketTarget::kQuietNs + kPollNs), Next::kWait);
}

}  // namespace
}  // namespace rxbench::harness
