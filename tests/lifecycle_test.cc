// Start/stop cycles of every strategy in one process: nothing may pile up.
//
// One cycle is what one repetition of `run` does to the process: a receive
// side starts (socket bound, pipeline PLAYING, receiver thread running),
// a few packets go through to the sink, and it finishes (receiver stopped,
// pipeline drained to end-of-stream and set to NULL, socket closed). After a
// warm-up (GStreamer's thread pools, glibc's per-thread arenas and plugin
// caches fill once), open file descriptors (/proc/self/fd), threads
// (/proc/self/task) and resident memory must stop growing. Under
// AddressSanitizer the process is also checked by LeakSanitizer at exit
// (BUILD.bazel turns leak detection on for this test).
//
// Cycles per strategy: kCycles, fewer under ASan (see kCycles).
#include <dirent.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <string>
#include <thread>

#include "metrics/thread_usage.h"
#include "pipeline/receive_side.h"
#include "receivers/strategy.h"
#include "tests/loopback_sender.h"
#include "tests/strategy_test_name.h"

namespace rxbench::harness {
namespace {

#if defined(__SANITIZE_ADDRESS__)
// The ASan suite is CI's longest step (its instrumented build): LeakSanitizer
// fails on a single leaked object, so 100 cycles show a per-cycle leak as
// surely; 1 000 run in the optimised build. ASan's quarantine holds freed
// memory back, so resident memory is not bounded here.
constexpr int kCycles = 100;
constexpr int kWarmupCycles = 20;
#else
constexpr int kCycles = 1000;
constexpr int kWarmupCycles = 100;
#endif
constexpr std::uint64_t kPacketsPerCycle = 8;
constexpr std::size_t kPayloadBytes = 1200;
// A leak grows with the cycles; allocator and thread-pool noise does not.
// So each count is compared as its lowest over the first kWindow cycles after
// the warm-up against its lowest over the last kWindow: a transient (GStreamer's
// task pool keeps idle streaming threads for a while and starts a few more
// when a cycle overlaps their exit; seen at +3 between two cycles) cannot
// raise a minimum, while a leak of one file descriptor or thread every
// kWindow cycles raises it by at least 7. The thread minima still moved by
// up to 2 over 900 cycles (pooled: 4, then 6), so they may differ by
// kThreadSlack. Memory: allocator noise (arena
// trimming, fragmentation) measured at well under 1 MiB over 900 cycles; a
// leak of one 4 KiB buffer per cycle would add 3.5 MiB.
constexpr int kWindow = (kCycles - kWarmupCycles) / 8;
constexpr int kThreadSlack = 4;
constexpr long kRssSlackBytes = 2L << 20;

int CountEntries(const char* dir_path) {
  DIR* dir = opendir(dir_path);
  if (dir == nullptr) return -1;
  int n = 0;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  closedir(dir);
  return n - (std::string(dir_path) == "/proc/self/fd" ? 1 : 0);  // the directory's own fd
}

long ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * sysconf(_SC_PAGESIZE);
}

struct Usage {
  int fds = 0, threads = 0;
  long rss = 0;
};

Usage Measure() { return {CountEntries("/proc/self/fd"), CountEntries("/proc/self/task"), ResidentBytes()}; }

class LifecycleTest : public testing::TestWithParam<std::string> {
 protected:
  // One start/stop cycle with kPacketsPerCycle delivered; false (with a
  // failure) when the receive side could not start or lost packets.
  bool Cycle() {
    spec::ReceiveSideSpec config;
    config.receiver.strategy = *receivers::FindPreset(GetParam());
    // A small pool: a cycle warms the whole pool, and the test is about what
    // a cycle leaves behind, not about pool size.
    config.receiver.pool_size = 64;
    config.measurement.counters = {};
    ReceiveSide side(config);
    std::string error;
    if (!side.Start(&error)) {
      ADD_FAILURE() << "start: " << error;
      return false;
    }
    testing_support::LoopbackSender sender(side.port());
    for (std::uint64_t i = 0; i < kPacketsPerCycle; ++i) sender.Send(i, kPayloadBytes);
    const std::uint64_t deadline = metrics::MonotonicNs() + 2'000'000'000ull;
    while (side.Delivered() < kPacketsPerCycle && metrics::MonotonicNs() < deadline) {
      std::this_thread::sleep_for(std::chrono::microseconds(200));
    }
    const ReceiveReport report = side.Finish(2.0);
    const std::uint64_t delivered = report.is_null ? report.receiver.stats.packets : report.sink.delivered;
    if (delivered != kPacketsPerCycle || !report.error.empty()) {
      ADD_FAILURE() << "delivered " << delivered << " of " << kPacketsPerCycle << "; " << report.error;
      return false;
    }
    return true;
  }
};

// The lowest of each count over a stretch of cycles.
struct Lowest {
  int fds = INT32_MAX, threads = INT32_MAX;
  void Add(const Usage& u) {
    fds = std::min(fds, u.fds);
    threads = std::min(threads, u.threads);
  }
};

TEST_P(LifecycleTest, StartStopCyclesLeaveNothingBehind) {
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kWarmupCycles; ++i) ASSERT_TRUE(Cycle()) << "warm-up cycle " << i;
  const Usage warm = Measure();
  Lowest first, last;
  int highest_threads = warm.threads;
  for (int i = kWarmupCycles; i < kCycles; ++i) {
    ASSERT_TRUE(Cycle()) << "cycle " << i;
    const Usage now = Measure();
    if (i < kWarmupCycles + kWindow) first.Add(now);
    if (i >= kCycles - kWindow) last.Add(now);
    highest_threads = std::max(highest_threads, now.threads);
  }
  const Usage end = Measure();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf(
      "%s: %d cycles in %.1f s (%.1f ms each); after warm-up: fds %d, threads %d, RSS %.1f MiB; "
      "lowest over the first and the last %d cycles: fds %d and %d, threads %d and %d (highest %d); "
      "at the end: fds %d, threads %d, RSS %.1f MiB\n",
      GetParam().c_str(), kCycles, seconds, seconds * 1e3 / kCycles, warm.fds, warm.threads,
      static_cast<double>(warm.rss) / (1 << 20), kWindow, first.fds, last.fds, first.threads, last.threads,
      highest_threads, end.fds, end.threads, static_cast<double>(end.rss) / (1 << 20));
  EXPECT_LE(last.fds, first.fds) << "file descriptors grew";
  EXPECT_LE(last.threads, first.threads + kThreadSlack) << "threads grew";
#if !defined(__SANITIZE_ADDRESS__)
  EXPECT_LE(end.rss - warm.rss, kRssSlackBytes) << "resident memory grew";
#endif
}

INSTANTIATE_TEST_SUITE_P(EveryStrategy, LifecycleTest, testing::ValuesIn(receivers::PresetNames()),
                         rxbench::tests::StrategyTestName);

}  // namespace
}  // namespace rxbench::harness
