// CPU cost of a thread or of the whole process, sampled before and after a run.
//
// Receive strategies are compared on packets per CPU-second, not only on
// throughput: a busy-polling receiver can win on latency while burning a whole
// core. A run samples its receive thread (and the process) at start and end;
// the difference is what the run cost. Context switches tell blocking
// receivers (voluntary: waited for data) from starved ones (involuntary:
// preempted).
//
// Sources, and why two clocks: cpu_ns comes from CLOCK_*_CPUTIME_ID, which the
// scheduler keeps in ns. getrusage() splits that time into user and sys, but
// the split is derived from tick sampling, so user_ns + sys_ns tracks cpu_ns
// only to within a few ms. Use cpu_ns for cost, user/sys for the proportion.
//
// run_queue_wait_ns (platform/run_queue_wait.h) is known for a thread only,
// and only where the kernel keeps schedstats; a sum or difference with an
// unknown side is unknown.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>

namespace rxbench::metrics {

struct ThreadUsage {
  std::uint64_t cpu_ns = 0;
  std::uint64_t user_ns = 0;
  std::uint64_t sys_ns = 0;
  std::uint64_t voluntary_switches = 0;
  std::uint64_t involuntary_switches = 0;
  std::optional<std::uint64_t> run_queue_wait_ns;

  ThreadUsage& operator+=(const ThreadUsage& other);
};

// end - start, field by field. start must be the earlier sample of the same
// thread (or process): the counters only grow, so the result is what happened
// in between.
ThreadUsage operator-(const ThreadUsage& end, const ThreadUsage& start);

// The thread that calls it (CLOCK_THREAD_CPUTIME_ID + RUSAGE_THREAD, and
// its schedstat).
ThreadUsage SampleCallingThread();
// All threads of the process, including ones that have exited
// (CLOCK_PROCESS_CPUTIME_ID + RUSAGE_SELF; no run-queue wait).
ThreadUsage SampleProcess();

// CLOCK_MONOTONIC in ns: the clock every rxbench timestamp is taken on, so
// sender and receiver times on one host can be subtracted.
inline std::uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// CPU time of the calling thread in ns (CLOCK_THREAD_CPUTIME_ID: a system
// call, unlike MonotonicNs; for sampled timings).
inline std::uint64_t ThreadCpuNs() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000u + static_cast<std::uint64_t>(ts.tv_nsec);
}

// CLOCK_REALTIME in ns since the epoch: for labelling results, never for
// measuring intervals (it jumps when NTP steps the clock).
std::uint64_t RealtimeNs();

}  // namespace rxbench::metrics
