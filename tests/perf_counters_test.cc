#include "metrics/perf_counters.h"

#include <gtest/gtest.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <string>
#include <vector>

#include "tests/burn_cpu.h"

namespace rxbench::metrics {
namespace {

bool Contains(const std::vector<std::string>& names, const std::string& name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// Every requested name is either available or explained, never both, never
// neither; and Read() has keys exactly for the available ones.
void ExpectAccountedFor(const PerfCounters& counters, const std::vector<std::string>& requested) {
  for (const std::string& name : requested) {
    const bool available = Contains(counters.available(), name);
    const auto reason = counters.unavailable().find(name);
    const bool unavailable = reason != counters.unavailable().end();
    EXPECT_NE(available, unavailable) << name << " must be in exactly one of available/unavailable";
    if (unavailable) {
      EXPECT_FALSE(reason->second.empty()) << name;
    }
  }
  for (const auto& [name, reason] : counters.unavailable()) {
    EXPECT_FALSE(Contains(counters.available(), name)) << name;
  }
  const auto values = counters.Read();
  EXPECT_EQ(values.size(), counters.available().size());
  for (const std::string& name : counters.available()) EXPECT_EQ(values.count(name), 1u) << name;
  for (const auto& [name, reason] : counters.unavailable()) EXPECT_EQ(values.count(name), 0u) << name;
}

// Skips the calling test when perf_event_open is unusable altogether (seccomp,
// a kernel without perf events, or paranoia that forbids even software events).
#define SKIP_IF_NO_PERF_EVENTS()                                    \
  do {                                                              \
    const PerfCounters probe = PerfCounters::Open({"task-clock"});  \
    if (!probe.IsValid()) {                                         \
      GTEST_SKIP() << "perf events unusable: " << probe.Describe(); \
    }                                                               \
  } while (0)

using rxbench::testing::BurnCpu;

TEST(PerfCountersTest, HardwareCountersAreCountedOrExplained) {
  const std::vector<std::string> requested = {"cycles", "instructions", "task-clock"};
  PerfCounters counters = PerfCounters::Open(requested);
  ExpectAccountedFor(counters, requested);
  std::cout << counters.Describe() << "\n";

  counters.Start();
  BurnCpu(5000000);
  counters.Stop();
  const auto values = counters.Read();
  if (Contains(counters.available(), "cycles")) {
    EXPECT_GT(values.at("cycles"), 0.0);
  } else {
    EXPECT_EQ(values.count("cycles"), 0u);
    EXPECT_FALSE(counters.unavailable().at("cycles").empty());
    EXPECT_NE(counters.Describe().find("cycles"), std::string::npos) << counters.Describe();
  }
}

TEST(PerfCountersTest, UnknownEventIsExplained) {
  const std::vector<std::string> requested = {"no-such-event", "task-clock"};
  const PerfCounters counters = PerfCounters::Open(requested);
  ExpectAccountedFor(counters, requested);
  ASSERT_EQ(counters.unavailable().count("no-such-event"), 1u);
  EXPECT_NE(counters.unavailable().at("no-such-event").find("unknown event"), std::string::npos)
      << counters.unavailable().at("no-such-event");
}

TEST(PerfCountersTest, FallbackProvidesSoftwareEvents) {
  SKIP_IF_NO_PERF_EVENTS();
  const std::vector<std::string> requested = {"cycles", "instructions"};
  const PerfCounters counters = PerfCounters::OpenWithFallback(requested);
  ExpectAccountedFor(counters, requested);
  std::cout << counters.Describe() << "\n";
  const bool any_hardware = Contains(counters.available(), "cycles") || Contains(counters.available(), "instructions");
  EXPECT_EQ(counters.fallback_used(), !any_hardware);
  if (!any_hardware) {
    // This VM: no PMU, so the software events stand in, and say so. Each is
    // available or explained (context-switches and cpu-migrations need
    // kernel counting); task-clock and page-faults work either way.
    ExpectAccountedFor(counters, PerfCounters::DefaultSoftwareFallback());
    EXPECT_TRUE(Contains(counters.available(), "task-clock")) << counters.Describe();
    EXPECT_TRUE(Contains(counters.available(), "page-faults")) << counters.Describe();
    EXPECT_NE(counters.Describe().find("fallback"), std::string::npos);
  }
  EXPECT_TRUE(counters.IsValid());
}

TEST(PerfCountersTest, NoFallbackWhenOnlySoftwareRequested) {
  SKIP_IF_NO_PERF_EVENTS();
  const PerfCounters counters = PerfCounters::OpenWithFallback({"page-faults"});
  EXPECT_FALSE(counters.fallback_used());
  EXPECT_EQ(counters.available(), std::vector<std::string>{"page-faults"});
}

TEST(PerfCountersTest, TaskClockMeasuresBusyWork) {
  SKIP_IF_NO_PERF_EVENTS();
  PerfCounters counters = PerfCounters::Open({"task-clock"});
  counters.Start();
  BurnCpu(20000000);  // 20 ms of this thread's CPU
  counters.Stop();
  const double task_clock_ns = counters.Read().at("task-clock");
  EXPECT_GE(task_clock_ns, 10e6);
  EXPECT_LE(task_clock_ns, 200e6);

  // Stopped counters do not move; Start() zeroes them.
  BurnCpu(5000000);
  EXPECT_EQ(counters.Read().at("task-clock"), task_clock_ns);
  counters.Start();
  counters.Stop();
  EXPECT_LT(counters.Read().at("task-clock"), 1e6);
}

TEST(PerfCountersTest, ContextSwitchesCountSleeps) {
  SKIP_IF_NO_PERF_EVENTS();
  PerfCounters counters = PerfCounters::Open({"context-switches", "task-clock"});
  if (!Contains(counters.available(), "context-switches")) {
    // Context switches happen in the kernel; where kernel counting is denied
    // (perf_event_paranoid >= 2 without CAP_PERFMON, e.g. Bazel's sandbox)
    // the counter must be reported unavailable, not as a silent 0.
    ASSERT_EQ(counters.unavailable().count("context-switches"), 1u);
    GTEST_SKIP() << "context-switches: " << counters.unavailable().at("context-switches");
  }
  counters.Start();
  for (int i = 0; i < 5; ++i) usleep(2000);
  counters.Stop();
  EXPECT_GE(counters.Read().at("context-switches"), 5.0);
}

TEST(PerfCountersTest, DuplicateNamesOpenOnce) {
  SKIP_IF_NO_PERF_EVENTS();
  const PerfCounters counters = PerfCounters::Open({"task-clock", "task-clock"});
  EXPECT_EQ(counters.available(), std::vector<std::string>{"task-clock"});
}

TEST(PerfCountersTest, NoCountersAndMove) {
  PerfCounters none;
  EXPECT_FALSE(none.IsValid());
  EXPECT_TRUE(none.Read().empty());
  none.Start();  // harmless without counters
  none.Stop();
  EXPECT_EQ(none.Describe(), "counters: none");

  SKIP_IF_NO_PERF_EVENTS();
  PerfCounters a = PerfCounters::Open({"task-clock"});
  PerfCounters b = std::move(a);
  EXPECT_TRUE(b.IsValid());
  b.Start();
  BurnCpu(1000000);
  b.Stop();
  EXPECT_GT(b.Read().at("task-clock"), 0.0);
  none = std::move(b);
  EXPECT_TRUE(none.IsValid());
  EXPECT_GT(none.Read().at("task-clock"), 0.0);
}

}  // namespace
}  // namespace rxbench::metrics
