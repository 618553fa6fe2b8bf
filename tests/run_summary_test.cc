// SummarizeRun on hand-made reports, for what two-host mode adds: a stream
// whose sender said nothing (any RTP sender) leaves the sent count unknown
// instead of inventing one, and send stamps on another clock (or none) make
// the send -> sink latency unavailable while jitter and sequence figures stay.
#include <gtest/gtest.h>

#include "results/results_json.h"
#include "results/run_summary.h"

namespace rxbench::harness {
namespace {

// 100 packets taken off the socket, pushed and delivered, each timed.
ReceiveReport HundredDelivered() {
  ReceiveReport r;
  r.receiver.stats.packets = 100;
  r.receiver.stats.pushed = 100;
  r.sink.delivered = 100;
  r.pipeline.source_out = 100;
  r.window_delivered = 100;
  for (std::uint32_t i = 0; i < 100; ++i) {
    r.sink.latency.Record(50'000);
    r.sink.sequence.OnPacket(static_cast<std::uint16_t>(i));
    r.sink.jitter.OnPacket(i * 900, 1'000'000'000 + i * 10'000'000ull + (i % 2) * 20'000);
  }
  return r;
}

traffic_gen::GeneratorReport Sent(std::uint64_t packets) {
  traffic_gen::GeneratorReport s;
  s.packets_sent = packets;
  s.offered_pps = 100;
  return s;
}

RunIdentity Id() {
  RunIdentity id;
  id.strategy = "baseline";
  id.run_id = "0123456789abcdef";
  return id;
}

TEST(RunSummaryTest, AnnouncedSenderClosesTheAccount) {
  const RunResult r = SummarizeRun(Id(), Sent(103), HundredDelivered());
  EXPECT_TRUE(r.ok) << r.error;
  EXPECT_TRUE(r.sent_known);
  EXPECT_EQ(r.packets_sent, 103u);
  EXPECT_EQ(r.unexplained_packets, 3);
  EXPECT_EQ(r.run_id, "0123456789abcdef");
  EXPECT_EQ(r.latency.count, 100u);
  EXPECT_TRUE(r.latency_unavailable.empty());
}

// The sender fell behind when it achieved more than 2 % less than offered:
// 100 pps offered, the measured stream due over 0.99 s, sent over 1.0 s (99 pps)
// or 1.03 s (96.1 pps).
TEST(RunSummaryTest, FellBehindMeansMoreThanTwoPercentShort) {
  traffic_gen::GeneratorReport sent = Sent(100);
  sent.first_due_ns = 0;
  sent.last_due_ns = 990'000'000;
  sent.first_send_ns = 5'000'000'000;
  sent.last_send_ns = sent.first_send_ns + 1'000'000'000;
  RunResult r = SummarizeRun(Id(), sent, HundredDelivered());
  EXPECT_DOUBLE_EQ(r.achieved_pps, 99.0);
  EXPECT_FALSE(r.generator_fell_behind);
  sent.last_send_ns = sent.first_send_ns + 1'030'000'000;
  r = SummarizeRun(Id(), sent, HundredDelivered());
  EXPECT_NEAR(r.achieved_pps, 96.12, 0.01);
  EXPECT_TRUE(r.generator_fell_behind);
}

// recv=gro: the receiver's datagrams beside its packets, whole run; null in
// the JSON for a strategy that does not read with UDP_GRO.
TEST(RunSummaryTest, GroDatagramsAndSegmentsPerDatagram) {
  ReceiveReport received = HundredDelivered();
  received.gro = true;
  received.receiver.stats.gro_datagrams = 40;
  received.receiver.stats.gro_coalesced = 25;
  RunResult r = SummarizeRun(Id(), Sent(100), received);
  ASSERT_TRUE(r.gro_datagrams && r.gro_coalesced_datagrams && r.gro_segments_per_datagram);
  EXPECT_EQ(*r.gro_datagrams, 40u);
  EXPECT_EQ(*r.gro_coalesced_datagrams, 25u);
  EXPECT_DOUBLE_EQ(*r.gro_segments_per_datagram, 2.5);
  nlohmann::json j = IterationJson(r);
  EXPECT_EQ(j["gro_datagrams"], 40);
  EXPECT_EQ(j["gro_coalesced_datagrams"], 25);
  EXPECT_DOUBLE_EQ(j["gro_segments_per_datagram"].get<double>(), 2.5);
  // Nothing read: datagrams 0, no ratio.
  received.receiver.stats = {};
  r = SummarizeRun(Id(), Sent(100), received);
  EXPECT_EQ(r.gro_datagrams, 0u);
  EXPECT_FALSE(r.gro_segments_per_datagram);
  // Not gro: unknown, not 0.
  j = IterationJson(SummarizeRun(Id(), Sent(100), HundredDelivered()));
  for (const char* key : {"gro_datagrams", "gro_coalesced_datagrams", "gro_segments_per_datagram"})
    EXPECT_TRUE(j[key].is_null()) << key;
}

TEST(RunSummaryTest, UnknownSentCountIsNotInvented) {
  const RunResult r = SummarizeRun(Id(), std::nullopt, HundredDelivered());
  EXPECT_TRUE(r.ok) << r.error;  // not "the generator sent nothing"
  EXPECT_FALSE(r.sent_known);
  EXPECT_EQ(r.unexplained_packets, 0);
  EXPECT_EQ(r.packets_delivered, 100u);
  EXPECT_FALSE(r.generator_fell_behind);
  const nlohmann::json j = IterationJson(r);
  EXPECT_TRUE(j["packets_sent"].is_null());
  EXPECT_TRUE(j["unexplained_packets"].is_null());
  EXPECT_TRUE(j["send_errors"].is_null());
  EXPECT_TRUE(j.contains("sent_unknown"));
  EXPECT_EQ(j["packets_delivered"], 100);
  EXPECT_EQ(j["run_id"], "0123456789abcdef");
}

TEST(RunSummaryTest, SendTimesOnAnotherClockMakeLatencyUnavailableButKeepJitter) {
  RunIdentity id = Id();
  id.send_times_unavailable = "another kernel";
  const RunResult r = SummarizeRun(id, Sent(100), HundredDelivered());
  EXPECT_EQ(r.latency.count, 0u);
  EXPECT_EQ(r.network.count, 0u);
  EXPECT_EQ(r.latency_unavailable, "another kernel");
  ASSERT_TRUE(r.jitter_rfc3550_us.has_value());
  EXPECT_GT(*r.jitter_rfc3550_us, 0);
  EXPECT_EQ(r.seq_gaps, 0u);
  const nlohmann::json j = IterationJson(r);
  EXPECT_TRUE(j["latency_p50_ns"].is_null());
  EXPECT_EQ(j["latency_unavailable"], "another kernel");
  EXPECT_EQ(j["unexplained_packets"], 0);
}

}  // namespace
}  // namespace rxbench::harness

namespace rxbench::harness {
namespace {

// A decoding pipeline's frames: 100 packets at the depayloader with 4 lost
// before it (sequence gaps), 30 access units sent, 27 decoded of which 2
// damaged: (30 - 27 + 2) frames per 4 lost packets = 1250 per 1000. The
// decoder's CPU per frame is its per-packet CPU times packets per frame in
// the window.
TEST(RunSummaryTest, Frames) {
  ReceiveReport received = HundredDelivered();
  received.sink.sequence.OnPacket(104);  // 100..103 never came
  FrameResult frames;
  frames.decoder = true;
  frames.depayloaded = 28;
  frames.at_sink = 27;
  frames.window_at_sink = 25;
  frames.damaged = 2;
  frames.latency.Record(40'000'000);
  received.frames = frames;
  received.identities[7] = ThreadIdentity{ThreadRole::kDecoder, "decoder"};
  received.identities[8] = ThreadIdentity{ThreadRole::kReceiver, "receiver"};
  received.census_start.threads = {platform::ThreadSample{}, platform::ThreadSample{}};
  received.census_start.threads[0].tid = 7;
  received.census_start.threads[1].tid = 8;
  received.census_end.threads = received.census_start.threads;
  received.census_end.threads[0].cpu_ns = 5'000'000;  // 50 us per packet, 200 us per frame
  received.census_end.threads[1].cpu_ns = 500'000;    // 5 us per packet
  traffic_gen::GeneratorReport sent = Sent(104);
  sent.access_units_sent = 30;
  const RunResult r = SummarizeRun(Id(), sent, received);
  ASSERT_TRUE(r.frames.has_value());
  EXPECT_EQ(r.seq_gaps, 4u);
  EXPECT_EQ(r.frames->sent, 30u);
  EXPECT_EQ(r.frames->decoded, 27u);
  EXPECT_DOUBLE_EQ(r.frames->lost_or_damaged_per_1000_lost_packets.value(), 1250.0);
  EXPECT_DOUBLE_EQ(r.frames->decoder_cpu_ns_per_packet.value(), 50'000.0);
  EXPECT_DOUBLE_EQ(r.frames->decoder_cpu_ns_per_frame.value(), 200'000.0);
  EXPECT_NEAR(r.receive_share.value(), 5.0 / 55.0, 1e-12);
  const nlohmann::json j = IterationJson(r);
  EXPECT_EQ(j["frames"]["damaged"], 2);
  EXPECT_EQ(j["frames"]["latency"]["count"], 1);

  // Another sender says nothing of its frames: what follows from it is unknown.
  const RunResult third_party = SummarizeRun(Id(), std::nullopt, received);
  EXPECT_FALSE(third_party.frames->sent.has_value());
  EXPECT_FALSE(third_party.frames->lost_or_damaged_per_1000_lost_packets.has_value());
  EXPECT_TRUE(IterationJson(third_party)["frames"]["sent"].is_null());
  // No depayloader: no frames at all.
  EXPECT_TRUE(IterationJson(SummarizeRun(Id(), Sent(100), HundredDelivered()))["frames"].is_null());
}

}  // namespace
}  // namespace rxbench::harness
