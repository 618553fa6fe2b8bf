// Buffers that view part of another buffer's bytes, recycled: the GstBuffers
// recv=gro pushes, one per segment of a coalesced datagram (one per packet of
// the sender's), over the buffer the datagram was received into.
//
// Why recycled: a fresh gst_buffer_new_wrapped_full() per segment is a
// GstBuffer and a GstMemory from GLib's allocator, made on the receiver thread
// and freed on a streaming thread, for every packet: measured at about half of
// the gro receiver thread's time (README, "UDP GSO and GRO"). A view is a
// free-list node without bytes of its own (freelist_node.h): its memory is
// pointed at the segment, and it holds one reference to the viewed buffer
// (its keeper) until it comes back; then the keeper is let go, so a pooled
// receive buffer returns to its source when the last of its segments does,
// with its memory untouched.
//
// Why a view holds the keeper *buffer* and not its memory: a pooled buffer
// (freelist, GstBufferPool) is recycled only when it comes back with its
// memory exclusively its own; otherwise it is discarded and replaced. A
// sub-memory (gst_memory_share, gst_buffer_copy_region) holds a reference to
// the parent memory, so the receive buffer, released while any segment is
// still in the pipeline, would come back with shared memory and be
// discarded. GstParentBufferMeta does not help on GStreamer 1.22: a buffer
// frees its metas before its memory, so the parent would come back while the
// last segment's sub-memory still held a reference.
//
// The bytes are writable, and only through this view: segments do not
// overlap, and the viewed buffer is only kept alive, not read.
//
// Threads: View() on one thread (the receiver); views come back on any.
// Views are made as needed and never limited: how many are out is bounded by
// the receive buffers in flight times the segments each holds. Views still in
// the pipeline when this goes are freed when released.
#pragma once

#include <gst/gst.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rxbench::pools {

namespace freelist {
struct Node;
struct Shared;
}  // namespace freelist

class SegmentViews {
 public:
  SegmentViews();
  ~SegmentViews();
  SegmentViews(const SegmentViews&) = delete;
  SegmentViews& operator=(const SegmentViews&) = delete;

  // A buffer over [data, data + length), which must lie in keeper's memory;
  // it holds a reference to keeper until it is released. The caller keeps
  // its own reference to keeper.
  GstBuffer* View(GstBuffer* keeper, std::uint8_t* data, std::size_t length);

  struct Stats {
    std::uint64_t made = 0;       // views allocated (the rest were reused)
    std::uint64_t recycled = 0;   // came back whole and were reused or are ready
    std::uint64_t discarded = 0;  // came back with their memory shared or replaced: freed
  };
  Stats stats() const;

 private:
  freelist::Node* Take();

  freelist::Shared* const shared_;
  std::vector<freelist::Node*> idle_;  // receiver thread only
  std::uint64_t made_ = 0;
};

}  // namespace rxbench::pools
