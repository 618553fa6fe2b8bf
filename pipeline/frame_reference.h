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

#include <cmath>
#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "media/h264_clip.h"

namespace rxbench::harness {

// XXH3 of every byte of a decoded picture's buffer (planes and the
// decoder's padding alike: both come out of the same decoder).
std::uint64_t FrameChecksum(GstBuffer* frame);

struct FrameReference {
  std::uint32_t rtp_base = 0;                                  // the RTP timestamp of the stream's first frame
  double ticks_per_frame = 3000;                               // 90 kHz ticks from one frame to the next (90000 / fps)
  std::uint32_t frames_per_loop = 0;                           // a looping sender's clip length in frames; 0: no loop
  std::unordered_map<std::uint32_t, std::uint64_t> checksums;  // by Key()

  // A frame's place in the clip: frames since rtp_base (a sender rounds each
  // frame's timestamp to a tick), modulo the loop.
  std::uint32_t Key(std::uint32_t rtp_timestamp) const {
    const auto frame = static_cast<std::uint64_t>(std::llround((rtp_timestamp - rtp_base) / ticks_per_frame));
    return static_cast<std::uint32_t>(frames_per_loop > 0 ? frame % frames_per_loop : frame);
  }
};

// Decodes `packets` (whole RTP packets, RFC 6184 H.264, in sending order, one
// pass of the clip) without loss. rtp_base is the first packet's timestamp.
// False with a one-line *error when the pipeline cannot run or decodes
// nothing.
bool DecodeReference(const std::vector<std::vector<std::uint8_t>>& packets, double ticks_per_frame,
                     std::uint32_t frames_per_loop, FrameReference* reference, std::string* error);

// The reference of what the generator sends with `--media h264`: one loop of
// `clip` at `fps`, timestamps from 0 (traffic_gen/packet_schedule.h).
bool ClipReference(const media::H264Clip& clip, double fps, FrameReference* reference, std::string* error);

}  // namespace rxbench::harness
