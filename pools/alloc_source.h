// The original receiver's buffer source: a fresh gst_buffer_new_allocate() and
// gst_buffer_map() per datagram. Nothing is recycled; this is the reference.
#pragma once

#include <atomic>

#include "pools/buffer_source.h"

namespace rxbench::pools {

class AllocSource final : public BufferSource {
 public:
  explicit AllocSource(std::size_t buffer_size) : buffer_size_(buffer_size) {}

  bool TryAcquire(PacketSlot* slot) override;  // always true
  GstBuffer* Finish(PacketSlot* slot) override;
  void Release(PacketSlot* slot) override;
  BufferSourceStats stats() const override;

 private:
  const std::size_t buffer_size_;
  std::atomic<std::uint64_t> allocations_{0};
};

// Shared by the sources that map per datagram: unmap, size, hand over.
GstBuffer* UnmapAndSize(PacketSlot* slot);
// Maps slot->buffer for writing and fills data/capacity.
void MapForWrite(PacketSlot* slot);
// Unmaps if mapped and drops the slot's reference.
void UnmapAndUnref(PacketSlot* slot);

}  // namespace rxbench::pools
