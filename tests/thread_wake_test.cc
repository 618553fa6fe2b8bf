// The receiver's wake-up: WakeUntil() gives up on a thread that ignores it,
// and the wake signal is claimed only when nobody else has it.
#include <gtest/gtest.h>
#include <signal.h>
#include <time.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "receivers/thread_wake.h"

namespace rxbench::receivers {
namespace {

using std::chrono::milliseconds;

// A thread that goes back to sleep whatever wakes it, until released.
class DeafThread {
 public:
  DeafThread()
      : thread_([this] {
          while (!release_.load()) {
            timespec nap{0, 1000000};
            nanosleep(&nap, nullptr);  // EINTR on each wake-up; it sleeps again
          }
        }) {}
  ~DeafThread() {
    release_ = true;
    thread_.join();
  }
  pthread_t handle() { return thread_.native_handle(); }

 private:
  std::atomic<bool> release_{false};
  std::thread thread_;
};

TEST(ThreadWake, GivesUpOnAThreadThatNeverLeaves) {
  std::string error;
  ASSERT_TRUE(ClaimWakeSignal(&error)) << error;
  DeafThread deaf;
  std::atomic<bool> never{false};  // set only to end a WakeUntil that did not give up
  // On a thread of its own, so that a WakeUntil that never returns fails the
  // test instead of hanging it; 30 s is a watchdog far above the 50 ms asked
  // for, which a machine 10x slower than any seen still meets.
  auto outcome = std::async(std::launch::async, [&] { return WakeUntil(deaf.handle(), never, milliseconds(50)); });
  const bool returned = outcome.wait_for(std::chrono::seconds(30)) == std::future_status::ready;
  never = true;
  EXPECT_TRUE(returned) << "WakeUntil did not give up";
  EXPECT_EQ(outcome.get(), WakeOutcome::kStalled);
}

TEST(ThreadWake, WakesAThreadOutOfABlockingWait) {
  std::string error;
  ASSERT_TRUE(ClaimWakeSignal(&error)) << error;
  std::atomic<bool> left{false};
  std::thread sleeper([&] {
    timespec hour{3600, 0};
    nanosleep(&hour, nullptr);  // only a signal ends it early
    left.store(true, std::memory_order_release);
  });
  // An hour's bound: only the wake-up can end this wait.
  EXPECT_EQ(WakeUntil(sleeper.native_handle(), left, std::chrono::hours(1)), WakeOutcome::kLeft);
  sleeper.join();
}

void Foreign(int) {}

TEST(ThreadWake, RefusesASignalAnotherHandlerHas) {
  std::string error;
  ASSERT_TRUE(ClaimWakeSignal(&error)) << error;  // ours first: it must still notice the change
  struct sigaction foreign {}, ours {};
  foreign.sa_handler = Foreign;
  sigemptyset(&foreign.sa_mask);
  ASSERT_EQ(sigaction(SIGRTMIN + 4, &foreign, &ours), 0);
  EXPECT_FALSE(ClaimWakeSignal(&error));
  EXPECT_NE(error.find("SIGRTMIN+4"), std::string::npos) << error;
  EXPECT_NE(error.find("did not install"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line";
  ASSERT_EQ(sigaction(SIGRTMIN + 4, &ours, nullptr), 0);
  EXPECT_TRUE(ClaimWakeSignal(&error)) << error;
}

}  // namespace
}  // namespace rxbench::receivers
