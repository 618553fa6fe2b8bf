// A GstBufferPool that counts what it does, at the point where it does it:
// every buffer it allocates (alloc_buffer), and every buffer that comes back
// from the pipeline (release_buffer), either kept for reuse or dropped by
// GstBufferPool because the pipeline left its memory shared or replaced
// (free_buffer, called from inside release_buffer). The buffers it queues while
// activating (the warm-up) are not returns.
//
// A pool subclass rather than a counting GstAllocator: an allocator sees
// allocations only, never a buffer coming back, and it would replace the
// system memory whose cost the `gstpool` strategy is there to measure.
#pragma once

#include <gst/gst.h>

#include <cstdint>

namespace rxbench::pools {

struct PoolCounts {
  std::uint64_t allocations = 0;
  std::uint64_t recycled = 0;
  std::uint64_t discarded = 0;
};

// A new, unconfigured pool; the caller owns its one reference.
GstBufferPool* NewCountingBufferPool();

// A snapshot of `pool`'s counts (made by NewCountingBufferPool), any thread.
PoolCounts ReadPoolCounts(GstBufferPool* pool);

}  // namespace rxbench::pools
