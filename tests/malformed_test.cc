#include "traffic_gen/malformed.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtp/datagram_check.h"
#include "rtp/rtp_packet.h"

namespace rxbench::traffic_gen {
namespace {

constexpr std::size_t kPayload = 1200;
constexpr std::size_t kReceiverBuffer = 1500;

std::vector<std::uint8_t> ValidPacket(std::uint16_t seq, std::size_t* size) {
  rtp::Header h;
  h.sequence = seq;
  h.ssrc = 0x5eed;
  std::vector<std::uint8_t> buf(kReceiverBuffer + 64);
  *size = rtp::WritePacket(h, rtp::Probe{9, seq}, kPayload, buf.data());
  return buf;
}

TEST(Malformed, EveryKindIsClassifiedAsItself) {
  for (std::size_t kind = 1; kind < kInjectKinds; ++kind) {
    SCOPED_TRACE(InjectKindName(kind));
    rtp::StreamLock lock;
    rtp::Header header;
    std::size_t offset = 0;
    std::size_t size = 0;
    auto first = ValidPacket(1, &size);
    ASSERT_EQ(rtp::Classify(first.data(), size, &lock, &header, &offset), rtp::Malformed::kNone);

    auto buf = ValidPacket(2, &size);
    const std::size_t length = MakeMalformed(kind, buf.data(), size, buf.size(), kReceiverBuffer);
    if (kind == kOversize) {
      // Well-formed but longer than the receiver's buffer: the kernel truncates it.
      EXPECT_EQ(length, kReceiverBuffer + 1);
      EXPECT_EQ(rtp::Classify(buf.data(), length, &lock, &header, &offset), rtp::Malformed::kNone);
      EXPECT_TRUE(rtp::CheckPattern(2, buf.data() + rtp::kHeaderBytes, length - rtp::kHeaderBytes));
      continue;
    }
    EXPECT_EQ(rtp::Classify(buf.data(), length, &lock, &header, &offset), static_cast<rtp::Malformed>(kind));
    // The stream's next packet is still valid.
    auto next = ValidPacket(3, &size);
    EXPECT_EQ(rtp::Classify(next.data(), size, &lock, &header, &offset), rtp::Malformed::kNone);
    EXPECT_EQ(header.sequence, 3);
  }
}

TEST(Malformed, OversizeThatCannotBeWrittenLeavesThePacket) {
  std::size_t size = 0;
  auto buf = ValidPacket(1, &size);
  EXPECT_EQ(MakeMalformed(kOversize, buf.data(), size, buf.size(), buf.size()), size);
  EXPECT_EQ(MakeMalformed(kOversize, buf.data(), size, 1 << 20, kMaxUdpPayload), size);
}

TEST(Malformed, ParsesKindsAndRates) {
  MalformedSpec spec;
  std::string error;
  ASSERT_TRUE(ParseMalformedSpec("short:0.02,foreign-ssrc,oversize:5%", &spec, &error)) << error;
  EXPECT_DOUBLE_EQ(spec.rate[static_cast<std::size_t>(rtp::Malformed::kShort)], 0.02);
  EXPECT_DOUBLE_EQ(spec.rate[static_cast<std::size_t>(rtp::Malformed::kForeignSsrc)], kDefaultMalformedRate);
  EXPECT_DOUBLE_EQ(spec.rate[kOversize], 0.05);
  EXPECT_DOUBLE_EQ(spec.rate[static_cast<std::size_t>(rtp::Malformed::kEmpty)], 0);
  EXPECT_FALSE(spec.empty());
}

TEST(Malformed, RejectsBadOptionTextInOneLine) {
  MalformedSpec spec;
  std::string error;
  for (const char* bad :
       {"garbage", "short:abc", "short:2", "short:-0.1", "", "short,", "none", "empty:0.6,short:0.6"}) {
    SCOPED_TRACE(bad);
    error.clear();
    EXPECT_FALSE(ParseMalformedSpec(bad, &spec, &error));
    EXPECT_FALSE(error.empty());
    EXPECT_EQ(error.find('\n'), std::string::npos);
  }
  ParseMalformedSpec("garbage", &spec, &error);
  EXPECT_NE(error.find("'garbage'"), std::string::npos);
  EXPECT_NE(error.find("bad-payload-type"), std::string::npos);  // lists the kinds
}

TEST(Malformed, PlanIsSeededCountedAndOnlyBetweenPackets) {
  MalformedSpec spec;
  std::string error;
  ASSERT_TRUE(ParseMalformedSpec("short:0.1,bad-version:0.05,oversize:0.05", &spec, &error));
  constexpr std::uint64_t kTotal = 20000;
  MalformedPlan a(spec, 42, kTotal), b(spec, 42, kTotal), other(spec, 43, kTotal);
  std::array<std::uint64_t, kInjectKinds> seen{};
  std::uint64_t differ = 0;
  for (std::uint64_t i = 0; i < kTotal; ++i) {
    const std::size_t kind = a.Take(i);
    EXPECT_EQ(kind, b.KindAfter(i));
    differ += kind != other.KindAfter(i);
    ++seen[kind];
  }
  EXPECT_EQ(a.KindAfter(kTotal - 1), kNoMalformed);  // nothing after the last packet
  EXPECT_GT(differ, 0u);                             // the seed matters
  for (std::size_t k = 1; k < kInjectKinds; ++k) EXPECT_EQ(a.planned()[k], seen[k]) << InjectKindName(k);
  EXPECT_EQ(a.planned()[static_cast<std::size_t>(rtp::Malformed::kEmpty)], 0u);
  // Binomial(20000, 0.1): mean 2000, sd 42; a wide band that a wrong rate misses.
  EXPECT_NEAR(static_cast<double>(seen[static_cast<std::size_t>(rtp::Malformed::kShort)]), 2000, 300);
  EXPECT_NEAR(static_cast<double>(seen[kOversize]), 1000, 200);
}

}  // namespace
}  // namespace rxbench::traffic_gen
