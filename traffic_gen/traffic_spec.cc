#include "traffic_gen/traffic_spec.h"

#include <cmath>

#include "rtp/probe_extension.h"
#include "rtp/rtp_packet.h"

namespace rxbench::traffic_gen {
namespace {

constexpr std::size_t kIpv4HeaderBytes = 20;
constexpr std::size_t kUdpHeaderBytes = 8;
// The largest UDP payload an IPv4 datagram can carry (65535 - 20 - 8).
constexpr std::size_t kMaxUdpPayloadBytes = 65507;
// Far beyond any run we can time, yet small enough that the count and every
// per-packet nanosecond offset stay exact in a double and an int64.
constexpr double kMaxPackets = 1e12;

}  // namespace

std::uint64_t TrafficSpec::TotalPackets() const {
  if (packet_count != 0) return packet_count;
  const double n = rate_pps * duration_s;
  if (!(n > 0)) return 0;  // also catches NaN; Validate() reports why
  return static_cast<std::uint64_t>(std::llround(std::fmin(n, kMaxPackets)));
}

std::optional<Shape> ParseShape(std::string_view name) {
  if (name == "cbr") return Shape::kCbr;
  if (name == "burst") return Shape::kBurst;
  return std::nullopt;
}

const char* ToString(Shape shape) {
  switch (shape) {
    case Shape::kCbr: return "cbr";
    case Shape::kBurst: return "burst";
  }
  return "unknown";
}

std::optional<Media> ParseMedia(std::string_view name) {
  if (name == "filler") return Media::kFiller;
  if (name == "h264") return Media::kH264;
  return std::nullopt;
}

const char* ToString(Media media) {
  switch (media) {
    case Media::kFiller: return "filler";
    case Media::kH264: return "h264";
  }
  return "unknown";
}

double RateForBitrate(double bits_per_second, std::size_t payload_bytes) {
  const double wire_bytes = static_cast<double>(kIpv4HeaderBytes + kUdpHeaderBytes + rtp::kHeaderBytes + payload_bytes);
  return bits_per_second / (8.0 * wire_bytes);
}

std::string Validate(const TrafficSpec& spec) {
  // Written as !(x > 0) so that NaN is rejected too.
  if (!std::isfinite(spec.rate_pps) || !(spec.rate_pps > 0)) {
    return "rate_pps must be a positive number";
  }
  if (spec.payload_bytes < rtp::kProbeBytes) {
    return "payload_bytes must be at least " + std::to_string(rtp::kProbeBytes) +
           " (the probe carrying send time and index)";
  }
  if (spec.payload_bytes > kMaxUdpPayloadBytes - rtp::kHeaderBytes) {
    return "payload_bytes must be at most " + std::to_string(kMaxUdpPayloadBytes - rtp::kHeaderBytes) +
           " (RTP header + payload must fit one UDP datagram)";
  }
  if (spec.shape == Shape::kBurst && (!std::isfinite(spec.fps) || !(spec.fps > 0))) {
    return "fps must be a positive number for the burst shape";
  }
  if (spec.packet_count == 0) {
    if (!std::isfinite(spec.duration_s) || !(spec.duration_s > 0)) {
      return "duration_s must be a positive number when packet_count is 0";
    }
    const double n = spec.rate_pps * spec.duration_s;
    if (n > kMaxPackets) return "rate_pps * duration_s is too many packets";
    if (std::llround(n) == 0) return "rate_pps * duration_s rounds to 0 packets";
  } else if (static_cast<double>(spec.packet_count) > kMaxPackets) {
    return "packet_count is too large";
  }
  if (spec.dest_host.empty()) return "dest_host is empty";
  if (spec.dest_port == 0) return "dest_port must not be 0";
  if (spec.payload_type > 127) return "payload_type must be 0..127 (7 bits)";
  if (spec.cpu < -1) return "cpu must be -1 (no pinning) or a CPU number";
  if (spec.send_batch < 1 || spec.send_batch > 1024) return "send_batch must be 1..1024";
  if (spec.lock_step_packets > 1'000'000) return "lock_step_packets must be at most 1000000";
  if (spec.lock_step_packets != 0 && spec.tx_timestamps) return "tx_timestamps cannot be combined with lock-step";
  if (!spec.malformed.empty() && spec.send_batch != 1) return "malformed datagrams need send_batch 1";
  if (spec.gso_segments > 1) {
    if (spec.gso_segments > 64) return "gso_segments must be at most 64 (UDP_MAX_SEGMENTS of older kernels)";
    if (spec.send_batch != 1) return "gso_segments replaces send_batch: use one or the other";
    if (!spec.malformed.empty()) return "malformed datagrams cannot be sent with gso_segments";
    // The kernel stamps a GSO call once, not each of its packets.
    if (spec.tx_timestamps) return "tx_timestamps cannot be combined with gso_segments";
  }
  // The kernel numbers every datagram; only valid packets carry a stamp.
  if (!spec.malformed.empty() && spec.tx_timestamps) return "tx_timestamps cannot be combined with malformed datagrams";
  if (!spec.malformed.empty() && spec.malformed.rate[kOversize] > 0 &&
      spec.receiver_buffer_bytes + 1 > kMaxUdpPayload) {
    return "oversize datagrams need a receiver buffer below " + std::to_string(kMaxUdpPayload) + " bytes";
  }
  if (spec.media == Media::kH264) {
    if (!std::isfinite(spec.fps) || !(spec.fps > 0)) return "fps must be a positive number for h264 media";
    // The extension and an FU-A fragment's two header bytes and one of data.
    if (spec.payload_bytes < rtp::kProbeExtensionBytes + 3) {
      return "payload_bytes must be at least " + std::to_string(rtp::kProbeExtensionBytes + 3) +
             " for h264 media (probe extension + the smallest FU-A fragment)";
    }
    // GSO cuts one buffer into equal segments; access units' packets differ in size.
    if (spec.gso_segments > 1) return "gso_segments cannot be combined with h264 media (packets differ in size)";
    if (spec.fill_pattern) return "fill_pattern (verify-payload) cannot be combined with h264 media";
  }
  const ImpairmentSpec& impair = spec.impair;
  for (const double rate : {impair.loss, impair.duplicate, impair.reorder}) {
    if (!(rate >= 0 && rate <= 1)) return "impair rates must be fractions in [0, 1]";
  }
  if (impair.loss + impair.duplicate + impair.reorder > 1) return "impair rates add up to more than 1";
  return "";
}

}  // namespace rxbench::traffic_gen
