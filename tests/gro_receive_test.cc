// recv=gro: coalesced datagrams (a GSO sender on loopback, so the kernel
// hands the receiver whole GSO packets) are split into one buffer per
// segment, in order, with their own lengths and bytes; a malformed segment is
// counted and dropped alone; a datagram that does not fit is counted as all
// its segments and pushes none; and a pooled buffer goes back to its source
// only when the last segment sharing it is released (run under
// --config=asan too: a buffer recycled early would be written while a
// segment still reads it).
#include <arpa/inet.h>
#include <gst/app/gstappsink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pipeline.h"
#include "pools/buffer_source.h"
#include "pools/segment_views.h"
#include "receivers/gro_call.h"
#include "receivers/receiver.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "rtp/datagram_check.h"
#include "rtp/rtp_packet.h"
#include "traffic_gen/gso_send.h"
#include "traffic_gen/udp_sender.h"

namespace rxbench::receivers {
namespace {

using std::chrono::milliseconds;

// ---- What the call reports per slot: pure arithmetic ----

TEST(GroSegments, CountIsTheRealLengthOverTheSegmentSizeRoundedUp) {
  EXPECT_EQ(SegmentCount(1000, 0), 1u);  // no UDP_GRO message: one datagram
  EXPECT_EQ(SegmentCount(0, 0), 1u);     // an empty datagram is one too
  EXPECT_EQ(SegmentCount(100, 100), 1u);
  EXPECT_EQ(SegmentCount(101, 100), 2u);
  EXPECT_EQ(SegmentCount(1000, 100), 10u);
  EXPECT_EQ(SegmentCount(65448, 1212), 54u);
}

TEST(GroSegments, TruncatedWhenTheDatagramOrOneSegmentDoesNotFit) {
  pools::PacketSlot slot;
  slot.capacity = 1000;
  SetSegments(950, 100, 4096, &slot);  // fits
  EXPECT_FALSE(slot.truncated);
  EXPECT_EQ(slot.segments, 10u);
  EXPECT_EQ(slot.length, 950u);
  SetSegments(2100, 100, 4096, &slot);  // longer than the buffer: counted by its real length
  EXPECT_TRUE(slot.truncated);
  EXPECT_EQ(slot.segments, 21u);
  EXPECT_EQ(slot.length, 1000u);
  SetSegments(900, 300, 200, &slot);  // fits, but each segment is longer than the run accepts
  EXPECT_TRUE(slot.truncated);
  EXPECT_EQ(slot.segments, 3u);
  SetSegments(300, 0, 200, &slot);  // a plain datagram longer than the run accepts
  EXPECT_TRUE(slot.truncated);
  EXPECT_EQ(slot.segments, 1u);
  SetSegments(150, 200, 200, &slot);  // one short segment: plain
  EXPECT_FALSE(slot.truncated);
  EXPECT_EQ(slot.segments, 1u);
}

// ---- Segment buffers keep their parent, and pooled memory, until the last goes ----

class SegmentRecyclingTest : public testing::TestWithParam<pools::BufferKind> {
 protected:
  void SetUp() override { harness::EnsureGstInit(); }
};

TEST_P(SegmentRecyclingTest, MemoryGoesBackOnlyAfterTheLastSegmentIsReleased) {
  std::unique_ptr<pools::BufferSource> source = pools::MakeBufferSource(GetParam(), 4096, 4);
  pools::PacketSlot slot;
  ASSERT_TRUE(source->TryAcquire(&slot));
  for (std::size_t i = 0; i < 300; ++i) slot.data[i] = static_cast<std::uint8_t>(i / 100 + 1);
  slot.length = 300;
  std::uint8_t* const data = slot.data;
  GstBuffer* parent = source->Finish(&slot);
  // A weak reference sees a buffer that is finalized (alloc); a pooled
  // buffer is resurrected instead, which `recycled` counts.
  bool parent_finalized = false;
  const bool pooled = GetParam() != pools::BufferKind::kAlloc;
  if (!pooled) {
    gst_mini_object_weak_ref(
        GST_MINI_OBJECT_CAST(parent), [](gpointer flag, GstMiniObject*) { *static_cast<bool*>(flag) = true; },
        &parent_finalized);
  }
  pools::SegmentViews views;
  GstBuffer* segments[3];
  for (int k = 0; k < 3; ++k) segments[k] = views.View(parent, data + 100 * k, 100);
  const pools::BufferSourceStats before = source->stats();
  gst_buffer_unref(parent);  // the loop's own reference: the segments hold it now
  EXPECT_FALSE(parent_finalized);
  EXPECT_EQ(source->stats().recycled, before.recycled);
  for (int k = 0; k < 3; ++k) {
    // Each segment reads its own bytes, zero-copy, while its siblings come and go.
    GstMapInfo map;
    ASSERT_TRUE(gst_buffer_map(segments[k], &map, GST_MAP_READ));
    EXPECT_EQ(map.size, 100u);
    EXPECT_EQ(map.data, data + 100 * k);
    EXPECT_EQ(map.data[0], k + 1);
    EXPECT_EQ(map.data[99], k + 1);
    gst_buffer_unmap(segments[k], &map);
    gst_buffer_unref(segments[k]);
    if (k < 2) {
      EXPECT_FALSE(parent_finalized) << "after segment " << k;
      EXPECT_EQ(source->stats().recycled, before.recycled) << "after segment " << k;
    }
  }
  const pools::BufferSourceStats after = source->stats();
  if (!pooled) {
    EXPECT_TRUE(parent_finalized);
  } else {
    // Back whole and reusable: recycled, not discarded (memory still shared).
    EXPECT_EQ(after.recycled, before.recycled + 1);
    EXPECT_EQ(after.discarded, 0u);
  }
  // The segment buffers came back too, and the next datagram's segments reuse
  // them: the same three buffers, now over the new bytes, and none made.
  EXPECT_EQ(views.stats().made, 3u);
  EXPECT_EQ(views.stats().recycled, 3u);
  ASSERT_TRUE(source->TryAcquire(&slot));
  for (std::size_t i = 0; i < 300; ++i) slot.data[i] = static_cast<std::uint8_t>(7 + i / 100);
  slot.length = 300;
  std::uint8_t* const next_data = slot.data;
  GstBuffer* next = source->Finish(&slot);
  for (int k = 0; k < 3; ++k) {
    GstBuffer* segment = views.View(next, next_data + 100 * k, 100);
    EXPECT_TRUE(segment == segments[0] || segment == segments[1] || segment == segments[2]) << "segment " << k;
    GstMapInfo map;
    ASSERT_TRUE(gst_buffer_map(segment, &map, GST_MAP_READ));
    EXPECT_EQ(map.size, 100u);
    EXPECT_EQ(map.data, next_data + 100 * k);
    EXPECT_EQ(map.data[0], 7 + k);
    gst_buffer_unmap(segment, &map);
    EXPECT_EQ(GST_BUFFER_PTS(segment), GST_CLOCK_TIME_NONE) << "reset when it came back";
    GST_BUFFER_PTS(segment) = 42;  // as a pipeline would
    gst_buffer_unref(segment);
  }
  gst_buffer_unref(next);
  EXPECT_EQ(views.stats().made, 3u);
}

// A segment buffer an element still shares when it is released is not reused
// (writing a new segment over it would change what the element holds); its
// received buffer is let go only when the share goes.
TEST(SegmentViewsTest, ASharedSegmentIsNotReused) {
  harness::EnsureGstInit();
  std::unique_ptr<pools::BufferSource> source = pools::MakeBufferSource(pools::BufferKind::kFreeList, 4096, 2);
  pools::PacketSlot slot;
  ASSERT_TRUE(source->TryAcquire(&slot));
  slot.length = 200;
  std::uint8_t* const data = slot.data;
  GstBuffer* parent = source->Finish(&slot);
  pools::SegmentViews views;
  GstBuffer* segment = views.View(parent, data, 100);
  gst_buffer_unref(parent);
  // What an RTP depayloader does with a payload: a sub-buffer sharing the memory.
  GstBuffer* held = gst_buffer_copy_region(segment, GST_BUFFER_COPY_MEMORY, 12, 88);
  const std::uint64_t recycled_before = source->stats().recycled;
  gst_buffer_unref(segment);
  EXPECT_EQ(views.stats().recycled, 0u);
  EXPECT_EQ(views.stats().discarded, 1u);
  EXPECT_EQ(source->stats().recycled, recycled_before) << "the received buffer went back while still viewed";
  GstMapInfo map;
  ASSERT_TRUE(gst_buffer_map(held, &map, GST_MAP_READ));
  EXPECT_EQ(map.data, data + 12);
  gst_buffer_unmap(held, &map);
  gst_buffer_unref(held);
  EXPECT_EQ(source->stats().recycled, recycled_before + 1);
}

INSTANTIATE_TEST_SUITE_P(BufferSources, SegmentRecyclingTest,
                         testing::Values(pools::BufferKind::kAlloc, pools::BufferKind::kGstPool,
                                         pools::BufferKind::kFreeList),
                         [](const testing::TestParamInfo<pools::BufferKind>& info) {
                           return std::string(pools::ToString(info.param));
                         });

// ---- The receive loop (and null+gro) on coalesced datagrams ----

constexpr std::uint32_t kSsrc = 0x52584243;

// Packet k: a valid rxbench RTP packet with `payload` bytes, its payload
// filled with its own pattern.
std::vector<std::uint8_t> Packet(std::uint64_t k, std::size_t payload) {
  std::vector<std::uint8_t> p(rtp::kHeaderBytes + payload);
  rtp::Header h;
  h.sequence = static_cast<std::uint16_t>(k);
  h.timestamp = static_cast<std::uint32_t>(k * 3000);
  h.ssrc = kSsrc;
  rtp::WritePacket(h, rtp::Probe{1, k}, payload, p.data());
  for (std::size_t i = rtp::kHeaderBytes + rtp::kProbeBytes; i < p.size(); ++i) p[i] = static_cast<std::uint8_t>(k + i);
  return p;
}

class GroLoopTest : public testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    UdpSocketOptions options;
    options.rcvbuf_bytes = 4 << 20;
    socket_ = OpenUdpSocket(options, &error);
    ASSERT_GE(socket_.fd, 0) << error;
    pipeline_ =
        harness::Pipeline::Create("appsrc name=src ! appsink name=sink sync=false async=false", -1, nullptr, &error);
    ASSERT_NE(pipeline_, nullptr) << error;
    ASSERT_TRUE(pipeline_->Play(&error)) << error;
    ASSERT_TRUE(sender_.Open("127.0.0.1", socket_.port, &error)) << error;
  }
  void TearDown() override {
    if (receiver_) receiver_->Stop();
    if (pipeline_) pipeline_->Stop();
    receiver_.reset();
    pipeline_.reset();
    if (socket_.fd >= 0) close(socket_.fd);
  }

