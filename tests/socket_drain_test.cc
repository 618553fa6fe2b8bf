// The drain of the receive socket at the end of a run: bounded in datagrams
// and in time, so that a sender that never stops cannot hold the run, and
// followed (not preceded) by the read of the socket's drop counter, so that a
// datagram dropped while the drain made room is counted as a drop.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "metrics/thread_usage.h"
#include "pipeline/receive_side.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "results/run_summary.h"
#include "tests/loopback_sender.h"

namespace rxbench::receivers {
namespace {

using testing_support::LoopbackSender;

constexpr std::size_t kPayloadBytes = 200;

class SocketDrainTest : public testing::Test {
 protected:
  void SetUp() override {
    UdpSocketOptions options;
    options.rcvbuf_bytes = 4 << 20;  // room for every datagram the tests queue
    std::string error;
    socket_ = OpenUdpSocket(options, &error);
    ASSERT_GE(socket_.fd, 0) << error;
  }
  void TearDown() override { close(socket_.fd); }

  void Queue(std::uint64_t n) {
    LoopbackSender sender(socket_.port);
    ASSERT_TRUE(sender.ok());
    for (std::uint64_t i = 0; i < n; ++i) ASSERT_TRUE(sender.Send(i, kPayloadBytes));
  }

  UdpSocket socket_;
};

TEST_F(SocketDrainTest, EmptiesTheSocketWithinItsLimits) {
  Queue(50);
  const Drained drained = DrainSocket(socket_.fd);
  EXPECT_EQ(drained.datagrams, 50u);
  EXPECT_FALSE(drained.hit_bound);
}

TEST_F(SocketDrainTest, StopsAtItsCountAndSaysSo) {
  Queue(50);
  DrainLimits limits;
  limits.max_datagrams = 20;
  const Drained first = DrainSocket(socket_.fd, limits);
  EXPECT_EQ(first.datagrams, 20u);
  EXPECT_TRUE(first.hit_bound);
  const Drained rest = DrainSocket(socket_.fd);  // the other 30 are still there
  EXPECT_EQ(rest.datagrams, 30u);
  EXPECT_FALSE(rest.hit_bound);
}

// Time is the subject: a fake clock that moves 1 ms per reading. The drain
// reads it once to set its deadline and once before each datagram, so with
// 100 ms it takes exactly 99 of the 500 queued.
TEST_F(SocketDrainTest, StopsAtItsTimeAndSaysSo) {
  Queue(500);
  std::uint64_t fake_ns = 0;
  DrainLimits limits;
  limits.max_ns = 100'000'000;
  limits.clock = [&fake_ns] { return fake_ns += 1'000'000; };
  const Drained drained = DrainSocket(socket_.fd, limits);
  EXPECT_EQ(drained.datagrams, 99u);
  EXPECT_TRUE(drained.hit_bound);
}

// Two threads that never stop sending to the socket while it is drained: the
// drain returns, within its count.
TEST_F(SocketDrainTest, ReturnsWhileASenderKeepsSending) {
  std::atomic<bool> stop{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < 2; ++t) {
    senders.emplace_back([&] {
      LoopbackSender sender(socket_.port);
      for (std::uint64_t i = 0; !stop.load(std::memory_order_relaxed); ++i) sender.Send(i, kPayloadBytes);
    });
  }
  Queue(1000);  // the socket is not empty when the drain starts
  DrainLimits limits;
  limits.max_datagrams = 5000;
  auto drained = std::async(std::launch::async, [&] { return DrainSocket(socket_.fd, limits); });
  // A watchdog, not a timing: a drain bounded by 5000 datagrams (or 1 s)
  // returns in milliseconds, 60 s is for a machine 10x slower than any seen.
  const bool returned = drained.wait_for(std::chrono::seconds(60)) == std::future_status::ready;
  EXPECT_TRUE(returned) << "the drain ran on while the senders kept sending";
  stop = true;
  for (std::thread& t : senders) t.join();
  const Drained result = drained.get();
  EXPECT_GE(result.datagrams, 1000u);  // what was queued before it started, at least
  EXPECT_LE(result.datagrams, limits.max_datagrams);
  if (result.datagrams == limits.max_datagrams) {
    EXPECT_TRUE(result.hit_bound);
  }
}

}  // namespace
}  // namespace rxbench::receivers

namespace rxbench::harness {
namespace {

// A receive side (the null receiver: no pipeline) whose socket holds a few
// datagrams: while its final drain runs, a burst of kBurst datagrams arrives,
// most of which do not fit and are dropped by the kernel. Sent on the drain's
// own clock, so they arrive after the drain started and before it ends, on
// any machine. Every one of them is then in the account: drained (in flight
// at stop) or a kernel drop; none unexplained.
TEST(ReceiveSideDrain, DropsDuringTheDrainAreCounted) {
  constexpr std::uint64_t kBurst = 300;
  spec::ReceiveSideSpec config;
  config.receiver.strategy = *receivers::FindPreset("null");
  config.socket.rcvbuf_bytes = 1;  // the kernel's minimum: a few datagrams
  ReceiveSideHooks hooks;
  std::unique_ptr<testing_support::LoopbackSender> sender;
  bool burst_sent = false;
  hooks.socket_drain.clock = [&] {
    if (!burst_sent) {
      burst_sent = true;
      for (std::uint64_t i = 0; i < kBurst; ++i) sender->Send(i, 1200);
    }
    return metrics::MonotonicNs();
  };
  ReceiveSide side(config, hooks);
  std::string error;
  ASSERT_TRUE(side.Start(&error)) << error;
  sender = std::make_unique<testing_support::LoopbackSender>(side.port());
  ASSERT_TRUE(sender->ok());
  const ReceiveReport report = side.Finish(2.0);
  ASSERT_TRUE(burst_sent);
  EXPECT_FALSE(report.socket_drain_hit_bound);

  traffic_gen::GeneratorReport sent;
  sent.packets_sent = kBurst;
  RunIdentity id;
  id.strategy = "null";
  const RunResult r = SummarizeRun(id, sent, report);
  EXPECT_GT(r.kernel_drops, 0u);
  EXPECT_GT(r.in_flight_at_stop, 0u);
  EXPECT_EQ(r.kernel_drops + r.in_flight_at_stop, kBurst);
  EXPECT_EQ(r.unexplained_packets, 0);
}

}  // namespace
}  // namespace rxbench::harness
