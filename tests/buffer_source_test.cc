// The buffer sources' contracts: every source hands out writable buffers of the
// configured size; pooled sources recycle without allocating in steady state,
// also when the pipeline releases on another thread; a buffer whose memory is
// still shared by someone else is never written again; buffers may outlive
// their source.
#include "pools/buffer_source.h"

#include <gtest/gtest.h>

#include <cstring>
#include <atomic>
#include <set>
#include <thread>
#include <vector>

namespace rxbench::pools {
namespace {

class BufferSourceTest : public ::testing::TestWithParam<BufferKind> {
 protected:
  static void SetUpTestSuite() { gst_init(nullptr, nullptr); }
  std::unique_ptr<BufferSource> Make(std::size_t pool_size) {
    return MakeBufferSource({GetParam(), 2048, pool_size});
  }
};

TEST_P(BufferSourceTest, HandsOutWritableBuffersSizedToTheDatagram) {
  auto source = Make(8);
  for (int i = 0; i < 20; ++i) {
    PacketSlot slot;
    source->Acquire(&slot);
    ASSERT_NE(slot.buffer, nullptr);
    ASSERT_GE(slot.capacity, 2048u);
    EXPECT_TRUE(gst_buffer_is_writable(slot.buffer));
    std::memset(slot.data, i, 100);
    slot.length = 100;
    GstBuffer* buffer = source->Finish(&slot);
    EXPECT_EQ(slot.buffer, nullptr);
    ASSERT_EQ(gst_buffer_get_size(buffer), 100u);
    GstMapInfo map;
    ASSERT_TRUE(gst_buffer_map(buffer, &map, GST_MAP_READ));
    EXPECT_EQ(map.data[99], i);
    gst_buffer_unmap(buffer, &map);
    gst_buffer_unref(buffer);
  }
}

TEST_P(BufferSourceTest, ReleaseOnAnotherThreadRecyclesWithoutAllocating) {
  if (GetParam() == BufferKind::kAlloc) GTEST_SKIP() << "alloc allocates by design";
  constexpr std::size_t kPool = 64;
  auto source = Make(kPool);
  std::set<GstBuffer*> seen;
  for (int round = 0; round < 50; ++round) {
    std::vector<GstBuffer*> batch;
    for (int i = 0; i < 32; ++i) {
      PacketSlot slot;
      source->Acquire(&slot);
      slot.length = 1200;
      seen.insert(slot.buffer);
      batch.push_back(source->Finish(&slot));
    }
    std::thread releaser([&batch] {
      for (GstBuffer* b : batch) gst_buffer_unref(b);
    });
    releaser.join();
  }
  const BufferSourceStats stats = source->stats();
  EXPECT_EQ(stats.allocations, kPool) << "grew in steady state";
  EXPECT_EQ(stats.exhausted, 0u);
  EXPECT_EQ(stats.recycled, 50u * 32u - (GetParam() == BufferKind::kGstPool ? kPool : 0u));
  EXPECT_LE(seen.size(), kPool);
}

TEST_P(BufferSourceTest, ExhaustionGrowsAndIsCounted) {
  if (GetParam() == BufferKind::kAlloc) GTEST_SKIP() << "alloc has no pool";
  auto source = Make(4);
  std::vector<GstBuffer*> held;
  for (int i = 0; i < 6; ++i) {
    PacketSlot slot;
    source->Acquire(&slot);
    slot.length = 10;
    held.push_back(source->Finish(&slot));
  }
  EXPECT_EQ(source->stats().exhausted, 2u);
  for (GstBuffer* b : held) gst_buffer_unref(b);
}

TEST_P(BufferSourceTest, BuffersMayOutliveTheirSource) {
  std::vector<GstBuffer*> held;
  {
    auto source = Make(4);
    for (int i = 0; i < 3; ++i) {
      PacketSlot slot;
      source->Acquire(&slot);
      std::memset(slot.data, 0x5a, 16);
      slot.length = 16;
      held.push_back(source->Finish(&slot));
    }
  }
  for (GstBuffer* b : held) {
    GstMapInfo map;
    ASSERT_TRUE(gst_buffer_map(b, &map, GST_MAP_READ));
    EXPECT_EQ(map.data[15], 0x5a);
    gst_buffer_unmap(b, &map);
    gst_buffer_unref(b);  // ASan would flag a use after free here
  }
}

INSTANTIATE_TEST_SUITE_P(AllSources, BufferSourceTest,
                         ::testing::Values(BufferKind::kAlloc, BufferKind::kGstPool, BufferKind::kFreeList),
                         [](const auto& info) { return std::string(ToString(info.param)); });

// The free list reuses buffers first in, first out: the one the pipeline
// released last is still hot in the other core's cache.
TEST(FreeListSource, ReusesOldestReturnFirst) {
  gst_init(nullptr, nullptr);
  auto source = MakeBufferSource({BufferKind::kFreeList, 2048, 4});
  std::vector<GstBuffer*> order;
  for (int i = 0; i < 8; ++i) {
    PacketSlot slot;
    source->Acquire(&slot);
    slot.length = 10;
    GstBuffer* b = source->Finish(&slot);
    order.push_back(b);
    gst_buffer_unref(b);
  }
  for (int i = 4; i < 8; ++i) EXPECT_EQ(order[i], order[i - 4]) << "position " << i;
  EXPECT_EQ(source->stats().allocations, 4u);
}

// A sub-buffer that shares the memory keeps it alive after the buffer returns:
// the free list must not hand that memory out again.
TEST(FreeListSource, NeverRewritesMemoryStillShared) {
  gst_init(nullptr, nullptr);
  auto source = MakeBufferSource({BufferKind::kFreeList, 2048, 1});
  PacketSlot slot;
  source->Acquire(&slot);
  std::memset(slot.data, 0x11, 64);
  slot.length = 64;
  GstBuffer* buffer = source->Finish(&slot);
  GstBuffer* shared = gst_buffer_copy_region(buffer, GST_BUFFER_COPY_MEMORY, 0, 64);
  gst_buffer_unref(buffer);  // returns to the source while `shared` still reads it
  EXPECT_EQ(source->stats().discarded, 1u);
  PacketSlot next;
  source->Acquire(&next);  // must be a new buffer, not the shared memory
  std::memset(next.data, 0x22, 64);
  GstMapInfo map;
  ASSERT_TRUE(gst_buffer_map(shared, &map, GST_MAP_READ));
  EXPECT_EQ(map.data[0], 0x11);
  gst_buffer_unmap(shared, &map);
  gst_buffer_unref(shared);
  source->Release(&next);
  EXPECT_EQ(source->stats().exhausted, 1u);
}

// The source is destroyed while the pipeline drops its last buffer on another
// thread. Run under ASan (bazel test --config=asan): a source that frees its
// shared state while a dispose hook still reads it is a use after free. The
// destruction is staggered against the release over the rounds to sweep the
// window.
TEST(FreeListSource, DestroyedWhileItsLastBufferComesBackOnAnotherThread) {
  gst_init(nullptr, nullptr);
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
  for (int round = 0; round < kRounds; ++round) {
    auto source = MakeBufferSource({BufferKind::kFreeList, 2048, 1});
    PacketSlot slot;
    source->Acquire(&slot);
    slot.length = 10;
    handoff.store(source->Finish(&slot), std::memory_order_release);
    while (handoff.load(std::memory_order_acquire) != nullptr) {
    }
    for (volatile int spin = round % 512; spin > 0; spin = spin - 1) {
    }
    source.reset();
  }
  done.store(true, std::memory_order_release);
  pipeline.join();
}

}  // namespace
}  // namespace rxbench::pools