  Receiver* Start(const std::string& preset, std::size_t buffer_size = 4096, std::size_t gro_buffer_size = 0) {
    spec_.strategy = *FindPreset(preset);
    spec_.buffer_size = buffer_size;
    spec_.pool_size = 64;
    ReceiverConfig c;
    c.spec = &spec_;
    c.fd = socket_.fd;
    c.appsrc = pipeline_->appsrc();
    c.gro_buffer_size = gro_buffer_size;
    receiver_ = MakeReceiver(c);
    std::string error;
    EXPECT_TRUE(receiver_->Start(&error)) << error;
    return receiver_.get();
  }

  // One GSO call: the packets back to back, cut every `segment` bytes.
  void SendCoalesced(const std::vector<std::vector<std::uint8_t>>& packets, std::size_t segment) {
    std::vector<std::uint8_t> data;
    for (const auto& p : packets) data.insert(data.end(), p.begin(), p.end());
    traffic_gen::GsoSender gso(&sender_, traffic_gen::kMaxGsoSegments);
    const traffic_gen::SendOutcome out = gso.Send(data.data(), segment, data.size());
    ASSERT_EQ(out.sent, packets.size());
    ASSERT_EQ(gso.gso_calls(), 1u) << gso.refusal();
  }

  bool WaitForPackets(std::uint64_t n) {
    for (int i = 0; i < 2500 && receiver_->Snapshot().packets < n; ++i) std::this_thread::sleep_for(milliseconds(2));
    return receiver_->Snapshot().packets >= n;
  }

