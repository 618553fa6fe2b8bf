// Every thread of this process, sampled at one instant.
//
// A receive path is more threads than the ones it starts: appsrc's task, a
// queue's, rtpjitterbuffer's timer thread, a decoder's workers, io_uring's
// kernel workers. Attributing CPU only to threads that announce themselves
// misses the rest, so the harness takes a census of /proc/self/task at the
// two instants that bound its measurement window and attributes every
// thread's difference.
//
// cpu_ns is the scheduler's own runtime of the thread (its per-thread CPU
// clock, read with clock_gettime from outside the thread, exact to the ns).
// user_ns/sys_ns come from /proc/<tid>/stat, which the kernel keeps in clock
// ticks (10 ms): use them for proportions, cpu_ns for cost. The clocks of all
// threads and the process clock are read first and back to back, the slower
// /proc files afterwards, so the samples describe as nearly one instant as
// the kernel allows.
//
// Two covariates of the wall-clock tier ride along (docs/metrics.md), read in
// the same pass so that they bound the same window: each thread's run-queue
// wait (platform/run_queue_wait.h) and the machine's steal time
// (platform/cpu_steal.h). Either is nullopt where the kernel does not say.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rxbench::platform {

struct ThreadSample {
  pid_t tid = 0;
  std::string comm;  // the thread's name (15 characters at most)
  std::uint64_t cpu_ns = 0;
  std::uint64_t user_ns = 0;
  std::uint64_t sys_ns = 0;
  std::uint64_t voluntary_switches = 0;
  std::uint64_t involuntary_switches = 0;
  std::optional<std::uint64_t> run_queue_wait_ns;
};

struct ThreadCensus {
  std::uint64_t monotonic_ns = 0;                 // when it was taken
  std::uint64_t process_cpu_ns = 0;               // every thread, exited ones included
  std::vector<ThreadSample> threads;              // threads alive at the instant, by tid
  std::optional<std::uint64_t> machine_steal_ns;  // since boot, every CPU of the machine
};

// This process, now. Threads that exit while it is taken are left out.
ThreadCensus TakeThreadCensus();

// The ids of this process's threads, now, in order (no clocks, no /proc files
// per thread: for who exists, not what it used).
std::vector<pid_t> ListThreads();

// The CPU time of one thread of this process; nullopt once it has exited.
std::optional<std::uint64_t> ThreadCpuNs(pid_t tid);

// Parsers of /proc/<pid>/task/<tid>/stat and .../status, on their text.
struct StatFields {
  std::string comm;
  std::uint64_t utime_ticks = 0;
  std::uint64_t stime_ticks = 0;
};
std::optional<StatFields> ParseTaskStat(std::string_view text);
struct SwitchCounts {
  std::uint64_t voluntary = 0;
  std::uint64_t involuntary = 0;
};
SwitchCounts ParseTaskStatus(std::string_view text);

}  // namespace rxbench::platform
