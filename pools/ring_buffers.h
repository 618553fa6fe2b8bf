// BufferKind::kRing's buffers: a block of buffers a receive call provides
// itself (io_uring's provided-buffer ring, receivers/iouring_call.h), their
// way back from GStreamer, and the buffer source the receive loop sees.
//
// Ownership is split where the kernel comes in. This package owns the memory,
// its lifetime and the counts: RingMemory holds the buffers and a reference
// per GstBuffer that wraps one, and the last user frees it; a buffer
// GStreamer lets go of is pushed, by its id, onto a lock-free stack. The
// receive call owns the kernel's side, which cannot be separated from the
// call: it maps the block, registers the buffer ids with the kernel as a
// buffer group, gives returned ids back to the kernel ring from its own
// thread (only that thread may add to the ring), and fills the slots itself
// from its completions. So no source here can hand out a kRing buffer
// (MakeBufferSource() cannot make one): RingSource only reserves a slot and
// reports the counts the call keeps.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>

#include "pools/buffer_source.h"
#include "pools/packet_slot.h"
#include "pools/return_stack.h"

namespace rxbench::pools {

struct RingMemory;

// One per buffer id, allocated up front: returning a buffer allocates nothing.
struct ReturnNode {
  RingMemory* memory = nullptr;
  ReturnNode* next = nullptr;  // link in RingMemory::returned
  std::uint16_t bid = 0;
};

// The ring buffers' memory and the stack of buffers coming back from GStreamer.
// Takes over `bytes` mmap'd at `base` (unmapped when freed). Freed by whoever
// drops the last reference: the call or the last GstBuffer.
struct RingMemory {
  RingMemory(std::uint8_t* base_in, std::size_t bytes_in, std::size_t buffers);
  ~RingMemory();

  void Unref() {
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  std::uint8_t* const base;
  const std::size_t bytes;
  std::unique_ptr<ReturnNode[]> nodes;
  ReturnStack<ReturnNode> returned;    // buffers GStreamer has released
  std::atomic<std::uint64_t> refs{1};  // the call + every GstBuffer handed out
};

// GDestroyNotify of a wrapped ring buffer (its `data` is the buffer's
// ReturnNode): runs on whichever thread frees the memory's last user.
void ReturnToRing(gpointer data);

// The ring as the loop's buffer source: the call fills the slots itself, so
// acquiring reserves a slot and nothing more; a finished slot already holds
// its sized GstBuffer. Its counts are the ring's: a GstBuffer wrapper per
// datagram, buffers given back to the kernel, -ENOBUFS.
class RingSource final : public BufferSource {
 public:
  bool TryAcquire(PacketSlot*) override { return true; }
  GstBuffer* Finish(PacketSlot* slot) override {
    GstBuffer* buffer = slot->buffer;
    *slot = PacketSlot{};
    return buffer;
  }
  void Release(PacketSlot* slot) override {
    if (slot->buffer != nullptr) gst_buffer_unref(slot->buffer);
    *slot = PacketSlot{};
  }
  BufferSourceStats stats() const override {
    BufferSourceStats s;
    s.allocations = wrapped.load(std::memory_order_relaxed);
    s.recycled = recycled.load(std::memory_order_relaxed);
    s.exhausted = exhausted.load(std::memory_order_relaxed);
    return s;
  }

  // Written by the receiver thread only; read by snapshots.
  std::atomic<std::uint64_t> wrapped{0}, recycled{0}, exhausted{0};
  static void Bump(std::atomic<std::uint64_t>& counter, std::uint64_t n = 1) {
    counter.store(counter.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  }
};

}  // namespace rxbench::pools