  // What reached the sink, buffer by buffer.
  std::vector<std::vector<std::uint8_t>> Pulled(std::size_t n) {
    std::vector<std::vector<std::uint8_t>> out;
    GstAppSink* sink = GST_APP_SINK(pipeline_->sink());
    for (std::size_t i = 0; i < n; ++i) {
      GstSample* sample = gst_app_sink_try_pull_sample(sink, 2 * GST_SECOND);
      if (sample == nullptr) break;
      GstBuffer* b = gst_sample_get_buffer(sample);
      std::vector<std::uint8_t> bytes(gst_buffer_get_size(b));
      gst_buffer_extract(b, 0, bytes.data(), bytes.size());
      out.push_back(std::move(bytes));
      gst_sample_unref(sample);
    }
    return out;
  }

  UdpSocket socket_;
  spec::ReceiverSpec spec_;  // the receiver reads it where it is
  std::unique_ptr<harness::Pipeline> pipeline_;
  std::unique_ptr<Receiver> receiver_;
  traffic_gen::UdpSender sender_;
};

TEST_F(GroLoopTest, SegmentsComeOutInOrderWithTheirLengthsAndBytes) {
  Start("gro");
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::uint64_t k = 0; k < 9; ++k) packets.push_back(Packet(k, 400));
  packets.push_back(Packet(9, 150));  // the last one shorter
  SendCoalesced(packets, packets[0].size());
  ASSERT_TRUE(WaitForPackets(10)) << receiver_->Snapshot().packets;
  const std::vector<std::vector<std::uint8_t>> got = Pulled(10);
  receiver_->Stop();
  const ReceiverResult& r = receiver_->Result();
  EXPECT_EQ(r.stats.packets, 10u);
  EXPECT_EQ(r.stats.pushed, 10u);
  EXPECT_EQ(r.stats.batches, 1u);  // one datagram read: the kernel coalesced them
  EXPECT_EQ(r.stats.bytes, 9u * 412 + 162);
  ASSERT_EQ(got.size(), 10u);
  for (std::size_t k = 0; k < 10; ++k) EXPECT_EQ(got[k], packets[k]) << "segment " << k;
}

