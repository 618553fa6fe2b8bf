// The control messages between `rxbench gen` and `rxbench recv`: the RTCP APP
// framing (rtp/rtcp_app.h) and the plan / warm-up / end messages on top
// (protocol/run_messages.h). Every field must survive the trip, and nothing a
// network can deliver may be taken for a message it is not.
#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <vector>

#include "protocol/run_messages.h"
#include "rtp/rtcp_app.h"

namespace rxbench::harness {
namespace {

RunPlan SomePlan() {
  RunPlan p;
  p.run_id = "0123456789abcdef";
  p.scenario = "custom";
  p.traffic.shape = traffic_gen::Shape::kBurst;
  p.traffic.media = traffic_gen::Media::kH264;
  p.traffic.rate_pps = 12345.5;
  p.traffic.fps = 25;
  p.traffic.duration_s = 1.5;
  p.traffic.packet_count = 777;
  p.traffic.payload_bytes = 1000;
  p.traffic.ssrc = 0xdeadbeef;
  p.traffic.payload_type = 111;
  p.traffic.first_sequence = 65530;
  p.traffic.send_batch = 4;
  p.traffic.fill_pattern = true;
  p.warmup_packets = 300;
  p.measured_packets = 777;
  p.warmup_pause_s = 0.25;
  p.boot_id = "a1b2c3d4-0000-1111-2222-333344445555";
  p.host = "sender";
  return p;
}

traffic_gen::GeneratorReport SomeReport() {
  traffic_gen::GeneratorReport s;
  s.packets_sent = 1077;
  s.warmup_sent = 300;
  s.send_errors = 3;
  s.send_calls = 1080;
  s.first_send_ns = 1'000'000'000'123;
  s.last_send_ns = 1'001'500'000'456;
  s.first_due_ns = 0;
  s.last_due_ns = 1'499'000'000;
  s.offered_pps = 12345.5;
  s.last_errno = 111;
  s.usage.cpu_ns = 42'000;
  s.malformed_sent[traffic_gen::kOversize] = 5;
  s.malformed_sent[1] = 2;
  s.impairments = traffic_gen::ImpairmentReport{7, 8, 9};
  return s;
}

RunMessage Roundtrip(const RunMessage& m) {
  std::string why;
  const std::vector<std::uint8_t> datagram = EncodeRunMessage(m, 0x11223344, &why);
  EXPECT_FALSE(datagram.empty()) << why;
  EXPECT_LE(datagram.size(), kMaxRunMessageBytes);
  EXPECT_EQ(datagram.size() % 4, 0u);
  RunMessage back;
  EXPECT_EQ(ParseRunMessage(datagram.data(), datagram.size(), &back, &why), RunMessageParse::kMessage) << why;
  return back;
}

TEST(RunMessagesTest, PlanSurvivesTheTrip) {
  RunMessage m;
  m.kind = RunMessageKind::kPlan;
  m.plan = SomePlan();
  m.run_id = m.plan.run_id;
  const RunMessage back = Roundtrip(m);
  EXPECT_EQ(back.kind, RunMessageKind::kPlan);
  EXPECT_EQ(back.run_id, "0123456789abcdef");
  const RunPlan& p = back.plan;
  EXPECT_EQ(p.scenario, "custom");
  EXPECT_EQ(p.traffic.shape, traffic_gen::Shape::kBurst);
  EXPECT_EQ(p.traffic.media, traffic_gen::Media::kH264);
  EXPECT_DOUBLE_EQ(p.traffic.rate_pps, 12345.5);
  EXPECT_DOUBLE_EQ(p.traffic.fps, 25);
  EXPECT_DOUBLE_EQ(p.traffic.duration_s, 1.5);
  EXPECT_EQ(p.traffic.packet_count, 777u);
  EXPECT_EQ(p.traffic.payload_bytes, 1000u);
  EXPECT_EQ(p.traffic.ssrc, 0xdeadbeefu);
  EXPECT_EQ(p.traffic.payload_type, 111);
  EXPECT_EQ(p.traffic.first_sequence, 65530);
  EXPECT_EQ(p.traffic.send_batch, 4u);
  EXPECT_TRUE(p.traffic.fill_pattern);
  EXPECT_EQ(p.warmup_packets, 300u);
  EXPECT_EQ(p.traffic.warmup_packets, 300u);
  EXPECT_EQ(p.measured_packets, 777u);
  EXPECT_DOUBLE_EQ(p.warmup_pause_s, 0.25);
  EXPECT_EQ(p.boot_id, "a1b2c3d4-0000-1111-2222-333344445555");
  EXPECT_EQ(p.host, "sender");
}

TEST(RunMessagesTest, EndAndWarmupDoneCarryTheCounts) {
  for (RunMessageKind kind : {RunMessageKind::kWarmupDone, RunMessageKind::kEnd}) {
    RunMessage m;
    m.kind = kind;
    m.run_id = "feedfacefeedface";
    m.sent = SomeReport();
    const RunMessage back = Roundtrip(m);
    EXPECT_EQ(back.kind, kind);
    EXPECT_EQ(back.run_id, "feedfacefeedface");
    const traffic_gen::GeneratorReport& s = back.sent;
    EXPECT_EQ(s.packets_sent, 1077u);
    EXPECT_EQ(s.warmup_sent, 300u);
    EXPECT_EQ(s.measured_sent(), 777u);
    EXPECT_EQ(s.send_errors, 3u);
    EXPECT_EQ(s.send_calls, 1080u);
    EXPECT_EQ(s.first_send_ns, 1'000'000'000'123u);
    EXPECT_EQ(s.last_send_ns, 1'001'500'000'456u);
    EXPECT_EQ(s.last_due_ns, 1'499'000'000);
    EXPECT_DOUBLE_EQ(s.offered_pps, 12345.5);
    EXPECT_DOUBLE_EQ(s.achieved_pps(), SomeReport().achieved_pps());
    EXPECT_EQ(s.last_errno, 111);
    EXPECT_EQ(s.usage.cpu_ns, 42'000u);
    EXPECT_EQ(s.malformed_sent[traffic_gen::kOversize], 5u);
    EXPECT_EQ(s.malformed_sent[1], 2u);
    ASSERT_TRUE(s.impairments.has_value());
    EXPECT_EQ(s.impairments->losses, 7u);
    EXPECT_EQ(s.impairments->duplicates, 8u);
    EXPECT_EQ(s.impairments->reorders, 9u);
  }
}

TEST(RunMessagesTest, ThePlanSaysHowManyStreamsOnWhichPorts) {
  RunMessage m;
  m.kind = RunMessageKind::kPlan;
  m.plan = SomePlan();
  m.plan.traffic.streams = 64;
  m.plan.warmup_packets = 64 * 300;
  m.plan.per_stream_ports = true;
  m.run_id = m.plan.run_id;
  const RunMessage back = Roundtrip(m);
  EXPECT_EQ(back.plan.traffic.streams, 64u);
  EXPECT_TRUE(back.plan.per_stream_ports);
  EXPECT_EQ(back.plan.warmup_packets, 64u * 300);
  EXPECT_EQ(back.plan.traffic.warmup_packets, 300u);  // the traffic's is per stream
  // A version-1 plan (no streams): one stream.
  nlohmann::json plan = PlanJson(SomePlan());
  plan.erase("streams");
  plan.erase("stream_ports");
  RunPlan old;
  old.traffic.streams = 9;
  std::string why;
  ASSERT_TRUE(PlanFromJson(plan, &old, &why)) << why;
  EXPECT_EQ(old.traffic.streams, 1u);
  EXPECT_FALSE(old.per_stream_ports);
  plan["streams"] = 0;
  EXPECT_FALSE(PlanFromJson(plan, &old, &why));
}

TEST(RunMessagesTest, TheFileFormHoldsEveryStreamsCountAndTheAccessUnits) {
  traffic_gen::GeneratorReport s = SomeReport();
  s.stream_sent = {1000, 77};
  s.access_units_sent = 30;
  traffic_gen::GeneratorReport back;
  std::string why;
  ASSERT_TRUE(SentFromJson(SentJson(s), &back, &why)) << why;
  EXPECT_EQ(back.stream_sent, s.stream_sent);
  EXPECT_EQ(back.access_units_sent, std::optional<std::uint64_t>(30));
  s.stream_sent = {1000, 78};  // no longer adds up to packets_sent
  EXPECT_FALSE(SentFromJson(SentJson(s), &back, &why));
  EXPECT_NE(why.find("add up to"), std::string::npos) << why;
}

TEST(RunMessagesTest, ASenderWithoutImpairmentsSaysNone) {
  RunMessage m;
  m.kind = RunMessageKind::kEnd;
  m.run_id = "feedfacefeedface";
  m.sent = SomeReport();
  m.sent.impairments.reset();
  EXPECT_FALSE(Roundtrip(m).sent.impairments.has_value());
}

TEST(RunMessagesTest, RunIdsAreSixteenHexDigitsAndDiffer) {
  const std::string a = NewRunId(), b = NewRunId();
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(a.find_first_not_of("0123456789abcdef"), std::string::npos) << a;
  EXPECT_NE(a, b);
}

// A real sender's RTCP (a sender report, a BYE) on the same port is not ours,
// and is not an error either; our APP packet is found behind it in a compound.
TEST(RunMessagesTest, OtherRtcpIsNotOursAndCompoundsAreWalked) {
  // SR with no report blocks: 28 bytes, length 6.
  std::vector<std::uint8_t> sr = {0x80, 200, 0, 6, 1, 2, 3, 4};
  sr.resize(28, 0);
  RunMessage m;
  std::string why;
  EXPECT_EQ(ParseRunMessage(sr.data(), sr.size(), &m, &why), RunMessageParse::kNotOurs);
  // Another application's APP packet is not ours either.
  rtp::AppPacket other;
  other.name = "ABCD";
  other.data = {1, 2, 3};
  const std::vector<std::uint8_t> other_app = rtp::WriteApp(other);
  EXPECT_EQ(ParseRunMessage(other_app.data(), other_app.size(), &m, &why), RunMessageParse::kNotOurs);

  RunMessage end;
  end.kind = RunMessageKind::kEnd;
  end.run_id = "0000000000000001";
  end.sent = SomeReport();
  std::vector<std::uint8_t> compound = sr;
  const std::vector<std::uint8_t> ours = EncodeRunMessage(end, 1, &why);
  compound.insert(compound.end(), ours.begin(), ours.end());
  ASSERT_EQ(ParseRunMessage(compound.data(), compound.size(), &m, &why), RunMessageParse::kMessage) << why;
  EXPECT_EQ(m.sent.packets_sent, 1077u);
}

TEST(RunMessagesTest, AppPaddingIsTheRfcs) {
  for (std::size_t n = 0; n < 9; ++n) {
    rtp::AppPacket app;
    app.subtype = 7;
    app.ssrc = 0xcafef00d;
    app.name = "RXBC";
    for (std::size_t i = 0; i < n; ++i) app.data.push_back(static_cast<std::uint8_t>(i + 1));
    const std::vector<std::uint8_t> wire = rtp::WriteApp(app);
    ASSERT_EQ(wire.size() % 4, 0u);
    EXPECT_EQ(wire[1], rtp::kRtcpApp);
    EXPECT_EQ((wire[0] & 0x20) != 0, n % 4 != 0) << n;
    rtp::AppPacket back;
    ASSERT_EQ(rtp::FindApp(wire.data(), wire.size(), "RXBC", &back), rtp::AppLookup::kFound);
    EXPECT_EQ(back.subtype, 7);
    EXPECT_EQ(back.ssrc, 0xcafef00du);
    EXPECT_EQ(back.data, app.data) << n;
  }
}

// The framing alone, whatever the data: a padding count of 0 or one that
// reaches into the APP header is not RTCP.
TEST(RunMessagesTest, AppPaddingThatCannotBeIsMalformed) {
  rtp::AppPacket app;
  app.name = "RXBC";
  app.data = {1, 2, 3, 4, 5, 6, 7};  // one octet of padding
  std::vector<std::uint8_t> wire = rtp::WriteApp(app);
  ASSERT_EQ(wire.size(), 20u);
  rtp::AppPacket back;
  ASSERT_EQ(rtp::FindApp(wire.data(), wire.size(), "RXBC", &back), rtp::AppLookup::kFound);
  wire.back() = 0;
  EXPECT_EQ(rtp::FindApp(wire.data(), wire.size(), "RXBC", &back), rtp::AppLookup::kMalformed);
  wire.back() = 9;  // past the data, into the name
  EXPECT_EQ(rtp::FindApp(wire.data(), wire.size(), "RXBC", &back), rtp::AppLookup::kMalformed);
  wire.back() = 8;  // all of the data: an empty APP packet
  ASSERT_EQ(rtp::FindApp(wire.data(), wire.size(), "RXBC", &back), rtp::AppLookup::kFound);
  EXPECT_TRUE(back.data.empty());
  // Any RTCP packet's padding must fit it, or the walk would run off its end.
  std::vector<std::uint8_t> sr = {0xA0, 200, 0, 1, 0, 0, 0, 1};
  sr.back() = 0;
  EXPECT_EQ(rtp::FindApp(sr.data(), sr.size(), "RXBC", &back), rtp::AppLookup::kMalformed);
  sr.back() = 5;
  EXPECT_EQ(rtp::FindApp(sr.data(), sr.size(), "RXBC", &back), rtp::AppLookup::kMalformed);
  sr.back() = 4;
  EXPECT_EQ(rtp::FindApp(sr.data(), sr.size(), "RXBC", &back), rtp::AppLookup::kAbsent);
}

TEST(RunMessagesTest, WhatDoesNotParseIsMalformedNeverAMessage) {
  RunMessage end;
  end.kind = RunMessageKind::kEnd;
  end.run_id = "0000000000000002";
  end.sent = SomeReport();
  std::string why;
  const std::vector<std::uint8_t> good = EncodeRunMessage(end, 1, &why);
  RunMessage m;
  // Every truncation: the length field no longer fits.
  for (std::size_t n = 0; n < good.size(); ++n) {
    EXPECT_EQ(ParseRunMessage(good.data(), n, &m, &why), RunMessageParse::kMalformed) << n;
  }
  // An RTP packet (not RTCP's version bits... RTP has V=2 too: its length
  // field is then arbitrary and must be checked against the datagram).
  std::vector<std::uint8_t> rtp_packet = {0x80, 96, 0x12, 0x34, 0, 0, 0, 1, 0, 0, 0, 2};
  EXPECT_EQ(ParseRunMessage(rtp_packet.data(), rtp_packet.size(), &m, &why), RunMessageParse::kMalformed);
  // Version 1 bits.
  std::vector<std::uint8_t> bad = good;
  bad[0] = static_cast<std::uint8_t>((bad[0] & 0x3F) | 0x40);
  EXPECT_EQ(ParseRunMessage(bad.data(), bad.size(), &m, &why), RunMessageParse::kMalformed);
  // Padding count of 0, or larger than the packet's data.
  bad = good;
  bad[0] |= 0x20;
  bad.back() = 0;
  EXPECT_EQ(ParseRunMessage(bad.data(), bad.size(), &m, &why), RunMessageParse::kMalformed);
  bad.back() = 255;
  EXPECT_EQ(ParseRunMessage(bad.data(), bad.size(), &m, &why), RunMessageParse::kMalformed);
  // Unknown subtype.
  bad = good;
  bad[0] = static_cast<std::uint8_t>((bad[0] & 0xE0) | 9);
  EXPECT_EQ(ParseRunMessage(bad.data(), bad.size(), &m, &why), RunMessageParse::kMalformed);
}

// Data that is RXBC but not our JSON, or a later format version, is refused
// with a reason.
TEST(RunMessagesTest, BodiesAreCheckedFieldByField) {
  auto parse = [](const std::string& body, std::uint8_t subtype, std::string* why) {
    rtp::AppPacket app;
    app.subtype = subtype;
    app.name = kRunMessageName;
    app.data.assign(body.begin(), body.end());
    const std::vector<std::uint8_t> wire = rtp::WriteApp(app);
    RunMessage m;
    return ParseRunMessage(wire.data(), wire.size(), &m, why);
  };
  std::string why;
  EXPECT_EQ(parse("not json", 2, &why), RunMessageParse::kMalformed);
  EXPECT_EQ(parse("[1,2]", 2, &why), RunMessageParse::kMalformed);
  EXPECT_EQ(parse(R"({"version":3,"run_id":"x","sent":{}})", 2, &why), RunMessageParse::kMalformed);
  EXPECT_NE(why.find("version 3"), std::string::npos) << why;
  EXPECT_EQ(parse(R"({"version":1,"run_id":"x","sent":{"packets_sent":"many"}})", 2, &why),
            RunMessageParse::kMalformed);
  nlohmann::json sent = SentJson(SomeReport());
  sent["warmup_sent"] = 5000;  // more than packets_sent
  EXPECT_EQ(parse(nlohmann::json({{"version", 1}, {"run_id", "x"}, {"sent", sent}}).dump(), 2, &why),
            RunMessageParse::kMalformed);
  nlohmann::json plan = PlanJson(SomePlan());
  plan["payload_type"] = 300;
  EXPECT_EQ(parse(nlohmann::json({{"version", 1}, {"run_id", SomePlan().run_id}, {"plan", plan}}).dump(), 0, &why),
            RunMessageParse::kMalformed);
  plan = PlanJson(SomePlan());
  EXPECT_EQ(parse(nlohmann::json({{"version", 1}, {"run_id", "another"}, {"plan", plan}}).dump(), 0, &why),
            RunMessageParse::kMalformed);
  EXPECT_EQ(parse(nlohmann::json({{"version", 1}, {"run_id", SomePlan().run_id}, {"plan", plan}}).dump(), 0, &why),
            RunMessageParse::kMessage)
      << why;
}

TEST(RunMessagesTest, AMessageTooLargeForOneDatagramIsRefused) {
  RunMessage m;
  m.kind = RunMessageKind::kPlan;
  m.plan = SomePlan();
  m.plan.host = std::string(2000, 'h');
  m.run_id = m.plan.run_id;
  std::string why;
  EXPECT_TRUE(EncodeRunMessage(m, 1, &why).empty());
  EXPECT_NE(why.find("1200"), std::string::npos) << why;
}

}  // namespace
}  // namespace rxbench::harness
