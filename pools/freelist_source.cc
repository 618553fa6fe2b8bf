#include "pools/freelist_source.h"

#include "pools/return_stack.h"

namespace rxbench::pools {

// The first cache line is written once, at creation, and then only read by
// both threads; `next` is written by whichever thread returns the buffer, so it
// lives on a line of its own and the receiver's reads never miss on it.
struct alignas(64) FreeListSource::Node {
  GstBuffer* buffer = nullptr;
  std::uint8_t* data = nullptr;
  std::size_t capacity = 0;
  GstMiniObjectDisposeFunction original_dispose = nullptr;
  Shared* shared = nullptr;
  alignas(64) Node* next = nullptr;  // link in the returned stack
};

// Written on every release by the releasing thread. Aligned to a cache line of
// its own: allocated right after the source object, it used to share a line
// with the receiver's hot fields, and that false sharing cost ~700 ns per
// packet (README, "Buffer sources").
struct alignas(64) FreeListSource::Shared {
  ReturnStack<Node> returned;            // buffers back from the pipeline
  std::atomic<bool> closed{false};       // the source is gone: free instead of recycle
  std::atomic<std::uint64_t> refs{1};    // the source + every live buffer + every hook in progress
  std::atomic<std::uint64_t> recycled{0};
  std::atomic<std::uint64_t> discarded{0};

  void Unref() {
    if (refs.fetch_sub(1, std::memory_order_acq_rel) == 1) delete this;
  }

  // Frees every node on the stack for real (after close).
  void FreeAll(Node* node) {
    while (node != nullptr) {
      Node* next = node->next;
      FreeNow(node);
      node = next;
    }
  }