TEST_F(GroLoopTest, OnlyTheMalformedSegmentIsCountedAndDropped) {
  Start("gro");
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::uint64_t k = 0; k < 6; ++k) packets.push_back(Packet(k, 200));
  packets[3][0] = 0x40;  // version 1
  SendCoalesced(packets, packets[0].size());
  ASSERT_TRUE(WaitForPackets(6));
  const std::vector<std::vector<std::uint8_t>> got = Pulled(5);
  receiver_->Stop();
  const ReceiverResult& r = receiver_->Result();
  EXPECT_EQ(r.stats.packets, 6u);
  EXPECT_EQ(r.stats.malformed, 1u);
  EXPECT_EQ(r.malformed_by_kind[static_cast<std::size_t>(rtp::Malformed::kBadVersion)], 1u);
  EXPECT_EQ(r.stats.pushed, 5u);
  ASSERT_EQ(got.size(), 5u);
  const std::size_t expected[] = {0, 1, 2, 4, 5};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(got[i], packets[expected[i]]) << "pushed " << i;
}

// 10 segments of 412 bytes (4 120) into 2 048-byte buffers: counted as 10
// truncated, none pushed; the 3-segment datagram after it fits and goes on.
TEST_F(GroLoopTest, ADatagramThatDoesNotFitIsCountedPerSegmentAndNothingOfItPushed) {
  Start("gro", 4096, 2048);
  std::vector<std::vector<std::uint8_t>> big, small;
  for (std::uint64_t k = 0; k < 10; ++k) big.push_back(Packet(k, 400));
  for (std::uint64_t k = 10; k < 13; ++k) small.push_back(Packet(k, 400));
  SendCoalesced(big, 412);
  SendCoalesced(small, 412);
  ASSERT_TRUE(WaitForPackets(13));
  const std::vector<std::vector<std::uint8_t>> got = Pulled(3);
  receiver_->Stop();
  const ReceiverResult& r = receiver_->Result();
  EXPECT_EQ(r.stats.packets, 13u);
  EXPECT_EQ(r.stats.truncated, 10u);
  EXPECT_EQ(r.stats.malformed, 0u);
  EXPECT_EQ(r.stats.pushed, 3u);
  ASSERT_EQ(got.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) EXPECT_EQ(got[i], small[i]);
}

