#include "pools/gstpool_source.h"

#include "pools/alloc_source.h"
#include "pools/counting_buffer_pool.h"

namespace rxbench::pools {

GstPoolSource::GstPoolSource(std::size_t buffer_size, std::size_t pool_size) : pool_(NewCountingBufferPool()) {
  GstStructure* config = gst_buffer_pool_get_config(pool_);
  // min = max = pool_size: every buffer is allocated when the pool activates
  // (the warm-up), and the pool never holds more.
  gst_buffer_pool_config_set_params(config, nullptr, static_cast<guint>(buffer_size), static_cast<guint>(pool_size),
                                    static_cast<guint>(pool_size));
  gst_buffer_pool_set_config(pool_, config);
  gst_buffer_pool_set_active(pool_, TRUE);
  warmup_allocations_ = ReadPoolCounts(pool_).allocations;
}

GstPoolSource::~GstPoolSource() {
  // Buffers still held by a pipeline keep the pool alive through their own
  // reference; deactivating frees the idle ones now.
  gst_buffer_pool_set_active(pool_, FALSE);
  gst_object_unref(pool_);
}

bool GstPoolSource::TryAcquire(PacketSlot* slot) {
  GstBufferPoolAcquireParams params{};
  params.flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT;
  if (gst_buffer_pool_acquire_buffer(pool_, &slot->buffer, &params) != GST_FLOW_OK) {
    exhausted_.store(exhausted_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return false;
  }
  MapForWrite(slot);
  return true;
}

GstBuffer* GstPoolSource::Finish(PacketSlot* slot) { return UnmapAndSize(slot); }

void GstPoolSource::Release(PacketSlot* slot) { UnmapAndUnref(slot); }  // back through the pool

BufferSourceStats GstPoolSource::stats() const {
  const PoolCounts counts = ReadPoolCounts(pool_);
  BufferSourceStats s;
  s.allocations = counts.allocations;
  s.warmup_allocations = warmup_allocations_;
  s.exhausted = exhausted_.load(std::memory_order_relaxed);
  s.recycled = counts.recycled;
  s.discarded = counts.discarded;
  return s;
}

}  // namespace rxbench::pools
