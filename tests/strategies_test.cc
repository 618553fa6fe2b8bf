// End-to-end tests of every strategy preset through the runner: the same
// stream must come out of every strategy unchanged, and the loss accounting
// must explain every packet even when the receiver is overloaded.
//
// Everything runs on loopback, one strategy at a time. Counts are asserted
// exactly where the design guarantees them (a 5 kpps CBR stream into a 4 MiB
// socket buffer loses nothing, and the accounting identity holds always);
// nothing here depends on how fast the machine is.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "receivers/strategy.h"
#include "rtp/rtp_packet.h"
#include "run/runner.h"
#include "tests/strategy_test_name.h"
#include "tests/under_tsan.h"
#include "traffic_gen/impairment.h"
#include "traffic_gen/malformed.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::harness {
namespace {

constexpr std::size_t kPayloadBytes = 1200;

// "preset" or "preset/gsoN": the preset, with a GSO sender of N segments per
// call when asked (a UDP_GRO socket on loopback coalesces nothing else).
spec::RunSpec ConfigFor(const std::string& param) {
  spec::RunSpec config;
  const std::size_t slash = param.find("/gso");
  const std::string strategy = param.substr(0, slash);
  const auto spec = receivers::FindPreset(strategy);
  EXPECT_TRUE(spec.has_value()) << strategy;
  if (spec) config.receive.receiver.strategy = *spec;
  if (slash != std::string::npos)
    config.traffic.gso_segments = static_cast<unsigned>(std::stoul(param.substr(slash + 4)));
  config.scenario = "test";
  config.traffic.payload_bytes = kPayloadBytes;
  return config;
}

std::string Describe(const RunResult& r) {
  return "strategy=" + r.strategy + " ok=" + std::to_string(r.ok) + " error='" + r.error +
         "' sent=" + std::to_string(r.packets_sent) + " received=" + std::to_string(r.packets_received) +
         " delivered=" + std::to_string(r.packets_delivered) + " kernel_drops=" + std::to_string(r.kernel_drops) +
         " malformed=" + std::to_string(r.malformed) + " truncated=" + std::to_string(r.truncated) +
         " pipeline_drops=" + std::to_string(r.pipeline_drops) +
         " in_flight_at_stop=" + std::to_string(r.in_flight_at_stop) +
         " unexplained=" + std::to_string(r.unexplained_packets) + " send_errors=" + std::to_string(r.send_errors) +
         " seq_gaps=" + std::to_string(r.seq_gaps) + " wall_s=" + std::to_string(r.wall_s);
}

// Packets that reached the sink, counted on its streaming thread; the mutex
// makes the hand-over to the test's thread explicit.
class SinkCount {
 public:
  std::function<void(const DeliveredPacket&)> Observer() {
    return [this](const DeliveredPacket&) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++count_;
    };
  }
  std::uint64_t count() {
    std::lock_guard<std::mutex> lock(mutex_);
    return count_;
  }

 private:
  std::mutex mutex_;
  std::uint64_t count_ = 0;
};

class StrategiesTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (tests::HandOverUnseenByTsan(GetParam())) GTEST_SKIP() << "gro under TSan: see tests/under_tsan.h";
  }
};

