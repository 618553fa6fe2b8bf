// Behaviour of the receivers themselves (receivers::MakeReceiver), driven
// directly with a bound loopback socket and, except for `null`, a playing
// default pipeline: how fast they stop, that they can be restarted on the same
// socket without leaking threads, that oversized datagrams are detected, that
// Snapshot() is consistent while the receiver thread publishes, and that the
// pooled buffer sources stop allocating once warm.
//
// Parameterised over the receive-loop presets and `null`; `udpsrc` has no
// Receiver object (it lives inside the pipeline).
#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/pipeline.h"
#include "platform/udp_counters.h"
#include "receivers/receive_call.h"
#include "receivers/receiver.h"
#include "receivers/strategy.h"
#include "receivers/udp_socket.h"
#include "rtp/rtp_packet.h"
#include "tests/loopback_sender.h"
#include "tests/strategy_test_name.h"
#include "tests/under_tsan.h"
#include "traffic_gen/generator.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::receivers {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;
using std::chrono::milliseconds;

constexpr std::size_t kPayloadBytes = 1200;
constexpr std::size_t kDatagramBytes = rtp::kHeaderBytes + kPayloadBytes;

std::vector<std::string> ReceiverPresetNames() {
  std::vector<std::string> names;
  for (const StrategySpec& s : Presets()) {
    if (s.receiver != ReceiverKind::kUdpsrc) names.push_back(s.name);
  }
  return names;
}

double MsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

// Names (comm) of this process's threads.
std::vector<std::string> ThreadNames() {
  std::vector<std::string> names;
  DIR* dir = opendir("/proc/self/task");
  if (dir == nullptr) return names;
  while (dirent* e = readdir(dir)) {
    if (e->d_name[0] == '.') continue;
    std::ifstream comm(std::string("/proc/self/task/") + e->d_name + "/comm");
    std::string name;
    std::getline(comm, name);
    names.push_back(name);
  }
  closedir(dir);
  return names;
}

int CountReceiverThreads() {
  int n = 0;
  for (const std::string& name : ThreadNames()) {
    if (name == "rxrecv" || name == "rxnull") ++n;
  }
  return n;
}

std::string JoinNames(std::vector<std::string> names) {
  std::sort(names.begin(), names.end());
  std::string out;
  for (const std::string& n : names) out += n + " ";
  return out;
}

// The socket's kernel drop counter; 0 when it cannot be read.
std::uint64_t KernelDrops(int fd) { return platform::UdpCounters::SocketDrops(fd).value_or(0); }

using Sender = testing_support::LoopbackSender;

class ReceiverBehaviourTest : public testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (tests::HandOverUnseenByTsan(GetParam())) GTEST_SKIP() << "gro under TSan: see tests/under_tsan.h";
    const auto spec = FindPreset(GetParam());
    ASSERT_TRUE(spec.has_value()) << GetParam();
    spec_ = *spec;
    is_null_ = spec_.receiver == ReceiverKind::kNull;
    std::string error;
    UdpSocketOptions options;
    options.rcvbuf_bytes = 4 << 20;
    socket_ = OpenUdpSocket(options, &error);
    ASSERT_GE(socket_.fd, 0) << error;
    if (!is_null_) {
      pipeline_ = harness::Pipeline::Create(harness::kDefaultPipeline, -1, nullptr, &error);
      ASSERT_NE(pipeline_, nullptr) << error;
      ASSERT_TRUE(pipeline_->Play(&error)) << error;
    }
  }

  void TearDown() override {
    // Receivers first (they push into the pipeline), then the pipeline.
    for (auto& r : receivers_) r->Stop();
    if (pipeline_) pipeline_->Stop();
    receivers_.clear();
    pipeline_.reset();
    if (socket_.fd >= 0) close(socket_.fd);
  }

  // The receiver's settings are receiver_spec_, which a test may change
  // before it starts one; the receiver reads them there.
  ReceiverConfig Config() {
    receiver_spec_.strategy = spec_;
    ReceiverConfig c;
    c.spec = &receiver_spec_;
    c.fd = socket_.fd;
    c.appsrc = pipeline_ ? pipeline_->appsrc() : nullptr;
    return c;
  }

  // Made and started; owned by the fixture so that TearDown stops it first.
  Receiver* StartReceiver(const ReceiverConfig& config) {
    receivers_.push_back(MakeReceiver(config));
    Receiver* r = receivers_.back().get();
    EXPECT_NE(r, nullptr);
    if (r == nullptr) return nullptr;
    std::string error;
    EXPECT_TRUE(r->Start(&error)) << error;
    if (!error.empty()) return nullptr;
    return r;
  }

  // Waits until the receiver took `packets` datagrams off the socket.
  static bool WaitForPackets(const Receiver& r, std::uint64_t packets, int timeout_ms = 5000) {
    const Clock::time_point start = Clock::now();
    while (r.Snapshot().packets < packets) {
      if (MsSince(start) > timeout_ms) return false;
      std::this_thread::sleep_for(milliseconds(2));
    }
    return true;
  }

  traffic_gen::TrafficSpec Traffic(double rate_pps, std::uint64_t packets) const {
    traffic_gen::TrafficSpec t;
    t.rate_pps = rate_pps;
    t.packet_count = packets;
    t.payload_bytes = kPayloadBytes;
    t.shape = traffic_gen::Shape::kCbr;
    t.dest_host = "127.0.0.1";
    t.dest_port = socket_.port;
    return t;
  }

  StrategySpec spec_;
  spec::ReceiverSpec receiver_spec_;
  bool is_null_ = false;
  UdpSocket socket_;
  std::unique_ptr<harness::Pipeline> pipeline_;
  std::vector<std::unique_ptr<Receiver>> receivers_;
};

