// Who spent the CPU of a measurement window, per packet: pure arithmetic over
// two thread censuses taken at the window's bounds, so it is tested on
// hand-made numbers.
//
// Every thread alive at either bound is attributed: a thread born inside the
// window counts from zero; a thread that exited inside it counts up to the
// final sample it left (threads the harness owns, such as the generator, leave
// one), otherwise its CPU is only in the process total. What no thread
// accounts for is `unattributed` = process - sum of threads: exited threads
// that left no sample, and the few microseconds between reading the first and
// the last clock of a census.
//
// Run-queue wait and steal time are covariates of the wall-clock tier
// (docs/metrics.md), unknown (nullopt) where the kernel does not say: a sum
// with a thread whose wait is unknown is unknown, never a smaller number.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/thread_roles.h"
#include "platform/thread_census.h"

namespace rxbench::harness {

// The user/kernel split of a thread's time is known only from the kernel's
// tick sampling (/proc .../stat: which mode each 10 ms tick found the thread
// in); cpu_ns itself is exact. A split is reported when the ticks behind it
// cover at least this much time, and then as the exact cpu_ns divided in the
// ticks' proportion; below it, it would be noise, and is left out.
inline constexpr std::uint64_t kMinSampledSplitNs = 100'000'000;

// One thread's (or several of one name's) share, per packet.
struct ThreadCpu {
  ThreadRole role = ThreadRole::kOther;
  double cpu_ns_per_packet = 0;
  std::optional<double> user_ns_per_packet;  // see kMinSampledSplitNs
  std::optional<double> sys_ns_per_packet;
  double voluntary_switches_per_packet = 0;
  double involuntary_switches_per_packet = 0;
  std::optional<double> run_queue_wait_ns_per_packet;  // waited runnable for a CPU
};

struct CpuAttribution {
  std::map<std::string, ThreadCpu> threads;  // by reported name; threads of one name summed
  // Sums by role, per receive-side packet (generator: per packet sent).
  // pipeline: every pipeline thread, the decoder's included; decoder: its
  // thread(s) alone (zero without a decoder).
  ThreadCpu receiver, pipeline, generator, decoder;
  double receive_path_ns_per_packet = 0;  // receiver + pipeline
  // The receiver's part of the receive path (receiver / (receiver +
  // pipeline)): with a decoding pipeline, how much the receive strategy
  // matters next to depayloading and decoding. Unknown when nothing was spent.
  std::optional<double> receive_share;
  double process_ns_per_packet = 0;                                 // every thread of the process
  double unattributed_ns_per_packet = 0;                            // process - every listed thread
  std::optional<double> run_queue_wait_ns_per_packet_receive_side;  // receiver + pipeline
  // The machine's steal time over the window (every CPU's, summed), and per
  // receive-side packet.
  std::optional<std::uint64_t> machine_steal_ns;
  std::optional<double> machine_steal_ns_per_packet;
};

struct CpuWindow {
  platform::ThreadCensus start, end;
  // Final samples of threads that exited before `end` (by tid).
  std::map<pid_t, platform::ThreadSample> exited;
  std::uint64_t packets = 0;            // receive-side packets in the window
  std::uint64_t generator_packets = 0;  // packets sent in the window
};

using IdentifyThread = std::function<ThreadIdentity(pid_t tid, const std::string& comm)>;

CpuAttribution AttributeCpu(const CpuWindow& window, const IdentifyThread& identify);

}  // namespace rxbench::harness
