// Hardware/software event counters for the microbenchmarks, reported per item
// (`--counters=cycles,instructions,...`, see main.cc).
//
// Google Benchmark's own --benchmark_perf_counters needs a libbenchmark built
// with libpfm, which Debian's 1.7.1 is not, so the counting is done here with
// rxbench's metrics::PerfCounters (libpfm4 names, the ones `perf stat -e`
// accepts). Only what was asked for is opened (PerfCounters::Open, no software
// fallback), and a counter that could not be opened or read is never reported:
// no silent zeros. main() prints PerfCounters::Describe() once to stderr, so
// the run says which counters are read and why the others are not (on a VM
// without a PMU: "cycles: no hardware PMU ...").
//
// Usage: one line right before the timed loop of a benchmark function,
//
//   CounterScope scope(state);          // or scope(state, items_per_iteration)
//   for (auto _ : state) { ... }
//
// The constructor starts the calling thread's counters; the destructor stops
// them, reads them and sets state.counters["<name>_per_item"] = value /
// items_per_iteration, averaged over the iterations (kAvgIterations). With no
// --counters it does nothing at all.
//
// What is counted (read the figures with this in mind):
//   - The calling (benchmark) thread only. Work of threads it started - the
//     buffer_source consumer, the sync reader, the GStreamer streaming threads
//     of push_bench - is not included; kernel work done on behalf of this
//     thread in its own context (syscalls, io_uring task work) is.
//   - Everything from the constructor to the end of the enclosing scope,
//     INCLUDING the regions between PauseTiming() and ResumeTiming(): the
//     counters cannot be paused along with the timer. So in receive_call_bench
//     the counters include the paused fill (sendmmsg of the datagrams, and for
//     io_uring the kernel's copies into the ring), i.e. they are closer to
//     send_plus_receive than to ns_per_datagram; in push_bench they include
//     the paused drain wait and the allocation and writing of the packets.
//   - Google Benchmark's loop bookkeeping (small, amortised per iteration).
//   Setup before the scope (sockets, pipelines, warm-up) is not counted;
//   push_bench closes the scope before stopping its pipeline.
//
// Counters are opened once per thread (thread_local: perf_event_open costs
// tens of microseconds and Google Benchmark calls each function several
// times) and reused; Start() zeroes them.
#pragma once

#include <benchmark/benchmark.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

#include "metrics/perf_counters.h"

namespace rxbench::benchmarks {

namespace counter_scope_internal {

inline std::vector<std::string>& Names() {
  static std::vector<std::string> names;
  return names;
}

// The calling thread's counters for Names(), opened on first use; null when no
// counters were configured.
inline metrics::PerfCounters* ThreadCounters() {
  if (Names().empty()) return nullptr;
  thread_local metrics::PerfCounters counters = metrics::PerfCounters::Open(Names());
  return &counters;
}

}  // namespace counter_scope_internal

class CounterScope {
 public:
  // Called once by main() before any benchmark runs, on the thread that runs
  // them. Opens the counters for that thread and returns
  // PerfCounters::Describe() ("counters: ... (unavailable: ...)"); empty
  // names: no counters, returns "".
  static std::string Configure(std::vector<std::string> names) {
    counter_scope_internal::Names() = std::move(names);
    const metrics::PerfCounters* counters = counter_scope_internal::ThreadCounters();
    return counters != nullptr ? counters->Describe() : std::string();
  }

  explicit CounterScope(benchmark::State& state, double items_per_iteration = 1.0)
      : state_(state), items_per_iteration_(items_per_iteration), counters_(counter_scope_internal::ThreadCounters()) {
    if (counters_ != nullptr && counters_->IsValid()) {
      counters_->Start();
    } else {
      counters_ = nullptr;
    }
  }

  ~CounterScope() {
    if (counters_ == nullptr) return;
    counters_->Stop();
    if (state_.error_occurred() || state_.iterations() == 0) return;
    // Read() holds only counters whose value is known.
    for (const auto& [name, value] : counters_->Read()) {
      state_.counters[name + "_per_item"] =
          benchmark::Counter(value / items_per_iteration_, benchmark::Counter::kAvgIterations);
    }
  }

  CounterScope(const CounterScope&) = delete;
  CounterScope& operator=(const CounterScope&) = delete;

 private:
  benchmark::State& state_;
  double items_per_iteration_;
  metrics::PerfCounters* counters_;
};

}  // namespace rxbench::benchmarks
