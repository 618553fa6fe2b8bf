// How long a thread waited on a run queue: runnable, but another thread had
// its CPU. A covariate of the wall-clock tier (docs/metrics.md): a repetition
// whose receive-side threads queued more behind a neighbour's work is slower
// for a reason that is not the code under test, and the gate's analysis
// adjusts each repetition's paired ratio for it.
//
// The kernel keeps it per thread in /proc/<pid>/task/<tid>/schedstat, in ns
// (sched_info's run_delay). It is unknown (nullopt, never 0) where the kernel
// keeps no such statistics: the file is missing (no CONFIG_SCHED_INFO) or
// reads "0 0 0" (the kernel's line when sched_info is off; a thread that
// exists has run, so a real line never has a runtime of 0).
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string_view>

namespace rxbench::platform {

// The second field of a schedstat line: ns spent waiting on a run queue.
std::optional<std::uint64_t> ParseSchedstatRunQueueWait(std::string_view text);

// Thread `tid` of this process (0: the calling thread), now.
std::optional<std::uint64_t> RunQueueWaitNs(pid_t tid);

}  // namespace rxbench::platform
