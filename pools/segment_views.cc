#include "pools/segment_views.h"

#include "pools/freelist_node.h"

namespace rxbench::pools {

SegmentViews::SegmentViews() : shared_(new freelist::Shared) {}

SegmentViews::~SegmentViews() {
  freelist::Node* const returned = freelist::Close(shared_);
  for (freelist::Node* node : idle_) {
    node->next = nullptr;
    freelist::FreeAll(node);
  }
  freelist::FreeAll(returned);
  shared_->Unref();
}

freelist::Node* SegmentViews::Take() {
  if (idle_.empty()) {
    for (freelist::Node* n = shared_->returned.TakeAll(); n != nullptr; n = n->next) idle_.push_back(n);
  }
  if (idle_.empty()) {
    ++made_;
    return freelist::NewNode(shared_, 0, freelist::RecycleOnDispose);
  }
  freelist::Node* node = idle_.back();
  idle_.pop_back();
  return node;
}

GstBuffer* SegmentViews::View(GstBuffer* keeper, std::uint8_t* data, std::size_t length) {
  freelist::Node* node = Take();
  node->keeper = gst_buffer_ref(keeper);
  node->memory.data = data;
  // A node's memory is rxbench's own (freelist_node.h): pointing it at other
  // bytes is writing the fields its map() and size checks read.
  GstMemory* memory = &node->memory.memory;
  memory->maxsize = length;
  memory->offset = 0;
  memory->size = length;
  return node->buffer;
}

SegmentViews::Stats SegmentViews::stats() const {
  Stats s;
  s.made = made_;
  s.recycled = shared_->recycled.load(std::memory_order_relaxed);
  s.discarded = shared_->discarded.load(std::memory_order_relaxed);
  return s;
}

}  // namespace rxbench::pools
