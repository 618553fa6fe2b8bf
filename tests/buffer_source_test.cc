// The buffer sources' contracts: every source hands out writable buffers of the
// configured size, which may outlive the source. Pooled sources reuse buffers
// first in, first out; never hold more than pool_size (the next TryAcquire
// fails, is counted, and succeeds again once the pipeline lets one go); count
// allocations and returns where they happen; never write again into memory
// someone still shares, replacing such a buffer instead; and survive being
// destroyed while their last buffer comes back on another thread.
#include "pools/buffer_source.h"
#include "tests/under_tsan.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <ostream>
#include <set>
#include <thread>
#include <vector>

namespace rxbench::pools {
namespace {

using Clock = std::chrono::steady_clock;

class SourceTest : public ::testing::TestWithParam<BufferKind> {
 protected:
  static void SetUpTestSuite() { gst_init(nullptr, nullptr); }
  std::unique_ptr<BufferSource> Make(std::size_t pool_size) { return MakeBufferSource(GetParam(), 2048, pool_size); }
  // Acquires a buffer, writes `fill` into its first `length` bytes and
  // finishes it, as the receiver does with a datagram.
  static GstBuffer* Receive(BufferSource* source, std::size_t length, std::uint8_t fill = 0) {
    PacketSlot slot;
    if (!source->TryAcquire(&slot)) return nullptr;
    std::memset(slot.data, fill, length);
    slot.length = length;
    return source->Finish(&slot);
  }
  static std::uint8_t ByteAt(GstBuffer* buffer, std::size_t index) {
    GstMapInfo map;
    if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) return 0;
    const std::uint8_t byte = map.data[index];
    gst_buffer_unmap(buffer, &map);
    return byte;
  }
  // Drops the pipeline's reference on another thread, as its streaming
  // threads do.
  static void UnrefOnAnotherThread(GstBuffer* buffer) {
    std::thread([buffer] { gst_buffer_unref(buffer); }).join();
  }
};

std::string Name(const ::testing::TestParamInfo<BufferKind>& info) { return ToString(info.param); }

}  // namespace

// For gtest's messages.
void PrintTo(BufferKind kind, std::ostream* os) { *os << ToString(kind); }

