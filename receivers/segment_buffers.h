// One GstBuffer per segment of a coalesced datagram (recv=gro), sharing the
// bytes of the buffer the datagram was received into: nothing is copied.
//
// Why the segment buffers hold the parent *buffer* and not its memory: a
// pooled buffer (freelist, GstBufferPool) is recycled only when it comes back
// with its memory exclusively its own; otherwise it is discarded and
// replaced. A sub-memory (gst_memory_share, gst_buffer_copy_region) holds a
// reference to the parent memory, so the parent buffer, released while any
// segment is still in the pipeline, would come back with shared memory and be
// discarded. GstParentBufferMeta does not help on GStreamer 1.22: a buffer
// frees its metas before its memory, so the parent would come back while the
// last segment's sub-memory still held a reference. Here each segment's
// memory wraps the parent's bytes (read-only) and holds one reference to the
// parent buffer, dropped when the segment's memory is freed: the parent, with
// its memory untouched, goes back to its source when the last segment does.
#pragma once

#include <gst/gst.h>

#include <cstddef>
#include <cstdint>

namespace rxbench::receivers {

// A new buffer over parent's bytes [data, data + length), which must lie in
// parent's memory; it keeps `parent` alive until it is freed. The caller
// keeps its own reference to `parent`.
GstBuffer* ShareSegment(GstBuffer* parent, std::uint8_t* data, std::size_t length);

}  // namespace rxbench::receivers