// The run's --buffer-size bounds each segment, as it bounds every datagram.
TEST_F(GroLoopTest, SegmentsLongerThanTheRunAcceptsAreTruncatedEachOne) {
  Start("gro", 300);
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::uint64_t k = 0; k < 4; ++k) packets.push_back(Packet(k, 400));
  SendCoalesced(packets, 412);
  ASSERT_TRUE(WaitForPackets(4));
  receiver_->Stop();
  EXPECT_EQ(receiver_->Result().stats.truncated, 4u);
  EXPECT_EQ(receiver_->Result().stats.pushed, 0u);
}

TEST_F(GroLoopTest, NullGroCountsSegmentsAndTruncatesPerSegment) {
  Start("null+gro", 4096, 2048);
  std::vector<std::vector<std::uint8_t>> big, small;
  for (std::uint64_t k = 0; k < 10; ++k) big.push_back(Packet(k, 400));
  for (std::uint64_t k = 10; k < 13; ++k) small.push_back(Packet(k, 400));
  SendCoalesced(big, 412);
  SendCoalesced(small, 412);
  ASSERT_TRUE(WaitForPackets(13));
  receiver_->Stop();
  EXPECT_EQ(receiver_->Result().stats.packets, 13u);
  EXPECT_EQ(receiver_->Result().stats.truncated, 10u);
}

// The gro call counts the datagrams it read, a coalesced one once, and the
// coalesced ones apart: over loopback every GSO call is one datagram of
// exactly its segments, and a plain send is one datagram of one, so the
// counts are exact. Three datagrams of 4, a plain one, one of 2 (the second
// segment shorter): 15 packets in 5 datagrams, 4 of them coalesced.
class GroCountTest : public GroLoopTest, public testing::WithParamInterface<const char*> {};

TEST_P(GroCountTest, DatagramsAreCountedOnceAndCoalescedOnesApart) {
  Start(GetParam());
  std::uint64_t k = 0;
  for (int d = 0; d < 3; ++d) {
    std::vector<std::vector<std::uint8_t>> packets;
    for (int i = 0; i < 4; ++i) packets.push_back(Packet(k++, 400));
    SendCoalesced(packets, 412);
  }
  const std::vector<std::uint8_t> plain = Packet(k++, 400);
  const traffic_gen::SendOutcome out = sender_.SendBytes(plain.data(), plain.size());
  ASSERT_EQ(out.sent, 1u);
  SendCoalesced({Packet(k, 400), Packet(k + 1, 100)}, 412);
  k += 2;
  ASSERT_TRUE(WaitForPackets(15)) << receiver_->Snapshot().packets;
  receiver_->Stop();
  const ReceiverStats& s = receiver_->Result().stats;
  EXPECT_EQ(s.packets, 15u);
  EXPECT_EQ(s.gro_datagrams, 5u);
  EXPECT_EQ(s.gro_coalesced, 4u);
}

INSTANTIATE_TEST_SUITE_P(GroReceivers, GroCountTest, testing::Values("gro", "null+gro"),
                         [](const testing::TestParamInfo<const char*>& info) {
                           return std::string(info.param) == "gro" ? std::string("gro") : std::string("null_gro");
                         });

// Only the gro call counts datagrams: a plain recvmmsg strategy leaves them 0
// (its results say null).
TEST_F(GroLoopTest, OtherCallsCountNoGroDatagrams) {
  Start("combined-list");
  const std::vector<std::uint8_t> plain = Packet(0, 400);
  ASSERT_EQ(sender_.SendBytes(plain.data(), plain.size()).sent, 1u);
  ASSERT_TRUE(WaitForPackets(1));
  receiver_->Stop();
  EXPECT_EQ(receiver_->Result().stats.packets, 1u);
  EXPECT_EQ(receiver_->Result().stats.gro_datagrams, 0u);
}

// What is still queued when a run ends is counted per segment too.
TEST_F(GroLoopTest, TheDrainCountsACoalescedDatagramAsItsSegments) {
  std::string error;
  ASSERT_TRUE(EnableGro(socket_.fd, &error)) << error;
  std::vector<std::vector<std::uint8_t>> packets;
  for (std::uint64_t k = 0; k < 7; ++k) packets.push_back(Packet(k, 100));
  SendCoalesced(packets, 112);
  std::this_thread::sleep_for(milliseconds(20));
  EXPECT_EQ(DrainSocket(socket_.fd).datagrams, 7u);
}

}  // namespace
}  // namespace rxbench::receivers
