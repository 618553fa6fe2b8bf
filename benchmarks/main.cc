// Entry point of the component microbenchmarks (Google Benchmark 1.7.1).
//
// Our own main() instead of benchmark_main for three reasons: GStreamer is
// initialised once before any benchmark runs (the buffer sources, push and
// io_uring families need it), `--filter REGEX` / `--filter=REGEX` is
// accepted as a short alias of `--benchmark_filter=REGEX`, and
// `--counters=LIST` turns on event counters (below).
//
// Counters: `--counters=cycles,instructions,cache-misses,task-clock,...` (or
// `--counters LIST`; names as `perf stat -e` takes them, via libpfm4) reads
// those events on the benchmark thread around each benchmark's timed loop and
// reports them per item as `<name>_per_item` (e.g. cycles_per_item,
// instructions_per_item) in the console table and the JSON. At start one
// line on stderr says which counters will be read and why the others cannot
// be, e.g. on a VM without a PMU:
//   microbench counters: task-clock (unavailable: cycles: no hardware PMU ...)
// Unavailable counters are left out of the results, never reported as 0.
// Only the named events are opened (no software fallback). Default: none.
// What exactly is counted (paused regions are included!): counter_scope.h.
//
// Why not `--benchmark_perf_counters`: Debian's libbenchmark 1.7.1 is built
// WITHOUT libpfm (libbenchmark.so links only libstdc++/libm/libgcc_s/libc),
// so `--benchmark_perf_counters=CYCLES,INSTRUCTIONS` cannot work with this
// binary: the library prints "Performance counters not supported." and runs
// the benchmarks without counters. `--counters` uses rxbench's own
// metrics/perf_counters (libpfm4 + perf_event_open) instead.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "benchmarks/counter_scope.h"
#include "pipeline/pipeline.h"

namespace {

// "cycles,,instructions" -> {"cycles", "instructions"}.
std::vector<std::string> SplitNames(const std::string& list) {
  std::vector<std::string> names;
  std::string::size_type start = 0;
  while (start <= list.size()) {
    std::string::size_type end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    if (end > start) names.push_back(list.substr(start, end - start));
    start = end + 1;
  }
  return names;
}

// Rewrites `--filter X` and `--filter=X` into `--benchmark_filter=X` and takes
// out `--counters X` / `--counters=X` (into *counters); every other argument
// is passed through unchanged.
std::vector<std::string> TranslateArgs(int argc, char** argv, std::vector<std::string>* counters) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    const char* arg = argv[i];
    if (i > 0 && std::strcmp(arg, "--counters") == 0 && i + 1 < argc) {
      *counters = SplitNames(argv[++i]);
    } else if (i > 0 && std::strncmp(arg, "--counters=", 11) == 0) {
      *counters = SplitNames(arg + 11);
    } else if (i > 0 && std::strcmp(arg, "--filter") == 0 && i + 1 < argc) {
      out.push_back(std::string("--benchmark_filter=") + argv[++i]);
    } else if (i > 0 && std::strncmp(arg, "--filter=", 9) == 0) {
      out.push_back(std::string("--benchmark_filter=") + (arg + 9));
    } else {
      out.push_back(arg);
    }
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> counters;
  std::vector<std::string> args = TranslateArgs(argc, argv, &counters);
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  int new_argc = static_cast<int>(args.size());

  rxbench::harness::EnsureGstInit();
  // On this thread: Google Benchmark runs single-threaded benchmarks on it.
  const std::string description = rxbench::benchmarks::CounterScope::Configure(counters);
  if (!description.empty()) std::fprintf(stderr, "microbench %s\n", description.c_str());
  benchmark::Initialize(&new_argc, pointers.data());
  if (benchmark::ReportUnrecognizedArguments(new_argc, pointers.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
