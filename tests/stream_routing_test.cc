// Many streams on one receiver thread (receivers/receive_loop.h, routes;
// receivers/multi_socket_call.h): a receive loop reading two real loopback
// sockets and serving three real pipelines must hand every datagram to the
// pipeline of its SSRC and to no other, refuse an SSRC it has no route for
// (foreign-ssrc), and count what it took off each socket. Parameterised over
// the receive-loop presets that can read several sockets; io_uring cannot,
// and says so.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gst/gst.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pipeline.h"
#include "receivers/receiver.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "rtp/datagram_check.h"
#include "rtp/rtp_packet.h"
#include "tests/strategy_test_name.h"

namespace rxbench::receivers {
namespace {

constexpr std::uint32_t kFirstSsrc = 0x1000;
constexpr int kStreams = 3;
constexpr int kPerStream = 20;
constexpr int kForeign = 4;
constexpr std::uint32_t kUnroutedSsrc = 0x9999;
// No jitter buffer: what reaches the sink is exactly what was pushed.
constexpr char kPlainPipeline[] =
    "appsrc name=src is-live=true format=time ! queue ! fakesink name=sink sync=false async=false";

// The SSRCs of the buffers that reached a pipeline's sink, counted.
class SsrcCounter {
 public:
  void Attach(GstElement* sink) {
    GstPad* pad = gst_element_get_static_pad(sink, "sink");
    gst_pad_add_probe(pad, static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                      &SsrcCounter::OnData, this, nullptr);
    gst_object_unref(pad);
  }
  std::map<std::uint32_t, int> seen() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return seen_;
  }
  int total() const {
    int n = 0;
    for (const auto& [ssrc, count] : seen()) n += count;
    return n;
  }

 private:
  static GstPadProbeReturn OnData(GstPad*, GstPadProbeInfo* info, gpointer self) {
    auto* counter = static_cast<SsrcCounter*>(self);
    if (GstBuffer* buffer = GST_PAD_PROBE_INFO_BUFFER(info); buffer != nullptr && GST_IS_BUFFER(buffer)) {
      counter->Count(buffer);
    } else if (GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info); list != nullptr) {
      for (guint i = 0; i < gst_buffer_list_length(list); ++i) counter->Count(gst_buffer_list_get(list, i));
    }
    return GST_PAD_PROBE_OK;
  }
  void Count(GstBuffer* buffer) {
    GstMapInfo map;
    if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) return;
    rtp::Header header;
    std::size_t offset = 0;
    const bool ok = rtp::ParseHeader(map.data, map.size, &header, &offset) == rtp::ParseError::kNone;
    gst_buffer_unmap(buffer, &map);
    std::lock_guard<std::mutex> lock(mutex_);
    ++seen_[ok ? header.ssrc : 0];
  }

  mutable std::mutex mutex_;
  std::map<std::uint32_t, int> seen_;
};

// Sends one valid RTP packet of `ssrc` to a loopback port.
void SendPacket(std::uint16_t port, std::uint32_t ssrc, std::uint16_t sequence) {
  const int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  rtp::Header header;
  header.sequence = sequence;
  header.timestamp = sequence * 3000u;
  header.ssrc = ssrc;
  std::vector<std::uint8_t> packet(rtp::kHeaderBytes + 200);
  const std::size_t n = rtp::WritePacket(header, rtp::Probe{1, sequence}, 200, packet.data());
  EXPECT_EQ(sendto(fd, packet.data(), n, 0, reinterpret_cast<sockaddr*>(&to), sizeof to), static_cast<ssize_t>(n));
  close(fd);
}

std::vector<std::string> SeveralSocketPresets() {
  std::vector<std::string> names;
  for (const StrategySpec& s : Presets()) {
    if (s.receiver == ReceiverKind::kLoop && s.recv != RecvKind::kIoUring) names.push_back(s.name);
  }
  return names;
}

class StreamRoutingTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    std::string error;
    for (UdpSocket& socket : sockets_) {
      UdpSocketOptions options;
      options.rcvbuf_bytes = 1 << 20;
      socket = OpenUdpSocket(options, &error);
      ASSERT_GE(socket.fd, 0) << error;
    }
    for (int k = 0; k < kStreams; ++k) {
      pipelines_.push_back(harness::Pipeline::Create(kPlainPipeline, -1, nullptr, &error));
      ASSERT_NE(pipelines_.back(), nullptr) << error;
      counters_.push_back(std::make_unique<SsrcCounter>());
      counters_.back()->Attach(pipelines_.back()->sink());
      ASSERT_TRUE(pipelines_.back()->Play(&error)) << error;
    }
  }
  void TearDown() override {
    if (receiver_) receiver_->Stop();
    for (auto& p : pipelines_) p->Stop();
    for (const UdpSocket& socket : sockets_) {
      if (socket.fd >= 0) close(socket.fd);
    }
  }

  ReceiverConfig Config(const StrategySpec& strategy) {
    spec_.strategy = strategy;
    ReceiverConfig c;
    c.spec = &spec_;
    c.fd = sockets_[0].fd;
    c.more_fds = {sockets_[1].fd};
    for (int k = 0; k < kStreams; ++k) c.routes.push_back({kFirstSsrc + k, pipelines_[k]->appsrc()});
    return c;
  }

  spec::ReceiverSpec spec_;
  UdpSocket sockets_[2];
  std::vector<std::unique_ptr<harness::Pipeline>> pipelines_;
  std::vector<std::unique_ptr<SsrcCounter>> counters_;
  std::unique_ptr<Receiver> receiver_;
};

TEST_P(StreamRoutingTest, EachDatagramReachesItsStreamsPipelineOnly) {
  const auto strategy = FindPreset(GetParam());
  ASSERT_TRUE(strategy.has_value());
  receiver_ = MakeReceiver(Config(*strategy));
  std::string error;
  ASSERT_TRUE(receiver_->Start(&error)) << error;

  // Stream k's datagrams alternate between the two sockets, so each socket
  // carries every stream and each stream both sockets: only the SSRC can
  // tell where a datagram belongs.
  for (int i = 0; i < kStreams * kPerStream; ++i) {
    SendPacket(sockets_[i % 2].port, kFirstSsrc + i % kStreams, static_cast<std::uint16_t>(i / kStreams));
  }
  for (int i = 0; i < kForeign; ++i) SendPacket(sockets_[0].port, kUnroutedSsrc, static_cast<std::uint16_t>(i));

  const int expected = kStreams * kPerStream;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  auto delivered = [&] {
    int n = 0;
    for (const auto& c : counters_) n += c->total();
    return n;
  };
  while ((receiver_->Snapshot().packets < static_cast<std::uint64_t>(expected + kForeign) || delivered() < expected) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  receiver_->Stop();

  for (int k = 0; k < kStreams; ++k) {
    const std::map<std::uint32_t, int> want = {{kFirstSsrc + k, kPerStream}};
    EXPECT_EQ(counters_[k]->seen(), want) << "pipeline " << k;
  }
  const ReceiverResult& result = receiver_->Result();
  EXPECT_EQ(result.received_per_socket, (std::vector<std::uint64_t>{static_cast<std::uint64_t>(expected / 2 + kForeign),
                                                                    static_cast<std::uint64_t>(expected / 2)}));
  EXPECT_EQ(result.routed, std::vector<std::uint64_t>(kStreams, kPerStream));
  EXPECT_EQ(result.malformed_by_kind[static_cast<std::size_t>(rtp::Malformed::kForeignSsrc)],
            static_cast<std::uint64_t>(kForeign));
  EXPECT_EQ(result.stats.pushed, static_cast<std::uint64_t>(expected));
}

INSTANTIATE_TEST_SUITE_P(ReceiveLoopPresets, StreamRoutingTest, testing::ValuesIn(SeveralSocketPresets()),
                         tests::StrategyTestName);

// io_uring's multishot receive fills its ring from its one socket as
// datagrams arrive: an epoll wait on several sockets could not see that.
TEST(StreamRoutingRefusal, IoUringRefusesSeveralSocketsOnOneThread) {
  std::string error;
  UdpSocket a = OpenUdpSocket({}, &error), b = OpenUdpSocket({}, &error);
  ASSERT_GE(a.fd, 0);
  ASSERT_GE(b.fd, 0);
  spec::ReceiverSpec spec;
  spec.strategy = *FindPreset("iouring");
  ReceiverConfig c;
  c.spec = &spec;
  c.fd = a.fd;
  c.more_fds = {b.fd};
  std::unique_ptr<Receiver> receiver = MakeReceiver(c);
  EXPECT_FALSE(receiver->Start(&error));
  EXPECT_NE(error.find("one socket per ring"), std::string::npos) << error;
  close(a.fd);
  close(b.fd);
}

}  // namespace
}  // namespace rxbench::receivers
