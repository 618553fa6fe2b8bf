// The `wait` axis (receivers/busy_poll.h) on loopback: how it is named and
// refused, the socket options it really sets, the capability it needs, io_uring
// NAPI registration on this kernel, and what a loopback socket says of its
// NAPI instance (none, so busy polling is marked as having no effect).
#include "receivers/busy_poll.h"

#include <gtest/gtest.h>
#include <liburing.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "platform/napi_id.h"
#include "receivers/receive_call.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "tests/loopback_sender.h"

namespace rxbench::receivers {
namespace {

TEST(WaitAxis, NamesParseBackAndOnlyABusyWaitShowsInThePolicies) {
  for (WaitKind kind : {WaitKind::kSleep, WaitKind::kBusyPoll, WaitKind::kPreferBusyPoll, WaitKind::kNapi}) {
    EXPECT_EQ(ParseWaitKind(ToString(kind)), kind);
  }
  EXPECT_FALSE(ParseWaitKind("spin"));
  StrategySpec spec = *FindPreset("combined-list");
  EXPECT_EQ(spec.wait, WaitKind::kSleep);
  // Results from before the axis read the same.
  EXPECT_EQ(spec.Policies(), "gstpool/atomic/recvmmsg/list");
  spec.wait = WaitKind::kBusyPoll;
  EXPECT_EQ(spec.Policies(), "gstpool/atomic/recvmmsg/list/busy-poll");
}

TEST(WaitAxis, NapiOnlyWithIoUringAndIoUringOnlyWithNapi) {
  StrategySpec list = *FindPreset("combined-list");
  list.wait = WaitKind::kNapi;
  EXPECT_NE(CheckPolicies(list).find("needs recv=iouring"), std::string::npos) << CheckPolicies(list);
  list.wait = WaitKind::kPreferBusyPoll;
  EXPECT_EQ(CheckPolicies(list), "");
  StrategySpec ring = *FindPreset("iouring");
  ring.wait = WaitKind::kNapi;
  EXPECT_EQ(CheckPolicies(ring), "");
  ring.wait = WaitKind::kBusyPoll;
  EXPECT_NE(CheckPolicies(ring), "");
}

class WaitSocket : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    socket_ = OpenUdpSocket(UdpSocketOptions{}, &error);
    ASSERT_GE(socket_.fd, 0) << error;
  }
  void TearDown() override {
    if (socket_.fd >= 0) close(socket_.fd);
  }
  int BusyPollUs() const {
    int value = -1;
    socklen_t len = sizeof value;
    EXPECT_EQ(getsockopt(socket_.fd, SOL_SOCKET, SO_BUSY_POLL, &value, &len), 0);
    return value;
  }
  UdpSocket socket_;
};

TEST_F(WaitSocket, SleepSetsNothing) {
  EXPECT_EQ(ApplyWaitToSocket(socket_.fd, WaitKind::kSleep, 70), "");
  EXPECT_EQ(BusyPollUs(), 0);
}

TEST_F(WaitSocket, BusyPollSetsTheTimeoutTheKernelReadsBack) {
  EXPECT_EQ(ApplyWaitToSocket(socket_.fd, WaitKind::kBusyPoll, 70), "");
  EXPECT_EQ(BusyPollUs(), 70);
}

TEST_F(WaitSocket, PreferBusyPollSetsTheTimeoutAndPreferOrNamesTheCapability) {
  const std::string problem = ApplyWaitToSocket(socket_.fd, WaitKind::kPreferBusyPoll, 90);
  if (!problem.empty()) {
    EXPECT_NE(problem.find("CAP_NET_ADMIN"), std::string::npos) << problem;
    GTEST_SKIP() << "no CAP_NET_ADMIN here: " << problem;
  }
  EXPECT_EQ(BusyPollUs(), 90);
  int prefer = 0;
  socklen_t len = sizeof prefer;
  ASSERT_EQ(getsockopt(socket_.fd, SOL_SOCKET, SO_PREFER_BUSY_POLL, &prefer, &len), 0);
  EXPECT_EQ(prefer, 1);
}

// Drops CAP_NET_ADMIN from this (single-threaded, forked) process's sets:
// what a process started without it has. False when the kernel refuses.
bool DropCapNetAdmin() {
  __user_cap_header_struct header{_LINUX_CAPABILITY_VERSION_3, 0};
  __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3] = {};
  if (syscall(SYS_capget, &header, data) != 0) return false;
  const unsigned bit = 1u << (CAP_NET_ADMIN % 32);
  for (auto* set : {&data[CAP_NET_ADMIN / 32].effective, &data[CAP_NET_ADMIN / 32].permitted,
                    &data[CAP_NET_ADMIN / 32].inheritable}) {
    *set &= ~bit;
  }
  return syscall(SYS_capset, &header, data) == 0;
}

