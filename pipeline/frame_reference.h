// What a loss-free decode of a stream looks like, frame by frame: the
// checksum of each decoded picture, by the frame's RTP timestamp. The decoder
// says nothing usable about damage (under 2 % loss avdec_h264 flagged frames
// output-corrupt both ways), so a frame decoded under test is judged damaged
// when its checksum differs from the reference's for the same timestamp.
//
// The reference is decoded in-process from the very RTP packets a sender
// sends, through the same depayloader and decoder as the preset (appsrc !
// rtph264depay ! avdec_h264), with nothing lost: the same bytes in give the
// same pictures out, whatever the receive path did not do to them.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

namespace rxbench::harness {

// XXH3 of every byte of a decoded picture's buffer (planes and the
// decoder's padding alike: both come out of the same decoder).
std::uint64_t FrameChecksum(GstBuffer* frame);

struct FrameReference {
  std::uint32_t rtp_base = 0;    // the RTP timestamp of the stream's first frame
  std::uint32_t loop_ticks = 0;  // a looping sender's clip length in 90 kHz ticks; 0: no loop
  std::unordered_map<std::uint32_t, std::uint64_t> checksums;  // by Key()

  // A frame's place in the clip: 90 kHz ticks since rtp_base, modulo the loop.
  std::uint32_t Key(std::uint32_t rtp_timestamp) const {
    const std::uint32_t since = rtp_timestamp - rtp_base;
    return loop_ticks > 0 ? since % loop_ticks : since;
  }
};

// Decodes `packets` (whole RTP packets, RFC 6184 H.264, in sending order, one
// pass of the clip) without loss. rtp_base is the first packet's timestamp.
// False with a one-line *error when the pipeline cannot run or decodes
// nothing.
bool DecodeReference(const std::vector<std::vector<std::uint8_t>>& packets, std::uint32_t loop_ticks,
                     FrameReference* reference, std::string* error);

}  // namespace rxbench::harness
