// One datagram's worth of receive space: a buffer source fills it with a
// writable buffer, a receive call writes a datagram into it. A header of its
// own so that receive calls depend on this alone, not on every buffer source.
#pragma once

#include <gst/gst.h>

#include <cstddef>
#include <cstdint>

namespace rxbench::pools {

struct PacketSlot {
  GstBuffer* buffer = nullptr;
  std::uint8_t* data = nullptr;  // writable bytes of `buffer`
  std::size_t capacity = 0;
  GstMapInfo map{};  // valid when the source mapped the buffer
  bool mapped = false;
  // Filled by the receive call:
  std::size_t length = 0;  // bytes received
  bool truncated = false;  // the datagram was longer than capacity
  // UDP_GRO (receivers/gro_call.h): one received datagram may be the sender's
  // datagrams coalesced by the kernel, each `segment_size` bytes but the last.
  // segment_size 0: a plain datagram. `segments` is how many datagrams of the
  // sender it stands for, from its real length even when truncated, so that
  // every count stays per packet sent.
  std::size_t segment_size = 0;
  std::uint32_t segments = 1;
  std::uint64_t kernel_rx_ns = 0;  // CLOCK_MONOTONIC, 0 when unknown
};

}  // namespace rxbench::pools