// How long a stop takes is measured by `rxbench run` (stop_s) and by
// lifecycle_test, not bounded here: these tests check that a stop happens at
// all. Their bound, kStopHangMs, only catches a receiver that never leaves its
// loop; a machine 100x slower than one that stops in ~2 ms passes it. That a
// stop cuts the idle wait short is checked without a clock in
// thread_wake_test (a wait of a minute, ended by the wake-up).
constexpr double kStopHangMs = 2'000;

// Every receive call waits at most kIdleWaitMs (20 ms) on an empty socket, so
// the loop sees stop within one wait.
TEST_P(ReceiverBehaviourTest, StopLatencyIdle) {
  Receiver* r = StartReceiver(Config());
  ASSERT_NE(r, nullptr);
  std::this_thread::sleep_for(milliseconds(50));
  const Clock::time_point start = Clock::now();
  r->Stop();
  const double ms = MsSince(start);
  EXPECT_LT(ms, kStopHangMs) << "Stop() on an idle receiver took " << ms << " ms";
  EXPECT_EQ(CountReceiverThreads(), 0) << JoinNames(ThreadNames());
  EXPECT_EQ(r->Result().stats.packets, 0u);
  EXPECT_GT(r->Result().stats.idle_waits, 0u);
  // Idempotent: a second Stop() returns and changes nothing.
  const ReceiverStats before = r->Result().stats;
  r->Stop();
  EXPECT_EQ(r->Result().stats.idle_waits, before.idle_waits);
  EXPECT_EQ(r->Result().stats.packets, before.packets);
}

TEST_P(ReceiverBehaviourTest, StopLatencyUnderLoad) {
  Receiver* r = StartReceiver(Config());
  ASSERT_NE(r, nullptr);
  traffic_gen::Generator generator(Traffic(50000, 100000));  // 2 s at 50 kpps
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  std::this_thread::sleep_for(milliseconds(300));
  ASSERT_TRUE(generator.running()) << "the load ended before Stop() was measured";
  const std::uint64_t before = r->Snapshot().packets;
  const Clock::time_point start = Clock::now();
  r->Stop();
  const double ms = MsSince(start);
  generator.Stop();
  EXPECT_LT(ms, kStopHangMs) << "Stop() under 50 kpps took " << ms << " ms";
  EXPECT_GT(before, 0u) << "the receiver took nothing off the socket in 300 ms";
  EXPECT_GE(r->Result().stats.packets, before);
}