namespace {

using BufferSourceTest = SourceTest;

TEST_P(BufferSourceTest, HandsOutWritableBuffersSizedToTheDatagram) {
  auto source = Make(8);
  for (int i = 0; i < 20; ++i) {
    PacketSlot slot;
    ASSERT_TRUE(source->TryAcquire(&slot));
    ASSERT_NE(slot.buffer, nullptr);
    ASSERT_GE(slot.capacity, 2048u);
    EXPECT_TRUE(gst_buffer_is_writable(slot.buffer));
    std::memset(slot.data, i, 100);
    slot.length = 100;
    GstBuffer* buffer = source->Finish(&slot);
    EXPECT_EQ(slot.buffer, nullptr);
    ASSERT_EQ(gst_buffer_get_size(buffer), 100u);
    EXPECT_EQ(ByteAt(buffer, 99), i);
    gst_buffer_unref(buffer);
  }
}

TEST_P(BufferSourceTest, BuffersMayOutliveTheirSource) {
  std::vector<GstBuffer*> held;
  {
    auto source = Make(4);
    for (int i = 0; i < 3; ++i) held.push_back(Receive(source.get(), 16, 0x5a));
  }
  for (GstBuffer* b : held) {
    ASSERT_NE(b, nullptr);
    EXPECT_EQ(ByteAt(b, 15), 0x5a);
    gst_buffer_unref(b);  // ASan would flag a use after free here
  }
}

// An element may trim a buffer in place (gst_buffer_resize moves the memory's
// offset); the next datagram in that buffer must still start at its first byte.
TEST_P(BufferSourceTest, MemoryTrimmedInPlaceComesBackWhole) {
  auto source = Make(1);
  GstBuffer* buffer = Receive(source.get(), 64, 0x11);
  gst_buffer_resize(buffer, 12, 20);
  gst_buffer_unref(buffer);
  buffer = Receive(source.get(), 64, 0x22);
  ASSERT_NE(buffer, nullptr);
  EXPECT_EQ(gst_buffer_get_size(buffer), 64u);
  EXPECT_EQ(ByteAt(buffer, 0), 0x22);
  EXPECT_EQ(ByteAt(buffer, 63), 0x22);
  gst_buffer_unref(buffer);
}

INSTANTIATE_TEST_SUITE_P(AllSources, BufferSourceTest,
                         ::testing::Values(BufferKind::kAlloc, BufferKind::kGstPool, BufferKind::kFreeList), Name);

using PooledSourceTest = SourceTest;

// The buffer the pipeline released last is still hot in the other core's
// cache: the oldest return is reused first.
TEST_P(PooledSourceTest, ReusesOldestReturnFirst) {
  auto source = Make(4);
  std::vector<GstBuffer*> order;
  for (int i = 0; i < 12; ++i) {
    GstBuffer* b = Receive(source.get(), 10);
    ASSERT_NE(b, nullptr);
    order.push_back(b);
    gst_buffer_unref(b);
  }
  for (int i = 4; i < 12; ++i) EXPECT_EQ(order[i], order[i - 4]) << "position " << i;
  EXPECT_EQ(source->stats().allocations, 4u);
}

TEST_P(PooledSourceTest, NeverGrowsPastPoolSize) {
  constexpr std::size_t kPool = 4;
  auto source = Make(kPool);
  std::vector<GstBuffer*> held;
  for (std::size_t i = 0; i < kPool; ++i) held.push_back(Receive(source.get(), 10));
  PacketSlot slot;
  EXPECT_FALSE(source->TryAcquire(&slot)) << "grew past pool_size";
  EXPECT_EQ(slot.buffer, nullptr);
  EXPECT_EQ(source->stats().exhausted, 1u);

  UnrefOnAnotherThread(held.back());
  held.pop_back();
  ASSERT_TRUE(source->TryAcquire(&slot)) << "a buffer came back and was not handed out";
  source->Release(&slot);  // unused: available again at once
  ASSERT_TRUE(source->TryAcquire(&slot));
  EXPECT_FALSE(source->TryAcquire(&slot)) << "grew past pool_size";
  source->Release(&slot);

  const BufferSourceStats stats = source->stats();
  EXPECT_EQ(stats.allocations, kPool);
  EXPECT_EQ(stats.exhausted, 2u);
  for (GstBuffer* b : held) gst_buffer_unref(b);
}

TEST_P(PooledSourceTest, WaitForReturnWakesWhenABufferComesBack) {
  auto source = Make(1);
  GstBuffer* held = Receive(source.get(), 10);
  PacketSlot slot;
  ASSERT_FALSE(source->TryAcquire(&slot));

  // Nothing comes back: it waits at least as long as it was told, and comes
  // back (the upper bound only catches a wait that never ends; a machine 100x
  // slower than this one passes it).
  Clock::time_point start = Clock::now();
  source->WaitForReturn(30);
  const auto idle = Clock::now() - start;
  EXPECT_GE(idle, std::chrono::milliseconds(30));
  EXPECT_LT(idle, std::chrono::milliseconds(10'000));

  // Told to wait a minute, it wakes when the buffer comes back after 50 ms:
  // only the return can end the wait before 30 s, however slow the machine.
  // The clock is read before the returning thread starts its 50 ms, so the
  // return is at least 50 ms after it (read after, a preempted reader saw
  // 48 ms under TSan on a busy machine).
  start = Clock::now();
  std::thread pipeline([held] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    gst_buffer_unref(held);
  });
  source->WaitForReturn(60'000);
  const auto waited = Clock::now() - start;
  pipeline.join();
  EXPECT_GE(waited, std::chrono::milliseconds(50)) << "returned before anything came back";
  EXPECT_LT(waited, std::chrono::milliseconds(30'000)) << "slept through the return";
  ASSERT_TRUE(source->TryAcquire(&slot));
  source->Release(&slot);
}

TEST_P(PooledSourceTest, CountsAllocationsAndReturnsWhereTheyHappen) {
  constexpr std::size_t kPool = 64;
  constexpr int kRounds = 50, kBatch = 32;
  auto source = Make(kPool);
  BufferSourceStats stats = source->stats();
  EXPECT_EQ(stats.warmup_allocations, kPool);
  EXPECT_EQ(stats.allocations, kPool);
  EXPECT_EQ(stats.recycled, 0u) << "the warm-up is not a return";

  std::set<GstBuffer*> seen;
  for (int round = 0; round < kRounds; ++round) {
    std::vector<GstBuffer*> batch;
    for (int i = 0; i < kBatch; ++i) {
      GstBuffer* b = Receive(source.get(), 1200);
      ASSERT_NE(b, nullptr);
      seen.insert(b);
      batch.push_back(b);
    }
    std::thread pipeline([&batch] {
      for (GstBuffer* b : batch) gst_buffer_unref(b);
    });
    pipeline.join();
  }
  stats = source->stats();
  EXPECT_EQ(stats.allocations, kPool) << "allocated in steady state";
  EXPECT_EQ(stats.recycled, static_cast<std::uint64_t>(kRounds * kBatch));
  EXPECT_EQ(stats.discarded, 0u);
  EXPECT_EQ(stats.exhausted, 0u);
  EXPECT_LE(seen.size(), kPool);
}

// A pipeline element kept a share of the memory (a sub-buffer): the buffer is
// not reused while they read it, and the pool replaces it.
TEST_P(PooledSourceTest, ReplacesABufferWhoseMemoryIsStillShared) {
  auto source = Make(1);
  GstBuffer* buffer = Receive(source.get(), 64, 0x11);
  GstBuffer* shared = gst_buffer_copy_region(buffer, GST_BUFFER_COPY_MEMORY, 0, 64);
  UnrefOnAnotherThread(buffer);  // returns while `shared` still reads it
  EXPECT_EQ(source->stats().discarded, 1u);
  EXPECT_EQ(source->stats().recycled, 0u);

  PacketSlot next;
  ASSERT_TRUE(source->TryAcquire(&next)) << "the kept buffer was not replaced";
  std::memset(next.data, 0x22, 64);
  EXPECT_EQ(ByteAt(shared, 0), 0x11) << "memory still shared was written again";
  EXPECT_EQ(ByteAt(shared, 63), 0x11);
  source->Release(&next);
  gst_buffer_unref(shared);

  const BufferSourceStats stats = source->stats();
  EXPECT_EQ(stats.allocations, 2u);
  EXPECT_EQ(stats.discarded, 1u);
  EXPECT_EQ(stats.exhausted, 0u);
}

// A pipeline element swapped the buffer's memory for its own: counted once
// and replaced.
TEST_P(PooledSourceTest, ReplacesABufferWhoseMemoryWasSwappedOut) {
  auto source = Make(1);
  GstBuffer* buffer = Receive(source.get(), 64);
  gst_buffer_replace_all_memory(buffer, gst_allocator_alloc(nullptr, 64, nullptr));
  UnrefOnAnotherThread(buffer);
  PacketSlot next;
  ASSERT_TRUE(source->TryAcquire(&next)) << "the lost buffer was not replaced";
  source->Release(&next);
  const BufferSourceStats stats = source->stats();
  EXPECT_EQ(stats.discarded, 1u);
  EXPECT_EQ(stats.allocations, 2u);
}

// The source is destroyed while the pipeline drops its last buffer on another
// thread. Run under ASan (bazel test --config=asan): a source that frees its
// shared state while a dispose hook still reads it is a use after free. The
// destruction starts when the source has counted the buffer back, staggered
// over the rounds to sweep the rest of the return.
TEST_P(PooledSourceTest, DestroyedWhileItsLastBufferComesBackOnAnotherThread) {
  constexpr int kRounds = 100000;
  std::atomic<GstBuffer*> handoff{nullptr};
  std::atomic<bool> done{false};
  std::thread pipeline([&] {
    while (!done.load(std::memory_order_acquire)) {
      if (GstBuffer* b = handoff.exchange(nullptr, std::memory_order_acquire)) {
        gst_buffer_unref(b);
      } else {
        std::this_thread::yield();  // a shared 2-core machine: let the other side run
      }
    }
  });
  // The free list's own return protocol is what needs many rounds;
  // GstBufferPool's is GStreamer's, and slower to set up.
  // ThreadSanitizer needs no lucky timing to see an unordered pair of
  // accesses, only both accesses: fewer rounds do, at its speed.
  const int all_rounds = tests::kUnderTsan ? kRounds / 20 : kRounds;
  const int rounds = GetParam() == BufferKind::kFreeList ? all_rounds : all_rounds / 10;
  for (int round = 0; round < rounds; ++round) {
    auto source = Make(1);
    GstBuffer* buffer = Receive(source.get(), 10);
    ASSERT_NE(buffer, nullptr);
    handoff.store(buffer, std::memory_order_release);
    // Once the source has counted the buffer back, its return is under way.
    // Yielding while waiting: on a loaded 2-core machine a bare spin held the
    // core the returning thread needed for a scheduler slice per round, and
    // 100 000 rounds ran past the 5-minute timeout under tools/stress_suite.sh.
    while (source->stats().recycled == 0) {
      std::this_thread::yield();
    }
    for (volatile int spin = round % 64; spin > 0; spin = spin - 1) {
    }
    source.reset();
  }
  done.store(true, std::memory_order_release);
  pipeline.join();
}

INSTANTIATE_TEST_SUITE_P(PooledSources, PooledSourceTest,
                         ::testing::Values(BufferKind::kGstPool, BufferKind::kFreeList), Name);

}  // namespace
}  // namespace rxbench::pools
