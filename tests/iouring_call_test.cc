// The io_uring receive call on loopback: delivery, zero-copy recycling, ring
// exhaustion and re-arm, truncation, idle timeout, and buffers outliving the call.
#include "receivers/iouring_call.h"

#include <arpa/inet.h>
#include <gst/gst.h>
#include <gtest/gtest.h>
#include <sys/utsname.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <cstdio>
#include <fstream>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "rtp/rtp_packet.h"

namespace rxbench::receivers {
namespace {

std::uint64_t MonotonicNs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<std::uint64_t>(ts.tv_sec) * 1000000000 + static_cast<std::uint64_t>(ts.tv_nsec);
}

class IoUringCallTest : public ::testing::Test {
 protected:
  void SetUp() override {
    gst_init(nullptr, nullptr);
    rx_ = socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(rx_, 0);
    int one = 1;
    ASSERT_EQ(setsockopt(rx_, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one), 0);
    ASSERT_EQ(setsockopt(rx_, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one), 0);
    int rcvbuf = 8 << 20;
    if (setsockopt(rx_, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0) {
      setsockopt(rx_, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);  // unprivileged: capped
    }
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(bind(rx_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ASSERT_EQ(getsockname(rx_, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    tx_ = socket(AF_INET, SOCK_DGRAM, 0);
    ASSERT_GE(tx_, 0);
    ASSERT_EQ(connect(tx_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  }

  void TearDown() override {
    if (tx_ >= 0) close(tx_);
    if (rx_ >= 0) close(rx_);
  }

  std::unique_ptr<ReceiveCall> Make(std::size_t ring_buffers, std::size_t buffer_size) {
    spec::ReceiverSpec receiver;
    receiver.pool_size = ring_buffers;
    receiver.buffer_size = buffer_size;
    return MakeIoUringCall(rx_, kDefaultBatch, receiver, &error_);
  }

  // Sends rxbench packet `index`, `bytes` long on the wire.
  void Send(std::uint64_t index, std::size_t bytes) {
    std::vector<std::uint8_t> wire(bytes);
    rtp::Header header;
    header.sequence = static_cast<std::uint16_t>(index);
    header.ssrc = 0x1234;
    rtp::Probe probe{MonotonicNs(), index};
    const std::size_t n = rtp::WritePacket(header, probe, bytes - rtp::kHeaderBytes, wire.data());
    ASSERT_EQ(send(tx_, wire.data(), n, 0), static_cast<ssize_t>(n));
  }

  // Calls Receive until `want` datagrams came or 5 s passed; hands each slot to
  // `take`, which owns slot.buffer from then on. Returns how many came.
  std::size_t ReceiveN(ReceiveCall* call, std::size_t want, ReceiverStats* stats,
                       const std::function<void(pools::PacketSlot&)>& take) {
    std::vector<pools::PacketSlot> slots(kDefaultBatch);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    std::size_t got = 0;
    while (got < want && std::chrono::steady_clock::now() < deadline) {
      const int max = static_cast<int>(std::min<std::size_t>(slots.size(), want - got));
      const int n = call->Receive(slots.data(), max, stats);
      EXPECT_GE(n, 0) << "receive error " << -n;
      if (n < 0) break;
      for (int i = 0; i < n; ++i) take(slots[i]);
      got += static_cast<std::size_t>(n);
    }
    return got;
  }

  // Checks that the slot holds rxbench packet `index` of `bytes`.
  static void ExpectPacket(const pools::PacketSlot& slot, std::uint64_t index, std::size_t bytes) {
    ASSERT_NE(slot.buffer, nullptr);
    EXPECT_FALSE(slot.truncated);
    ASSERT_EQ(slot.length, bytes);
    EXPECT_EQ(gst_buffer_get_size(slot.buffer), bytes);
    rtp::Header header;
    std::size_t offset = 0;
    ASSERT_EQ(rtp::ParseHeader(slot.data, slot.length, &header, &offset), rtp::ParseError::kNone);
    EXPECT_EQ(header.sequence, static_cast<std::uint16_t>(index));
    EXPECT_EQ(rtp::ReadProbe(slot.data + offset).index, index);
    EXPECT_TRUE(rtp::CheckPattern(index, slot.data + offset, slot.length - offset)) << "packet " << index;
  }

  int rx_ = -1;
  int tx_ = -1;
  std::string error_;
};

// Skips only where io_uring cannot be had (a kernel before 6.0, which lacks
// multishot recvmsg, or io_uring switched off by sysctl); anywhere else a call
// that cannot be made is a failure, not a skip.
bool IoUringExpectedHere() {
  utsname name;
  int major = 0, minor = 0;
  if (uname(&name) != 0 || std::sscanf(name.release, "%d.%d", &major, &minor) != 2) return true;
  if (major < 6) return false;
  std::ifstream disabled("/proc/sys/kernel/io_uring_disabled");
  int value = 0;
  return !(disabled >> value) || value == 0;
}

#define MAKE_OR_SKIP(call, ring_buffers, buffer_size)                                    \
  auto call = Make(ring_buffers, buffer_size);                                           \
  if (!call && IoUringExpectedHere()) FAIL() << "io_uring should work here: " << error_; \
  if (!call) GTEST_SKIP() << "io_uring not usable here: " << error_

TEST_F(IoUringCallTest, ThousandPacketsArriveInOrderWithKernelTimestamps) {
  MAKE_OR_SKIP(call, 1024, 4096);
  EXPECT_NE(call->provided_buffers(), nullptr);
  EXPECT_TRUE(call->kernel_timestamps());
  constexpr std::size_t kPackets = 1000;
  for (std::size_t i = 0; i < kPackets; ++i) Send(i, 1200);

  ReceiverStats stats;
  std::uint64_t next = 0;
  const std::size_t got = ReceiveN(call.get(), kPackets, &stats, [&](pools::PacketSlot& slot) {
    ExpectPacket(slot, next, 1200);
    const std::uint64_t now = MonotonicNs();
    EXPECT_NE(slot.kernel_rx_ns, 0u);
    EXPECT_LT(slot.kernel_rx_ns, now + 1000000);          // clocks read a moment apart
    EXPECT_LT(now - slot.kernel_rx_ns, 60'000'000'000u);  // the same clock: not decades apart
    ++next;
    gst_buffer_unref(slot.buffer);
  });
  EXPECT_EQ(got, kPackets);
  EXPECT_EQ(stats.rearms, 1u);
  EXPECT_EQ(stats.ring_exhausted, 0u);
  EXPECT_GT(stats.batches, 0u);
  EXPECT_EQ(call->socket_drops_seen(), 0);
}

TEST_F(IoUringCallTest, BuffersWrapRingMemoryAndComeBackWhenUnreffed) {
  constexpr std::size_t kRing = 64;
  constexpr std::size_t kBufferSize = 2048;
  MAKE_OR_SKIP(call, kRing, kBufferSize);
  ReceiverStats stats;
  std::set<const std::uint8_t*> ring_buffers_seen;
  std::uint64_t next = 0;
  // 10 rounds of the ring, a burst at a time, each buffer unreffed once read:
  // it only works if the unrefs give the buffers back to the kernel. Unreffed
  // buffers go back at the start of the next Receive, so a burst finds the ring
  // short of the previous burst; the kernel ends the multishot (-ENOBUFS) as
  // soon as the ring runs empty, so bursts stay under half the ring.
  constexpr std::size_t kBurst = kRing / 4;
  for (std::size_t sent = 0; sent < 10 * kRing; sent += kBurst) {
    for (std::size_t i = 0; i < kBurst; ++i) Send(sent + i, 1000);
    ASSERT_EQ(ReceiveN(call.get(), kBurst, &stats,
                       [&](pools::PacketSlot& slot) {
                         ExpectPacket(slot, next++, 1000);
                         EXPECT_FALSE(slot.mapped);
                         // One wrapped memory: the ring buffer itself, offset to the payload.
                         ASSERT_EQ(gst_buffer_n_memory(slot.buffer), 1u);
                         GstMemory* memory = gst_buffer_peek_memory(slot.buffer, 0);
                         // buffer_size is the payload room; the ring buffer adds the header.
                         EXPECT_EQ(memory->maxsize - memory->offset, kBufferSize);
                         GstMapInfo map;
                         ASSERT_TRUE(gst_buffer_map(slot.buffer, &map, GST_MAP_READ));
                         EXPECT_EQ(map.data, slot.data);
                         EXPECT_EQ(map.size, slot.length);
                         gst_buffer_unmap(slot.buffer, &map);
                         EXPECT_EQ(slot.capacity, kBufferSize);
                         ring_buffers_seen.insert(slot.data - memory->offset);
                         gst_buffer_unref(slot.buffer);
                       }),
              kBurst);
  }
  EXPECT_EQ(next, 10 * kRing);
  EXPECT_LE(ring_buffers_seen.size(), kRing);  // the same memory, over and over
  EXPECT_EQ(stats.ring_exhausted, 0u);
  EXPECT_EQ(stats.rearms, 1u);
}

TEST_F(IoUringCallTest, ExhaustedRingRearmsAfterBuffersReturn) {
  constexpr std::size_t kRing = 16;
  MAKE_OR_SKIP(call, kRing, 2048);
  ReceiverStats stats;
  std::vector<GstBuffer*> held;
  for (std::size_t i = 0; i < kRing; ++i) Send(i, 1000);
  std::uint64_t next = 0;
  ASSERT_EQ(ReceiveN(call.get(), kRing, &stats,
                     [&](pools::PacketSlot& slot) {
                       ExpectPacket(slot, next++, 1000);
                       held.push_back(slot.buffer);
                     }),
            kRing);

  // The pipeline holds every buffer: the multishot ends with -ENOBUFS and the
  // datagrams wait in the socket.
  constexpr std::size_t kMore = 100;
  for (std::size_t i = 0; i < kMore; ++i) Send(kRing + i, 1000);
  std::vector<pools::PacketSlot> slots(kDefaultBatch);
  for (int i = 0; i < 10 && stats.ring_exhausted == 0; ++i) {
    EXPECT_EQ(call->Receive(slots.data(), static_cast<int>(slots.size()), &stats), 0);
  }
  EXPECT_GT(stats.ring_exhausted, 0u);

  for (GstBuffer* buffer : held) gst_buffer_unref(buffer);
  EXPECT_EQ(ReceiveN(call.get(), kMore, &stats,
                     [&](pools::PacketSlot& slot) {
                       ExpectPacket(slot, next++, 1000);
                       gst_buffer_unref(slot.buffer);
                     }),
            kMore);
  EXPECT_GE(stats.rearms, 2u);
  EXPECT_EQ(call->socket_drops_seen(), 0);
}

TEST_F(IoUringCallTest, BuffersReleasedOnAnotherThreadComeBack) {
  constexpr std::size_t kRing = 64;
  constexpr std::size_t kPackets = 320 * 16;
  MAKE_OR_SKIP(call, kRing, 2048);
  std::mutex mutex;
  std::condition_variable ready;
  std::deque<GstBuffer*> queue;
  bool done = false;
  std::thread releaser([&] {  // stands in for a pipeline's streaming thread
    std::unique_lock<std::mutex> lock(mutex);
    for (;;) {
      ready.wait(lock, [&] { return done || !queue.empty(); });
      if (queue.empty()) return;
      GstBuffer* buffer = queue.front();
      queue.pop_front();
      lock.unlock();
      gst_buffer_unref(buffer);
      lock.lock();
    }
  });
  ReceiverStats stats;
  std::uint64_t next = 0;
  for (std::size_t sent = 0; sent < kPackets; sent += 16) {
    for (std::size_t i = 0; i < 16; ++i) Send(sent + i, 1000);
    ASSERT_EQ(ReceiveN(call.get(), 16, &stats,
                       [&](pools::PacketSlot& slot) {
                         ExpectPacket(slot, next++, 1000);
                         std::lock_guard<std::mutex> lock(mutex);
                         queue.push_back(slot.buffer);
                         ready.notify_one();
                       }),
              16u);
  }
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
    ready.notify_one();
  }
  releaser.join();
  EXPECT_EQ(next, kPackets);
}

TEST_F(IoUringCallTest, LongDatagramIsFlaggedTruncated) {
  MAKE_OR_SKIP(call, 16, 2048);
  Send(0, 3000);
  Send(1, 500);
  ReceiverStats stats;
  std::vector<pools::PacketSlot> got;
  ASSERT_EQ(ReceiveN(call.get(), 2, &stats, [&](pools::PacketSlot& slot) { got.push_back(slot); }), 2u);
  EXPECT_TRUE(got[0].truncated);
  EXPECT_EQ(got[0].length, got[0].capacity);  // as much as fitted
  EXPECT_EQ(got[0].length, 2048u);            // buffer_size is the whole payload room
  ExpectPacket(got[1], 1, 500);
  for (pools::PacketSlot& slot : got) gst_buffer_unref(slot.buffer);
}

TEST_F(IoUringCallTest, EmptySocketReturnsZeroAfterIdleWait) {
  MAKE_OR_SKIP(call, 16, 2048);
  ReceiverStats stats;
  std::vector<pools::PacketSlot> slots(kDefaultBatch);
  for (int round = 0; round < 2; ++round) {  // first arms the multishot, second finds it armed
    const auto start = std::chrono::steady_clock::now();
    EXPECT_EQ(call->Receive(slots.data(), static_cast<int>(slots.size()), &stats), 0);
    const auto ms =
        std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    // Never early; the upper bound only catches a wait that does not end (a
    // machine 100x slower passes it).
    EXPECT_GE(ms, kIdleWaitMs - 2);
    EXPECT_LE(ms, 100 * kIdleWaitMs);
  }
  EXPECT_EQ(stats.idle_waits, 2u);
  EXPECT_EQ(stats.batches, 0u);
  EXPECT_EQ(stats.rearms, 1u);
}

TEST_F(IoUringCallTest, RejectsImpossibleConfigWithOneLineError) {
  EXPECT_EQ(Make(0, 2048), nullptr);
  EXPECT_NE(error_.find("ring_buffers"), std::string::npos) << error_;
  EXPECT_EQ(Make(16, 0), nullptr);  // no room for a payload
  EXPECT_NE(error_.find("buffer_size"), std::string::npos) << error_;
  EXPECT_EQ(error_.find('\n'), std::string::npos);
}

TEST_F(IoUringCallTest, BuffersOutliveTheCall) {
  std::vector<GstBuffer*> held;
  {
    MAKE_OR_SKIP(call, 16, 2048);
    for (std::size_t i = 0; i < 8; ++i) Send(i, 1000);
    ReceiverStats stats;
    ASSERT_EQ(ReceiveN(call.get(), 8, &stats, [&](pools::PacketSlot& slot) { held.push_back(slot.buffer); }), 8u);
    gst_buffer_unref(held.back());  // one comes back while the call lives
    held.pop_back();
    Send(8, 1000);  // and one waits in the ring when the call goes
  }
  // The call is gone; the memory must still hold the packets.
  for (std::size_t i = 0; i < held.size(); ++i) {
    GstMapInfo map;
    ASSERT_TRUE(gst_buffer_map(held[i], &map, GST_MAP_READ));
    pools::PacketSlot slot;
    slot.buffer = held[i];
    slot.data = map.data;
    slot.length = map.size;
    ExpectPacket(slot, i, 1000);
    gst_buffer_unmap(held[i], &map);
    gst_buffer_unref(held[i]);  // the last one frees the ring memory
  }
}

}  // namespace
}  // namespace rxbench::receivers
