// A project-local free list of GstBuffers: warmed at start, recycled when the
// pipeline releases them, with no allocator call and no map/unmap in steady
// state.
//
// How buffers come back: each buffer's GstMiniObject dispose hook is replaced.
// When the pipeline drops the last reference (on any thread), the hook
// resurrects the buffer (as GstBufferPool does), resets it and pushes it onto a
// lock-free stack. The receiver thread takes the whole stack at once when its
// private list runs dry, so there is no ABA problem and no lock on either side.
//
// The buffers' memory is mapped once at creation: system memory does not move,
// so the data pointer is kept and each datagram is received straight into it.
//
// Order: buffers are reused first-in first-out, like GstBufferPool's queue. A
// buffer the pipeline released a moment ago still sits dirty in the other
// core's cache; reusing it at once (LIFO) made every acquisition pay for the
// cache-line transfer (measured: README, "Buffer sources").
//
// Exhaustion (the pipeline holds every buffer): the list grows by one buffer,
// counted in `exhausted`; the socket reader never waits.
//
// Lifetime: buffers may outlive the source (still queued in a pipeline). The
// shared state they point to is reference counted and freed with the last one.
#pragma once

#include <vector>

#include "pools/buffer_source.h"

namespace rxbench::pools {

class FreeListSource final : public BufferSource {
 public:
  FreeListSource(std::size_t buffer_size, std::size_t pool_size);
  ~FreeListSource() override;

  void Acquire(PacketSlot* slot) override;
  GstBuffer* Finish(PacketSlot* slot) override;
  void Release(PacketSlot* slot) override;
  BufferSourceStats stats() const override;
  BufferKind kind() const override { return BufferKind::kFreeList; }

  struct Shared;  // state shared with the buffers' dispose hook
  struct Node;    // one buffer's bookkeeping

 private:
  Node* NewNode();
  Node* Pop();

  const std::size_t buffer_size_;
  Shared* shared_;
  // Idle buffers, receiver thread only: a ring used as a FIFO (pop at head,
  // push at tail), a power of two in size; it grows only when the pool grows.
  std::vector<Node*> ring_;
  std::size_t head_ = 0, count_ = 0;
  void PushBack(Node* node);
  void PushFront(Node* node);
  Node* PopFront();
  std::atomic<std::uint64_t> allocations_{0};
  std::atomic<std::uint64_t> exhausted_{0};
  std::uint64_t warmup_allocations_ = 0;
};

}  // namespace rxbench::pools
