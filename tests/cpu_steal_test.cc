// Steal time, a covariate of the wall-clock tier: the /proc/stat parser on
// hand-made text (the machine's `cpu` line, not a single CPU's; unknown, not
// 0, where the field is missing), and that the census reads it on this host.
#include "platform/cpu_steal.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "platform/thread_census.h"

namespace rxbench::platform {
namespace {

TEST(CpuStealTest, TheEighthNumberOfTheMachinesCpuLine) {
  const char* stat =
      "cpu  3229007 0 529979 560072 23002 0 26023 38152 0 0\n"
      "cpu0 1614503 0 264989 280036 11501 0 13011 19076 0 0\n"
      "cpu1 1614504 0 264990 280036 11501 0 13012 19076 0 0\n"
      "intr 123456 0 0\n"
      "ctxt 987654\n";
  EXPECT_EQ(ParseProcStatStealTicks(stat), 38152u);
  // Bare metal: a real 0.
  EXPECT_EQ(ParseProcStatStealTicks("cpu  10 20 30 40 50 60 70 0 0 0\n"), 0u);
  // Not the first line either.
  EXPECT_EQ(ParseProcStatStealTicks("cpu0 1 2 3 4 5 6 7 99\ncpu  1 2 3 4 5 6 7 8\n"), 8u);
}

TEST(CpuStealTest, UnknownWithoutTheField) {
  EXPECT_FALSE(ParseProcStatStealTicks("cpu  10 20 30 40 50 60 70\n").has_value());  // before Linux 2.6.11
  EXPECT_FALSE(ParseProcStatStealTicks("cpu0 1 2 3 4 5 6 7 8\n").has_value());       // no machine line
  EXPECT_FALSE(ParseProcStatStealTicks("").has_value());
  EXPECT_FALSE(ParseProcStatStealTicks("cpu  1 2 3 x 5 6 7 8\n").has_value());
}

// Where this host's /proc/stat has the field, the census carries it in ns.
TEST(CpuStealTest, TheCensusReadsItInNs) {
  std::ifstream in("/proc/stat");
  std::stringstream text;
  text << in.rdbuf();
  const std::optional<std::uint64_t> before = ParseProcStatStealTicks(text.str());
  if (!before) GTEST_SKIP() << "no steal field in this host's /proc/stat";
  const ThreadCensus census = TakeThreadCensus();
  ASSERT_TRUE(census.machine_steal_ns.has_value());
  const std::uint64_t ns_per_tick = 1'000'000'000u / static_cast<std::uint64_t>(sysconf(_SC_CLK_TCK));
  EXPECT_GE(*census.machine_steal_ns / ns_per_tick, *before);  // it only grows
}

}  // namespace
}  // namespace rxbench::platform
