// A receive call that fails on every call ends its receiver, with the errno
// named, instead of spinning through failures it took for idle waits; the
// errors are counted by errno into the results.
//
// The socket is made to fail for real: /dev/null is dup2()ed onto its fd, so
// every receive call on it fails with ENOTSOCK. recv=gro needs a socket to
// start (UDP_GRO is a socket option), so there the swap comes after Start();
// io_uring's multishot recvmsg, once armed, holds the socket it was armed on,
// so there it comes before.
#include <errno.h>
#include <fcntl.h>
#include <gst/gst.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "receivers/receive_errors.h"
#include "receivers/receiver.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "results/results_json.h"
#include "results/run_summary.h"
#include "tests/strategy_test_name.h"

namespace rxbench::receivers {
namespace {

class ReceiveErrorsTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    gst_init(nullptr, nullptr);
    std::string error;
    socket_ = OpenUdpSocket(UdpSocketOptions{}, &error);
    ASSERT_GE(socket_.fd, 0) << error;
    dev_null_ = open("/dev/null", O_RDWR | O_CLOEXEC);
    ASSERT_GE(dev_null_, 0);
  }
  void TearDown() override {
    close(socket_.fd);
    close(dev_null_);
  }
  void BreakSocket() { ASSERT_GE(dup2(dev_null_, socket_.fd), 0); }

  UdpSocket socket_;
  int dev_null_ = -1;
};

TEST_P(ReceiveErrorsTest, StopsOnAPersistentErrorAndNamesIt) {
  spec::ReceiverSpec settings;
  settings.strategy = *FindPreset(GetParam());
  settings.pool_size = 64;
  ReceiverConfig config;
  config.spec = &settings;
  config.fd = socket_.fd;
  const bool gro = settings.strategy.recv == RecvKind::kGro;
  if (!gro) BreakSocket();
  std::unique_ptr<Receiver> receiver = MakeReceiver(config);
  std::string error;
  if (!receiver->Start(&error)) {
    if (settings.strategy.recv == RecvKind::kIoUring) GTEST_SKIP() << "io_uring not usable here: " << error;
    FAIL() << error;
  }
  if (gro) BreakSocket();
  // A watchdog, not a timing: 64 failed calls take microseconds (io_uring
  // pauses 20 ms before re-arming after a failure: ~1.3 s); 60 s is for a
  // machine 10x slower than any seen.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (!receiver->Failed() && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(receiver->Failed()) << "the receiver did not stop on its own";
  receiver->Stop();
  const ReceiverResult& result = receiver->Result();
  EXPECT_NE(result.error.find("ENOTSOCK"), std::string::npos) << result.error;
  EXPECT_EQ(result.error.find('\n'), std::string::npos) << "one line";
  ASSERT_EQ(result.receive_errors.count("ENOTSOCK"), 1u);
  EXPECT_GE(result.receive_errors.at("ENOTSOCK"), static_cast<std::uint64_t>(ReceiveErrors::kPersistent));
  EXPECT_EQ(result.stats.packets, 0u);
}

// One preset per receive call, and the null receiver's two.
INSTANTIATE_TEST_SUITE_P(EveryReceiveCall, ReceiveErrorsTest,
                         testing::Values(std::string("baseline"), std::string("recvmmsg"), std::string("iouring"),
                                         std::string("gro"), std::string("null"), std::string("null+gro")),
                         tests::StrategyTestName);

TEST(ReceiveErrors, AStreakOfOneErrnoWithNothingReceivedPersists) {
  ReceiveErrors errors;
  for (int i = 1; i < ReceiveErrors::kPersistent; ++i) EXPECT_FALSE(errors.Count(EBADF));
  errors.Received();  // a datagram between: the streak starts again
  for (int i = 1; i < ReceiveErrors::kPersistent; ++i) EXPECT_FALSE(errors.Count(EBADF));
  EXPECT_FALSE(errors.Count(ENOTCONN));  // another errno: so does it
  for (int i = 1; i < ReceiveErrors::kPersistent; ++i) EXPECT_FALSE(errors.Count(EBADF));
  EXPECT_TRUE(errors.Count(EBADF));
  EXPECT_EQ(errors.ByName().at("EBADF"), 3u * (ReceiveErrors::kPersistent - 1) + 1);
  EXPECT_EQ(errors.ByName().at("ENOTCONN"), 1u);
  EXPECT_NE(errors.Reason("recvmmsg").find("recvmmsg failed with EBADF"), std::string::npos);
}

TEST(ReceiveErrors, ShortageOfMemoryNeverEndsTheLoop) {
  ReceiveErrors errors;
  for (int i = 0; i < 10 * ReceiveErrors::kPersistent; ++i) {
    EXPECT_FALSE(errors.Count(ENOMEM));
    EXPECT_FALSE(errors.Count(ENOBUFS));
  }
}

}  // namespace
}  // namespace rxbench::receivers

namespace rxbench::harness {
namespace {

// The run's error is the receiver's line, and the results carry the counts.
TEST(ReceiveErrorsInResults, CountedByErrnoAndTheRunFails) {
  ReceiveReport report;
  report.receiver.receive_errors = {{"ENOTSOCK", 64}};
  report.receiver.error = "the receiver stopped: recvmmsg failed with ENOTSOCK";
  report.error = report.receiver.error;
  traffic_gen::GeneratorReport sent;
  sent.packets_sent = 10;
  RunIdentity id;
  id.strategy = "recvmmsg";
  const nlohmann::json j = IterationJson(SummarizeRun(id, sent, report));
  EXPECT_EQ(j["receive_errors"]["ENOTSOCK"], 64);
  EXPECT_EQ(j["ok"], false);
  EXPECT_EQ(j["error_message"], report.error);

  report.is_udpsrc = true;  // no receiver of ours: unknown, not zero
  EXPECT_TRUE(IterationJson(SummarizeRun(id, sent, report))["receive_errors"].is_null());
}

}  // namespace
}  // namespace rxbench::harness
