// Where a receiver gets the GstBuffer that a datagram is received into.
//
// This is the "buffer source" policy axis of a strategy. The original receiver
// allocated and mapped a fresh 4 KiB GstBuffer per datagram (`alloc`); the
// pooled sources (`gstpool`, `freelist`) recycle a fixed set of pool_size
// buffers. All of them hand out a writable slot (buffer + pointer to its bytes)
// and take it back either finished (sized to the datagram, ready to push) or
// unused.
//
// Exhaustion, one choice for every strategy: a pooled source never has more
// than pool_size buffers. When the pipeline holds all of them, TryAcquire fails
// (counted in `exhausted`) and the receiver waits for one to come back instead
// of reading: datagrams back up in the socket, and once it is full the kernel
// drops them, where the loss account sees them (kernel drops). io_uring's
// provided-buffer ring behaves that way by nature (-ENOBUFS), so every
// strategy meets overload the same way. Growing instead would turn overload
// into memory growth and mix freshly allocated buffers into what is measured
// as a pool.
//
// Thread-safety: TryAcquire, WaitForReturn, Finish and Release are called by
// the receiver thread only. The pipeline may drop a buffer's last reference on
// any thread; sources that recycle handle that internally. stats() may be read
// from any thread.
#pragma once

#include <gst/gst.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "pools/buffer_kind.h"
#include "pools/packet_slot.h"

namespace rxbench::pools {

// Each field is counted where the event happens, never derived from the
// configuration, so a test on it can fail.
struct BufferSourceStats {
  std::uint64_t allocations = 0;         // buffers really allocated: warm-up and replacements included
  std::uint64_t warmup_allocations = 0;  // of those, at start
  std::uint64_t exhausted = 0;           // TryAcquire calls that failed: every buffer was in the pipeline
  std::uint64_t recycled = 0;            // buffers that came back from the pipeline and will be reused
  std::uint64_t discarded = 0;           // buffers that came back unusable (memory shared or replaced)
};

class BufferSource {
 public:
  virtual ~BufferSource() = default;

  // Fills slot->buffer/data/capacity with a writable buffer. False when the
  // source is exhausted: a pooled source never holds more than pool_size
  // buffers and every one is in the pipeline. Never blocks. Counts each failure
  // in stats().exhausted. `alloc` always succeeds (it has no pool: one
  // allocation per datagram, as the original receiver).
  virtual bool TryAcquire(PacketSlot* slot) = 0;

  // After a failed TryAcquire: returns once a buffer may have come back, after
  // at most about timeout_ms. The caller tries again either way.
  virtual void WaitForReturn(int timeout_ms);

  // Unmaps if needed and sizes the buffer to slot->length; returns it (owned by
  // the caller, to be pushed). The slot is empty afterwards.
  virtual GstBuffer* Finish(PacketSlot* slot) = 0;

  // Returns an acquired but unused buffer (e.g. truncated datagram, or stop).
  virtual void Release(PacketSlot* slot) = 0;

  virtual BufferSourceStats stats() const = 0;
};

// `buffer_size`: bytes per buffer; `pool_size`: buffers of a pooled source,
// all allocated at start (spec::ReceiverSpec holds both). nullptr for kRing
// (see BufferKind).
std::unique_ptr<BufferSource> MakeBufferSource(BufferKind kind, std::size_t buffer_size, std::size_t pool_size);

}  // namespace rxbench::pools
