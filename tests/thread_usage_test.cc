#include "metrics/thread_usage.h"

#include <gtest/gtest.h>
#include <time.h>

#include <cstdint>
#include <optional>
#include <thread>

#include "tests/burn_cpu.h"

namespace rxbench::metrics {
namespace {

constexpr std::uint64_t kMs = 1000000;

using rxbench::testing::BurnCpu;
using rxbench::testing::RawThreadCpuNs;

TEST(ThreadUsageTest, BurningCpuShowsAsUserTime) {
  const ThreadUsage before = SampleCallingThread();
  const ThreadUsage process_before = SampleProcess();
  const std::uint64_t wall_before = MonotonicNs();
  BurnCpu(50 * kMs);
  const std::uint64_t wall = MonotonicNs() - wall_before;
  const ThreadUsage used = SampleCallingThread() - before;
  const ThreadUsage process_used = SampleProcess() - process_before;

  EXPECT_GE(used.cpu_ns, 40 * kMs);
  EXPECT_LE(used.cpu_ns, wall + 1 * kMs) << "one thread cannot use more CPU than wall time";
  // getrusage's split comes from tick sampling: allow a few ticks of slack.
  EXPECT_GE(used.user_ns, 30 * kMs);
  EXPECT_GE(used.user_ns + used.sys_ns, 40 * kMs);
  EXPECT_LE(used.user_ns + used.sys_ns, used.cpu_ns + 20 * kMs);
  // The two samples are taken a few us apart, hence the slack.
  EXPECT_GE(process_used.cpu_ns + 1 * kMs, used.cpu_ns);
}

TEST(ThreadUsageTest, SleepingThreadUsesNoCpuAndSwitchesVoluntarily) {
  ThreadUsage sleeper;
  std::thread thread([&sleeper] {
    const ThreadUsage before = SampleCallingThread();
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    sleeper = SampleCallingThread() - before;
  });
  thread.join();
  EXPECT_LT(sleeper.cpu_ns, 10 * kMs);
  EXPECT_GE(sleeper.voluntary_switches, 1u);
}

TEST(ThreadUsageTest, ThreadSampleExcludesOtherThreads) {
  // Another thread burns 50 ms of CPU while this one sleeps: the process
  // sample sees it, this thread's sample does not.
  const ThreadUsage before = SampleCallingThread();
  const ThreadUsage process_before = SampleProcess();
  std::thread burner([] { BurnCpu(50 * kMs); });
  burner.join();  // blocks: this thread sleeps
  const ThreadUsage mine = SampleCallingThread() - before;
  const ThreadUsage process = SampleProcess() - process_before;
  EXPECT_LT(mine.cpu_ns, 10 * kMs);
  EXPECT_GE(process.cpu_ns, 50 * kMs);  // includes the exited thread
}

TEST(ThreadUsageTest, DifferenceAndSum) {
  const ThreadUsage a{100, 60, 40, 7, 3, 20};
  const ThreadUsage b{250, 150, 100, 10, 5, 45};
  const ThreadUsage d = b - a;
  EXPECT_EQ(d.cpu_ns, 150u);
  EXPECT_EQ(d.user_ns, 90u);
  EXPECT_EQ(d.sys_ns, 60u);
  EXPECT_EQ(d.voluntary_switches, 3u);
  EXPECT_EQ(d.involuntary_switches, 2u);
  EXPECT_EQ(d.run_queue_wait_ns, 25u);

  ThreadUsage total = a;
  total += d;
  EXPECT_EQ(total.cpu_ns, b.cpu_ns);
  EXPECT_EQ(total.user_ns, b.user_ns);
  EXPECT_EQ(total.sys_ns, b.sys_ns);
  EXPECT_EQ(total.voluntary_switches, b.voluntary_switches);
  EXPECT_EQ(total.involuntary_switches, b.involuntary_switches);
  EXPECT_EQ(total.run_queue_wait_ns, b.run_queue_wait_ns);
}

// A run-queue wait unknown on either side (no schedstats) stays unknown.
TEST(ThreadUsageTest, UnknownRunQueueWaitStaysUnknown) {
  const ThreadUsage known{100, 60, 40, 7, 3, 20};
  const ThreadUsage unknown{250, 150, 100, 10, 5, std::nullopt};
  EXPECT_FALSE((unknown - known).run_queue_wait_ns.has_value());
  EXPECT_FALSE((known - unknown).run_queue_wait_ns.has_value());
  ThreadUsage total = known;
  total += unknown;
  EXPECT_FALSE(total.run_queue_wait_ns.has_value());
}

TEST(ThreadUsageTest, Clocks) {
  const std::uint64_t m0 = MonotonicNs();
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  const std::uint64_t m1 = MonotonicNs();
  EXPECT_GE(m1 - m0, 5 * kMs);
  // After 2020-01-01 and before 2100: a plausible wall clock, in ns.
  EXPECT_GT(RealtimeNs(), 1577836800ull * 1000000000ull);
  EXPECT_LT(RealtimeNs(), 4102444800ull * 1000000000ull);
}

}  // namespace
}  // namespace rxbench::metrics
