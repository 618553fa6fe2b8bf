// Receive calls (receivers/receive_call.h): the cost of taking one datagram off
// a loopback socket, for recvfrom, recvmmsg at several batch sizes, and io_uring
// multishot recvmsg.
//
// One iteration: fill the socket with kDatagrams datagrams from a connected
// sender (timing paused), then drain all of them through the call (timed). The
// socket's receive buffer is forced large enough that nothing is dropped.
// What is timed is the call alone: recvfrom/recvmmsg receive into slots that
// were acquired once, so the buffer source is not part of it (see
// buffer_source_bench); io_uring provides its own buffers, so its figure
// includes wrapping each datagram in a GstBuffer and unreffing it (which
// returns the ring buffer), i.e. everything it replaces.
//
// io_uring caveat: with the multishot armed, the kernel copies each datagram
// into a ring buffer as it arrives, in task work that runs on this thread when
// the sending syscall returns, i.e. during the (untimed) fill. Its drain figure
// is then only the completion reaping. The `fill_ns_per_datagram` counter
// (send + whatever the kernel did meanwhile, timed separately) shows where that
// work went: compare fill + drain across calls for the whole cost.
#include <arpa/inet.h>
#include <benchmark/benchmark.h>
#include <gst/gst.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstring>
#include <string>
#include <vector>

#include "benchmarks/counter_scope.h"
#include "pools/buffer_source.h"
#include "receivers/receive_call.h"
#include "receivers/receiver_stats.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"

namespace rxbench::benchmarks {
namespace {

using receivers::RecvKind;
using Clock = std::chrono::steady_clock;

constexpr int kDatagrams = 1024;                       // per iteration
constexpr int kRcvbufBytes = 32 << 20;                 // SO_RCVBUFFORCE: 1024 x 8000 B fit with room
constexpr int kSendBatch = 64;                         // sendmmsg chunk during the fill
constexpr int kIoUringMax = receivers::kDefaultBatch;  // completions taken per Receive

// A bound receive socket and a sender connected to it; closed on destruction.
struct Loopback {
  receivers::UdpSocket rx;
  int tx = -1;
  std::string error;