// 5000 packets at 5 kpps: every strategy delivers exactly the sent stream, in
// order, byte for byte.
TEST_P(StrategiesTest, SameDeliveredSequence) {
  spec::RunSpec config = ConfigFor(GetParam());
  const bool is_null = config.receive.receiver.strategy.receiver == receivers::ReceiverKind::kNull;
  config.traffic.rate_pps = 5000;
  config.traffic.shape = traffic_gen::Shape::kCbr;
  config.traffic.duration_s = 1;
  config.receive.measurement.verify_payload = true;

  // The observer runs on the sink's streaming thread; the mutex makes the hand
  // over to this thread explicit (and keeps ThreadSanitizer informed).
  std::mutex mutex;
  std::vector<std::uint64_t> indices;
  std::vector<std::uint16_t> sequences;
  std::uint64_t bad_payloads = 0, bad_sizes = 0;
  indices.reserve(5000);
  sequences.reserve(5000);
  ReceiveSideHooks hooks;
  hooks.observer = [&](const DeliveredPacket& p) {
    std::lock_guard<std::mutex> lock(mutex);
    indices.push_back(p.index);
    sequences.push_back(p.sequence);
    if (!p.payload_ok) ++bad_payloads;
    if (p.size != rtp::kHeaderBytes + kPayloadBytes) ++bad_sizes;
  };

  const RunResult r = RunOnce(config, false, hooks);
  SCOPED_TRACE(Describe(r));
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.packets_sent, 5000u);
  EXPECT_EQ(r.send_errors, 0u);

  if (is_null) {
    // No pipeline, no sink: delivery is what the receiver took off the socket.
    EXPECT_EQ(r.packets_delivered, r.packets_sent);
    EXPECT_EQ(r.truncated, 0u);
    EXPECT_EQ(r.unexplained_packets, 0);
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_TRUE(indices.empty());
    return;
  }

  EXPECT_EQ(r.packets_delivered, r.packets_sent);
  EXPECT_EQ(r.packets_delivered, 5000u);
  EXPECT_EQ(r.payload_mismatches, 0u);
  EXPECT_EQ(r.unstamped_packets, 0u);  // every stamp agreed with the packet it rode on
  EXPECT_EQ(r.unexplained_packets, 0);
  EXPECT_EQ(r.kernel_drops, 0u);
  EXPECT_EQ(r.pipeline_drops, 0u);
  EXPECT_EQ(r.malformed, 0u);
  EXPECT_EQ(r.truncated, 0u);
  EXPECT_EQ(r.seq_gaps, 0u);
  EXPECT_EQ(r.duplicates, 0u);
  EXPECT_EQ(r.reordered, 0u);
  EXPECT_GT(r.latency.p50, 0.0);
  EXPECT_GT(r.cpu_ns_per_packet_receiver, 0.0);

  std::lock_guard<std::mutex> lock(mutex);
  EXPECT_EQ(bad_payloads, 0u);
  EXPECT_EQ(bad_sizes, 0u);
  ASSERT_EQ(indices.size(), 5000u);
  std::uint64_t first_wrong = indices.size();
  for (std::uint64_t i = 0; i < indices.size(); ++i) {
    if (indices[i] != i || sequences[i] != static_cast<std::uint16_t>(i)) {
      first_wrong = i;
      break;
    }
  }
  EXPECT_EQ(first_wrong, indices.size()) << "delivered stream differs at position " << first_wrong << ": index "
                                         << (first_wrong < indices.size() ? indices[first_wrong] : 0) << ", sequence "
                                         << (first_wrong < sequences.size() ? sequences[first_wrong] : 0);
}

