#include "pools/alloc_source.h"

namespace rxbench::pools {

void MapForWrite(PacketSlot* slot) {
  gst_buffer_map(slot->buffer, &slot->map, GST_MAP_WRITE);
  slot->mapped = true;
  slot->data = slot->map.data;
  slot->capacity = slot->map.size;
}

GstBuffer* UnmapAndSize(PacketSlot* slot) {
  GstBuffer* buffer = slot->buffer;
  if (slot->mapped) gst_buffer_unmap(buffer, &slot->map);
  gst_buffer_set_size(buffer, static_cast<gssize>(slot->length));
  *slot = PacketSlot{};
  return buffer;
}

bool AllocSource::TryAcquire(PacketSlot* slot) {
  slot->buffer = gst_buffer_new_allocate(nullptr, buffer_size_, nullptr);
  allocations_.store(allocations_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  MapForWrite(slot);
  return true;
}

GstBuffer* AllocSource::Finish(PacketSlot* slot) { return UnmapAndSize(slot); }

void UnmapAndUnref(PacketSlot* slot) {
  if (slot->mapped) gst_buffer_unmap(slot->buffer, &slot->map);
  gst_buffer_unref(slot->buffer);
  *slot = PacketSlot{};
}

void AllocSource::Release(PacketSlot* slot) { UnmapAndUnref(slot); }

BufferSourceStats AllocSource::stats() const {
  BufferSourceStats s;
  s.allocations = allocations_.load(std::memory_order_relaxed);
  return s;
}

}  // namespace rxbench::pools
