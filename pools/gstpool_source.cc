#include "pools/gstpool_source.h"

#include "pools/alloc_source.h"

namespace rxbench::pools {
namespace {

void Bump(std::atomic<std::uint64_t>& counter) {
  counter.store(counter.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
}

}  // namespace

GstPoolSource::GstPoolSource(std::size_t buffer_size, std::size_t pool_size)
    : buffer_size_(buffer_size), pool_size_(pool_size) {
  pool_ = gst_buffer_pool_new();
  GstStructure* config = gst_buffer_pool_get_config(pool_);
  // min = max = pool_size: every buffer is allocated when the pool activates
  // (the warm-up), and the pool never allocates again.
  gst_buffer_pool_config_set_params(config, nullptr, static_cast<guint>(buffer_size_),
                                    static_cast<guint>(pool_size_), static_cast<guint>(pool_size_));
  gst_buffer_pool_set_config(pool_, config);
  gst_buffer_pool_set_active(pool_, TRUE);
}

GstPoolSource::~GstPoolSource() {
  // Buffers still held by a pipeline keep the pool alive through their own
  // reference; deactivating frees the idle ones now.
  gst_buffer_pool_set_active(pool_, FALSE);
  gst_object_unref(pool_);
}

void GstPoolSource::Acquire(PacketSlot* slot) {
  GstBufferPoolAcquireParams params{};
  params.flags = GST_BUFFER_POOL_ACQUIRE_FLAG_DONTWAIT;
  if (gst_buffer_pool_acquire_buffer(pool_, &slot->buffer, &params) != GST_FLOW_OK) {
    slot->buffer = gst_buffer_new_allocate(nullptr, buffer_size_, nullptr);
    Bump(exhausted_);
  }
  Bump(acquired_);
  MapForWrite(slot);
}

GstBuffer* GstPoolSource::Finish(PacketSlot* slot) { return UnmapAndSize(slot); }

void GstPoolSource::Release(PacketSlot* slot) { UnmapAndUnref(slot); }  // back through the pool

BufferSourceStats GstPoolSource::stats() const {
  BufferSourceStats s;
  const std::uint64_t exhausted = exhausted_.load(std::memory_order_relaxed);
  const std::uint64_t acquired = acquired_.load(std::memory_order_relaxed);
  s.warmup_allocations = pool_size_;
  s.exhausted = exhausted;
  s.allocations = pool_size_ + exhausted;
  // Every pool acquisition after the first pool_size came back through the
  // pool's release path.
  const std::uint64_t from_pool = acquired - exhausted;
  s.recycled = from_pool > pool_size_ ? from_pool - pool_size_ : 0;
  return s;
}

}  // namespace rxbench::pools
