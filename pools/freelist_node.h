// The free list's buffers. Each is a GstBuffer with one GstMemory of rxbench's
// own allocator, and that memory is the first member of the buffer's
// bookkeeping node: the release path gets from the buffer to its node with two
// loads. Not qdata: gst_mini_object_get_qdata() takes GStreamer's
// process-wide qdata mutex, and an object that carries qdata sends every
// gst_mini_object_is_writable() (gst_buffer_set_size() calls it three times)
// through a separately allocated structure and a locked compare-and-swap on it.
//
// Lifetimes: a node lives exactly as long as its memory, which may outlive its
// buffer (a pipeline element that shares it) and the source. The state nodes
// share with the source is reference counted: the source, every node, and
// every dispose hook in progress hold one reference.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <cstddef>
#include <cstdint>

#include "pools/return_stack.h"

namespace rxbench::pools::freelist {

struct Node;

// Written on every return by the releasing thread. A cache line of its own: a
// neighbour of the receiver's hot fields would be false-shared with them.
struct alignas(64) Shared {
  ReturnStack<Node> returned;       // buffers back from the pipeline, ready for reuse
  std::atomic<bool> closed{false};  // the source is gone: free instead of recycle
  std::atomic<std::uint64_t> refs{1};
  std::atomic<std::uint64_t> recycled{0};
  std::atomic<std::uint64_t> discarded{0};  // pool buffers lost to the pipeline; the source replaces them

  void Ref() { refs.fetch_add(1, std::memory_order_relaxed); }
  void Unref() {
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }
};

// What map() reads: a node's memory and every share of it start with this.
struct Memory {
  GstMemory memory;
  // The whole block; GstMemory's offset and size select from it. A view node's
  // block is another buffer's bytes (see Node::keeper).
  std::uint8_t* data = nullptr;
};

// The first lines are written at creation and by whoever holds the buffer;
// `next` is written by the thread that returns it, so it lives on a line of its
// own.
struct alignas(64) Node {
  Memory memory;                // first: a Node and its GstMemory share an address
  GstBuffer* buffer = nullptr;  // the pool buffer that carries `memory`
  Shared* shared = nullptr;
  // A view node (made with capacity 0) has no bytes of its own: its memory
  // points into the bytes of `keeper`, which it holds one reference to until
  // it is recycled or freed (segment_views.h). nullptr for a node with bytes.
  GstBuffer* keeper = nullptr;
  std::atomic<bool> discard_counted{false};  // counted when it came back: not again when freed
  alignas(64) Node* next = nullptr;          // link in Shared::returned
};

// A node of `capacity` bytes (0: a view node). Its buffer holds the only
// reference to its memory and disposes through `dispose`.
Node* NewNode(Shared* shared, std::size_t capacity, GstMiniObjectDisposeFunction dispose);

// The dispose hook of recycled buffers, on whatever thread drops a node
// buffer's last reference: resurrects the buffer (as GstBufferPool does),
// resets it, lets go of its keeper and pushes the node onto
// shared->returned. A buffer whose memory was replaced, shared or made
// read-only is not recycled: it is freed and counted in shared->discarded.
gboolean RecycleOnDispose(GstMiniObject* object);

// The node whose memory `memory` is; nullptr for any other memory (a share of
// it, a copy, another allocator's).
Node* NodeOf(GstMemory* memory);

// GStreamer's own dispose for buffers: what a hook hands over to when it does
// not recycle.
gboolean BufferDispose(GstMiniObject* object);

// Frees each node of a list linked through `next` (the source is closing):
// restores GStreamer's dispose and drops the buffer; the node goes with its
// memory.
void FreeAll(Node* node);

// The source is going: marks `shared` closed, so that every buffer coming
// back from now on is freed rather than recycled, and takes the buffers that
// came back before (the caller frees them with FreeAll). No buffer is left on
// the stack either way (the memory ordering is argued in RecycleOnDispose).
Node* Close(Shared* shared);

}  // namespace rxbench::pools::freelist
