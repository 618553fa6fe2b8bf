// perf_event counters (cycles, instructions, cache misses, context switches...)
// of the calling thread, for a per-packet cost breakdown of a receive strategy.
//
// Counters are a platform capability that is often missing: VMs and containers
// usually have no hardware PMU, perf_event_paranoid may forbid kernel-mode
// counting, seccomp may forbid perf_event_open altogether. A benchmark that
// printed 0 cycles in those cases would be lying, so this class reports what
// it could open (available()) and, for everything else, why not
// (unavailable()); Read() never contains a key for a counter it could not
// read. Every requested name ends up in exactly one of the two.
//
// Names are the ones `perf stat -e` accepts (cycles, instructions,
// cache-misses, branch-misses, task-clock, context-switches, cpu-migrations,
// page-faults, ...); libpfm4 translates them into perf_event_attr encodings,
// including PMU-specific events on machines that have them.
//
// Hardware events are opened as one group: the kernel schedules a group onto
// the PMU all at once, so ratios such as instructions per cycle describe the
// same instants, and one read() returns all of them with the time the group
// was enabled and actually running. When the PMU has fewer counters than
// requested events, the kernel multiplexes and the values are scaled by
// enabled/running (an estimate, as `perf stat` does). Software events form a
// second group: they are always schedulable and should not share the
// hardware group's fate.
//
// Counting covers kernel and user mode. If perf_event_paranoid forbids kernel
// counting (as it does for root inside Bazel's sandbox), an event is reopened
// user-only and listed in user_only() so a report can say so. The scheduler
// events (context-switches, cpu-migrations) only ever happen in kernel mode,
// so they go to unavailable() instead of reading a permanent, silent 0.
//
// One thread is counted: the one that called Open(), or the thread `tid` of
// this process named there (threads it creates later are not: no inherit).
// Start(), Stop() and Read() may be called from any thread, e.g. by a harness
// that counts its receiver over a window of its own choosing. Not thread-safe;
// Read() may be called while counting.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace rxbench::metrics {

class PerfCounters {
 public:
  // Opens `names` on thread `tid` (0: the calling thread), disabled. Never
  // fails: what could not be opened is in unavailable().
  static PerfCounters Open(const std::vector<std::string>& names, pid_t tid = 0);

  // Like Open(), but if none of the requested hardware counters (or nothing
  // at all) could be opened, also opens DefaultSoftwareFallback() events that
  // are not requested already, so a run always reports something real.
  static PerfCounters OpenWithFallback(const std::vector<std::string>& names, pid_t tid = 0);
  static std::vector<std::string> DefaultSoftwareFallback();

  // No counters at all.
  PerfCounters() = default;
  ~PerfCounters();
  PerfCounters(PerfCounters&& other) noexcept;
  PerfCounters& operator=(PerfCounters&& other) noexcept;
  PerfCounters(const PerfCounters&) = delete;
  PerfCounters& operator=(const PerfCounters&) = delete;

  bool IsValid() const { return !available_.empty(); }
  // Opened counters, in the requested order (fallback events last).
  const std::vector<std::string>& available() const { return available_; }
  // Name -> why it could not be opened, e.g.
  // "no hardware PMU (perf_event_open: ENOENT)".
  const std::map<std::string, std::string>& unavailable() const { return unavailable_; }
  // Available counters that count user mode only (kernel counting denied).
  const std::vector<std::string>& user_only() const { return user_only_; }
  // True when OpenWithFallback() added the software fallback events.
  bool fallback_used() const { return fallback_used_; }

  // Zero and start all counters / stop them. Counts accumulate only between
  // Start() and Stop().
  void Start();
  void Stop();

  // Counts since the last Start(), scaled for multiplexing. Only counters
  // whose value is known appear: a group the kernel never got onto the PMU
  // (enabled but zero running time) is left out rather than reported as 0.
  // task-clock is in ns; the others are event counts.
  std::map<std::string, double> Read() const;

  // One console line, e.g.
  // "counters: task-clock, context-switches (unavailable: cycles: no hardware
  // PMU (perf_event_open: ENOENT))".
  std::string Describe() const;

 private:
  // Events that are read together with one read() on the leader's fd.
  struct Group {
    int leader_fd = -1;
    std::vector<int> fds;            // leader first, in read order
    std::vector<std::string> names;  // same order as fds
  };

  // Encodes and opens one event, joining the hardware or software group.
  void Add(const std::string& name);
  bool Has(const std::string& name) const;
  void Close();

  Group hardware_;
  Group software_;
  std::vector<std::string> available_;
  std::map<std::string, std::string> unavailable_;
  std::vector<std::string> user_only_;
  bool fallback_used_ = false;
  bool hardware_requested_ = false;  // a requested name encoded to a non-software event
  pid_t tid_ = 0;                    // the counted thread (0: the one that opened them)
};

}  // namespace rxbench::metrics
