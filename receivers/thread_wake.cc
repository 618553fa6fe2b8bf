#include "receivers/thread_wake.h"

#include <signal.h>
#include <time.h>

#include <cstdint>
#include <mutex>

namespace rxbench::receivers {
namespace {

int WakeSignal() { return SIGRTMIN + 4; }

void Ignore(int) {}

std::mutex claim_mutex;
std::atomic<bool> claimed{false};

std::uint64_t NowNs() {
  timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::uint64_t>(t.tv_sec) * 1000000000ull + static_cast<std::uint64_t>(t.tv_nsec);
}

}  // namespace

bool ClaimWakeSignal(std::string* error) {
  const std::lock_guard<std::mutex> lock(claim_mutex);
  struct sigaction current {};
  if (sigaction(WakeSignal(), nullptr, &current) != 0) {
    *error = "cannot query the receiver's wake-up signal SIGRTMIN+4";
    return false;
  }
  const bool plain = (current.sa_flags & SA_SIGINFO) == 0;
  const bool ours = plain && current.sa_handler == Ignore;
  // SIG_IGN may be inherited across exec; nothing here waits on an ignored
  // signal, so it is as free as the default.
  const bool unclaimed = plain && (current.sa_handler == SIG_DFL || current.sa_handler == SIG_IGN);
  if (!ours && !unclaimed) {
    claimed.store(false, std::memory_order_release);
    *error =
        "the receiver's wake-up signal SIGRTMIN+4 has a handler rxbench did not install: another library "
        "in this process uses it (receivers/thread_wake.h)";
    return false;
  }
  if (unclaimed) {
    // A handler (not SIG_IGN, which would not interrupt the wait), without
    // SA_RESTART.
    struct sigaction action {};
    action.sa_handler = Ignore;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    if (sigaction(WakeSignal(), &action, nullptr) != 0) {
      *error = "cannot install the receiver's wake-up signal SIGRTMIN+4";
      return false;
    }
  }
  claimed.store(true, std::memory_order_release);
  return true;
}

WakeOutcome WakeUntil(pthread_t thread, const std::atomic<bool>& done, std::chrono::nanoseconds bound) {
  const bool signal = claimed.load(std::memory_order_acquire);
  const std::uint64_t deadline = NowNs() + static_cast<std::uint64_t>(bound.count());
  while (!done.load(std::memory_order_acquire)) {
    if (NowNs() >= deadline) return WakeOutcome::kStalled;
    if (signal) pthread_kill(thread, WakeSignal());
    timespec pause{0, 1000000};
    nanosleep(&pause, nullptr);
  }
  return WakeOutcome::kLeft;
}

}  // namespace rxbench::receivers
