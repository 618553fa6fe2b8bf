// A GstBufferPool of fixed-size buffers, warmed at start (the plan's "pooled
// buffers" done the GStreamer way). Buffers return to the pool when the
// pipeline drops its last reference. When the pipeline holds every buffer the
// source does not wait: it allocates one plain buffer outside the pool and
// counts it in `exhausted` (the pool never blocks the socket reader).
#pragma once

#include "pools/buffer_source.h"

namespace rxbench::pools {

class GstPoolSource final : public BufferSource {
 public:
  GstPoolSource(std::size_t buffer_size, std::size_t pool_size);
  ~GstPoolSource() override;

  void Acquire(PacketSlot* slot) override;
  GstBuffer* Finish(PacketSlot* slot) override;
  void Release(PacketSlot* slot) override;
  BufferSourceStats stats() const override;
  BufferKind kind() const override { return BufferKind::kGstPool; }

 private:
  const std::size_t buffer_size_;
  const std::size_t pool_size_;
  GstBufferPool* pool_ = nullptr;
  std::atomic<std::uint64_t> exhausted_{0};
  std::atomic<std::uint64_t> acquired_{0};
};

}  // namespace rxbench::pools