// Two receivers in turn on one socket: each receives, each thread is gone
// after Stop().
TEST_P(ReceiverBehaviourTest, StartStopStart) {
  ASSERT_EQ(CountReceiverThreads(), 0) << JoinNames(ThreadNames());
  // Every thread of the process, with the pipeline playing and idle: its
  // streaming threads exist before and after, so any difference is ours.
  std::this_thread::sleep_for(milliseconds(50));
  const std::vector<std::string> threads_before = ThreadNames();

  Sender sender(socket_.port);
  ASSERT_TRUE(sender.ok());
  constexpr std::uint64_t kPerRound = 20;
  for (int round = 0; round < 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round));
    Receiver* r = StartReceiver(Config());
    ASSERT_NE(r, nullptr);
    // The thread names itself first thing; give it the moment it needs.
    for (int i = 0; i < 100 && CountReceiverThreads() == 0; ++i) std::this_thread::sleep_for(milliseconds(2));
    EXPECT_EQ(CountReceiverThreads(), 1) << JoinNames(ThreadNames());
    for (std::uint64_t i = 0; i < kPerRound; ++i) {
      ASSERT_TRUE(sender.Send(round * kPerRound + i, kPayloadBytes));
    }
    EXPECT_TRUE(WaitForPackets(*r, kPerRound)) << "received " << r->Snapshot().packets;
    const Clock::time_point start = Clock::now();
    r->Stop();
    EXPECT_LT(MsSince(start), kStopHangMs);
    EXPECT_EQ(CountReceiverThreads(), 0) << JoinNames(ThreadNames());
    const ReceiverStats& s = r->Result().stats;
    EXPECT_EQ(s.packets, kPerRound);
    EXPECT_EQ(s.truncated, 0u);
    EXPECT_EQ(s.malformed, 0u);
    if (!is_null_) {
      EXPECT_EQ(s.pushed, kPerRound);
      EXPECT_EQ(s.push_errors, 0u);
    }
    receivers_.clear();  // destroyed: everything it owned is released
  }

  // Threads are joined by Stop(); allow the kernel a moment to reap them.
  std::vector<std::string> threads_after = ThreadNames();
  for (int i = 0; i < 50 && threads_after.size() != threads_before.size(); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
    threads_after = ThreadNames();
  }
  EXPECT_EQ(threads_after.size(), threads_before.size())
      << "before: " << JoinNames(threads_before) << "\nafter: " << JoinNames(threads_after);
  EXPECT_EQ(CountReceiverThreads(), 0);
}

// buffer_size 1024: 2000-byte datagrams are truncated (counted, never pushed),
// 500-byte ones go through. For io_uring buffer_size is the size of each ring
// buffer (header and control messages included), which changes nothing here.
TEST_P(ReceiverBehaviourTest, TruncationDetected) {
  receiver_spec_.buffer_size = 1024;
  ReceiverConfig config = Config();
  Receiver* r = StartReceiver(config);
  ASSERT_NE(r, nullptr);
  Sender sender(socket_.port);
  ASSERT_TRUE(sender.ok());
  for (std::uint64_t i = 0; i < 50; ++i) {
    ASSERT_TRUE(sender.Send(2 * i, 1988));     // 2000 bytes
    ASSERT_TRUE(sender.Send(2 * i + 1, 488));  // 500 bytes
  }
  EXPECT_TRUE(WaitForPackets(*r, 100)) << "received " << r->Snapshot().packets;
  r->Stop();
  const ReceiverStats& s = r->Result().stats;
  EXPECT_EQ(KernelDrops(socket_.fd), 0u);
  EXPECT_EQ(s.packets, 100u);
  EXPECT_EQ(s.truncated, 50u);
  EXPECT_EQ(s.malformed, 0u);
  if (!is_null_) {
    EXPECT_EQ(s.pushed, 50u);
    EXPECT_EQ(s.push_errors, 0u);
  }
}

