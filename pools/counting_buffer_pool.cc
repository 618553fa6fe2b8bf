#include "pools/counting_buffer_pool.h"

#include <atomic>
#include <new>

namespace rxbench::pools {
namespace {

struct Counters {
  std::atomic<std::uint64_t> allocations{0};
  std::atomic<std::uint64_t> recycled{0};
  std::atomic<std::uint64_t> discarded{0};
  std::atomic<bool> starting{false};  // queueing the warm-up, not taking returns
};

struct RxbCountingPool {
  GstBufferPool parent;
  Counters counters;
};

struct RxbCountingPoolClass {
  GstBufferPoolClass parent_class;
};

}  // namespace

G_DEFINE_TYPE(RxbCountingPool, rxb_counting_pool, GST_TYPE_BUFFER_POOL)

namespace {

Counters& CountersOf(GstBufferPool* pool) {
  return G_TYPE_CHECK_INSTANCE_CAST(pool, rxb_counting_pool_get_type(), RxbCountingPool)->counters;
}

GstBufferPoolClass* Parent() { return GST_BUFFER_POOL_CLASS(rxb_counting_pool_parent_class); }

// Set by free_buffer; read by the release_buffer that called it on this thread.
// Per thread because the pipeline may return buffers on several threads at once.
thread_local bool freed_in_release = false;

GstFlowReturn AllocBuffer(GstBufferPool* pool, GstBuffer** buffer, GstBufferPoolAcquireParams* params) {
  const GstFlowReturn result = Parent()->alloc_buffer(pool, buffer, params);
  if (result == GST_FLOW_OK) CountersOf(pool).allocations.fetch_add(1, std::memory_order_relaxed);
  return result;
}

gboolean Start(GstBufferPool* pool) {
  Counters& counters = CountersOf(pool);
  counters.starting.store(true, std::memory_order_relaxed);
  const gboolean started = Parent()->start(pool);
  counters.starting.store(false, std::memory_order_relaxed);
  return started;
}

void ReleaseBuffer(GstBufferPool* pool, GstBuffer* buffer) {
  Counters& counters = CountersOf(pool);
  if (counters.starting.load(std::memory_order_relaxed)) {
    Parent()->release_buffer(pool, buffer);
    return;
  }
  freed_in_release = false;
  Parent()->release_buffer(pool, buffer);
  (freed_in_release ? counters.discarded : counters.recycled).fetch_add(1, std::memory_order_relaxed);
}

void FreeBuffer(GstBufferPool* pool, GstBuffer* buffer) {
  freed_in_release = true;
  Parent()->free_buffer(pool, buffer);
}

}  // namespace

static void rxb_counting_pool_class_init(RxbCountingPoolClass* klass) {
  GstBufferPoolClass* pool_class = GST_BUFFER_POOL_CLASS(klass);
  pool_class->alloc_buffer = AllocBuffer;
  pool_class->start = Start;
  pool_class->release_buffer = ReleaseBuffer;
  pool_class->free_buffer = FreeBuffer;
}

static void rxb_counting_pool_init(RxbCountingPool* self) { new (&self->counters) Counters; }

GstBufferPool* NewCountingBufferPool() {
  auto* pool = static_cast<GstBufferPool*>(g_object_new(rxb_counting_pool_get_type(), nullptr));
  gst_object_ref_sink(pool);  // GstObjects start floating
  return pool;
}

PoolCounts ReadPoolCounts(GstBufferPool* pool) {
  const Counters& counters = CountersOf(pool);
  PoolCounts counts;
  counts.allocations = counters.allocations.load(std::memory_order_relaxed);
  counts.recycled = counters.recycled.load(std::memory_order_relaxed);
  counts.discarded = counters.discarded.load(std::memory_order_relaxed);
  return counts;
}

}  // namespace rxbench::pools
