#include "pools/freelist_node.h"

#include <cstdlib>
#include <new>

namespace rxbench::pools::freelist {
namespace {

constexpr std::size_t kCacheLine = 64;

std::size_t RoundUp(std::size_t n) { return (n + kCacheLine - 1) / kCacheLine * kCacheLine; }

Memory* AsMemory(GstMemory* memory) { return reinterpret_cast<Memory*>(memory); }

gpointer Map(GstMemory* memory, gsize, GstMapFlags) { return AsMemory(memory)->data; }

void Unmap(GstMemory*) {}

// A read-only view of the same bytes; like the system allocator's, it locks
// its parent, so the node's memory is no longer writable while it exists.
GstMemory* Share(GstMemory* memory, gssize offset, gssize size) {
  GstMemory* parent = memory->parent != nullptr ? memory->parent : memory;
  if (size == -1) size = static_cast<gssize>(memory->size) - offset;
  auto* share = new Memory;
  gst_memory_init(&share->memory,
                  static_cast<GstMemoryFlags>(GST_MINI_OBJECT_FLAGS(parent) | GST_MINI_OBJECT_FLAG_LOCK_READONLY),
                  memory->allocator, parent, memory->maxsize, memory->align,
                  memory->offset + static_cast<gsize>(offset), static_cast<gsize>(size));
  share->data = AsMemory(memory)->data;
  return &share->memory;
}

// Any thread, when a memory's last reference goes.
void Free(GstAllocator*, GstMemory* memory) {
  if (memory->parent != nullptr) {  // a share
    delete AsMemory(memory);
    return;
  }
  Node* node = reinterpret_cast<Node*>(memory);
  Shared* shared = node->shared;
  // A pool buffer's memory freed while the source is open and not counted when
  // its buffer came back: a pipeline element replaced it in the buffer.
  if (!node->discard_counted.load(std::memory_order_relaxed) && !shared->closed.load(std::memory_order_acquire)) {
    shared->discarded.fetch_add(1, std::memory_order_relaxed);
  }
  if (node->keeper != nullptr) gst_buffer_unref(node->keeper);
  node->~Node();
  std::free(node);
  shared->Unref();
}

struct RxbFreeListAllocator {
  GstAllocator parent;
};

struct RxbFreeListAllocatorClass {
  GstAllocatorClass parent_class;
};

}  // namespace

G_DEFINE_TYPE(RxbFreeListAllocator, rxb_free_list_allocator, GST_TYPE_ALLOCATOR)

static void rxb_free_list_allocator_class_init(RxbFreeListAllocatorClass* klass) {
  GST_ALLOCATOR_CLASS(klass)->free = Free;  // no alloc: nodes are made by NewNode
}

static void rxb_free_list_allocator_init(RxbFreeListAllocator* self) {
  GstAllocator* allocator = GST_ALLOCATOR_CAST(self);
  allocator->mem_type = "RxbenchFreeList";
  allocator->mem_map = Map;
  allocator->mem_unmap = Unmap;
  allocator->mem_share = Share;
  // Copies come from the system allocator (GStreamer's fallback mem_copy).
  GST_OBJECT_FLAG_SET(allocator, GST_ALLOCATOR_FLAG_CUSTOM_ALLOC);
}

namespace {

// One for the process, never freed, like GStreamer's system allocator.
GstAllocator* Allocator() {
  static GstAllocator* const allocator = [] {
    auto* a = static_cast<GstAllocator*>(g_object_new(rxb_free_list_allocator_get_type(), nullptr));
    gst_object_ref_sink(a);
    return a;
  }();
  return allocator;
}

void FreeNow(Node* node) {
  GST_MINI_OBJECT_CAST(node->buffer)->dispose = BufferDispose;
  gst_buffer_unref(node->buffer);
}

}  // namespace

gboolean BufferDispose(GstMiniObject* object) {
  static const GstMiniObjectDisposeFunction dispose = [] {
    GstBuffer* probe = gst_buffer_new();
    const GstMiniObjectDisposeFunction d = GST_MINI_OBJECT_CAST(probe)->dispose;
    gst_buffer_unref(probe);
    return d;
  }();
  return dispose != nullptr ? dispose(object) : TRUE;
}

Node* NewNode(Shared* shared, std::size_t capacity, GstMiniObjectDisposeFunction dispose) {
  // Bookkeeping and bytes in one block, as the system allocator lays them out.
  const std::size_t header = RoundUp(sizeof(Node));
  void* block = std::aligned_alloc(kCacheLine, header + RoundUp(capacity));
  auto* node = new (block) Node;
  node->memory.data = static_cast<std::uint8_t*>(block) + header;
  gst_memory_init(&node->memory.memory, static_cast<GstMemoryFlags>(0), Allocator(), nullptr, capacity, kCacheLine - 1,
                  0, capacity);
  node->shared = shared;
  shared->Ref();
  node->buffer = gst_buffer_new();
  gst_buffer_append_memory(node->buffer, &node->memory.memory);
  GST_BUFFER_FLAG_UNSET(node->buffer, GST_BUFFER_FLAG_TAG_MEMORY);  // the memory it was made with
  GST_MINI_OBJECT_CAST(node->buffer)->dispose = dispose;
  return node;
}

Node* NodeOf(GstMemory* memory) {
  if (memory == nullptr || memory->allocator != Allocator() || memory->parent != nullptr) return nullptr;
  return reinterpret_cast<Node*>(memory);
}

void FreeAll(Node* node) {
  while (node != nullptr) {
    Node* next = node->next;
    FreeNow(node);
    node = next;
  }
}

Node* Close(Shared* shared) {
  shared->closed.store(true, std::memory_order_relaxed);
  // The other half of the store-buffering pair in RecycleOnDispose (the
  // reasoning is there): between writing `closed` and reading the stack.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  return shared->returned.TakeAll();
}

namespace {

gboolean RemoveMeta(GstBuffer*, GstMeta** meta, gpointer) {
  *meta = nullptr;
  return TRUE;
}

}  // namespace

gboolean RecycleOnDispose(GstMiniObject* object) {
  GstBuffer* buffer = GST_BUFFER_CAST(object);
  Node* node = gst_buffer_n_memory(buffer) == 1 ? NodeOf(gst_buffer_peek_memory(buffer, 0)) : nullptr;
  // The pipeline replaced the memory: nothing to recycle here; the node is
  // counted when its memory is freed (Free, above).
  if (node == nullptr || node->buffer != buffer) return BufferDispose(object);
  Shared* shared = node->shared;
  if (shared->closed.load(std::memory_order_acquire)) return BufferDispose(object);
  // An element that kept a share of the memory (its refcount is above one),
  // or made it read-only: writing into it again would corrupt their data. The
  // buffer is freed instead; its memory goes when they let go. Checked here,
  // on the releasing thread, where these cache lines are hot.
  // (gst_buffer_is_all_memory_writable cannot be asked: during dispose the
  // buffer's refcount is 0, so nothing in it counts as writable.)
  GstMemory* memory = &node->memory.memory;
  if (GST_BUFFER_FLAG_IS_SET(buffer, GST_BUFFER_FLAG_TAG_MEMORY) || GST_MINI_OBJECT_REFCOUNT_VALUE(memory) != 1 ||
      GST_MEMORY_IS_READONLY(memory)) {
    node->discard_counted.store(true, std::memory_order_relaxed);
    shared->discarded.fetch_add(1, std::memory_order_relaxed);
    return BufferDispose(object);
  }
  // Once the node is on the stack the source may take it, free it and drop
  // the last reference to `shared`; this hook still reads `shared` after the
  // push, so it holds a reference of its own until it is done.
  shared->Ref();
  gst_buffer_ref(buffer);  // resurrect, as GstBufferPool does
  // Reset what a pipeline may have set, so the next packet starts clean; an
  // element may have trimmed the memory in place.
  GST_BUFFER_FLAGS(buffer) = 0;
  GST_BUFFER_PTS(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DTS(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_DURATION(buffer) = GST_CLOCK_TIME_NONE;
  GST_BUFFER_OFFSET(buffer) = GST_BUFFER_OFFSET_NONE;
  GST_BUFFER_OFFSET_END(buffer) = GST_BUFFER_OFFSET_NONE;
  gst_buffer_foreach_meta(buffer, RemoveMeta, nullptr);
  memory->offset = 0;
  memory->size = memory->maxsize;
  // A view's bytes are its keeper's: the keeper may be recycled in turn.
  if (node->keeper != nullptr) {
    gst_buffer_unref(node->keeper);
    node->keeper = nullptr;
  }
  shared->recycled.fetch_add(1, std::memory_order_relaxed);
  shared->returned.Push(node);
  // The source may have closed between our check and our push: if so,
  // whoever sees `closed` now frees what is left. TakeAll hands each node to
  // exactly one thread.
  //
  // This is store buffering: here "push (a write to the stack's head), then
  // read closed"; in the closing source "write closed, then take the stack
  // (a read of its head)". The node leaks if each side misses the other's
  // write. The push is a release CAS and the source's take an acquire
  // exchange: neither orders a later read after an earlier write, so even a
  // seq_cst load of `closed` here and a seq_cst store there would allow both
  // to miss ([atomics.order]: only seq_cst operations or fences on BOTH sides
  // forbid it). So a seq_cst fence sits between the write and the read on
  // each side (Close(), above, is the other). The fences are ordered one
  // way or the other in the single total order S: if ours comes first, the
  // source's take sees our push (or a later write of the head) and frees the
  // node; if the source's comes first, our load sees `closed` and we free it.
  // Either way a node is never left on a stack nobody will take again.
  // On x86 the CAS is a locked instruction, already a full barrier, so the
  // fence costs nothing there; ThreadSanitizer does not model fences, so no
  // test can show the difference: this comment is the argument.
  std::atomic_thread_fence(std::memory_order_seq_cst);
  if (shared->closed.load(std::memory_order_relaxed)) FreeAll(shared->returned.TakeAll());
  shared->Unref();
  return FALSE;
}

}  // namespace rxbench::pools::freelist
