#include "receivers/segment_buffers.h"

namespace rxbench::receivers {
namespace {

void UnrefParent(gpointer parent) { gst_buffer_unref(static_cast<GstBuffer*>(parent)); }

}  // namespace

GstBuffer* ShareSegment(GstBuffer* parent, std::uint8_t* data, std::size_t length) {
  return gst_buffer_new_wrapped_full(GST_MEMORY_FLAG_READONLY, data, length, 0, length, gst_buffer_ref(parent),
                                     UnrefParent);
}

}  // namespace rxbench::receivers
