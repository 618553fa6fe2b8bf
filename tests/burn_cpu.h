// Test helper: spins until the calling thread has used `ns` of CPU time.
// Measured in CPU time rather than wall time so tests hold on a loaded 2-core
// machine; the raw clock is read directly so that the metrics library is not
// checked against itself.
#pragma once

#include <time.h>

#include <cstdint>

namespace rxbench::testing {

inline std::uint64_t RawThreadCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

inline void BurnCpu(std::uint64_t ns) {
  const std::uint64_t start = RawThreadCpuNs();
  volatile std::uint64_t sink = 0;
  while (RawThreadCpuNs() - start < ns) {
    // ~100 us of arithmetic per clock read: reading a thread CPU clock is a
    // system call, and it must not turn the burn into system time.
    for (int i = 0; i < 100000; ++i) sink = sink + static_cast<std::uint64_t>(i);
  }
}

}  // namespace rxbench::testing