// 150 kpps in 30 fps bursts (5000 packets back to back per frame) into a
// 256 KiB socket buffer (the smallest behind a GSO sender): the kernel must
// drop. Every figure of the loss account
// is then checked against a count the runner did not make: what the sink
// actually saw (the observer), the socket's drop counter as the receiver read
// it in SO_RXQ_OVFL control messages, and the host's RcvbufErrors.
TEST_P(StrategiesTest, LossAccountUnderOverloadMatchesIndependentCounts) {
  spec::RunSpec config = ConfigFor(GetParam());
  config.traffic.rate_pps = 150000;
  config.traffic.shape = traffic_gen::Shape::kBurst;
  config.traffic.fps = 30;
  config.traffic.duration_s = 1;
  config.traffic.warmup_packets = 0;
  config.receive.socket.rcvbuf_bytes = 256 * 1024;
  // A GSO sender's coalesced datagrams are ~40 KB each: the fastest GRO
  // receiver (null+gro) keeps 256 KiB from overflowing on a quiet machine
  // (0 drops seen in CI, 352-18 368 here). The kernel's smallest buffer
  // holds one coalesced datagram, so the second to arrive before a read is
  // dropped (17 000-44 000 drops in 8 of 8 quiet runs).
  if (config.traffic.gso_segments > 1) config.receive.socket.rcvbuf_bytes = 4096;
  config.receive.socket.kernel_timestamps = true;  // SO_RXQ_OVFL for the strategies that read control messages
  SinkCount observed;
  ReceiveSideHooks hooks;
  hooks.observer = observed.Observer();

  const RunResult r = RunOnce(config, false, hooks);
  SCOPED_TRACE(Describe(r));
  std::printf("  %s\n", Describe(r).c_str());  // how hard the overload was on this machine
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.packets_sent + r.send_errors, 150000u);
  EXPECT_GT(r.packets_delivered, 0u);
  // TSan slows the generator as much as the receiver: the fastest receivers
  // (null) then keep up, and there is no overload to account for.
  if (tests::kUnderTsan && r.kernel_drops == 0) GTEST_SKIP() << "no overload reached under TSan";
  EXPECT_GT(r.kernel_drops, 0u) << "no overload: the test proves nothing";
  EXPECT_EQ(r.unexplained_packets, 0);
  // A UDP_GRO socket fed by GSO counts whole coalesced datagrams (its
  // packets are then bounded by that count, loss_account.h); every other
  // socket counts packets.
  const bool coalesced = config.receive.receiver.strategy.recv == receivers::RecvKind::kGro &&
                         config.traffic.gso_segments > 1 &&
                         config.receive.receiver.strategy.receiver != receivers::ReceiverKind::kUdpsrc;
  if (coalesced) {
    EXPECT_GT(r.kernel_drops, r.kernel_drop_datagrams) << "no coalesced datagram was dropped";
    EXPECT_LE(r.kernel_drops, r.kernel_drop_datagrams * config.traffic.gso_segments);
  } else {
    EXPECT_EQ(r.kernel_drops, r.kernel_drop_datagrams);
  }

  // Delivery as the sink saw it, packet by packet (null has no sink).
  if (config.receive.receiver.strategy.receiver != receivers::ReceiverKind::kNull) {
    EXPECT_EQ(observed.count(), r.packets_delivered);
  }
  // The socket's drop counter as the kernel stamped it on received datagrams:
  // it counts drops before the last datagram queued, so it can trail the
  // final count, never exceed it.
  if (r.socket_drops_rxq_ovfl) {
    EXPECT_GT(*r.socket_drops_rxq_ovfl, 0u);
    EXPECT_LE(*r.socket_drops_rxq_ovfl, r.kernel_drop_datagrams);
  }
  const bool reads_control_messages = config.receive.receiver.strategy.receiver == receivers::ReceiverKind::kNull ||
                                      (config.receive.receiver.strategy.receiver == receivers::ReceiverKind::kLoop &&
                                       config.receive.receiver.strategy.recv != receivers::RecvKind::kRecvfrom);
  EXPECT_EQ(r.socket_drops_rxq_ovfl.has_value(), reads_control_messages);
  // The host counts every socket's drops: at least ours.
  ASSERT_TRUE(r.host_rcvbuf_errors.has_value());
  EXPECT_GE(*r.host_rcvbuf_errors, r.kernel_drop_datagrams);
}

INSTANTIATE_TEST_SUITE_P(AllPresets, StrategiesTest, testing::ValuesIn(receivers::PresetNames()),
                         rxbench::tests::StrategyTestName);
// GRO needs a GSO sender on loopback; the others then get the kernel's
// segments, and must come out the same.
INSTANTIATE_TEST_SUITE_P(GsoSender, StrategiesTest,
                         testing::Values("gro/gso32", "null+gro/gso32", "combined-list/gso32", "udpsrc/gso32"),
                         rxbench::tests::StrategyTestName);

// Every kind of malformed datagram, slipped between valid packets by the
// generator (1 % each): each receive-loop strategy counts every one under its
// kind exactly as the generator sent them (oversize ones as truncated),
// pushes none, and delivers every valid packet around them. (udpsrc cannot
// validate and `null` does not: they are not in this test.)
class MalformedInputTest : public StrategiesTest {};

TEST_P(MalformedInputTest, EveryKindCountedExactlyAndTheValidOnesDelivered) {
  spec::RunSpec config = ConfigFor(GetParam());
  config.traffic.rate_pps = 5000;
  config.traffic.shape = traffic_gen::Shape::kCbr;
  config.traffic.duration_s = 1;
  std::string error;
  ASSERT_TRUE(traffic_gen::ParseMalformedSpec(
      "empty,short,bad-version,csrc-overrun,extension-overrun,padding-overrun,foreign-ssrc,bad-payload-type,oversize",
      &config.traffic.malformed, &error))
      << error;
  const RunResult r = RunOnce(config);
  SCOPED_TRACE(Describe(r));
  ASSERT_TRUE(r.ok) << r.error;
  std::uint64_t injected = 0;
  for (const char* kind : {"empty", "short", "bad-version", "csrc-overrun", "extension-overrun", "padding-overrun",
                           "foreign-ssrc", "bad-payload-type"}) {
    const std::uint64_t sent = r.malformed_injected.count(kind) ? r.malformed_injected.at(kind) : 0;
    EXPECT_GT(sent, 0u) << kind << ": none injected, the test proves nothing";
    EXPECT_EQ(r.malformed_by_kind.at(kind), sent) << kind;
    injected += sent;
  }
  ASSERT_TRUE(r.malformed_injected.count("oversize"));
  EXPECT_EQ(r.truncated, r.malformed_injected.at("oversize"));
  EXPECT_EQ(r.malformed, injected);
  EXPECT_EQ(r.packets_delivered, r.packets_sent - injected - r.truncated);
  EXPECT_EQ(r.packets_delivered, r.warmup_packets + 5000u);
  EXPECT_EQ(r.seq_gaps, 0u);
  EXPECT_EQ(r.kernel_drops, 0u);
  EXPECT_EQ(r.unexplained_packets, 0);
}

