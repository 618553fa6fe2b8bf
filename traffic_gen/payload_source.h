// What follows each packet's RTP header: the filler stream's probe and
// pattern, or a media clip's RTP payloads (spec.media).
//
// The send loop asks it for packet `index` behind a header the schedule
// made, and writes the probe where it says, right before the send; so the
// loop is the same for every kind of payload. The media clip is loaded and
// packetised in Open(), before the sender thread runs, so Write() only copies.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "media/h264_clip.h"
#include "rtp/rtp_packet.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::traffic_gen {

class PayloadSource {
 public:
  // `spec` must pass Validate(). "" or a one-line reason (the clip cannot be
  // read or packetised).
  std::string Open(const TrafficSpec& spec);

  // Writes packet `index` (its header, then its payload) at out, which holds
  // rtp::kHeaderBytes + spec.payload_bytes; returns the packet's length. The
  // probe is left for the caller (at probe_offset()).
  std::size_t Write(std::uint64_t index, const rtp::Header& header, std::uint8_t* out) const;

  // Where the probe's 16 bytes go in every packet.
  std::size_t probe_offset() const { return probe_offset_; }

  // Media: packets per access unit, in clip order (PacketSchedule's frames);
  // nullptr for filler.
  const std::vector<std::uint32_t>* media_frames() const { return media_ ? &clip_.packets_per_unit : nullptr; }
  // Media: the clip's packets per second at spec.fps; 0 for filler.
  double media_pps() const;

 private:
  bool media_ = false;
  bool fill_pattern_ = false;
  std::size_t payload_bytes_ = 0;
  std::size_t probe_offset_ = rtp::kHeaderBytes;
  double fps_ = 0;
  media::H264Clip clip_;
};

}  // namespace rxbench::traffic_gen