// What the harness says without CAP_NET_ADMIN, seen from a child that has
// dropped it.
TEST(WaitCapability, WithoutCapNetAdminPreferBusyPollIsRefusedInOneLineNamingIt) {
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    close(pipe_fds[0]);
    if (!DropCapNetAdmin()) _exit(3);
    std::string error;
    UdpSocket socket = OpenUdpSocket(UdpSocketOptions{}, &error);
    if (socket.fd < 0) _exit(4);
    const std::string problem = ApplyWaitToSocket(socket.fd, WaitKind::kPreferBusyPoll, 50);
    // Plain busy-poll needs no capability.
    const bool plain_ok = ApplyWaitToSocket(socket.fd, WaitKind::kBusyPoll, 50).empty();
    const std::string report = (plain_ok ? "plain ok|" : "plain refused|") + problem;
    if (write(pipe_fds[1], report.data(), report.size()) < 0) _exit(5);
    _exit(0);
  }
  close(pipe_fds[1]);
  std::string report;
  char chunk[256];
  for (ssize_t n; (n = read(pipe_fds[0], chunk, sizeof chunk)) > 0;) report.append(chunk, static_cast<std::size_t>(n));
  close(pipe_fds[0]);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child status " << status;
  EXPECT_EQ(report.rfind("plain ok|", 0), 0u) << report;
  EXPECT_NE(report.find("SO_PREFER_BUSY_POLL needs CAP_NET_ADMIN"), std::string::npos) << report;
  EXPECT_EQ(report.find('\n'), std::string::npos) << report;
}

TEST(IoUringNapi, RegistersAndUnregistersOnThisKernel) {
  io_uring ring{};
  ASSERT_EQ(io_uring_queue_init(4, &ring, 0), 0);
  EXPECT_EQ(RegisterIoUringNapi(ring.ring_fd, 50, false), 0);
  EXPECT_EQ(UnregisterIoUringNapi(ring.ring_fd), 0);
  io_uring_queue_exit(&ring);
}

TEST(IoUringNapi, TheIoUringCallWithWaitNapiSetsUp) {
  spec::ReceiverSpec receiver;
  receiver.strategy = *FindPreset("iouring");
  receiver.strategy.wait = WaitKind::kNapi;
  receiver.pool_size = 64;
  std::string error;
  EXPECT_NE(MakeReceiveCall(RecvKind::kIoUring, -1, kDefaultBatch, receiver, &error), nullptr) << error;
}

// Loopback has no NAPI instance: the socket says 0 once a datagram came, and a
// busy wait is marked as having no effect; unknown stays unknown.
TEST_F(WaitSocket, LoopbackDatagramsComeThroughNoNapiInstance) {
  testing_support::LoopbackSender sender(socket_.port);
  ASSERT_TRUE(sender.ok());
  ASSERT_TRUE(sender.Send(0, 100));
  char buffer[2048];
  ASSERT_GT(recv(socket_.fd, buffer, sizeof buffer, 0), 0);
  const std::optional<std::uint32_t> id = platform::IncomingNapiId(socket_.fd);
  ASSERT_TRUE(id);
  EXPECT_EQ(*id, 0u);
  EXPECT_NE(BusyPollNoEffect(WaitKind::kBusyPoll, id).find("no NAPI instance"), std::string::npos);
  EXPECT_EQ(BusyPollNoEffect(WaitKind::kSleep, id), "");
  EXPECT_EQ(BusyPollNoEffect(WaitKind::kBusyPoll, std::nullopt), "");
  EXPECT_EQ(BusyPollNoEffect(WaitKind::kNapi, 260u), "");
}

// recvmmsg's idle wait under busy-poll is an epoll wait: it must still end on
// a datagram and on its timeout.
TEST_F(WaitSocket, RecvmmsgWithABusyWaitStillWaitsAndReceives) {
  spec::ReceiverSpec receiver;
  receiver.strategy = *FindPreset("combined-list");
  receiver.strategy.wait = WaitKind::kBusyPoll;
  ASSERT_EQ(ApplyWaitToSocket(socket_.fd, receiver.strategy.wait, receiver.busy_poll_us), "");
  std::string error;
  std::unique_ptr<ReceiveCall> call = MakeReceiveCall(RecvKind::kRecvmmsg, socket_.fd, 4, receiver, &error);
  ASSERT_NE(call, nullptr) << error;
  std::vector<std::uint8_t> memory(std::size_t{4} * 2048);
  pools::PacketSlot slots[4];
  for (int i = 0; i < 4; ++i) {
    slots[i].data = &memory[static_cast<std::size_t>(i) * 2048];
    slots[i].capacity = 2048;
  }
  ReceiverStats stats;
  EXPECT_EQ(call->Receive(slots, 4, &stats), 0);  // empty: the wait times out
  EXPECT_EQ(stats.idle_waits, 1u);
  testing_support::LoopbackSender sender(socket_.port);
  ASSERT_TRUE(sender.ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(sender.Send(static_cast<std::uint64_t>(i), 100));
  int got = 0;
  for (int tries = 0; got < 3 && tries < 100; ++tries) got += call->Receive(slots + got, 4 - got, &stats);
  EXPECT_EQ(got, 3);
}

}  // namespace
}  // namespace rxbench::receivers