// One thread hammers Snapshot() while the receiver thread publishes.
//
// What is published together (receivers/receive_loop.cc): for a batch of n
// datagrams the loop publishes n times; the first n-1 publishes carry only
// packets=1, the last carries packets=1 together with the batch's bytes,
// truncated, malformed, pushed and push_errors (and the call's syscalls,
// batches, ...). Idle waits publish packets=0. So at every publish boundary:
//
//   bytes == (pushed + push_errors + truncated + malformed) * datagram_size
//   0 <= packets - (pushed + push_errors + truncated + malformed) < batch
//
// (every datagram has the same size and none is truncated). The null receiver
// publishes once per batch, with packets and bytes together: bytes ==
// packets * datagram_size.
//
// A torn snapshot -- one that copied part of a publish -- breaks the first
// identity: the seqlock writer adds the fields one after another (packets,
// bytes, truncated, malformed, pushed, ...), so a reader that is not turned
// away by the sequence counter while the last publish of a batch is half
// applied sees `bytes` grown by the batch but `pushed` not yet (bytes >
// pushed * size), or, for the mutex policy, a copy taken without the lock
// could do the same. Monotonicity catches a snapshot mixing an older copy of
// one field with a newer one of another across successive reads.
TEST_P(ReceiverBehaviourTest, ConcurrentSnapshotsConsistent) {
  ReceiverConfig config = Config();
  const int batch = spec_.recv == RecvKind::kRecvfrom && !is_null_ ? 1 : receiver_spec_.batch;
  Receiver* r = StartReceiver(config);
  ASSERT_NE(r, nullptr);

  std::atomic<bool> done{false};
  std::uint64_t snapshots = 0, violations = 0;
  std::string first_violation;
  std::thread reader([&] {
    ReceiverStats prev;
    while (!done.load(std::memory_order_relaxed)) {
      const ReceiverStats s = r->Snapshot();
      ++snapshots;
      std::string bad;
      const std::uint64_t processed = s.pushed + s.push_errors + s.truncated + s.malformed;
      if (is_null_) {
        if (s.bytes != s.packets * kDatagramBytes) bad += " bytes!=packets*size";
        if (s.truncated != 0) bad += " truncated";
      } else {
        if (s.bytes != processed * kDatagramBytes) bad += " bytes!=processed*size";
        if (s.packets < processed) {
          bad += " packets<processed";
        } else if (s.packets - processed >= static_cast<std::uint64_t>(batch)) {
          bad += " packets-processed>=batch";
        }
      }
      if (s.packets < prev.packets || s.bytes < prev.bytes || s.truncated < prev.truncated ||
          s.malformed < prev.malformed || s.pushed < prev.pushed || s.push_errors < prev.push_errors ||
          s.syscalls < prev.syscalls || s.idle_waits < prev.idle_waits || s.batches < prev.batches ||
          s.ring_exhausted < prev.ring_exhausted || s.rearms < prev.rearms) {
        bad += " not monotonic";
      }
      if (!bad.empty()) {
        if (violations++ == 0) {
          first_violation =
              bad + ": packets=" + std::to_string(s.packets) + " bytes=" + std::to_string(s.bytes) +
              " pushed=" + std::to_string(s.pushed) + " truncated=" + std::to_string(s.truncated) +
              " malformed=" + std::to_string(s.malformed) + " push_errors=" + std::to_string(s.push_errors) +
              " (previous packets=" + std::to_string(prev.packets) + " bytes=" + std::to_string(prev.bytes) + ")";
        }
      }
      prev = s;
    }
  });

  traffic_gen::Generator generator(Traffic(40000, 20000));
  std::string error;
  const bool started = generator.Start(&error);
  if (started) {
    generator.Wait();
    const std::uint64_t sent = generator.Report().packets_sent;
    // Everything sent is either taken by the receiver or dropped by the kernel.
    const Clock::time_point start = Clock::now();
    while (MsSince(start) < 5000) {
      if (r->Snapshot().packets + KernelDrops(socket_.fd) >= sent) break;
      std::this_thread::sleep_for(milliseconds(5));
    }
  }
  r->Stop();
  done.store(true);
  reader.join();
  ASSERT_TRUE(started) << error;

  const ReceiverStats& s = r->Result().stats;
  EXPECT_EQ(s.packets + KernelDrops(socket_.fd), generator.Report().packets_sent);
  EXPECT_GT(s.packets, 0u);
  EXPECT_EQ(s.bytes, s.packets * kDatagramBytes);
  if (!is_null_) {
    EXPECT_EQ(s.pushed, s.packets);
  }
  EXPECT_GT(snapshots, 100u) << "the reader barely ran";
  EXPECT_EQ(violations, 0u) << violations << " of " << snapshots
                            << " snapshots inconsistent; first:" << first_violation;
}

