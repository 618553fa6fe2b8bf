// The receiver's wake-up: WakeUntil() ends each kind of wait a receive call
// blocks in -- a recvfrom with a receive timeout (recvfrom), a ppoll
// (recvmmsg, gro), an io_uring wait with a timeout (iouring) -- gives up on a
// thread that ignores it, and the wake signal is claimed only when nobody else
// has it. Each wait is told to last a minute; only the wake-up signal can end
// it within 30 s, however slow or busy the machine is. This is what makes a
// receiver's Stop() leave its idle wait at once rather than within
// kIdleWaitMs, checked without timing the stop itself.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <liburing.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <functional>
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
  struct sigaction foreign {
  }, ours{};
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

constexpr int kWaitS = 60;
constexpr double kWokenWithinMs = 30'000;

// A bound UDP socket on 127.0.0.1 that nothing sends to.
int QuietSocket() {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return -1;
  return fd;
}

struct Woken {
  double ms = 0;
  int result = 0;  // what the wait returned
  int error = 0;   // its errno
  WakeOutcome outcome = WakeOutcome::kStalled;
};

// Runs `wait` on a thread of its own, wakes that thread, and says how long
// it took the wait to end and how it ended.
Woken WakeDuring(const std::function<int()>& wait) {
  std::string error;
  EXPECT_TRUE(ClaimWakeSignal(&error)) << error;
  std::atomic<bool> left{false};
  Woken woken;
  std::thread waiter([&] {
    woken.result = wait();
    woken.error = errno;
    left.store(true, std::memory_order_release);
  });
  // Into its wait, most likely; WakeUntil repeats the signal in case not.
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  const auto start = std::chrono::steady_clock::now();
  woken.outcome = WakeUntil(waiter.native_handle(), left, std::chrono::milliseconds(static_cast<int>(kWokenWithinMs)));
  woken.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  waiter.join();
  return woken;
}

TEST(ThreadWake, EndsARecvfromWithAReceiveTimeout) {
  const int fd = QuietSocket();
  ASSERT_GE(fd, 0);
  timeval timeout{kWaitS, 0};
  ASSERT_EQ(setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout), 0);
  char buffer[64];
  const Woken woken =
      WakeDuring([&] { return static_cast<int>(recvfrom(fd, buffer, sizeof buffer, 0, nullptr, nullptr)); });
  EXPECT_EQ(woken.outcome, WakeOutcome::kLeft);
  EXPECT_LT(woken.ms, kWokenWithinMs);
  EXPECT_EQ(woken.result, -1);
  EXPECT_EQ(woken.error, EINTR) << "a receive timeout's recvfrom is never restarted";
  close(fd);
}

TEST(ThreadWake, EndsAPpoll) {
  const int fd = QuietSocket();
  ASSERT_GE(fd, 0);
  const Woken woken = WakeDuring([&] {
    pollfd p{fd, POLLIN, 0};
    timespec timeout{kWaitS, 0};
    return ppoll(&p, 1, &timeout, nullptr);
  });
  EXPECT_EQ(woken.outcome, WakeOutcome::kLeft);
  EXPECT_LT(woken.ms, kWokenWithinMs);
  EXPECT_EQ(woken.result, -1);
  EXPECT_EQ(woken.error, EINTR);
  close(fd);
}

TEST(ThreadWake, EndsAnIoUringWaitWithATimeout) {
  io_uring ring;
  if (io_uring_queue_init(4, &ring, 0) != 0) GTEST_SKIP() << "io_uring unavailable";
  const Woken woken = WakeDuring([&] {
    io_uring_cqe* cqe = nullptr;
    __kernel_timespec timeout{kWaitS, 0};
    const int r = io_uring_wait_cqe_timeout(&ring, &cqe, &timeout);
    errno = -r;
    return r < 0 ? -1 : r;
  });
  EXPECT_EQ(woken.outcome, WakeOutcome::kLeft);
  EXPECT_LT(woken.ms, kWokenWithinMs);
  EXPECT_EQ(woken.result, -1);
  EXPECT_EQ(woken.error, EINTR);
  io_uring_queue_exit(&ring);
}

}  // namespace
}  // namespace rxbench::receivers