std::vector<std::string> ReceiveLoopPresets() {
  std::vector<std::string> names;
  for (const receivers::StrategySpec& s : receivers::Presets()) {
    if (s.receiver == receivers::ReceiverKind::kLoop) names.push_back(s.name);
  }
  return names;
}

INSTANTIATE_TEST_SUITE_P(ReceiveLoopPresets, MalformedInputTest, testing::ValuesIn(ReceiveLoopPresets()),
                         rxbench::tests::StrategyTestName);

// The default pipeline without its rtpjitterbuffer, which would remove the
// duplicates and late packets before the sink counts them.
constexpr char kPipelineWithoutJitterbuffer[] =
    "appsrc name=src is-live=true format=time do-timestamp=true max-bytes=16000000 leaky-type=downstream "
    "! queue max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 "
    "! fakesink name=sink sync=false async=false enable-last-sample=false";

// --impair, through every strategy with a sink into a pipeline that keeps
// what it is given: the sink's sequence counts equal exactly what the
// generator reports it injected (each kind > 0), the second copies are
// delivered like any datagram, the withheld packets are no loss of the
// receive path, and the loss account closes. The warm-up is not impaired.
class ImpairedSequenceTest : public StrategiesTest {};

TEST_P(ImpairedSequenceTest, SinkCountsEqualWhatWasInjected) {
  spec::RunSpec config = ConfigFor(GetParam());
  config.receive.pipeline.description = kPipelineWithoutJitterbuffer;
  config.traffic.rate_pps = 5000;
  config.traffic.shape = traffic_gen::Shape::kCbr;
  config.traffic.duration_s = 1;
  config.traffic.warmup_packets = 300;
  config.traffic.seed = 11;
  std::string error;
  ASSERT_TRUE(traffic_gen::ParseImpairmentSpec("loss=1%,dup=1%,reorder=1%", &config.traffic.impair, &error)) << error;
  SinkCount observed;
  ReceiveSideHooks hooks;
  hooks.observer = observed.Observer();
  const RunResult r = RunOnce(config, false, hooks);
  SCOPED_TRACE(Describe(r));
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_TRUE(r.impairments_injected.has_value());
  const traffic_gen::ImpairmentReport& injected = *r.impairments_injected;
  EXPECT_GT(injected.losses, 0u) << "nothing withheld: the test proves nothing";
  EXPECT_GT(injected.duplicates, 0u) << "nothing duplicated: the test proves nothing";
  EXPECT_GT(injected.reorders, 0u) << "nothing reordered: the test proves nothing";
  EXPECT_EQ(r.seq_gaps, injected.losses);
  EXPECT_EQ(r.duplicates, injected.duplicates);
  EXPECT_EQ(r.reordered, injected.reorders);
  EXPECT_EQ(r.seq_stale, 0u);
  EXPECT_EQ(r.send_errors, 0u);
  EXPECT_EQ(r.warmup_packets, 300u);
  EXPECT_EQ(r.packets_sent, 300u + 5000u - injected.losses + injected.duplicates);
  EXPECT_EQ(r.packets_delivered, r.packets_sent);
  EXPECT_EQ(r.kernel_drops, 0u);
  EXPECT_EQ(r.pipeline_drops, 0u);
  EXPECT_EQ(r.unexplained_packets, 0);
  EXPECT_EQ(observed.count(), r.packets_delivered);
}

// udpsrc too: it pushes what it reads, so the sink sees the same stream.
std::vector<std::string> PresetsWithASink() {
  std::vector<std::string> names = ReceiveLoopPresets();
  names.push_back("udpsrc");
  return names;
}

INSTANTIATE_TEST_SUITE_P(PresetsWithASink, ImpairedSequenceTest, testing::ValuesIn(PresetsWithASink()),
                         rxbench::tests::StrategyTestName);

}  // namespace
}  // namespace rxbench::harness
