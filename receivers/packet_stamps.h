// The receiver's per-packet timestamps travel with the buffer to the sink: the
// kernel receive time in GST_BUFFER_OFFSET and the appsrc push time in
// GST_BUFFER_OFFSET_END. For timed RTP buffers GStreamer's elements leave these
// fields alone (appsrc and rtpjitterbuffer do), and the buffer's header crosses
// the pipeline anyway, so the stamps cost no extra cache line on either side
// (a side table indexed by packet did: two misses per packet).
//
// A custom pipeline may contain an element that reuses the fields: the sink
// therefore accepts stamps only when send <= receive <= push <= arrival, and
// counts anything else as unknown rather than as a wrong latency.
#pragma once

#include <gst/gst.h>

#include <cstdint>

namespace rxbench::receivers {

// rx_ns 0: the receive call gave no kernel timestamp.
inline void StampBuffer(GstBuffer* buffer, std::uint64_t rx_ns, std::uint64_t push_ns) {
  GST_BUFFER_OFFSET(buffer) = rx_ns;
  GST_BUFFER_OFFSET_END(buffer) = push_ns;
}

struct PacketStamps {
  std::uint64_t rx_ns = 0;    // 0 when unknown
  std::uint64_t push_ns = 0;  // 0 when unknown
};

// The stamps of a buffer whose probe says it was sent at send_ns and which
// arrives at the sink at arrival_ns; zeros for whatever is implausible.
inline PacketStamps ReadStamps(const GstBuffer* buffer, std::uint64_t send_ns, std::uint64_t arrival_ns) {
  PacketStamps s;
  const std::uint64_t push = GST_BUFFER_OFFSET_END(buffer);
  if (push == GST_BUFFER_OFFSET_NONE || push < send_ns || push > arrival_ns) return s;
  s.push_ns = push;
  const std::uint64_t rx = GST_BUFFER_OFFSET(buffer);
  if (rx != 0 && rx != GST_BUFFER_OFFSET_NONE && rx >= send_ns && rx <= push) s.rx_ns = rx;
  return s;
}

}  // namespace rxbench::receivers
