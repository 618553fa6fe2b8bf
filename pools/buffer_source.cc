#include "pools/buffer_source.h"

#include <algorithm>
#include <chrono>
#include <thread>

#include "pools/alloc_source.h"
#include "pools/freelist_source.h"
#include "pools/gstpool_source.h"

namespace rxbench::pools {

// Buffers come back on pipeline threads, which have no cheap way to wake the
// receiver, so it naps and looks at the counters they bump. The first naps are
// short so that a tiny pool keeps moving; they double up to 1 ms so that a long
// exhaustion costs few wake-ups. A 1 ms nap starves nothing: the pipeline holds
// every buffer meanwhile.
void BufferSource::WaitForReturn(int timeout_ms) {
  using Clock = std::chrono::steady_clock;
  constexpr std::chrono::microseconds kFirstNap{50}, kLongestNap{1000};
  const BufferSourceStats before = stats();
  const Clock::time_point deadline = Clock::now() + std::chrono::milliseconds(timeout_ms);
  for (std::chrono::microseconds nap = kFirstNap; Clock::now() < deadline; nap = std::min(2 * nap, kLongestNap)) {
    std::this_thread::sleep_for(nap);
    const BufferSourceStats now = stats();
    if (now.recycled != before.recycled || now.discarded != before.discarded) return;
  }
}

std::unique_ptr<BufferSource> MakeBufferSource(BufferKind kind, std::size_t buffer_size, std::size_t pool_size) {
  switch (kind) {
    case BufferKind::kAlloc: return std::make_unique<AllocSource>(buffer_size);
    case BufferKind::kGstPool: return std::make_unique<GstPoolSource>(buffer_size, pool_size);
    case BufferKind::kFreeList: return std::make_unique<FreeListSource>(buffer_size, pool_size);
    case BufferKind::kRing: break;
  }
  return nullptr;
}

}  // namespace rxbench::pools
