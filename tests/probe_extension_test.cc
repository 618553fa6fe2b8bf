// The probe in an RFC 8285 one-byte header extension: written where readers
// find it, found among other elements, and never read from a media payload.
#include "rtp/probe_extension.h"

#include <gtest/gtest.h>

#include <vector>

#include "rtp/rtp_packet.h"

namespace rxbench::rtp {
namespace {

std::vector<std::uint8_t> MediaPacket(const Probe& probe) {
  std::vector<std::uint8_t> p(kHeaderBytes + kProbeExtensionBytes + 40, 0x77);
  WriteHeader(Header{}, p.data());
  WriteProbeExtension(p.data(), p.data() + kHeaderBytes);
  WriteProbe(probe, p.data() + kHeaderBytes + kProbeInExtension);
  return p;
}

TEST(ProbeExtension, RoundTripsThroughParseHeader) {
  const std::vector<std::uint8_t> p = MediaPacket(Probe{123456789, 42});
  // RFC 8285 4.2: profile 0xBEDE, length in words, ID 1 with L = 15 (16 bytes).
  EXPECT_EQ(p[0], 0x90);
  EXPECT_EQ(p[12], 0xBE);
  EXPECT_EQ(p[13], 0xDE);
  EXPECT_EQ(p[15], 5);
  EXPECT_EQ(p[16], 0x1F);
  Header h;
  std::size_t offset = 0;
  ASSERT_EQ(ParseHeader(p.data(), p.size(), &h, &offset), ParseError::kNone);
  EXPECT_EQ(offset, kHeaderBytes + kProbeExtensionBytes);
  Probe probe;
  ASSERT_TRUE(FindProbe(p.data(), p.size(), offset, &probe));
  EXPECT_EQ(probe.send_ns, 123456789u);
  EXPECT_EQ(probe.index, 42u);
}

TEST(ProbeExtension, FoundAfterOtherElementsAndPadding) {
  // Another sender's element (ID 3, 2 bytes), a padding byte, then the probe.
  std::vector<std::uint8_t> p(kHeaderBytes + 4 + 24 + 10, 0);
  WriteHeader(Header{}, p.data());
  p[0] |= 0x10;
  const std::size_t e = kHeaderBytes;
  p[e] = 0xBE;
  p[e + 1] = 0xDE;
  p[e + 3] = 6;
  p[e + 4] = 0x31;
  p[e + 5] = 0xAA;
  p[e + 6] = 0xBB;
  p[e + 7] = 0;  // padding
  p[e + 8] = 0x1F;
  WriteProbe(Probe{9, 8}, p.data() + e + 9);
  Header h;
  std::size_t offset = 0;
  ASSERT_EQ(ParseHeader(p.data(), p.size(), &h, &offset), ParseError::kNone);
  Probe probe;
  ASSERT_TRUE(FindProbe(p.data(), p.size(), offset, &probe));
  EXPECT_EQ(probe.index, 8u);
  EXPECT_EQ(probe.send_ns, 9u);
}

TEST(ProbeExtension, AnExtensionWithoutTheProbeHasNone) {
  std::vector<std::uint8_t> p = MediaPacket(Probe{1, 2});
  p[kHeaderBytes + 4] = 0x2F;  // the element is ID 2 now
  Header h;
  std::size_t offset = 0;
  ASSERT_EQ(ParseHeader(p.data(), p.size(), &h, &offset), ParseError::kNone);
  Probe probe;
  EXPECT_FALSE(FindProbe(p.data(), p.size(), offset, &probe)) << "the payload is media: no probe there";
}

TEST(ProbeExtension, WithoutTheXBitThePayloadHoldsIt) {
  std::vector<std::uint8_t> p(kHeaderBytes + 100);
  WritePacket(Header{}, Probe{5, 6}, 100, p.data());
  Probe probe;
  ASSERT_TRUE(FindProbe(p.data(), p.size(), kHeaderBytes, &probe));
  EXPECT_EQ(probe.index, 6u);
  EXPECT_FALSE(FindProbe(p.data(), kHeaderBytes + 15, kHeaderBytes, &probe));
}

}  // namespace
}  // namespace rxbench::rtp
