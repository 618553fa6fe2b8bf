// A program whose instruction and allocation counts are known, for the tests
// of the callgrind window (metrics/callgrind_window.h) and of the reader
// (reports/exact): two threads each spin OUTSIDE iterations before the window
// and after it; inside it, a worker thread spins INSIDE iterations and makes
// exactly ALLOCS mallocs from one call site.
//
//   window_probe OUTSIDE INSIDE ALLOCS
//
// Under `valgrind --tool=callgrind --instr-atstart=no --separate-threads=yes`
// the profiles must show SpinInside and AllocateInside, never SpinOutside,
// whatever OUTSIDE is. Outside valgrind it runs the same and exits 0.
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "metrics/callgrind_window.h"

namespace rxbench::exact_probe {

// volatile: every iteration is a load and a store, so no loop is folded away.
volatile unsigned long sink_value = 0;
void* volatile kept = nullptr;

__attribute__((noinline)) void SpinOutside(unsigned long n) {
  for (unsigned long i = 0; i < n; ++i) sink_value = sink_value + i;
}

__attribute__((noinline)) void SpinInside(unsigned long n) {
  for (unsigned long i = 0; i < n; ++i) sink_value = sink_value + i;
}

// Stored through a volatile pointer, so the compiler cannot pair malloc with
// free and drop both.
__attribute__((noinline)) void AllocateInside(unsigned long n) {
  for (unsigned long i = 0; i < n; ++i) {
    kept = std::malloc(64 + i);
    std::free(kept);
  }
}

class Step {
 public:
  void Reach(int step) {
    std::lock_guard<std::mutex> lock(mutex_);
    step_ = step;
    changed_.notify_all();
  }
  void WaitFor(int step) {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return step_ >= step; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  int step_ = 0;
};

}  // namespace rxbench::exact_probe

int main(int argc, char** argv) {
  using namespace rxbench::exact_probe;
  if (argc != 4) {
    std::fprintf(stderr, "usage: window_probe OUTSIDE INSIDE ALLOCS\n");
    return 2;
  }
  const unsigned long outside = std::strtoul(argv[1], nullptr, 10);
  const unsigned long inside = std::strtoul(argv[2], nullptr, 10);
  const unsigned long allocs = std::strtoul(argv[3], nullptr, 10);
  // 1: the worker spun outside; 2: the window is open; 3: the worker is done; 4: closed.
  Step step;
  std::thread worker([&] {
    SpinOutside(outside);
    step.Reach(1);
    step.WaitFor(2);
    SpinInside(inside);
    AllocateInside(allocs);
    step.Reach(3);
    step.WaitFor(4);
    SpinOutside(outside);
  });
  SpinOutside(outside);
  step.WaitFor(1);
  rxbench::metrics::OpenCallgrindWindow();
  step.Reach(2);
  step.WaitFor(3);
  rxbench::metrics::CloseCallgrindWindow();
  step.Reach(4);
  SpinOutside(outside);
  worker.join();
  std::printf("under valgrind: %s\n", rxbench::metrics::UnderValgrind() ? "yes" : "no");
  return 0;
}
