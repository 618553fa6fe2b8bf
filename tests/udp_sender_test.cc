// The sender's calls against a signal that interrupts them: a send that a
// signal cuts short (EINTR) is made again, not counted as a failed datagram.
// `gen` installs a SIGINT handler, so a Ctrl-C during a send that waits must
// not cost a packet.
//
// A real EINTR needs a send that blocks. A UDP send on loopback never does
// (the datagram leaves the sender's buffer as it is delivered), so the
// sender's socket is swapped (dup2, onto its fd) for one end of a Unix
// datagram socket pair whose other end reads nothing: once its send buffer is
// full, a blocking send sleeps until room is made, and a signal with a handler
// installed without SA_RESTART ends that sleep with EINTR.
#include <gtest/gtest.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <functional>
#include <future>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "traffic_gen/udp_sender.h"

namespace rxbench::traffic_gen {
namespace {

std::atomic<int> g_interrupts{0};
void CountInterrupt(int) { g_interrupts.fetch_add(1); }

// The state letter of a thread of this process (/proc/self/task/TID/stat):
// 'S' while it sleeps in the kernel.
char ThreadState(pid_t tid) {
  std::ifstream stat("/proc/self/task/" + std::to_string(tid) + "/stat");
  std::string line;
  std::getline(stat, line);
  const std::size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() ? line[paren + 2] : '?';
}

class SendInterruptedTest : public testing::Test {
 protected:
  void SetUp() override {
    struct sigaction action {};
    action.sa_handler = CountInterrupt;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;  // no SA_RESTART: the blocked send returns EINTR
    ASSERT_EQ(sigaction(SIGUSR1, &action, &previous_), 0);
    ASSERT_EQ(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair_), 0);
    std::string error;
    // Any port: the socket is replaced before anything is sent.
    ASSERT_TRUE(sender_.Open("127.0.0.1", 9, &error)) << error;
    ASSERT_GE(dup2(pair_[0], sender_.fd()), 0);
    // Fill the send buffer: the next blocking send waits for room.
    const std::vector<std::uint8_t> filler(kDatagram, 0x11);
    while (send(sender_.fd(), filler.data(), filler.size(), MSG_DONTWAIT) >= 0) ++queued_;
    ASSERT_EQ(errno, EAGAIN);
    ASSERT_GT(queued_, 0u);
  }
  void TearDown() override {
    sigaction(SIGUSR1, &previous_, nullptr);
    close(pair_[0]);
    close(pair_[1]);
  }

  // Runs `send` on a thread of its own, interrupts it once it sleeps in the
  // kernel, then makes room; returns what the send reported.
  SendOutcome InterruptedOnce(std::function<SendOutcome()> send) {
    std::atomic<pid_t> tid{0};
    std::packaged_task<SendOutcome()> task([&] {
      tid = static_cast<pid_t>(gettid());
      return send();
    });
    std::future<SendOutcome> outcome = task.get_future();
    std::thread thread(std::move(task));
    // Waits with no time bound: the thread sleeps in its send until room is made.
    while (tid.load() == 0 || ThreadState(tid.load()) != 'S') std::this_thread::sleep_for(std::chrono::milliseconds(1));
    const int before = g_interrupts.load();
    pthread_kill(thread.native_handle(), SIGUSR1);
    while (g_interrupts.load() == before) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    // The interrupted send has returned; a retry sleeps again until this
    // makes room.
    std::vector<std::uint8_t> scratch(kDatagram);
    for (std::size_t i = 0; i < queued_; ++i) recv(pair_[1], scratch.data(), scratch.size(), 0);
    thread.join();
    return outcome.get();
  }

  static constexpr std::size_t kDatagram = 1200;
  struct sigaction previous_ {};
  int pair_[2] = {-1, -1};
  UdpSender sender_;
  std::size_t queued_ = 0;
};

TEST_F(SendInterruptedTest, SendBytesRetriesAfterASignal) {
  const std::vector<std::uint8_t> datagram(kDatagram, 0x22);
  const SendOutcome out = InterruptedOnce([&] { return sender_.SendBytes(datagram.data(), datagram.size()); });
  EXPECT_EQ(out.sent, 1u);
  EXPECT_EQ(out.failed, 0u) << "errno " << out.last_errno;
  EXPECT_EQ(out.last_errno, 0);
  EXPECT_GE(out.calls, 2u);  // the interrupted call and the one that went through
}

// The batched path had the retry already; kept under the same test.
TEST_F(SendInterruptedTest, SendRetriesAfterASignal) {
  std::vector<std::uint8_t> datagram(kDatagram, 0x33);
  iovec iov{datagram.data(), datagram.size()};
  mmsghdr message{};
  message.msg_hdr.msg_iov = &iov;
  message.msg_hdr.msg_iovlen = 1;
  const SendOutcome out = InterruptedOnce([&] { return sender_.Send(&message, 1); });
  EXPECT_EQ(out.sent, 1u);
  EXPECT_EQ(out.failed, 0u) << "errno " << out.last_errno;
  EXPECT_GE(out.calls, 2u);
}

}  // namespace
}  // namespace rxbench::traffic_gen
