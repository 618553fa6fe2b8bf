// H.264 through the h264 presets, end to end on 127.0.0.1: a small clip
// (tests/h264_clip.h) sent as RTP to a receive side, frames counted past the
// depayloader and the decoder, and each decoded frame judged against a
// loss-free decode. Exact counts only: 30 frames, a keyframe every 10.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "pipeline/frame_reference.h"
#include "pipeline/pipeline_description.h"
#include "pipeline/receive_side.h"
#include "receivers/strategy.h"
#include "rtp/rtp_packet.h"
#include "tests/h264_clip.h"

namespace rxbench::harness {
namespace {

constexpr int kFrames = 30;
constexpr int kGop = 10;
constexpr std::uint32_t kTicksPerFrame = 3000;  // 90 kHz at 30 fps (rtph264pay rounds: 2999 or 3000 apart)

const testing_support::H264Clip& Clip() {
  static const testing_support::H264Clip clip = testing_support::EncodeH264Clip(kFrames, kGop);
  return clip;
}

rtp::Header HeaderOf(const std::vector<std::uint8_t>& packet, std::size_t* payload_offset) {
  rtp::Header header;
  EXPECT_EQ(rtp::ParseHeader(packet.data(), packet.size(), &header, payload_offset), rtp::ParseError::kNone);
  return header;
}

// The frame index of a packet (its timestamp's distance from the first).
int FrameOf(const std::vector<std::uint8_t>& packet) {
  std::size_t offset = 0;
  const std::uint32_t first = HeaderOf(Clip().packets[0], &offset).timestamp;
  return static_cast<int>((HeaderOf(packet, &offset).timestamp - first + kTicksPerFrame / 2) / kTicksPerFrame);
}

// Each frame's RTP timestamp, in order.
std::vector<std::uint32_t> FrameTimestamps() {
  std::vector<std::uint32_t> timestamps;
  for (const auto& p : Clip().packets) {
    std::size_t offset = 0;
    const std::uint32_t t = HeaderOf(p, &offset).timestamp;
    if (timestamps.empty() || timestamps.back() != t) timestamps.push_back(t);
  }
  return timestamps;
}

// Index of a middle FU-A fragment (neither start nor end) of a non-IDR
// slice of frame `frame`: losing it damages that frame; nothing else is lost.
std::size_t MiddleFragmentOf(int frame) {
  const auto& packets = Clip().packets;
  for (std::size_t i = 0; i < packets.size(); ++i) {
    std::size_t offset = 0;
    HeaderOf(packets[i], &offset);
    const std::uint8_t* payload = packets[i].data() + offset;
    const bool fu_a = (payload[0] & 0x1f) == 28;
    const bool middle = fu_a && (payload[1] & 0xc0) == 0 && (payload[1] & 0x1f) == 1;
    if (middle && FrameOf(packets[i]) == frame) return i;
  }
  ADD_FAILURE() << "frame " << frame << " has no middle FU-A fragment of a non-IDR slice";
  return packets.size();
}

// Sends `packets` but the one at `skip` to the receive side's port and
// returns the report.
ReceiveReport Receive(const std::string& preset, const FrameReference* reference, std::size_t skip = ~std::size_t{0}) {
  spec::ReceiveSideSpec config;
  config.receiver.strategy = *receivers::FindPreset("combined");
  config.pipeline.description = PresetDescription(preset);
  ReceiveSideHooks hooks;
  hooks.frame_reference = reference;
  ReceiveSide side(config, hooks);
  std::string error;
  EXPECT_TRUE(side.Start(&error)) << error;
  side.OpenWindow();
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(side.port());
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::uint64_t sent = 0;
  for (std::size_t i = 0; i < Clip().packets.size(); ++i) {
    if (i == skip) continue;
    const auto& p = Clip().packets[i];
    EXPECT_EQ(sendto(fd, p.data(), p.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to),
              static_cast<ssize_t>(p.size()));
    ++sent;
    // A frame at a time, as a live sender would: the jitterbuffer then sees
    // the stream in the order and at the pace it was sent.
    std::size_t offset = 0;
    if (HeaderOf(p, &offset).marker) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  close(fd);
  side.WaitUntilExplained(sent, 20);
  side.CloseWindow();
  ReceiveReport report = side.Finish(10);
  EXPECT_EQ(report.error, "");
  EXPECT_EQ(report.sink.delivered, sent) << "every packet reaches the depayloader";
  return report;
}

FrameReference LossFree() {
  FrameReference reference;
  std::string error;
  EXPECT_TRUE(DecodeReference(Clip().packets, kTicksPerFrame, 0, &reference, &error)) << error;
  return reference;
}

TEST(H264FramesTest, TheClip) {
  ASSERT_EQ(Clip().error, "");
  ASSERT_EQ(Clip().decoded.size(), static_cast<std::size_t>(kFrames));
  std::set<std::uint32_t> access_units;
  int markers = 0;
  for (const auto& p : Clip().packets) {
    std::size_t offset = 0;
    const rtp::Header h = HeaderOf(p, &offset);
    access_units.insert(h.timestamp);
    markers += h.marker;
  }
  EXPECT_EQ(access_units.size(), static_cast<std::size_t>(kFrames));
  EXPECT_EQ(markers, kFrames);
}

// The reference decoded from the RTP packets is the encoder's output decoded
// straight, frame for frame, each under its timestamp.
TEST(H264FramesTest, ReferenceIsTheStraightDecode) {
  const FrameReference reference = LossFree();
  ASSERT_EQ(reference.checksums.size(), static_cast<std::size_t>(kFrames));
  const std::vector<std::uint32_t> timestamps = FrameTimestamps();
  ASSERT_EQ(timestamps.size(), static_cast<std::size_t>(kFrames));
  for (int i = 0; i < kFrames; ++i) {
    auto it = reference.checksums.find(reference.Key(timestamps[i]));
    ASSERT_NE(it, reference.checksums.end()) << i;
    EXPECT_EQ(it->second, Clip().decoded[i]) << "frame " << i;
  }
  // A looping sender's timestamps run on: frame 31 is the next pass's frame 1.
  FrameReference looping;
  looping.rtp_base = 1000;
  looping.frames_per_loop = kFrames;
  EXPECT_EQ(looping.Key(1000 + 31 * kTicksPerFrame), 1u);
  EXPECT_EQ(looping.Key(1000 + 31 * kTicksPerFrame - 1), 1u);  // rounded to a tick
}

// Nothing lost: every frame depayloaded, decoded, and the same as the
// reference; the decoder's thread has the decoder role.
TEST(H264FramesTest, EveryFrameDecodedUndamaged) {
  const FrameReference reference = LossFree();
  const ReceiveReport report = Receive("h264", &reference);
  ASSERT_TRUE(report.frames.has_value());
  EXPECT_TRUE(report.frames->decoder);
  EXPECT_EQ(report.frames->depayloaded, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(report.frames->at_sink, static_cast<std::uint64_t>(kFrames));
  ASSERT_TRUE(report.frames->damaged.has_value());
  EXPECT_EQ(*report.frames->damaged, 0u);
  EXPECT_EQ(report.frames->unjudged, 0u);
  // Packets end at the depayloader: it turns ~7 packets into one access unit,
  // which is no drop.
  for (const ElementFlow& flow : report.pipeline.downstream) EXPECT_EQ(flow.dropped(), 0u) << flow.name;
  int decoder_threads = 0;
  for (const auto& [tid, who] : report.identities) decoder_threads += who.role == ThreadRole::kDecoder;
  EXPECT_EQ(decoder_threads, 1);
}

// Without a reference (a third party's stream) frames are counted and damage
// is unknown, not zero.
TEST(H264FramesTest, WithoutAReferenceDamageIsUnknown) {
  const ReceiveReport report = Receive("h264", nullptr);
  ASSERT_TRUE(report.frames.has_value());
  EXPECT_EQ(report.frames->at_sink, static_cast<std::uint64_t>(kFrames));
  EXPECT_FALSE(report.frames->damaged.has_value());
}

// The depayloader alone: access units reach the sink; nothing is decoded.
TEST(H264FramesTest, DepayloadOnly) {
  const FrameReference reference = LossFree();
  const ReceiveReport report = Receive("h264-depay", &reference);
  ASSERT_TRUE(report.frames.has_value());
  EXPECT_FALSE(report.frames->decoder);
  EXPECT_EQ(report.frames->depayloaded, static_cast<std::uint64_t>(kFrames));
  EXPECT_EQ(report.frames->at_sink, static_cast<std::uint64_t>(kFrames));
  EXPECT_FALSE(report.frames->damaged.has_value());
}

// A reference that is wrong for one frame: that frame, and only it, is
// judged damaged (the judgement compares, it does not assume).
TEST(H264FramesTest, AWrongReferenceChecksumIsJudged) {
  FrameReference reference = LossFree();
  reference.checksums.at(reference.Key(FrameTimestamps()[5])) ^= 1;
  const ReceiveReport report = Receive("h264", &reference);
  ASSERT_TRUE(report.frames.has_value() && report.frames->damaged.has_value());
  EXPECT_EQ(*report.frames->damaged, 1u);
}

// One FU-A fragment of P frame 2 lost: frame 2 and every frame predicted from
// it, up to the next keyframe (10), come out damaged or not at all; from the
// keyframe on, every frame is whole again. (GStreamer 1.22's rtph264depay
// drops the access unit whose fragment is missing: frame 2 is not decoded,
// frames 3 to 9 are decoded damaged.)
TEST(H264FramesTest, OneLostFragmentDamagesFramesUpToTheNextKeyframe) {
  const FrameReference reference = LossFree();
  const ReceiveReport report = Receive("h264", &reference, MiddleFragmentOf(2));
  ASSERT_TRUE(report.frames.has_value() && report.frames->damaged.has_value());
  const std::uint64_t missing = kFrames - report.frames->at_sink;
  std::printf("depayloaded %llu, decoded %llu, damaged %llu\n",
              static_cast<unsigned long long>(report.frames->depayloaded),
              static_cast<unsigned long long>(report.frames->at_sink),
              static_cast<unsigned long long>(*report.frames->damaged));
  EXPECT_EQ(*report.frames->damaged + missing, static_cast<std::uint64_t>(kGop - 2));
  EXPECT_EQ(report.frames->depayloaded, static_cast<std::uint64_t>(kFrames - 1));
  EXPECT_EQ(missing, 1u);
  EXPECT_EQ(*report.frames->damaged, static_cast<std::uint64_t>(kGop - 3));
}

}  // namespace
}  // namespace rxbench::harness