  Loopback() {
    receivers::UdpSocketOptions options;
    options.rcvbuf_bytes = kRcvbufBytes;
    rx = receivers::OpenUdpSocket(options, &error);
    if (rx.fd < 0) return;
    tx = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    const int sndbuf = kRcvbufBytes;
    setsockopt(tx, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof sndbuf);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(rx.port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(tx, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      error = std::string("connect: ") + std::strerror(errno);
    }
  }
  ~Loopback() {
    if (tx >= 0) close(tx);
    if (rx.fd >= 0) close(rx.fd);
  }
  bool ok() const { return rx.fd >= 0 && tx >= 0 && error.empty(); }

  // Sends `count` datagrams of `payload`; false if the kernel refused any.
  bool Fill(int count, const std::vector<std::uint8_t>& payload) {
    iovec iov{const_cast<std::uint8_t*>(payload.data()), payload.size()};
    mmsghdr headers[kSendBatch];
    for (mmsghdr& h : headers) {
      h = mmsghdr{};
      h.msg_hdr.msg_iov = &iov;
      h.msg_hdr.msg_iovlen = 1;
    }
    for (int sent = 0; sent < count;) {
      const int chunk = count - sent < kSendBatch ? count - sent : kSendBatch;
      const int n = sendmmsg(tx, headers, static_cast<unsigned>(chunk), 0);
      if (n <= 0) return false;
      sent += n;
    }
    return true;
  }
};

// state.range(0): datagram bytes; state.range(1): batch (datagrams per call).
void BM_Receive(benchmark::State& state, RecvKind kind) {
  const std::size_t bytes = static_cast<std::size_t>(state.range(0));
  const int batch = static_cast<int>(state.range(1));
  const std::size_t buffer_size = bytes > 4000 ? 9000 : 4096;
  Loopback loopback;
  if (!loopback.ok()) {
    state.SkipWithError(("loopback socket: " + loopback.error).c_str());
    return;
  }
  spec::ReceiverSpec receiver;
  receiver.buffer_size = buffer_size;
  receiver.pool_size = kDatagrams + 64;  // the whole fill lands in the ring
  std::string error;
  auto call = receivers::MakeReceiveCall(kind, loopback.rx.fd, batch, receiver, &error);
  if (!call) {
    state.SkipWithError(error.c_str());
    return;
  }
  const bool provided = call->provided_buffers() != nullptr;
  const int max = provided ? kIoUringMax : batch;

  // Slots acquired once and reused: the call writes into the same memory.
  auto source = pools::MakeBufferSource(pools::BufferKind::kAlloc, buffer_size, 0);
  std::vector<pools::PacketSlot> slots(static_cast<std::size_t>(max));
  if (!provided) {
    for (pools::PacketSlot& slot : slots) source->TryAcquire(&slot);  // alloc: never fails
  }
  const std::vector<std::uint8_t> payload(bytes, 0x5a);
  receivers::ReceiverStats stats;

  // Drains exactly `count` datagrams; false if the socket ran dry first.
  auto drain = [&](int count) {
    int got = 0;
    while (got < count) {
      const int n = call->Receive(slots.data(), max, &stats);
      if (n <= 0) return false;  // an idle wait (something was dropped) or an error
      for (int i = 0; i < n; ++i) {
        if (slots[i].length != bytes || slots[i].truncated) return false;
        if (provided) {
          gst_buffer_unref(slots[i].buffer);
          slots[i] = pools::PacketSlot{};
        }
      }
      got += n;
    }
    return true;
  };

  // Warm-up: arms io_uring's multishot, faults in pages and socket state.
  bool ok = loopback.Fill(kDatagrams, payload) && drain(kDatagrams);
  stats = receivers::ReceiverStats{};
  Clock::duration fill_time{}, drain_time{};
  CounterScope scope(state, kDatagrams);
  for (auto _ : state) {
    if (!ok) break;
    state.PauseTiming();
    const Clock::time_point fill_start = Clock::now();
    ok = loopback.Fill(kDatagrams, payload);
    fill_time += Clock::now() - fill_start;
    state.ResumeTiming();
    const Clock::time_point drain_start = Clock::now();
    ok = ok && drain(kDatagrams);
    drain_time += Clock::now() - drain_start;
  }
  if (!provided) {
    for (pools::PacketSlot& slot : slots) source->Release(&slot);
  }
  if (!ok) {
    state.SkipWithError("datagrams lost, truncated or not sent: socket buffer too small?");
    return;
  }
  const double datagrams = static_cast<double>(state.iterations()) * kDatagrams;
  state.SetItemsProcessed(static_cast<std::int64_t>(datagrams));
  // Timed here too (rather than as an inverted rate) so that the counters are
  // plain ns and the three add up.
  const double drain_ns = std::chrono::duration<double, std::nano>(drain_time).count() / datagrams;
  const double fill_ns = std::chrono::duration<double, std::nano>(fill_time).count() / datagrams;
  state.counters["ns_per_datagram"] = drain_ns;
  state.counters["fill_ns_per_datagram"] = fill_ns;
  state.counters["send_plus_receive_ns_per_datagram"] = fill_ns + drain_ns;
  state.counters["syscalls_per_datagram"] = static_cast<double>(stats.syscalls) / datagrams;
}

// Names: BM_Receive/<call>/bytes:<B>/batch:<N>. recvfrom takes one per call;
// io_uring's batch is how many completions one Receive() returns at most.
[[maybe_unused]] const bool kRegistered = [] {
  const std::vector<std::int64_t> sizes = {200, 1200, 8000};
  benchmark::RegisterBenchmark("BM_Receive/recvfrom", BM_Receive, RecvKind::kRecvfrom)
      ->ArgsProduct({sizes, {1}})
      ->ArgNames({"bytes", "batch"})
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_Receive/recvmmsg", BM_Receive, RecvKind::kRecvmmsg)
      ->ArgsProduct({sizes, {1, 4, 16, 32, 64}})
      ->ArgNames({"bytes", "batch"})
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_Receive/iouring", BM_Receive, RecvKind::kIoUring)
      ->ArgsProduct({sizes, {kIoUringMax}})
      ->ArgNames({"bytes", "batch"})
      ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace rxbench::benchmarks
