// A message too large for one datagram -- the end of a run of many streams,
// a count per stream -- goes as parts (protocol/run_messages.h) and is joined
// again by the receiver (protocol/message_assembly.h): in any order, with
// repeats, and never into a report whose counts disagree.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <numeric>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <optional>

#include "protocol/message_assembly.h"
#include "protocol/run_messages.h"
#include "rtp/rtcp_app.h"

namespace rxbench::harness {
namespace {

// An end message of `streams` streams whose counts differ (so a slice put in
// the wrong place shows).
RunMessage EndOf(std::size_t streams) {
  RunMessage m;
  m.kind = RunMessageKind::kEnd;
  m.run_id = "0123456789abcdef";
  for (std::size_t k = 0; k < streams; ++k) m.sent.stream_sent.push_back(1'000'000 + 7 * k);
  m.sent.packets_sent = std::accumulate(m.sent.stream_sent.begin(), m.sent.stream_sent.end(), std::uint64_t{0});
  m.sent.warmup_sent = 300;
  m.sent.send_calls = 12345;
  m.sent.access_units_sent = 99;
  return m;
}

std::vector<RunMessage> Parse(const std::vector<std::vector<std::uint8_t>>& datagrams) {
  std::vector<RunMessage> parts;
  for (const std::vector<std::uint8_t>& d : datagrams) {
    EXPECT_LE(d.size(), kMaxRunMessageBytes);
    RunMessage m;
    std::string why;
    EXPECT_EQ(ParseRunMessage(d.data(), d.size(), &m, &why), RunMessageParse::kMessage) << why;
    parts.push_back(m);
  }
  return parts;
}

TEST(MessageAssemblyTest, ManyStreamsGoInPartsAndComeBackWholeInAnyOrderWithRepeats) {
  const RunMessage whole = EndOf(4096);
  std::string why;
  const std::vector<std::vector<std::uint8_t>> datagrams = EncodeRunMessageParts(whole, 7, &why);
  ASSERT_FALSE(datagrams.empty()) << why;
  // 4096 counts of 8 bytes ("1000000," and up) are 32 KiB: at least 28 parts
  // of 1200 bytes, and the packing leaves little room unused.
  EXPECT_GE(datagrams.size(), 28u);
  EXPECT_LE(datagrams.size(), 36u);
  std::vector<RunMessage> parts = Parse(datagrams);
  std::reverse(parts.begin(), parts.end());
  MessageAssembly assembly;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    EXPECT_FALSE(assembly.whole().has_value()) << "whole after " << i << " parts";
    ASSERT_TRUE(assembly.Add(parts[i], &why)) << why;
    ASSERT_TRUE(assembly.Add(parts[i], &why)) << why;  // the sender's repeat
  }
  ASSERT_TRUE(assembly.whole().has_value());
  EXPECT_EQ(assembly.parts_held(), datagrams.size());
  EXPECT_EQ(assembly.whole()->stream_sent, whole.sent.stream_sent);
  EXPECT_EQ(assembly.whole()->packets_sent, whole.sent.packets_sent);
  EXPECT_EQ(assembly.whole()->warmup_sent, 300u);
  EXPECT_EQ(assembly.whole()->send_calls, 12345u);
  EXPECT_EQ(assembly.whole()->access_units_sent, std::optional<std::uint64_t>(99));
}

TEST(MessageAssemblyTest, OneStreamIsOneDatagram) {
  std::string why;
  const std::vector<std::vector<std::uint8_t>> datagrams = EncodeRunMessageParts(EndOf(1), 7, &why);
  ASSERT_EQ(datagrams.size(), 1u) << why;
  MessageAssembly assembly;
  ASSERT_TRUE(assembly.Add(Parse(datagrams)[0], &why)) << why;
  ASSERT_TRUE(assembly.whole().has_value());
  EXPECT_EQ(assembly.whole()->stream_sent, std::vector<std::uint64_t>{1'000'000});
}

TEST(MessageAssemblyTest, NothingIsWholeWhileAPartIsMissing) {
  std::string why;
  std::vector<RunMessage> parts = Parse(EncodeRunMessageParts(EndOf(1000), 7, &why));
  ASSERT_GT(parts.size(), 2u);
  for (std::size_t missing = 0; missing < parts.size(); ++missing) {
    MessageAssembly assembly;
    for (std::size_t i = 0; i < parts.size(); ++i) {
      if (i == missing) continue;
      ASSERT_TRUE(assembly.Add(parts[i], &why)) << why;
    }
    EXPECT_FALSE(assembly.whole().has_value()) << "part " << missing << " missing";
    EXPECT_EQ(assembly.parts_held(), parts.size() - 1);
  }
}

TEST(MessageAssemblyTest, CountsThatDisagreeWithTheTotalAreRefused) {
  std::string why;
  std::vector<RunMessage> parts = Parse(EncodeRunMessageParts(EndOf(1000), 7, &why));
  ASSERT_GT(parts.size(), 1u);
  parts.back().sent.stream_sent.back() += 1;  // one count off: the sum no longer is packets_sent
  MessageAssembly assembly;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) ASSERT_TRUE(assembly.Add(parts[i], &why)) << why;
  EXPECT_FALSE(assembly.Add(parts.back(), &why));
  EXPECT_NE(why.find("add up to"), std::string::npos) << why;
  EXPECT_FALSE(assembly.whole().has_value());
}

