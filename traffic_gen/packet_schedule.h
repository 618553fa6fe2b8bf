// When each packet of a stream is due and which RTP header it carries.
//
// This is the generator's timing contract, kept as pure arithmetic on the
// packet index (no clock, no socket) so that it can be tested exactly and so
// that pacing never accumulates drift: packet i's deadline is computed from i,
// never from when packet i-1 happened to leave.
//
//   CBR:   packet i is due at i / rate_pps seconds after the stream starts and
//          has RTP timestamp round(i / rate_pps * 90000); there are no
//          frames, so no packet carries the marker bit.
//   Burst: frame f is due at f / fps seconds and holds packets
//          [ceil(f * rate_pps / fps), ceil((f + 1) * rate_pps / fps)), so a
//          fractional frame size is spread over frames (34, 33, 33, ...), the
//          average rate is exact, packet 0 is in frame 0, and the stream's last
//          frame may be short. When rate_pps < fps some frames are empty and
//          send nothing.
//          All its packets share timestamp round(f * 90000 / fps) and its last
//          packet carries the marker bit, as an RTP video packetizer would do.
//
// Media (spec.media h264): frames are the clip's access units, given as their
//          packet counts in clip order and looped; frame f (counted over every
//          loop) is due at f / fps, carries timestamp round(f * 90000 / fps)
//          and the marker on its last packet, as for the burst shape. With
//          shape burst its packets go back to back, the way an encoder
//          without a pacer hands an access unit to the network; with cbr
//          they are spread evenly over the frame's interval, as a paced
//          sender does. rate_pps is then only the stream's length in packets
//          (TotalPackets()); the access units decide the rate.
//
// Warm-up: the spec's warmup_packets come first (for the burst shape rounded
// up to the end of a frame, so the measured stream starts on a frame), then
// the measured stream's TotalPackets(), one stream of indices and sequence
// numbers. Deadlines run on as if there were no pause between the two; the
// generator shifts its clock by the pause it makes.
//
// Sequence numbers are first_sequence + index (mod 2^16); payload type 96.
// Timestamps start at 0 rather than at RFC 3550's random offset, so that two
// runs of one spec produce identical streams apart from the send times.
//
// A cursor rather than a table: a long run at a high rate has more packets
// than is reasonable to precompute, and the sender only ever needs the next one.
#pragma once

#include <cstdint>
#include <vector>

#include "rtp/rtp_packet.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::traffic_gen {

class PacketSchedule {
 public:
  // `spec` must pass Validate().
  // `media_frames`: the packets of each access unit of a media clip (not
  // empty, none 0), which must outlive the schedule; nullptr for filler.
  explicit PacketSchedule(const TrafficSpec& spec, const std::vector<std::uint32_t>* media_frames = nullptr);

  // True once every packet of the stream has been passed by Advance().
  bool done() const { return index_ >= total_; }
  std::uint64_t total() const { return total_; }
  // Packets before the measured stream (warm-up, rounded to a frame).
  std::uint64_t warmup_end() const { return warmup_end_; }

  // The current packet (valid while !done()).
  std::uint64_t index() const { return index_; }
  // When it is due, in ns after the stream's start.
  std::int64_t due_ns() const { return due_ns_; }
  const rtp::Header& header() const { return header_; }

  void Advance();

 private:
  std::uint64_t FrameFirstPacket(std::uint64_t frame) const;
  // The first packet of the first frame that starts at or after `index`.
  std::uint64_t FrameBoundaryAtOrAfter(std::uint64_t index) const;
  // Burst: moves frame_ forward to the frame holding index_ (a no-op while
  // index_ is still in it), skipping frames left empty when rate_pps < fps.
  void EnterFrameOfCurrentPacket();
  void UpdateCurrent();

  const Shape shape_;
  const bool framed_;  // burst or media: packets in frames
  const double rate_pps_;
  const double fps_;
  double packets_per_frame_;
  // Media: the first packet of each access unit in a loop, and one past the last.
  std::vector<std::uint64_t> media_first_;
  std::uint64_t warmup_end_ = 0;
  std::uint64_t total_ = 0;
  const std::uint16_t first_sequence_;

  std::uint64_t index_ = 0;
  std::uint64_t frame_ = 0;      // burst only
  std::uint64_t frame_end_ = 0;  // burst: first packet of the next frame
  std::int64_t due_ns_ = 0;
  rtp::Header header_;
};

}  // namespace rxbench::traffic_gen