// Pooled buffer sources warm pool_size buffers at start and then only recycle
// (or replace what the pipeline kept);
// `alloc` allocates one buffer per datagram (which proves the counter counts);
// io_uring receives into its ring and must not run out of ring buffers.
TEST_P(ReceiverBehaviourTest, PoolRecyclingNoSteadyStateAllocations) {
  if (tests::kUnderTsan) GTEST_SKIP() << "under ThreadSanitizer the pipeline cannot keep up with 20 kpps";
  ReceiverConfig config = Config();
  Receiver* r = StartReceiver(config);
  ASSERT_NE(r, nullptr);
  traffic_gen::Generator generator(Traffic(20000, 20000));
  std::string error;
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  const std::uint64_t sent = generator.Report().packets_sent;
  ASSERT_EQ(sent, 20000u);
  const Clock::time_point start = Clock::now();
  while (MsSince(start) < 5000) {
    if (r->Snapshot().packets + KernelDrops(socket_.fd) >= sent) break;
    std::this_thread::sleep_for(milliseconds(5));
  }
  // Let the pipeline hand the last buffers back before the source is read.
  std::this_thread::sleep_for(milliseconds(50));
  r->Stop();

  const ReceiverResult& result = r->Result();
  const ReceiverStats& s = result.stats;
  const std::uint64_t drops = KernelDrops(socket_.fd);
  SCOPED_TRACE("packets=" + std::to_string(s.packets) + " kernel_drops=" + std::to_string(drops) +
               " allocations=" + std::to_string(result.buffers.allocations) +
               " warmup=" + std::to_string(result.buffers.warmup_allocations) + " exhausted=" +
               std::to_string(result.buffers.exhausted) + " recycled=" + std::to_string(result.buffers.recycled) +
               " discarded=" + std::to_string(result.buffers.discarded) +
               " ring_exhausted=" + std::to_string(s.ring_exhausted));
  EXPECT_EQ(s.packets + drops, sent);
  EXPECT_GT(s.packets, sent / 2);
  if (!is_null_) {
    EXPECT_EQ(s.pushed, s.packets);
    EXPECT_EQ(s.push_errors, 0u);
  }

  const bool pooled = spec_.buffer == pools::BufferKind::kFreeList || spec_.buffer == pools::BufferKind::kGstPool;
  if (is_null_) {
    // No buffers at all: one static block.
    EXPECT_EQ(result.buffers.allocations, 0u);
  } else if (spec_.recv == RecvKind::kIoUring) {
    // The one multishot request armed at start served every datagram: a
    // request that ended for any other reason and was re-armed would show.
    // A moment when the pipeline held every buffer (a loaded machine) ends
    // the request with -ENOBUFS and it is re-armed: once per exhaustion.
    EXPECT_EQ(s.rearms, 1u + s.ring_exhausted);
  } else if (pooled) {
    EXPECT_EQ(result.buffers.warmup_allocations, receiver_spec_.pool_size);
    // A pool allocates after the warm-up only to replace a buffer that came
    // back with its memory still shared. Pushed one by one, nothing keeps a
    // share. Pushed as lists, rtpjitterbuffer's chain_list holds a second
    // reference while its output thread may already make the buffer writable,
    // which copies it and shares the memory.
    EXPECT_LE(result.buffers.allocations, result.buffers.warmup_allocations + result.buffers.discarded)
        << "the pool grew in steady state";
    if (spec_.push == PushKind::kSingle) {
      EXPECT_EQ(result.buffers.discarded, 0u);
    }
    // Not asserted: `exhausted` (the receiver waited because the pipeline held
    // every buffer for a moment). That is the pool's documented wait, not
    // growth; CI saw it 45 times on a loaded machine.
    EXPECT_GT(result.buffers.recycled, 0u);
  } else {
    ASSERT_EQ(spec_.buffer, pools::BufferKind::kAlloc);
    // One per datagram, plus the one waiting in the slot when stop came.
    EXPECT_GE(result.buffers.allocations, s.packets);
    EXPECT_LE(result.buffers.allocations, s.packets + 1);
    EXPECT_EQ(result.buffers.warmup_allocations, 0u);
    EXPECT_EQ(result.buffers.recycled, 0u);
  }
}

INSTANTIATE_TEST_SUITE_P(ReceiverPresets, ReceiverBehaviourTest, testing::ValuesIn(ReceiverPresetNames()),
                         rxbench::tests::StrategyTestName);

}  // namespace
}  // namespace rxbench::receivers
