// RFC 3550 interarrival jitter (section 6.4.1, appendix A.8) of one RTP stream.
//
// This is the number an RTCP receiver report would carry, so rxbench results
// can be compared with what a real RTP receiver (GStreamer's rtpjitterbuffer,
// a browser's WebRTC stats) says about the same traffic. It measures how much
// the spacing of arrivals differs from the spacing of the RTP timestamps:
//
//   D(i,j) = (Rj - Ri) - (Sj - Si)      R: arrival, S: RTP timestamp,
//                                        both in RTP timestamp units
//   J     += (|D(i-1,i)| - J) / 16
//
// where i-1 is the packet that arrived before i (arrival order, not sequence
// order, as the RFC specifies). Packets of one video frame share a timestamp,
// so for video the spacing of a frame's packets counts as jitter too; that is
// the RFC's definition and what receivers report.
//
// Deliberate difference from A.8: A.8 truncates arrivals to whole timestamp
// units and keeps J scaled by 16 in an integer to avoid floating point in a
// 1990s kernel. Here R is converted from ns exactly (no truncation) and J is
// a double, so sub-unit jitter (1 unit = 11.1 us at 90 kHz) is not rounded
// away. J is therefore at most about one unit away from what an A.8
// implementation reports for the same packets, and closer to the truth.
//
// One instance per SSRC. Not thread-safe; OnPacket is cheap enough for the
// per-packet path (no allocation, no division).
#pragma once

#include <cstdint>

namespace rxbench::metrics {

class InterarrivalJitter {
 public:
  // clock_rate: RTP timestamp units per second (90000 for video); must be > 0.
  explicit InterarrivalJitter(std::uint32_t clock_rate);

  // arrival_ns: arrival time on any monotonic clock, in ns. Only differences
  // between arrivals are used, so the clock's epoch does not matter.
  void OnPacket(std::uint32_t rtp_timestamp, std::uint64_t arrival_ns) {
    if (packets_++ != 0) {
      const double arrival_delta =
          static_cast<double>(static_cast<std::int64_t>(arrival_ns - last_arrival_ns_)) * units_per_ns_;
      // The 32-bit timestamp wraps (every 13 h at 90 kHz); its difference read
      // as signed is right across the wrap as long as packets are < 2^31
      // units apart.
      const double timestamp_delta =
          static_cast<double>(static_cast<std::int32_t>(rtp_timestamp - last_rtp_timestamp_));
      const double d = arrival_delta - timestamp_delta;
      last_abs_d_ = d < 0 ? -d : d;
      jitter_ += (last_abs_d_ - jitter_) * (1.0 / 16.0);
    }
    last_rtp_timestamp_ = rtp_timestamp;
    last_arrival_ns_ = arrival_ns;
  }

  // J in RTP timestamp units (an RTCP report carries this, truncated).
  double jitter_rtp_units() const { return jitter_; }
  // J in microseconds.
  double jitter_us() const { return jitter_ * 1e6 / clock_rate_; }
  // J, and |D| of the last packet against the one before it, in ns: what a
  // caller samples per packet to describe the whole run rather than its end
  // (J is a running estimate over roughly the last 16 packets).
  double jitter_ns() const { return jitter_ * 1e9 / clock_rate_; }
  double last_abs_d_ns() const { return last_abs_d_ * 1e9 / clock_rate_; }
  std::uint64_t packets() const { return packets_; }
  std::uint32_t clock_rate() const { return clock_rate_; }

 private:
  std::uint32_t clock_rate_;
  double units_per_ns_;  // clock_rate / 1e9
  double jitter_ = 0.0;
  double last_abs_d_ = 0.0;  // RTP units; 0 before the second packet
  std::uint64_t packets_ = 0;
  std::uint32_t last_rtp_timestamp_ = 0;
  std::uint64_t last_arrival_ns_ = 0;
};

}  // namespace rxbench::metrics
