// A GstBufferPool of pool_size fixed-size buffers, all allocated at start (the
// plan's "pooled buffers" done the GStreamer way). Buffers return to the pool
// when the pipeline drops its last reference; a buffer GstBufferPool cannot
// reuse is freed and the pool allocates a replacement on a later acquire, so it
// never holds more than pool_size (min = max). TryAcquire never waits
// (GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT): when the pipeline holds every
// buffer it fails and counts it.
//
// The counts come from the pool itself (counting_buffer_pool.h), not from the
// configuration.
#pragma once

#include <atomic>

#include "pools/buffer_source.h"

namespace rxbench::pools {

class GstPoolSource final : public BufferSource {
 public:
  GstPoolSource(std::size_t buffer_size, std::size_t pool_size);
  ~GstPoolSource() override;

  bool TryAcquire(PacketSlot* slot) override;
  GstBuffer* Finish(PacketSlot* slot) override;
  void Release(PacketSlot* slot) override;
  BufferSourceStats stats() const override;

 private:
  GstBufferPool* pool_ = nullptr;
  std::uint64_t warmup_allocations_ = 0;
  std::atomic<std::uint64_t> exhausted_{0};
};

}  // namespace rxbench::pools
