#include "metrics/thread_usage.h"

#include <sys/resource.h>

#include "platform/run_queue_wait.h"

namespace rxbench::metrics {
namespace {

std::uint64_t ToNs(const timespec& ts) {
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

std::uint64_t ToNs(const timeval& tv) {
  return static_cast<std::uint64_t>(tv.tv_sec) * 1000000000u + static_cast<std::uint64_t>(tv.tv_usec) * 1000u;
}

// clock_gettime and getrusage cannot fail for these arguments on Linux
// (>= 2.6.26 for RUSAGE_THREAD); should they, the fields stay 0 rather than
// holding garbage.
ThreadUsage Sample(clockid_t clock, int who) {
  ThreadUsage usage;
  timespec ts;
  if (clock_gettime(clock, &ts) == 0) usage.cpu_ns = ToNs(ts);
  rusage ru;
  if (getrusage(who, &ru) == 0) {
    usage.user_ns = ToNs(ru.ru_utime);
    usage.sys_ns = ToNs(ru.ru_stime);
    usage.voluntary_switches = static_cast<std::uint64_t>(ru.ru_nvcsw);
    usage.involuntary_switches = static_cast<std::uint64_t>(ru.ru_nivcsw);
  }
  return usage;
}

std::optional<std::uint64_t> BothKnown(const std::optional<std::uint64_t>& a, const std::optional<std::uint64_t>& b,
                                       std::uint64_t (*combine)(std::uint64_t, std::uint64_t)) {
  if (!a || !b) return std::nullopt;
  return combine(*a, *b);
}

}  // namespace

ThreadUsage& ThreadUsage::operator+=(const ThreadUsage& other) {
  cpu_ns += other.cpu_ns;
  user_ns += other.user_ns;
  sys_ns += other.sys_ns;
  voluntary_switches += other.voluntary_switches;
  involuntary_switches += other.involuntary_switches;
  run_queue_wait_ns =
      BothKnown(run_queue_wait_ns, other.run_queue_wait_ns, [](std::uint64_t a, std::uint64_t b) { return a + b; });
  return *this;
}

ThreadUsage operator-(const ThreadUsage& end, const ThreadUsage& start) {
  ThreadUsage d;
  d.cpu_ns = end.cpu_ns - start.cpu_ns;
  d.user_ns = end.user_ns - start.user_ns;
  d.sys_ns = end.sys_ns - start.sys_ns;
  d.voluntary_switches = end.voluntary_switches - start.voluntary_switches;
  d.involuntary_switches = end.involuntary_switches - start.involuntary_switches;
  d.run_queue_wait_ns =
      BothKnown(end.run_queue_wait_ns, start.run_queue_wait_ns, [](std::uint64_t a, std::uint64_t b) { return a - b; });
  return d;
}

ThreadUsage SampleCallingThread() {
  ThreadUsage usage = Sample(CLOCK_THREAD_CPUTIME_ID, RUSAGE_THREAD);
  usage.run_queue_wait_ns = platform::RunQueueWaitNs(0);
  return usage;
}

ThreadUsage SampleProcess() { return Sample(CLOCK_PROCESS_CPUTIME_ID, RUSAGE_SELF); }

std::uint64_t RealtimeNs() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return ToNs(ts);
}

}  // namespace rxbench::metrics
