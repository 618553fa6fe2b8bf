// WakeUntil() against each kind of wait a receive call blocks in: a recvfrom
// with a receive timeout (recvfrom), a ppoll (recvmmsg, gro), an io_uring
// wait with a timeout (iouring). Each wait is told to last a minute; only the
// wake-up signal can end it within 30 s, however slow or busy the machine is.
// This is what makes a receiver's Stop() leave its idle wait at once rather
// than within kIdleWaitMs, checked without timing the stop itself.
#include "receivers/thread_wake.h"

#include <arpa/inet.h>
#include <liburing.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <functional>
#include <thread>

namespace rxbench::receivers {
namespace {

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
};

// Runs `wait` on a thread of its own, wakes that thread, and says how long
// it took the wait to end and how it ended.
Woken WakeDuring(const std::function<int()>& wait) {
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
  WakeUntil(waiter.native_handle(), left);
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
  const Woken woken = WakeDuring([&] { return static_cast<int>(recvfrom(fd, buffer, sizeof buffer, 0, nullptr, nullptr)); });
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
  EXPECT_LT(woken.ms, kWokenWithinMs);
  EXPECT_EQ(woken.result, -1);
  EXPECT_EQ(woken.error, EINTR);
  io_uring_queue_exit(&ring);
}

}  // namespace
}  // namespace rxbench::receivers
