#include "rtp/rtp_packet.h"

#include <gtest/gtest.h>

#include <vector>

namespace rxbench::rtp {
namespace {

TEST(RtpPacket, HeaderRoundTrip) {
  Header in;
  in.marker = true;
  in.payload_type = 97;
  in.sequence = 0xabcd;
  in.timestamp = 0x89abcdef;
  in.ssrc = 0x01020304;
  std::uint8_t wire[kHeaderBytes];
  WriteHeader(in, wire);
  EXPECT_EQ(wire[0], 0x80);
  EXPECT_EQ(wire[1], 0x80 | 97);
  Header out;
  std::size_t offset = 0;
  ASSERT_EQ(ParseHeader(wire, sizeof wire, &out, &offset), ParseError::kNone);
  EXPECT_EQ(offset, kHeaderBytes);
  EXPECT_EQ(out.marker, in.marker);
  EXPECT_EQ(out.payload_type, in.payload_type);
  EXPECT_EQ(out.sequence, in.sequence);
  EXPECT_EQ(out.timestamp, in.timestamp);
  EXPECT_EQ(out.ssrc, in.ssrc);
}

TEST(RtpPacket, SequenceWrapsAroundOnTheWire) {
  std::uint8_t wire[kHeaderBytes];
  Header h;
  std::uint16_t seq = 65534;
  for (int i = 0; i < 4; ++i, ++seq) {
    h.sequence = seq;
    WriteHeader(h, wire);
    Header out;
    std::size_t offset;
    ASSERT_EQ(ParseHeader(wire, sizeof wire, &out, &offset), ParseError::kNone);
    EXPECT_EQ(out.sequence, seq);
  }
  EXPECT_EQ(seq, 2);  // 65534, 65535, 0, 1 were written
}

TEST(RtpPacket, ExtensionCountsCyclesAcrossWrap) {
  const std::uint64_t first = (std::uint64_t{1} << 16) + 65534;
  std::uint64_t highest = first;
  auto extend = [&highest](std::uint16_t seq) {
    const std::uint64_t extended = ExtendSequence(highest, seq);
    if (extended > highest) highest = extended;
    return extended;
  };
  EXPECT_EQ(extend(65535), first + 1);
  EXPECT_EQ(extend(0), first + 2);
  EXPECT_EQ(extend(1), first + 3);
  EXPECT_EQ(extend(65535), first + 1);  // a late packet stays behind
  EXPECT_EQ(extend(2), first + 4);
}

TEST(RtpPacket, RejectsMalformed) {
  std::uint8_t wire[kHeaderBytes] = {};
  Header h;
  std::size_t offset;
  EXPECT_EQ(ParseHeader(wire, 5, &h, &offset), ParseError::kTooShort);
  EXPECT_EQ(ParseHeader(wire, sizeof wire, &h, &offset), ParseError::kBadVersion);
  wire[0] = 0x80 | 0x0f;  // 15 CSRCs that are not there
  EXPECT_EQ(ParseHeader(wire, sizeof wire, &h, &offset), ParseError::kCsrcOverrun);
  wire[0] = 0x80 | 0x10;  // an extension whose 4-byte header is missing
  EXPECT_EQ(ParseHeader(wire, sizeof wire, &h, &offset), ParseError::kExtensionOverrun);
  wire[0] = 0x80 | 0x20;  // padding with a pad length of 0
  EXPECT_EQ(ParseHeader(wire, sizeof wire, &h, &offset), ParseError::kPadding);
}

TEST(RtpPacket, ExtensionLengthIsCheckedAfterTheCsrcs) {
  // One CSRC, then an extension header claiming one word that is not there.
  std::uint8_t wire[kHeaderBytes + 4 + 4] = {0x80 | 0x10 | 0x01};
  wire[kHeaderBytes + 4 + 3] = 1;
  Header h;
  std::size_t offset = 0;
  EXPECT_EQ(ParseHeader(wire, sizeof wire, &h, &offset), ParseError::kExtensionOverrun);
  std::uint8_t fits[sizeof wire + 4] = {0x80 | 0x10 | 0x01};
  fits[kHeaderBytes + 4 + 3] = 1;
  ASSERT_EQ(ParseHeader(fits, sizeof fits, &h, &offset), ParseError::kNone);
  EXPECT_EQ(offset, sizeof fits);
}

TEST(RtpPacket, ProbeAndPatternRoundTrip) {
  std::vector<std::uint8_t> packet(kHeaderBytes + 1200);
  Header h;
  h.sequence = 7;
  const Probe probe{123456789012345ull, 424242};
  ASSERT_EQ(WritePacket(h, probe, 1200, packet.data()), packet.size());
  const Probe back = ReadProbe(packet.data() + kHeaderBytes);
  EXPECT_EQ(back.send_ns, probe.send_ns);
  EXPECT_EQ(back.index, probe.index);
  EXPECT_TRUE(CheckPattern(probe.index, packet.data() + kHeaderBytes, 1200));
  EXPECT_FALSE(CheckPattern(probe.index + 1, packet.data() + kHeaderBytes, 1200));
  packet.back() ^= 1;
  EXPECT_FALSE(CheckPattern(probe.index, packet.data() + kHeaderBytes, 1200));
}

}  // namespace
}  // namespace rxbench::rtp
