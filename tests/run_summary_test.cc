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
