#include "traffic_gen/packet_schedule.h"

#include <algorithm>
#include <cmath>

namespace rxbench::traffic_gen {
namespace {

constexpr double kNsPerSecond = 1e9;

// RTP timestamps are modulo 2^32: wrap through the unsigned 64-bit value
// rather than converting a large double straight to uint32 (undefined).
std::uint32_t RtpTimestamp(double ticks) {
  return static_cast<std::uint32_t>(static_cast<std::uint64_t>(std::llround(ticks)));
}

}  // namespace

PacketSchedule::PacketSchedule(const TrafficSpec& spec, const std::vector<std::uint32_t>* media_frames)
    : shape_(spec.shape),
      framed_(spec.shape == Shape::kBurst || media_frames != nullptr),
      rate_pps_(spec.rate_pps),
      fps_(spec.fps),
      packets_per_frame_(spec.rate_pps / spec.fps),
      first_sequence_(spec.first_sequence) {
  if (media_frames != nullptr) {
    media_first_.reserve(media_frames->size() + 1);
    media_first_.push_back(0);
    for (const std::uint32_t n : *media_frames) media_first_.push_back(media_first_.back() + n);
    packets_per_frame_ = static_cast<double>(media_first_.back()) / static_cast<double>(media_frames->size());
  }
  warmup_end_ = framed_ ? FrameBoundaryAtOrAfter(spec.warmup_packets) : spec.warmup_packets;
  total_ = warmup_end_ + spec.TotalPackets();
  // Media ends on a whole access unit: a cut one would carry its marker bit
  // mid-fragment and count as a frame sent that no receiver could rebuild.
  if (media_frames != nullptr) total_ = FrameBoundaryAtOrAfter(total_);
  header_.payload_type = spec.payload_type;
  header_.ssrc = spec.ssrc;
  // Frame 0 always holds packet 0: its end, ceil(rate_pps / fps), is >= 1
  // (a media frame, an access unit, has at least one packet).
  if (framed_) frame_end_ = FrameFirstPacket(1);
  UpdateCurrent();
}

void PacketSchedule::Advance() {
  if (done()) return;
  ++index_;
  if (done()) return;
  if (framed_) EnterFrameOfCurrentPacket();
  UpdateCurrent();
}

std::uint64_t PacketSchedule::FrameFirstPacket(std::uint64_t frame) const {
  if (!media_first_.empty()) {
    const std::uint64_t frames = media_first_.size() - 1;
    return frame / frames * media_first_.back() + media_first_[frame % frames];
  }
  // f * rate / fps in floating point can land a hair above an integer it
  // should equal (3 * 33.333... may be 100.00000001); snap those so 1000 pps at
  // 30 fps gives frames of 34, 33, 33 rather than 34, 33, 34, 32.
  const double v = static_cast<double>(frame) * packets_per_frame_;
  const double nearest = std::nearbyint(v);
  const double first = std::fabs(v - nearest) < 1e-6 ? nearest : std::ceil(v);
  return static_cast<std::uint64_t>(first);
}

std::uint64_t PacketSchedule::FrameBoundaryAtOrAfter(std::uint64_t index) const {
  if (index == 0) return 0;
  auto frame = static_cast<std::uint64_t>(static_cast<double>(index) / packets_per_frame_);
  while (frame > 0 && FrameFirstPacket(frame) > index) --frame;  // rounding guard
  while (FrameFirstPacket(frame) < index) ++frame;
  return FrameFirstPacket(frame);
}

void PacketSchedule::EnterFrameOfCurrentPacket() {
  while (frame_end_ <= index_) {
    ++frame_;
    frame_end_ = FrameFirstPacket(frame_ + 1);
  }
}

void PacketSchedule::UpdateCurrent() {
  const double i = static_cast<double>(index_);
  header_.sequence = static_cast<std::uint16_t>(first_sequence_ + index_);
  if (!framed_) {
    due_ns_ = std::llround(i * kNsPerSecond / rate_pps_);
    header_.timestamp = RtpTimestamp(i * rtp::kVideoClockRate / rate_pps_);
    header_.marker = false;
  } else {
    const double f = static_cast<double>(frame_);
    // A paced media sender spreads each access unit over its frame interval.
    double at = f;
    if (!media_first_.empty() && shape_ == Shape::kCbr) {
      const std::uint64_t first = FrameFirstPacket(frame_);
      at += static_cast<double>(index_ - first) / static_cast<double>(FrameFirstPacket(frame_ + 1) - first);
    }
    due_ns_ = std::llround(at * kNsPerSecond / fps_);
    header_.timestamp = RtpTimestamp(f * rtp::kVideoClockRate / fps_);
    header_.marker = index_ + 1 == std::min(frame_end_, total_);
  }
}

}  // namespace rxbench::traffic_gen
