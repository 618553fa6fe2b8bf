#include "receivers/thread_wake.h"

#include <signal.h>
#include <time.h>

#include <mutex>

namespace rxbench::receivers {
namespace {

// A real-time signal nothing else in the process uses (GLib and GStreamer use
// none; glibc keeps the first few below SIGRTMIN for itself).
int WakeSignal() { return SIGRTMIN + 4; }

void Ignore(int) {}

// Once per process: a handler (not SIG_IGN, which would not interrupt the
// wait), without SA_RESTART.
void InstallHandler() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction action {};
    action.sa_handler = Ignore;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(WakeSignal(), &action, nullptr);
  });
}

}  // namespace

void WakeUntil(pthread_t thread, const std::atomic<bool>& done) {
  InstallHandler();
  while (!done.load(std::memory_order_acquire)) {
    pthread_kill(thread, WakeSignal());
    timespec pause{0, 1000000};
    nanosleep(&pause, nullptr);
  }
}

}  // namespace rxbench::receivers
