#include "rtp/datagram_check.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rxbench::rtp {
namespace {

constexpr std::uint32_t kSsrc = 0x11223344;
constexpr std::uint8_t kPt = 96;

std::vector<std::uint8_t> Valid(std::uint16_t seq = 1, std::uint32_t ssrc = kSsrc, std::uint8_t pt = kPt) {
  Header h;
  h.sequence = seq;
  h.ssrc = ssrc;
  h.payload_type = pt;
  std::vector<std::uint8_t> p(kHeaderBytes + 100);
  WritePacket(h, Probe{1, seq}, 100, p.data());
  return p;
}

Malformed Check(const std::vector<std::uint8_t>& p, StreamLock* lock, std::size_t size) {
  Header h;
  std::size_t offset = 0;
  return Classify(p.data(), size, lock, &h, &offset);
}
Malformed Check(const std::vector<std::uint8_t>& p, StreamLock* lock) { return Check(p, lock, p.size()); }

TEST(DatagramCheck, NamesRoundTrip) {
  const char* expected[] = {
      "none",         "empty",           "short", "bad-version", "csrc-overrun", "extension-overrun", "padding-overrun",
      "foreign-ssrc", "bad-payload-type"};
  for (std::size_t i = 0; i < kMalformedKinds; ++i) {
    EXPECT_STREQ(ToString(static_cast<Malformed>(i)), expected[i]);
    if (i > 0) {
      EXPECT_EQ(MalformedFromString(expected[i]), static_cast<Malformed>(i));
    }
  }
  EXPECT_EQ(MalformedFromString("oversize"), Malformed::kNone);
  EXPECT_EQ(MalformedFromString("none"), Malformed::kNone);
}

TEST(DatagramCheck, ValidPacketFillsHeaderAndLocks) {
  auto p = Valid(7);
  StreamLock lock;
  Header h;
  std::size_t offset = 0;
  ASSERT_EQ(Classify(p.data(), p.size(), &lock, &h, &offset), Malformed::kNone);
  EXPECT_EQ(h.sequence, 7);
  EXPECT_EQ(offset, kHeaderBytes);
  EXPECT_TRUE(lock.ssrc_locked);
  EXPECT_TRUE(lock.payload_type_locked);
  EXPECT_EQ(lock.ssrc, kSsrc);
  EXPECT_EQ(lock.payload_type, kPt);
}

TEST(DatagramCheck, EveryStructuralKind) {
  StreamLock lock;
  auto p = Valid();
  EXPECT_EQ(Check(p, &lock, 0), Malformed::kEmpty);
  EXPECT_EQ(Check(p, &lock, 1), Malformed::kShort);
  EXPECT_EQ(Check(p, &lock, kHeaderBytes - 1), Malformed::kShort);

  auto v = Valid();
  v[0] = (v[0] & 0x3f) | 0x40;  // V=1
  EXPECT_EQ(Check(v, &lock), Malformed::kBadVersion);

  auto c = Valid();
  c[0] |= 0x0f;  // 15 CSRCs = 60 bytes after the header
  EXPECT_EQ(Check(c, &lock, kHeaderBytes + 59), Malformed::kCsrcOverrun);
  EXPECT_EQ(Check(c, &lock, kHeaderBytes + 60), Malformed::kNone);

  auto x = Valid();
  x[0] |= 0x10;
  x[kHeaderBytes + 2] = 0xff;  // 65535 words: far past 112 bytes
  x[kHeaderBytes + 3] = 0xff;
  EXPECT_EQ(Check(x, &lock), Malformed::kExtensionOverrun);
  EXPECT_EQ(Check(x, &lock, kHeaderBytes + 3), Malformed::kExtensionOverrun);

  auto pad = Valid();
  pad[0] |= 0x20;
  pad.back() = 0;  // a pad length of zero is impossible (it counts itself)
  EXPECT_EQ(Check(pad, &lock), Malformed::kPaddingOverrun);
  pad.back() = 101;  // one more than the 100-byte payload
  EXPECT_EQ(Check(pad, &lock), Malformed::kPaddingOverrun);
  pad.back() = 100;
  EXPECT_EQ(Check(pad, &lock), Malformed::kNone);
  // None of the malformed ones locked the stream; the valid one did.
  EXPECT_EQ(lock.ssrc, kSsrc);
}

TEST(DatagramCheck, MalformedFirstDatagramDoesNotLock) {
  StreamLock lock;
  auto bad = Valid(1, 0xdead);
  bad[0] = 0;  // bad version, with another SSRC
  EXPECT_EQ(Check(bad, &lock), Malformed::kBadVersion);
  EXPECT_FALSE(lock.ssrc_locked);
  EXPECT_EQ(Check(Valid(2), &lock), Malformed::kNone);
  EXPECT_EQ(Check(Valid(3), &lock), Malformed::kNone);
}

// Many streams: a lock that never locks the SSRC takes every stream's
// packets, and still holds them to the first one's payload type.
TEST(DatagramCheck, ALockThatLocksNoSsrcTakesEveryStream) {
  StreamLock lock;
  lock.locks_ssrc = false;
  EXPECT_EQ(Check(Valid(1, kSsrc), &lock), Malformed::kNone);
  EXPECT_FALSE(lock.ssrc_locked);
  EXPECT_EQ(Check(Valid(1, kSsrc + 1), &lock), Malformed::kNone);
  EXPECT_EQ(Check(Valid(2, kSsrc + 2), &lock), Malformed::kNone);
  EXPECT_EQ(Check(Valid(3, kSsrc, kPt + 1), &lock), Malformed::kBadPayloadType);
}

TEST(DatagramCheck, LockedOnFirstValidPacket) {
  StreamLock lock = StreamLock::Given(std::nullopt, std::nullopt);
  EXPECT_EQ(Check(Valid(1), &lock), Malformed::kNone);
  EXPECT_EQ(Check(Valid(2, kSsrc + 1), &lock), Malformed::kForeignSsrc);
  EXPECT_EQ(Check(Valid(3, kSsrc, kPt + 1), &lock), Malformed::kBadPayloadType);
  // Foreign SSRC is named first when both differ: it is another stream.
  EXPECT_EQ(Check(Valid(4, kSsrc + 1, kPt + 1), &lock), Malformed::kForeignSsrc);
  // The lock did not move to the foreign stream.
  EXPECT_EQ(lock.ssrc, kSsrc);
  EXPECT_EQ(lock.payload_type, kPt);
}

TEST(DatagramCheck, LockGivenByOptions) {
  StreamLock lock = StreamLock::Given(0xabcdef, 100);
  EXPECT_EQ(Check(Valid(1), &lock), Malformed::kForeignSsrc);
  EXPECT_EQ(Check(Valid(2, 0xabcdef), &lock), Malformed::kBadPayloadType);
  EXPECT_EQ(Check(Valid(3, 0xabcdef, 100), &lock), Malformed::kNone);

  // Only the SSRC given: the payload type comes from the first valid packet.
  StreamLock ssrc_only = StreamLock::Given(kSsrc, std::nullopt);
  EXPECT_EQ(Check(Valid(1, kSsrc, 111), &ssrc_only), Malformed::kNone);
  EXPECT_EQ(Check(Valid(2), &ssrc_only), Malformed::kBadPayloadType);
}

TEST(DatagramCheck, ValidAfterEveryKindOfBadOneIsStillValid) {
  StreamLock lock;
  ASSERT_EQ(Check(Valid(1), &lock), Malformed::kNone);
  std::vector<std::vector<std::uint8_t>> bad;
  for (int k = 0; k < 6; ++k) bad.push_back(Valid(2));
  bad[0][0] = 0x40;
  bad[1][0] |= 0x0f;
  bad[1].resize(kHeaderBytes + 8);
  bad[2][0] |= 0x10;
  bad[2][kHeaderBytes + 2] = 0xff;
  bad[3][0] |= 0x20;
  bad[3].back() = 0;
  bad[4] = Valid(2, 1);
  bad[5] = Valid(2, kSsrc, 5);
  std::uint16_t seq = 2;
  for (const auto& b : bad) {
    EXPECT_NE(Check(b, &lock), Malformed::kNone);
    EXPECT_EQ(Check(b, &lock, 0), Malformed::kEmpty);
    EXPECT_EQ(Check(b, &lock, 5), Malformed::kShort);
    EXPECT_EQ(Check(Valid(seq++), &lock), Malformed::kNone);
  }
}

}  // namespace
}  // namespace rxbench::rtp
