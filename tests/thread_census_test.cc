// The thread census: its parsers on hand-made /proc text, and on this very
// process that every thread's CPU time adds up to the process's own clock
// between two censuses (the check the harness's attribution stands on).
#include "platform/thread_census.h"

#include <gtest/gtest.h>
#include <sys/prctl.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <thread>
#include <vector>

#include "tests/burn_cpu.h"

namespace rxbench::platform {
namespace {

TEST(ThreadCensusTest, ParsesStatWithAwkwardNames) {
  // comm may hold spaces and parentheses: it runs to the last ')'.
  const std::string stat = "4242 (queue0:src (x) y) S 4200 4200 1 0 -1 4194560 63 0 0 0 1234 567 0 0 20 0 9 0 1763 0 0";
  const auto fields = ParseTaskStat(stat);
  ASSERT_TRUE(fields.has_value());
  EXPECT_EQ(fields->comm, "queue0:src (x) y");
  EXPECT_EQ(fields->utime_ticks, 1234u);
  EXPECT_EQ(fields->stime_ticks, 567u);
  EXPECT_FALSE(ParseTaskStat("garbage").has_value());
  EXPECT_FALSE(ParseTaskStat("1 (x) S 2 3").has_value());  // cut short before utime
}

TEST(ThreadCensusTest, ParsesSwitchCounts) {
  const SwitchCounts c = ParseTaskStatus(
      "Name:\trxrecv\nState:\tS (sleeping)\nvoluntary_ctxt_switches:\t812\nnonvoluntary_ctxt_switches:\t9\n");
  EXPECT_EQ(c.voluntary, 812u);
  EXPECT_EQ(c.involuntary, 9u);
}

TEST(ThreadCensusTest, FindsEveryThreadByName) {
  std::atomic<bool> stop{false};
  std::thread worker([&] {
    prctl(PR_SET_NAME, "census-worker");
    while (!stop) std::this_thread::yield();
  });
  bool found = false;
  for (int i = 0; i < 100 && !found; ++i) {
    for (const ThreadSample& t : TakeThreadCensus().threads) found |= t.comm == "census-worker";
    if (!found) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  stop = true;
  worker.join();
  EXPECT_TRUE(found);
}

// Three threads burn CPU between two censuses; nothing exits in between, so
// the per-thread clocks must add up to the process clock, up to the moment it
// takes to read them all.
TEST(ThreadCensusTest, ThreadsAddUpToTheProcess) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> burners;
  for (int i = 0; i < 3; ++i) {
    burners.emplace_back([&] {
      while (!stop) rxbench::testing::BurnCpu(1'000'000);
    });
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const ThreadCensus start = TakeThreadCensus();
  // Until the burners have used 200 ms of CPU, however long a loaded machine
  // takes to give it to them (a minute at most, for a broken run).
  for (int i = 0; i < 6000 && TakeThreadCensus().process_cpu_ns - start.process_cpu_ns < 200'000'000; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const ThreadCensus end = TakeThreadCensus();
  stop = true;
  for (std::thread& t : burners) t.join();

  std::uint64_t threads_ns = 0;
  for (const ThreadSample& e : end.threads) {
    for (const ThreadSample& s : start.threads) {
      if (s.tid == e.tid) threads_ns += e.cpu_ns - s.cpu_ns;
    }
  }
  const std::uint64_t process_ns = end.process_cpu_ns - start.process_cpu_ns;
  ASSERT_GT(process_ns, 100'000'000u) << "the burners barely ran";
  const double gap = std::abs(static_cast<double>(process_ns) - static_cast<double>(threads_ns));
  EXPECT_LT(gap, 0.01 * static_cast<double>(process_ns))
      << "process " << process_ns << " ns, threads " << threads_ns << " ns";
  EXPECT_GT(end.monotonic_ns, start.monotonic_ns);
}

}  // namespace
}  // namespace rxbench::platform