  static void FreeNow(Node* node) {
    // Restore GStreamer's own dispose, then drop the reference the hook took:
    // the buffer is finalized and the node goes with it.
    GST_MINI_OBJECT_CAST(node->buffer)->dispose = node->original_dispose;
    gst_buffer_unref(node->buffer);
  }
};

namespace {

GQuark NodeQuark() {
  static const GQuark quark = g_quark_from_static_string("rxbench-freelist-node");
  return quark;
}

void DeleteNode(gpointer data) {
  auto* node = static_cast<FreeListSource::Node*>(data);
  FreeListSource::Shared* shared = node->shared;
  delete node;
  shared->Unref();
}

gboolean RemoveMeta(GstBuffer*, GstMeta** meta, gpointer) {
  *meta = nullptr;
  return TRUE;
}

// Runs on whatever thread drops the last reference.
gboolean DisposeHook(GstMiniObject* object) {
  auto* node = static_cast<FreeListSource::Node*>(gst_mini_object_get_qdata(object, NodeQuark()));
  FreeListSource::Shared* shared = node->shared;
  if (shared->closed.load(std::memory_order_acquire)) {
    return node->original_dispose ? node->original_dispose(object) : TRUE;
  }
  GstBuffer* buffer = GST_BUFFER_CAST(object);
  // A pipeline element that kept a sub-buffer shares our memory (its refcount
  // is above one), or one replaced it: writing into it again would corrupt
  // their data, so the buffer is freed instead and the list grows when it runs
  // short. Checked here, on the releasing thread, where these cache lines are
  // hot. (gst_buffer_is_all_memory_writable cannot be asked: during dispose the
  // buffer's refcount is 0, so nothing in it counts as writable.)
  GstMemory* memory = gst_buffer_n_memory(buffer) == 1 ? gst_buffer_peek_memory(buffer, 0) : nullptr;
  if (memory == nullptr || GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_TAG_MEMORY) ||
      GST_MINI_OBJECT_REFCOUNT_VALUE(memory) != 1 || GST_MEMORY_IS_READONLY(memory)) {
    shared->discarded.fetch_add(1, std::memory_order_relaxed);
    return node->original_dispose ? node->original_dispose(object) : TRUE;
  }
  // Once the node is on the stack the source may take it, free it and drop
  // the last reference to `shared`; this hook still reads `shared` after the
  // push, so it holds a reference of its own until it is done.
  shared->refs.fetch_add(1, std::memory_order_relaxed);
  gst_buffer_ref(buffer);  // resurrect, as GstBufferPool does
  // Reset what a pipeline may have set, so the next packet starts clean.
  GST_BUFFER_FLAGS(buffer) = 0;
  GST_BUFFER_PTS(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_OFFSET(buffer) = GST_BUFFER_OFFSET_NONE;
  GST_BUFFER_OFFSET_END(buffer) = GST_BUFFER_OFFSET_NONE;
  gst_buffer_foreach_meta(buffer, RemoveMeta, nullptr);
  shared->recycled.fetch_add(1, std::memory_order_relaxed);
  shared->returned.Push(node);
  // Close() may have drained the stack between our check and our push: if so,
  // whoever sees `closed` now frees what is left. TakeAll hands each node to
  // exactly one thread.
  if (shared->closed.load(std::memory_order_seq_cst)) shared->FreeAll(shared->returned.TakeAll());
  shared->Unref();
  return FALSE;
}

}  // namespace

FreeListSource::FreeListSource(std::size_t buffer_size, std::size_t pool_size)
    : buffer_size_(buffer_size), shared_(new Shared) {
  std::size_t slots = 16;
  while (slots < pool_size) slots <<= 1;
  ring_.resize(slots);
  for (std::size_t i = 0; i < pool_size; ++i) PushBack(NewNode());
  warmup_allocations_ = pool_size;
}

FreeListSource::~FreeListSource() {
  shared_->closed.store(true, std::memory_order_seq_cst);
  while (count_ > 0) Shared::FreeNow(PopFront());
  shared_->FreeAll(shared_->returned.TakeAll());
  shared_->Unref();
}

FreeListSource::Node* FreeListSource::NewNode() {
  auto* node = new Node;
  node->buffer = gst_buffer_new_allocate(nullptr, buffer_size_, nullptr);
  node->shared = shared_;
  shared_->refs.fetch_add(1, std::memory_order_relaxed);
  GstMapInfo map;
  gst_buffer_map(node->buffer, &map, GST_MAP_WRITE);
  node->data = map.data;  // system memory: the pointer stays valid after unmap
  node->capacity = map.size;
  gst_buffer_unmap(node->buffer, &map);
  GstMiniObject* object = GST_MINI_OBJECT_CAST(node->buffer);
  node->original_dispose = object->dispose;
  object->dispose = DisposeHook;
  gst_mini_object_set_qdata(object, NodeQuark(), node, DeleteNode);
  allocations_.store(allocations_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  return node;
}

FreeListSource::Node* FreeListSource::Pop() {
  if (count_ == 0) {
    // The stack comes newest first: pushing each at the front leaves the
    // oldest return at the head, so reuse stays first-in first-out.
    for (Node* n = shared_->returned.TakeAll(); n != nullptr; n = n->next) PushFront(n);
  }
  if (count_ == 0) {
    exhausted_.store(exhausted_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return NewNode();
  }
  return PopFront();
}

void FreeListSource::PushBack(Node* node) {
  if (count_ == ring_.size()) {
    // Grow (only after the pool itself grew): unroll the ring into a larger one.
    std::vector<Node*> larger(ring_.size() * 2);
    for (std::size_t i = 0; i < count_; ++i) larger[i] = ring_[(head_ + i) & (ring_.size() - 1)];
    ring_.swap(larger);
    head_ = 0;
  }
  ring_[(head_ + count_) & (ring_.size() - 1)] = node;
  ++count_;
}

void FreeListSource::PushFront(Node* node) {
  if (count_ == ring_.size()) {
    PushBack(node);  // grows; order does not matter for this rare case
    return;
  }
  head_ = (head_ - 1) & (ring_.size() - 1);
  ring_[head_] = node;
  ++count_;
}

FreeListSource::Node* FreeListSource::PopFront() {
  Node* node = ring_[head_];
  head_ = (head_ + 1) & (ring_.size() - 1);
  --count_;
  return node;
}

void FreeListSource::Acquire(PacketSlot* slot) {
  Node* node = Pop();
  slot->buffer = node->buffer;
  slot->data = node->data;
  slot->capacity = node->capacity;
  slot->mapped = false;
}

GstBuffer* FreeListSource::Finish(PacketSlot* slot) {
  GstBuffer* buffer = slot->buffer;
  // Resizing within the memory's maxsize only moves its size field.
  gst_buffer_set_size(buffer, static_cast<gssize>(slot->length));
  *slot = PacketSlot{};
  return buffer;
}

void FreeListSource::Release(PacketSlot* slot) {
  // Unused: back on the private list without touching the shared stack.
  auto* node = static_cast<Node*>(gst_mini_object_get_qdata(GST_MINI_OBJECT_CAST(slot->buffer), NodeQuark()));
  PushFront(node);  // never left this thread: reuse it next
  *slot = PacketSlot{};
}

BufferSourceStats FreeListSource::stats() const {
  BufferSourceStats s;
  s.allocations = allocations_.load(std::memory_order_relaxed);
  s.warmup_allocations = warmup_allocations_;
  s.exhausted = exhausted_.load(std::memory_order_relaxed);
  s.recycled = shared_->recycled.load(std::memory_order_relaxed);
  s.discarded = shared_->discarded.load(std::memory_order_relaxed);
  return s;
}

}  // namespace rxbench::pools
