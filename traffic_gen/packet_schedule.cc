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

PacketSchedule::PacketSchedule(const TrafficSpec& spec)
    : shape_(spec.shape),
      rate_pps_(spec.rate_pps),
      fps_(spec.fps),
      packets_per_frame_(spec.rate_pps / spec.fps),
      first_sequence_(spec.first_sequence) {
  warmup_end_ = shape_ == Shape::kBurst ? FrameBoundaryAtOrAfter(spec.warmup_packets) : spec.warmup_packets;
  total_ = warmup_end_ + spec.TotalPackets();
  header_.payload_type = spec.payload_type;
  header_.ssrc = spec.ssrc;
  // Frame 0 always holds packet 0: its end, ceil(rate_pps / fps), is >= 1.
  if (shape_ == Shape::kBurst) frame_end_ = FrameFirstPacket(1);
  UpdateCurrent();
}

void PacketSchedule::Advance() {
  if (done()) return;
  ++index_;
  if (done()) return;
  if (shape_ == Shape::kBurst) EnterFrameOfCurrentPacket();
  UpdateCurrent();
}

std::uint64_t PacketSchedule::FrameFirstPacket(std::uint64_t frame) const {
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
  if (shape_ == Shape::kCbr) {
    due_ns_ = std::llround(i * kNsPerSecond / rate_pps_);
    header_.timestamp = RtpTimestamp(i * rtp::kVideoClockRate / rate_pps_);
    header_.marker = false;
  } else {
    const double f = static_cast<double>(frame_);
    due_ns_ = std::llround(f * kNsPerSecond / fps_);
    header_.timestamp = RtpTimestamp(f * rtp::kVideoClockRate / fps_);
    header_.marker = index_ + 1 == std::min(frame_end_, total_);
  }
}

}  // namespace rxbench::traffic_gen
