// Run-queue wait, a covariate of the wall-clock tier: the schedstat parser on
// hand-made text, and on real threads that it is what the harness's own
// sampling (the thread census at the window's bounds, and a thread's final
// sample) reads: two threads spinning on one CPU each wait while the other
// runs.
#include "platform/run_queue_wait.h"

#include <gtest/gtest.h>
#include <sched.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "metrics/thread_usage.h"
#include "platform/this_thread.h"
#include "platform/thread_census.h"
#include "tests/burn_cpu.h"

namespace rxbench::platform {
namespace {

TEST(RunQueueWaitTest, ParsesTheSecondFieldOfSchedstat) {
  EXPECT_EQ(ParseSchedstatRunQueueWait("547348 10775759 3\n"), 10775759u);
  EXPECT_EQ(ParseSchedstatRunQueueWait("98765432101 0 12"), 0u);  // ran, never waited: a real 0
  // The kernel's line when it keeps no schedstats: unknown, not 0.
  EXPECT_FALSE(ParseSchedstatRunQueueWait("0 0 0\n").has_value());
  EXPECT_FALSE(ParseSchedstatRunQueueWait("").has_value());
  EXPECT_FALSE(ParseSchedstatRunQueueWait("547348 10775759").has_value());  // cut short
  EXPECT_FALSE(ParseSchedstatRunQueueWait("garbage 1 2").has_value());
}

TEST(RunQueueWaitTest, UnknownForAThreadThatIsNotThere) { EXPECT_FALSE(RunQueueWaitNs(-1).has_value()); }

const ThreadSample* Find(const ThreadCensus& census, pid_t tid) {
  for (const ThreadSample& t : census.threads) {
    if (t.tid == tid) return &t;
  }
  return nullptr;
}

// Two threads that never sleep, pinned to one CPU: whenever one runs, the
// other is runnable on the same run queue. So over the window each waited
// about as long as the other ran, on a fast or a slow, idle or busy machine.
TEST(RunQueueWaitTest, TwoSpinnersOnOneCpuEachWaitWhileTheOtherRuns) {
  if (access("/proc/thread-self/schedstat", R_OK) != 0) GTEST_SKIP() << "this kernel keeps no schedstat";
  cpu_set_t allowed;
  ASSERT_EQ(sched_getaffinity(0, sizeof allowed, &allowed), 0);
  int cpu = 0;
  while (!CPU_ISSET(cpu, &allowed)) ++cpu;

  std::atomic<int> ready{0};
  std::atomic<bool> stop{false};
  std::atomic<pid_t> tids[2] = {0, 0};
  metrics::ThreadUsage used[2];
  std::thread spinners[2];
  for (int i = 0; i < 2; ++i) {
    spinners[i] = std::thread([&, i] {
      EXPECT_EQ(PinThread(0, cpu), "");
      tids[i] = CurrentTid();
      const metrics::ThreadUsage before = metrics::SampleCallingThread();
      ++ready;
      while (!stop) rxbench::testing::BurnCpu(1'000'000);
      used[i] = metrics::SampleCallingThread() - before;
    });
  }
  for (int i = 0; i < 6000 && ready < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ASSERT_EQ(ready, 2);
  const ThreadCensus start = TakeThreadCensus();
  // Until each has run 100 ms (about 200 ms on one idle CPU), however long a
  // loaded machine takes to give them that (a minute at most, for a broken run).
  auto ran_enough = [&] {
    for (const std::atomic<pid_t>& tid : tids) {
      const std::optional<std::uint64_t> now = ThreadCpuNs(tid);
      const ThreadSample* then = Find(start, tid);
      if (!now || then == nullptr || *now - then->cpu_ns < 100'000'000) return false;
    }
    return true;
  };
  for (int i = 0; i < 6000 && !ran_enough(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  const ThreadCensus end = TakeThreadCensus();
  stop = true;
  for (std::thread& t : spinners) t.join();

  std::uint64_t ran_ns[2], waited_ns[2];
  for (int i = 0; i < 2; ++i) {
    const ThreadSample* s = Find(start, tids[i]);
    const ThreadSample* e = Find(end, tids[i]);
    ASSERT_TRUE(s != nullptr && e != nullptr);
    ASSERT_TRUE(s->run_queue_wait_ns.has_value() && e->run_queue_wait_ns.has_value()) << "spinner " << i;
    ran_ns[i] = e->cpu_ns - s->cpu_ns;
    waited_ns[i] = *e->run_queue_wait_ns - *s->run_queue_wait_ns;
    ASSERT_GE(ran_ns[i], 100'000'000u) << "spinner " << i << " barely ran";
  }
  for (int i = 0; i < 2; ++i) {
    // The kernel adds a wait when it ends (the thread gets the CPU back), so
    // one slice at either bound can be missing: half is far below the truth.
    EXPECT_GT(waited_ns[i], ran_ns[1 - i] / 2)
        << "spinner " << i << " waited " << waited_ns[i] << " ns while the other ran " << ran_ns[1 - i] << " ns";
    // A thread's own sample (what the generator leaves as it exits) reads it too.
    ASSERT_TRUE(used[i].run_queue_wait_ns.has_value()) << "spinner " << i;
    EXPECT_GE(*used[i].run_queue_wait_ns, waited_ns[i] / 2) << "spinner " << i;
  }
}

}  // namespace
}  // namespace rxbench::platform
