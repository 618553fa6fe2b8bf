// Lock-step (issue 19's exact tier), piece by piece: the generator sends in
// rounds and waits after each; the read gate lets a receiver take exactly the
// released packets and sleep once per round; every receiver that can honour
// it reads each round in the same calls whatever the scheduling. Only counts
// and order are checked: they hold at any speed. (Time bounds below only end
// a hung test.)
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pipeline.h"
#include "receivers/read_gate.h"
#include "receivers/receiver.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "run/runner.h"
#include "tests/fake_pacing_clock.h"
#include "tests/loopback_sender.h"
#include "tests/strategy_test_name.h"
#include "tests/under_tsan.h"
#include "traffic_gen/generator.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench {
namespace {

using std::chrono::milliseconds;

// Waits (polling) until `done()`; false after 20 s: only a hang fails it.
template <typename Done>
bool Eventually(Done done) {
  for (int i = 0; i < 10'000 && !done(); ++i) std::this_thread::sleep_for(milliseconds(2));
  return done();
}

// A bound loopback socket that the test itself reads.
class TestSocket {
 public:
  TestSocket() {
    fd_ = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd_, reinterpret_cast<sockaddr*>(&a), sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd_, reinterpret_cast<sockaddr*>(&a), &len);
    port_ = ntohs(a.sin_port);
    const int rcvbuf = 4 << 20;
    setsockopt(fd_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
    // A receive that waits this long means a hang, not a slow machine.
    timeval timeout{20, 0};
    setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  }
  ~TestSocket() { close(fd_); }
  std::uint16_t port() const { return port_; }
  // Reads exactly n datagrams (waiting for late ones), then says whether
  // any more was there.
  bool ReadExactlyThenEmpty(std::uint64_t n, std::string* problem) {
    char buffer[2048];
    for (std::uint64_t i = 0; i < n; ++i) {
      if (recv(fd_, buffer, sizeof buffer, 0) < 0) {
        *problem = "datagram " + std::to_string(i) + " of " + std::to_string(n) + " never came";
        return false;
      }
    }
    if (recv(fd_, buffer, sizeof buffer, MSG_DONTWAIT) >= 0) {
      *problem = "a datagram beyond the round was already there";
      return false;
    }
    return true;
  }

 private:
  int fd_ = -1;
  std::uint16_t port_ = 0;
};

// --- The generator's rounds -------------------------------------------------

struct Rounds {
  std::vector<std::uint64_t> sent_at_round;  // packets_sent at each round hook
  std::vector<std::string> problems;
  std::uint64_t sent_at_warmup = 0;
  int warmups = 0;
};

Rounds SendInRounds(unsigned send_batch) {
  TestSocket socket;
  traffic_gen::TrafficSpec spec;
  spec.dest_port = socket.port();
  spec.packet_count = 35;
  spec.warmup_packets = 12;
  spec.lock_step_packets = 10;
  spec.send_batch = send_batch;
  spec.rate_pps = 1;  // lock-step ignores the rate: at 1 pps pacing would take 47 s

  Rounds rounds;
  std::uint64_t before = 0;
  traffic_gen::GeneratorHooks hooks;
  hooks.after_round = [&](const traffic_gen::GeneratorReport& so_far) {
    rounds.sent_at_round.push_back(so_far.packets_sent);
    std::string problem;
    if (!socket.ReadExactlyThenEmpty(so_far.packets_sent - before, &problem)) rounds.problems.push_back(problem);
    before = so_far.packets_sent;
  };
  hooks.after_warmup = [&](const traffic_gen::GeneratorReport& so_far) {
    ++rounds.warmups;
    rounds.sent_at_warmup = so_far.packets_sent;
  };
  tests::FakePacingClock clock;
  traffic_gen::Generator generator(spec, hooks, &clock);
  std::string error;
  EXPECT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  EXPECT_EQ(generator.Report().packets_sent, 47u);
  // No pacing at all: the sender never slept.
  EXPECT_TRUE(clock.sleeps().empty());
  return rounds;
}

// Rounds of 10 within the warm-up (12: 10, then 2), then within the measured
// stream (35: 10, 10, 10, 5); each round is in the socket, whole and alone,
// when the hook runs.
TEST(LockStepGenerator, SendsRoundsAndWaitsAfterEach) {
  for (unsigned send_batch : {1u, 4u}) {
    SCOPED_TRACE("send_batch " + std::to_string(send_batch));
    const Rounds rounds = SendInRounds(send_batch);
    EXPECT_EQ(rounds.sent_at_round, (std::vector<std::uint64_t>{10, 12, 22, 32, 42, 47}));
    EXPECT_EQ(rounds.warmups, 1);
    EXPECT_EQ(rounds.sent_at_warmup, 12u);
    EXPECT_TRUE(rounds.problems.empty()) << rounds.problems.front();
  }
}

TEST(LockStepGenerator, ValidateRefusesWhatCannotBeLockStepped) {
  traffic_gen::TrafficSpec spec;
  spec.dest_port = 9;
  spec.lock_step_packets = 16;
  EXPECT_EQ(traffic_gen::Validate(spec), "");
  spec.tx_timestamps = true;
  EXPECT_NE(traffic_gen::Validate(spec).find("lock-step"), std::string::npos);
}

// --- The read gate ----------------------------------------------------------

TEST(ReadGate, WaitsForAReleaseAndAllowsOnlyWhatWasReleased) {
  receivers::ReadGate gate;
  std::atomic<int> allowed{-1};
  std::thread reader([&] { allowed = gate.Limit(64); });
  ASSERT_TRUE(Eventually([&] { return gate.waits() == 1 && gate.parked(); }));
  // Never early: parked until released, however long that takes.
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(allowed.load(), -1);
  gate.Release(40);
  reader.join();
  EXPECT_FALSE(gate.parked());
  EXPECT_EQ(allowed.load(), 40);
  gate.Took(40, 24, 1);  // a short read: 24 of the 40
  EXPECT_EQ(gate.short_reads(), 1u);
  EXPECT_EQ(gate.Limit(64), 16);  // the rest, without a wait
  EXPECT_EQ(gate.Limit(8), 8);
  gate.Took(16, 16, 0);
  EXPECT_EQ(gate.taken(), 40u);
  EXPECT_EQ(gate.refused(), 1u);
  EXPECT_EQ(gate.short_reads(), 1u);
  EXPECT_EQ(gate.waits(), 1u);
}

TEST(ReadGate, CloseEndsAWaitWithNothing) {
  receivers::ReadGate gate;
  std::atomic<int> allowed{-1};
  std::thread reader([&] { allowed = gate.Limit(64); });
  ASSERT_TRUE(Eventually([&] { return gate.waits() == 1; }));
  gate.Close();
  reader.join();
  EXPECT_EQ(allowed.load(), 0);
  EXPECT_EQ(gate.Limit(64), 0);  // and every later one at once
}

// --- Receivers behind the gate ----------------------------------------------

std::vector<std::string> GatedPresetNames() {
  std::vector<std::string> names;
  for (const receivers::StrategySpec& s : receivers::Presets()) {
    // udpsrc reads inside the pipeline; io_uring's multishot receive takes
    // datagrams off the socket as they arrive: neither can wait for a round.
    if (s.receiver == receivers::ReceiverKind::kUdpsrc || s.recv == receivers::RecvKind::kIoUring) continue;
    names.push_back(s.name);
  }
  return names;
}

class GatedReceiverTest : public testing::TestWithParam<std::string> {};

// Two rounds of 24 and 16 datagrams, read in calls of at most 16: the
// receiver takes nothing before a release and never more than released, sleeps
// at the gate once per round and once before the first, and -- when every
// datagram of a round was in the socket at its release (no short read) --
// reads each round in exactly ceil(round / batch) calls, never waiting inside
// its receive call.
TEST_P(GatedReceiverTest, ReadsEachRoundInTheSameCalls) {
  if (tests::HandOverUnseenByTsan(GetParam())) GTEST_SKIP() << "gro under TSan: see tests/under_tsan.h";
  const auto strategy = receivers::FindPreset(GetParam());
  ASSERT_TRUE(strategy.has_value());
  std::string error;
  receivers::UdpSocketOptions options;
  options.rcvbuf_bytes = 4 << 20;
  receivers::UdpSocket socket = receivers::OpenUdpSocket(options, &error);
  ASSERT_GE(socket.fd, 0) << error;
  std::unique_ptr<harness::Pipeline> pipeline;
  if (strategy->receiver != receivers::ReceiverKind::kNull) {
    pipeline = harness::Pipeline::Create(harness::kDefaultPipeline, -1, nullptr, &error);
    ASSERT_NE(pipeline, nullptr) << error;
    ASSERT_TRUE(pipeline->Play(&error)) << error;
  }
  spec::ReceiverSpec receiver_spec;
  receiver_spec.strategy = *strategy;
  receiver_spec.batch = 16;
  receivers::ReadGate gate;
  receivers::ReceiverConfig config;
  config.spec = &receiver_spec;
  config.fd = socket.fd;
  config.appsrc = pipeline ? pipeline->appsrc() : nullptr;
  config.read_gate = &gate;
  std::unique_ptr<receivers::Receiver> receiver = receivers::MakeReceiver(config);
  ASSERT_TRUE(receiver->Start(&error)) << error;
  ASSERT_TRUE(Eventually([&] { return gate.waits() == 1; })) << "never parked at the gate";

  testing_support::LoopbackSender sender(socket.port);
  ASSERT_TRUE(sender.ok());
  for (std::uint64_t i = 0; i < 40; ++i) ASSERT_TRUE(sender.Send(i, 1200));
  // Sent, not released: nothing is taken.
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(gate.taken(), 0u);
  EXPECT_EQ(receiver->Snapshot().packets, 0u);

  gate.Release(24);
  ASSERT_TRUE(Eventually([&] { return gate.waits() == 2; }));
  EXPECT_EQ(gate.taken(), 24u);
  std::this_thread::sleep_for(milliseconds(50));
  EXPECT_EQ(gate.taken(), 24u) << "took more than released";

  gate.Release(40);
  ASSERT_TRUE(Eventually([&] { return gate.waits() == 3; }));
  EXPECT_EQ(gate.taken(), 40u);
  EXPECT_EQ(gate.refused(), 0u);
  receiver->Stop();
  const receivers::ReceiverStats stats = receiver->Result().stats;
  EXPECT_EQ(stats.packets, 40u);
  const std::uint64_t per_call = strategy->recv == receivers::RecvKind::kRecvfrom ? 1 : 16;
  const std::uint64_t calls = (24 + per_call - 1) / per_call + (16 + per_call - 1) / per_call;
  if (gate.short_reads() == 0) {
    EXPECT_EQ(stats.batches, calls);
    EXPECT_EQ(stats.idle_waits, 0u);
  } else {
    EXPECT_GT(stats.batches, calls);  // a short read splits a call in two
  }
  if (pipeline) pipeline->Stop();
  close(socket.fd);
}

INSTANTIATE_TEST_SUITE_P(Presets, GatedReceiverTest, testing::ValuesIn(GatedPresetNames()), tests::StrategyTestName);

// --- A whole run ------------------------------------------------------------

// A lock-step run of `strategy` in rounds of 64 after 100 warm-up packets.
spec::RunSpec LockStepRunSpec(const char* strategy, std::uint64_t measured_packets) {
  spec::RunSpec spec;
  spec.receive.receiver.strategy = *receivers::FindPreset(strategy);
  spec.traffic.packet_count = measured_packets;
  spec.traffic.warmup_packets = 100;
  spec.traffic.lock_step_packets = 64;
  spec.traffic.rate_pps = 1;  // ignored in lock-step: paced, a run would take minutes
  return spec;
}

// Through the runner: 100 warm-up packets (rounds of 64 and 36) and 300
// measured ones (4 of 64 and 44): 7 rounds, each waited for until it left the
// pipeline, and the receiver asleep at the gate before each release and after
// the last (8 sleeps), whatever the scheduling.
TEST(LockStepRun, EveryRoundIsReleasedToASleepingReceiverAndLeavesThePipeline) {
  for (const char* name : {"baseline", "combined-list", "null"}) {
    SCOPED_TRACE(name);
    const harness::RunResult r = harness::RunOnce(LockStepRunSpec(name, 300));
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_TRUE(r.lock_step.has_value());
    EXPECT_EQ(r.lock_step->packets_per_round, 64u);
    EXPECT_EQ(r.lock_step->rounds, 7u);
    EXPECT_EQ(r.lock_step->gate_waits, 8u);
    EXPECT_EQ(r.lock_step->unfinished_rounds, 0u);
    EXPECT_EQ(r.packets_sent, 400u);
    EXPECT_EQ(r.packets_delivered, 400u);
    EXPECT_EQ(r.window_packets, 300u);
  }
}

// The floor held against a strategy (issue 19 section 2): in lock-step, null
// and combined-list read every round in the same receive calls of --batch
// (one option for both: a compare cannot give them different batches) and
// sleep at the gate once per round, so null's wake-ups and syscalls per packet
// are the strategy's and its CPU per packet is a floor. 100 warm-up packets
// (64 + 36: 2 + 2 calls of at most 32) and 2000 measured (31 rounds of 64 and
// one of 16: 63 calls): 34 rounds, 35 sleeps at the gate, 67 calls.
TEST(LockStepRun, NullReadsInTheSameCallsAsTheStrategyItIsHeldAgainst) {
  std::map<std::string, harness::RunResult> runs;
  for (const char* name : {"combined-list", "null"}) {
    SCOPED_TRACE(name);
    harness::RunResult r = harness::RunOnce(LockStepRunSpec(name, 2000));
    ASSERT_TRUE(r.ok) << r.error;
    ASSERT_TRUE(r.lock_step.has_value());
    ASSERT_TRUE(r.receive_calls_per_packet.has_value());
    EXPECT_EQ(r.lock_step->rounds, 34u);
    EXPECT_EQ(r.lock_step->gate_waits, 35u);
    EXPECT_EQ(r.window_packets, 2000u);
    runs[name] = std::move(r);
  }
  const harness::RunResult& null = runs["null"];
  const harness::RunResult& strategy = runs["combined-list"];
  EXPECT_EQ(null.lock_step->gate_waits, strategy.lock_step->gate_waits);
  // A short read (a datagram still on its way at a release) splits a call.
  if (null.lock_step->short_reads + strategy.lock_step->short_reads == 0) {
    EXPECT_EQ(null.receiver_batches, 67u);
    EXPECT_EQ(null.receiver_batches, strategy.receiver_batches);
    EXPECT_EQ(*null.receive_calls_per_packet, 63.0 / 2000);
    EXPECT_EQ(*null.receive_calls_per_packet, *strategy.receive_calls_per_packet);
  }
}

}  // namespace
}  // namespace rxbench
