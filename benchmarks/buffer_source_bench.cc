// Buffer sources (pools/): what one datagram's buffer costs from Acquire to the
// last unref, for alloc (gst_buffer_new_allocate per packet), gstpool
// (GstBufferPool) and freelist (rxbench's recycling list).
//
// Per item: Acquire, write 1200 bytes into slot.data (a datagram landing),
// Finish, and drop the reference, which for the pooled sources is what sends
// the buffer back. Two placements of that last unref:
//   same_thread     the receiver thread unrefs right away (best case: caches
//                   warm, no cross-thread return path);
//   other_thread    a consumer thread unrefs, as the pipeline's streaming
//                   thread does: buffers cross a small lock-free SPSC queue,
//                   so the pools' cross-thread return paths are exercised.
// Real time per buffer (the consumer's work overlaps on the second core).
//
// The free list once found a buffer's bookkeeping through GstMiniObject qdata.
// Two more variants of freelist/other_thread measure what that cost, on the
// same source: `freelist+qdata` gives every pool buffer one qdata entry and
// never reads it (what merely carrying qdata costs); `freelist+qdata_lookup`
// also looks it up on the releasing thread before each unref, as the old
// dispose hook did on every return.
#include <benchmark/benchmark.h>
#include <gst/gst.h>

#include <array>
#include <atomic>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/counter_scope.h"
#include "pools/buffer_source.h"

namespace rxbench::benchmarks {
namespace {

constexpr std::size_t kDatagramBytes = 1200;
constexpr std::size_t kBufferBytes = 4096;  // the receivers' default buffer_size
constexpr std::size_t kPoolSize = 1024;     // the receivers' default pool_size

// Single producer, single consumer, bounded. Head and tail live on separate
// cache lines so the two threads only share a line when they hand over.
class SpscQueue {
 public:
  static constexpr std::size_t kCapacity = 256;

  bool TryPush(GstBuffer* buffer) {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (tail - head_.load(std::memory_order_acquire) == kCapacity) return false;
    items_[tail % kCapacity] = buffer;
    tail_.store(tail + 1, std::memory_order_release);
    return true;
  }

  GstBuffer* TryPop() {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head == tail_.load(std::memory_order_acquire)) return nullptr;
    GstBuffer* buffer = items_[head % kCapacity];
    head_.store(head + 1, std::memory_order_release);
    return buffer;
  }

 private:
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
  alignas(64) std::array<GstBuffer*, kCapacity> items_{};
};

// Waiting for the other side of the queue: spin briefly (the hand-over usually
// takes well under a microsecond), then yield. Yielding at once would hand the
// core to unrelated work for a whole time slice on a loaded 2-core machine.
class Backoff {
 public:
  void Wait() {
    if (spins_ < 1024) {
      ++spins_;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    } else {
      std::this_thread::yield();
    }
  }
  void Reset() { spins_ = 0; }

 private:
  int spins_ = 0;
};

GstBuffer* AcquireWriteFinish(pools::BufferSource* source) {
  pools::PacketSlot slot;
  while (!source->TryAcquire(&slot)) source->WaitForReturn(1);  // counted: should stay 0
  std::memset(slot.data, 0xab, kDatagramBytes);
  benchmark::ClobberMemory();  // the write must happen: the kernel would do it
  slot.length = kDatagramBytes;
  return source->Finish(&slot);
}

void ReportSourceStats(benchmark::State& state, const pools::BufferSource& source) {
  const pools::BufferSourceStats stats = source.stats();
  state.counters["exhausted"] = static_cast<double>(stats.exhausted);
  state.counters["discarded"] = static_cast<double>(stats.discarded);
}

void BM_BufferSource_SameThread(benchmark::State& state, pools::BufferKind kind) {
  auto source = pools::MakeBufferSource(kind, kBufferBytes, kPoolSize);
  CounterScope scope(state);
  for (auto _ : state) {
    gst_buffer_unref(AcquireWriteFinish(source.get()));
  }
  state.SetItemsProcessed(state.iterations());
  ReportSourceStats(state, *source);
}

GQuark QDataQuark() {
  static const GQuark quark = g_quark_from_static_string("rxbench-bench-qdata");
  return quark;
}

void Unref(GstBuffer* buffer) { gst_buffer_unref(buffer); }

void LookUpQDataAndUnref(GstBuffer* buffer) {
  benchmark::DoNotOptimize(gst_mini_object_get_qdata(GST_MINI_OBJECT_CAST(buffer), QDataQuark()));
  gst_buffer_unref(buffer);
}

// Gives each of the source's kPoolSize buffers one qdata entry, kept for life.
void AttachQData(pools::BufferSource* source) {
  std::vector<pools::PacketSlot> slots(kPoolSize);
  for (pools::PacketSlot& slot : slots) {
    if (!source->TryAcquire(&slot)) return;
    gst_mini_object_set_qdata(GST_MINI_OBJECT_CAST(slot.buffer), QDataQuark(), slot.buffer, nullptr);
  }
  for (pools::PacketSlot& slot : slots) source->Release(&slot);
}

enum class QData { kNone, kAttached, kLookedUp };

void BM_BufferSource_OtherThread(benchmark::State& state, pools::BufferKind kind, QData qdata) {
  auto source = pools::MakeBufferSource(kind, kBufferBytes, kPoolSize);
  if (qdata != QData::kNone) AttachQData(source.get());
  void (*const release)(GstBuffer*) = qdata == QData::kLookedUp ? LookUpQDataAndUnref : Unref;
  SpscQueue queue;
  std::atomic<bool> done{false};
  std::thread consumer([&] {
    Backoff backoff;
    for (;;) {
      if (GstBuffer* buffer = queue.TryPop()) {
        release(buffer);
        backoff.Reset();
      } else if (done.load(std::memory_order_acquire)) {
        // The producer stopped before setting done: one last sweep.
        while ((buffer = queue.TryPop()) != nullptr) release(buffer);
        return;
      } else {
        backoff.Wait();
      }
    }
  });
  CounterScope scope(state);
  for (auto _ : state) {
    GstBuffer* buffer = AcquireWriteFinish(source.get());
    for (Backoff backoff; !queue.TryPush(buffer);) backoff.Wait();
  }
  done.store(true, std::memory_order_release);
  consumer.join();  // every buffer is back before the source goes away
  state.SetItemsProcessed(state.iterations());
  ReportSourceStats(state, *source);
}

// Names: BM_BufferSource/<source>/<where the release happens>.
[[maybe_unused]] const bool kRegistered = [] {
  for (pools::BufferKind kind :
       {pools::BufferKind::kAlloc, pools::BufferKind::kGstPool, pools::BufferKind::kFreeList}) {
    const std::string name = std::string("BM_BufferSource/") + pools::ToString(kind);
    benchmark::RegisterBenchmark((name + "/same_thread").c_str(), BM_BufferSource_SameThread, kind);
    benchmark::RegisterBenchmark((name + "/other_thread").c_str(), BM_BufferSource_OtherThread, kind, QData::kNone)
        ->UseRealTime();
  }
  const pools::BufferKind kFreeList = pools::BufferKind::kFreeList;
  benchmark::RegisterBenchmark("BM_BufferSource/freelist+qdata/other_thread", BM_BufferSource_OtherThread, kFreeList,
                               QData::kAttached)
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_BufferSource/freelist+qdata_lookup/other_thread", BM_BufferSource_OtherThread,
                               kFreeList, QData::kLookedUp)
      ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace rxbench::benchmarks
