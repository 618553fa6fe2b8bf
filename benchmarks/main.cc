// Entry point of the component microbenchmarks (Google Benchmark 1.7.1).
//
// Our own main() instead of benchmark_main for two reasons: GStreamer is
// initialised once before any benchmark runs (the buffer sources, push and
// io_uring families need it), and `--filter REGEX` / `--filter=REGEX` is
// accepted as a short alias of `--benchmark_filter=REGEX`.
//
// Hardware counters: Debian's libbenchmark 1.7.1 is built WITHOUT libpfm
// (libbenchmark.so links only libstdc++/libm/libgcc_s/libc), so
// `--benchmark_perf_counters=CYCLES,INSTRUCTIONS` cannot work with this
// binary: the library prints
// "Performance counters not supported." and runs the benchmarks without
// counters. (This VM has no hardware PMU either, so even a libpfm build would
// report nothing.) For cycles/instructions use the harness's own
// metrics/perf_counters on a real-hardware host, or `perf stat` on this binary.
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>
#include <vector>

#include "harness/pipeline.h"

namespace {

// Rewrites `--filter X` and `--filter=X` into `--benchmark_filter=X`; every
// other argument is passed through unchanged.
std::vector<std::string> TranslateArgs(int argc, char** argv) {
  std::vector<std::string> out;
  for (int i = 0; i < argc; ++i) {
    const char* arg = argv[i];
    if (i > 0 && std::strcmp(arg, "--filter") == 0 && i + 1 < argc) {
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
  std::vector<std::string> args = TranslateArgs(argc, argv);
  std::vector<char*> pointers;
  for (std::string& a : args) pointers.push_back(a.data());
  pointers.push_back(nullptr);
  int new_argc = static_cast<int>(args.size());

  rxbench::harness::EnsureGstInit();
  benchmark::Initialize(&new_argc, pointers.data());
  if (benchmark::ReportUnrecognizedArguments(new_argc, pointers.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
