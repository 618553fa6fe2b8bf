// Which buffer source a receiver takes its buffers from: the choice alone,
// without GStreamer, so that a run's settings (spec/run_spec.h) can name it.
// The sources themselves are in buffer_source.h.
#pragma once

#include <optional>
#include <string_view>

namespace rxbench::pools {

// kAlloc: a new GstBuffer per datagram, as the original receiver. kGstPool: a
// GstBufferPool. kFreeList: our own lock-free free list. kRing: the buffers a
// receive call provides itself (ring_buffers.h; io_uring's ring); it only goes
// with that call, and MakeBufferSource() cannot make it.
enum class BufferKind { kAlloc, kGstPool, kFreeList, kRing };

const char* ToString(BufferKind kind);
std::optional<BufferKind> ParseBufferKind(std::string_view name);

}  // namespace rxbench::pools
