// Whether per-packet figures are being recorded right now.
//
// A run measures a window that excludes its warm-up: the harness opens it
// once the warm-up packets have gone through, and closes it after the drain.
// Threads that record per-packet figures (the receiver, the sink probe) check
// it once per batch; packets outside the window are still counted for the
// loss account, just not timed. One relaxed load per batch: the harness only
// opens it while no packet is in flight, so no ordering is needed.
#pragma once

#include <atomic>

namespace rxbench::metrics {

class MeasurementWindow {
 public:
  // `open`: a window that records from the start (tests, tools without warm-up).
  explicit MeasurementWindow(bool open = false) : open_(open) {}

  void Open() { open_.store(true, std::memory_order_relaxed); }
  void Close() { open_.store(false, std::memory_order_relaxed); }
  bool is_open() const { return open_.load(std::memory_order_relaxed); }

 private:
  std::atomic<bool> open_;
};

}  // namespace rxbench::metrics
