// An H.264 clip ready to send: the file read once, cut into access units and
// packetised (rtp_h264.h) before the run, so the send loop only copies bytes.
//
// The clip is looped: it must start with an IDR access unit (carrying its
// SPS and PPS, as tools/make_h264_clip.py's do), so that a decoder can start
// at any loop, and the generator keeps RTP timestamps growing across loops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "media/rtp_h264.h"

namespace rxbench::media {

struct H264Clip {
  std::vector<std::uint8_t> bytes;              // every RTP payload of one loop, back to back
  std::vector<RtpPayload> payloads;             // in send order, into bytes
  std::vector<std::uint32_t> packets_per_unit;  // per access unit, in order
  std::vector<bool> keyframe;                   // per access unit: holds an IDR slice
};

// Reads and packetises the Annex B file at `path` with at most max_payload
// bytes per RTP payload. False with a one-line reason in *error when the file
// cannot be read, holds no access unit or does not start with an IDR one.
bool LoadH264Clip(const std::string& path, std::size_t max_payload, H264Clip* clip, std::string* error);

// Where tools/make_h264_clip.py puts its default clip (1080p30, 5 Mbit/s,
// GOP 30, 4 s): $XDG_CACHE_HOME/rxbench/media/..., else under ~/.cache.
std::string DefaultH264ClipPath();

}  // namespace rxbench::media