TEST(MessageAssemblyTest, PartsOfAnotherShapeAreRefused) {
  std::string why;
  const std::vector<RunMessage> parts = Parse(EncodeRunMessageParts(EndOf(1000), 7, &why));
  MessageAssembly assembly;
  ASSERT_TRUE(assembly.Add(parts[0], &why)) << why;
  RunMessage other = parts[1];
  other.parts += 1;
  EXPECT_FALSE(assembly.Add(other, &why));
  other = parts[1];
  other.streams -= 1;
  EXPECT_FALSE(assembly.Add(other, &why));
  // A slice over streams another part counted, with other counts.
  other = parts[1];
  other.first_stream = 0;
  EXPECT_FALSE(assembly.Add(other, &why));
  EXPECT_NE(why.find("counted twice"), std::string::npos) << why;
}

TEST(MessageAssemblyTest, SlicesThatLeaveAStreamUncountedAreRefused) {
  // Two parts whose slices both cover stream 0 (with the same count): every
  // part came, but stream 1 was never counted.
  RunMessage a = EndOf(2), b = EndOf(2);
  a.parts = b.parts = 2;
  a.streams = b.streams = 2;
  a.part = 0;
  b.part = 1;
  a.sent.stream_sent = b.sent.stream_sent = {1'000'000};
  MessageAssembly assembly;
  std::string why;
  ASSERT_TRUE(assembly.Add(a, &why)) << why;
  EXPECT_FALSE(assembly.Add(b, &why));
  EXPECT_NE(why.find("1 of 2 streams"), std::string::npos) << why;
}

TEST(MessageAssemblyTest, AVersionOneEndIsOneWholePartWithoutPerStreamCounts) {
  // What an rxbench before parts sent: version 1, no part fields, no counts.
  RunMessage m = EndOf(1);
  m.sent.stream_sent.clear();
  nlohmann::json sent = SentJson(m.sent);
  sent.erase("stream_sent");
  sent.erase("access_units_sent");
  const std::string text = nlohmann::json({{"version", 1}, {"run_id", m.run_id}, {"sent", sent}}).dump();
  rtp::AppPacket app;
  app.subtype = static_cast<std::uint8_t>(RunMessageKind::kEnd);
  app.ssrc = 1;
  app.name = kRunMessageName;
  app.data.assign(text.begin(), text.end());
  const std::vector<std::uint8_t> datagram = rtp::WriteApp(app);
  RunMessage back;
  std::string why;
  ASSERT_EQ(ParseRunMessage(datagram.data(), datagram.size(), &back, &why), RunMessageParse::kMessage) << why;
  MessageAssembly assembly;
  ASSERT_TRUE(assembly.Add(back, &why)) << why;
  ASSERT_TRUE(assembly.whole().has_value());
  EXPECT_EQ(assembly.whole()->packets_sent, 1'000'000u);
  EXPECT_TRUE(assembly.whole()->stream_sent.empty());
  EXPECT_FALSE(assembly.whole()->access_units_sent.has_value());
}

}  // namespace
}  // namespace rxbench::harness
