// What the sink needs to know of a packet travels with the buffer, written by
// the receiver while the packet's bytes are still in its cache, into two fields
// of the GstBuffer struct the sink reads anyway:
//
//   GST_BUFFER_OFFSET     = (send_ns - epoch_ns) << 16 | RTP sequence number
//   GST_BUFFER_OFFSET_END = (push_ns - send_ns) << 32  | RTP timestamp
//
// The sink then never maps the buffer's memory. It did before, and that was
// most of its per-packet work at high rates, where a packet waits
// milliseconds in the pipeline and its bytes and its GstMemory have gone cold
// by the time it reaches the sink (README, "Cost of measuring"). A side table
// indexed by packet was worse still: two more cache misses.
//
// epoch_ns is a time before the run's first send, the same for receiver and
// sink. 48 bits of send time after it last 78 hours, 32 bits of send -> push
// 4.29 s; a stamp that does not fit is not written, and the sink then reads
// the packet itself. For timed RTP buffers GStreamer's elements leave these
// fields alone (appsrc and rtpjitterbuffer do). A custom pipeline may contain
// an element that reuses them: the sink therefore accepts a stamp only when
// epoch <= send <= push <= arrival, and reads the packet otherwise.
#pragma once

#include <gst/gst.h>

#include <cstdint>
#include <optional>

namespace rxbench::stamps {

struct PacketStamp {
  std::uint64_t send_ns = 0;  // the generator's clock, from the packet's probe
  std::uint64_t push_ns = 0;  // right before the appsrc push
  std::uint32_t rtp_timestamp = 0;
  std::uint16_t sequence = 0;
};

inline constexpr std::uint64_t kStampSendBits = 48;
// One short of all ones, so that neither field can read as GST_BUFFER_OFFSET_NONE.
inline constexpr std::uint64_t kStampMaxSendAfterEpoch = (std::uint64_t{1} << kStampSendBits) - 2;
inline constexpr std::uint64_t kStampMaxSendToPush = 0xFFFFFFFEu;

// Marks a buffer as carrying no stamp (a recycled buffer may still hold one).
inline void ClearStamp(GstBuffer* buffer) {
  GST_BUFFER_OFFSET(buffer) = GST_BUFFER_OFFSET_NONE;
  GST_BUFFER_OFFSET_END(buffer) = GST_BUFFER_OFFSET_NONE;
}

// False, and the buffer marked unstamped, when the stamp does not fit.
inline bool StampBuffer(GstBuffer* buffer, const PacketStamp& stamp, std::uint64_t epoch_ns) {
  if (stamp.send_ns < epoch_ns || stamp.send_ns - epoch_ns > kStampMaxSendAfterEpoch || stamp.push_ns < stamp.send_ns ||
      stamp.push_ns - stamp.send_ns > kStampMaxSendToPush) {
    ClearStamp(buffer);
    return false;
  }
  GST_BUFFER_OFFSET(buffer) = (stamp.send_ns - epoch_ns) << 16 | stamp.sequence;
  GST_BUFFER_OFFSET_END(buffer) = (stamp.push_ns - stamp.send_ns) << 32 | stamp.rtp_timestamp;
  return true;
}

// The stamp of a buffer arriving at the sink at arrival_ns; nothing when it
// has none or an implausible one.
inline std::optional<PacketStamp> ReadStamp(const GstBuffer* buffer, std::uint64_t epoch_ns, std::uint64_t arrival_ns) {
  const std::uint64_t offset = GST_BUFFER_OFFSET(buffer);
  const std::uint64_t offset_end = GST_BUFFER_OFFSET_END(buffer);
  if (offset == GST_BUFFER_OFFSET_NONE || offset_end == GST_BUFFER_OFFSET_NONE) return std::nullopt;
  PacketStamp stamp;
  stamp.send_ns = epoch_ns + (offset >> 16);
  stamp.push_ns = stamp.send_ns + (offset_end >> 32);
  if (stamp.push_ns > arrival_ns) return std::nullopt;
  stamp.sequence = static_cast<std::uint16_t>(offset & 0xFFFF);
  stamp.rtp_timestamp = static_cast<std::uint32_t>(offset_end & 0xFFFFFFFFu);
  return stamp;
}

}  // namespace rxbench::stamps
