// Where a receiver gets the GstBuffer that a datagram is received into.
//
// This is the "buffer source" policy axis of a strategy. The original receiver
// allocated and mapped a fresh 4 KiB GstBuffer per datagram; the alternatives
// recycle buffers. All of them hand out a writable slot (buffer + pointer to
// its bytes) and take it back either finished (sized to the datagram, ready to
// push) or unused.
//
// Thread-safety: Acquire/Finish/Release are called by the receiver thread only.
// Buffers may be released by the pipeline on any thread; sources that recycle
// handle that internally. stats() may be read from any thread.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "pools/packet_slot.h"

namespace rxbench::pools {

enum class BufferKind { kAlloc, kGstPool, kFreeList };

const char* ToString(BufferKind kind);
std::optional<BufferKind> ParseBufferKind(std::string_view name);

// Counted, never estimated. Relaxed atomics: written by the receiver thread (or
// the releasing thread for `recycled`), read by snapshots.
struct BufferSourceStats {
  std::uint64_t allocations = 0;  // buffers created (warm-up included)
  std::uint64_t warmup_allocations = 0;
  std::uint64_t exhausted = 0;    // acquisitions that found the pool empty and grew it
  std::uint64_t recycled = 0;     // buffers that came back for reuse
  std::uint64_t discarded = 0;    // buffers that came back unusable (memory shared or replaced)
};

struct BufferSourceConfig {
  BufferKind kind = BufferKind::kAlloc;
  std::size_t buffer_size = 4096;  // the original receiver's maximum datagram size
  std::size_t pool_size = 1024;    // buffers warmed at start (pooled sources)
};

class BufferSource {
 public:
  virtual ~BufferSource() = default;

  // Fills slot->buffer/data/capacity with a writable buffer. Never fails: a
  // pooled source that is exhausted grows by one (counted in `exhausted`).
  virtual void Acquire(PacketSlot* slot) = 0;

  // Unmaps if needed and sizes the buffer to slot->length; returns it (owned by
  // the caller, to be pushed). The slot is empty afterwards.
  virtual GstBuffer* Finish(PacketSlot* slot) = 0;

  // Returns an acquired but unused buffer (e.g. truncated datagram, or stop).
  virtual void Release(PacketSlot* slot) = 0;

  virtual BufferSourceStats stats() const = 0;
  virtual BufferKind kind() const = 0;
};

std::unique_ptr<BufferSource> MakeBufferSource(const BufferSourceConfig& config);

}  // namespace rxbench::pools
