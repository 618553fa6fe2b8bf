// A project-local free list of pool_size GstBuffers: all allocated at start,
// recycled when the pipeline releases them, with no allocator call and no
// map/unmap in steady state.
//
// How buffers come back: each buffer's GstMiniObject dispose hook is replaced.
// When the pipeline drops the last reference (on any thread), the hook finds
// the buffer's node through its memory (freelist_node.h), resurrects the
// buffer (as GstBufferPool does), resets it and pushes it onto a lock-free
// stack. The receiver thread takes the whole stack at once when its private
// list runs dry, so there is no ABA problem and no lock on either side.
//
// The memory is rxbench's own and never moves, so its data pointer is kept and
// each datagram is received straight into it.
//
// Order: buffers are reused first-in first-out, like GstBufferPool's queue. A
// buffer the pipeline released a moment ago still sits dirty in the other
// core's cache; reusing it at once (LIFO) makes the receiver pay for the
// cache-line transfer on every acquisition.
//
// A buffer that comes back with its memory still shared, or replaced, is not
// reused (counted in `discarded`); the list allocates a replacement when it
// next runs dry, so it keeps pool_size buffers. Exhaustion: TryAcquire fails
// (buffer_source.h).
//
// Lifetime: buffers may outlive the source (still queued in a pipeline).
#pragma once

#include <atomic>
#include <vector>

#include "pools/buffer_source.h"

namespace rxbench::pools {

namespace freelist {
struct Node;
struct Shared;
}  // namespace freelist

class FreeListSource final : public BufferSource {
 public:
  FreeListSource(std::size_t buffer_size, std::size_t pool_size);
  ~FreeListSource() override;

  bool TryAcquire(PacketSlot* slot) override;
  GstBuffer* Finish(PacketSlot* slot) override;
  void Release(PacketSlot* slot) override;
  BufferSourceStats stats() const override;

 private:
  using Node = freelist::Node;
  Node* NewNode();
  void Refill();
  void PushBack(Node* node);
  void PushFront(Node* node);
  Node* PopFront();

  const std::size_t buffer_size_;
  freelist::Shared* const shared_;
  // Idle buffers, receiver thread only: a ring used as a FIFO (pop at head,
  // push at tail), a power of two in size, never fuller than pool_size.
  std::vector<Node*> ring_;
  std::size_t head_ = 0, count_ = 0;
  std::uint64_t replaced_ = 0;  // discarded buffers replaced so far
  std::uint64_t warmup_allocations_ = 0;
  std::atomic<std::uint64_t> allocations_{0};
  std::atomic<std::uint64_t> exhausted_{0};
};

}  // namespace rxbench::pools
