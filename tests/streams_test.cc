// Many streams through a whole run (spec::StreamsSpec, RunOnce): the real
// generator sends 4 streams to 2 receiver threads over loopback, in both
// socket layouts, and every stream's and every socket's account must be
// exact: each stream delivered what it sent, to its own pipeline; each
// socket's datagrams explained (unexplained 0), whatever the layout. And when
// sockets overflow, the kernel's per-socket drop count still explains every
// datagram, socket by socket and, with a socket per stream, stream by stream.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/receive_side.h"
#include "platform/thread_census.h"
#include "receivers/strategy.h"
#include "run/runner.h"
#include "traffic_gen/generator.h"

namespace rxbench::harness {
namespace {

constexpr unsigned kStreams = 4;
constexpr std::uint64_t kPerStream = 200;
constexpr std::uint64_t kWarmup = 20;

spec::RunSpec ManyStreams(const char* strategy, spec::StreamSockets sockets) {
  spec::RunSpec config;
  config.receive.receiver.strategy = *receivers::FindPreset(strategy);
  config.traffic.rate_pps = 500;  // per stream
  config.traffic.packet_count = kPerStream;
  config.traffic.warmup_packets = kWarmup;
  config.traffic.payload_bytes = 1000;
  config.traffic.shape = traffic_gen::Shape::kCbr;
  config.receive.streams.streams = kStreams;
  config.receive.streams.receivers = 2;
  config.receive.streams.sockets = sockets;
  return config;
}

// What holds in either layout when nothing is lost.
void ExpectEveryStreamWhole(const RunResult& r) {
  ASSERT_TRUE(r.ok) << r.error;
  EXPECT_EQ(r.packets_sent, kStreams * (kPerStream + kWarmup));
  EXPECT_EQ(r.packets_delivered, r.packets_sent);
  EXPECT_EQ(r.unexplained_packets, 0);
  EXPECT_EQ(r.receiver_threads, 2);
  ASSERT_EQ(r.per_stream.size(), kStreams);
  std::set<std::uint32_t> ssrcs;
  for (const RunResult::StreamFigures& s : r.per_stream) {
    ssrcs.insert(s.ssrc);
    EXPECT_EQ(s.sent, kPerStream + kWarmup) << s.ssrc;
    EXPECT_EQ(s.delivered, kPerStream + kWarmup) << s.ssrc;
    EXPECT_EQ(s.lost, 0) << s.ssrc;
    // Its own sequence numbers, whole: no other stream's packet among them.
    EXPECT_EQ(s.seq_gaps, 0u) << s.ssrc;
    EXPECT_TRUE(s.socket.has_value()) << s.ssrc;
    EXPECT_GT(s.latency.count, 0u) << s.ssrc;
  }
  EXPECT_EQ(ssrcs.size(), kStreams);
  std::uint64_t received = 0;
  for (const RunResult::SocketFigures& s : r.per_socket) {
    EXPECT_EQ(s.unexplained, 0) << "port " << s.port;
    EXPECT_EQ(s.kernel_drops, 0u) << "port " << s.port;
    ASSERT_TRUE(s.received.has_value());
    received += *s.received;
  }
  EXPECT_EQ(received, r.packets_sent);
  // Every pipeline thread is one stream's: the streams' pipeline CPU adds up
  // to the whole pipeline's, over the same window.
  double streams_cpu_ns = 0;
  std::uint64_t streams_packets = 0;
  for (const RunResult::StreamFigures& s : r.per_stream) {
    ASSERT_TRUE(s.cpu_ns_per_packet_pipeline.has_value()) << s.ssrc;
    EXPECT_GT(*s.cpu_ns_per_packet_pipeline, 0) << s.ssrc;
    streams_cpu_ns += *s.cpu_ns_per_packet_pipeline * static_cast<double>(s.window_packets);
    streams_packets += s.window_packets;
  }
  EXPECT_EQ(streams_packets, r.window_packets);
  const double pipeline_cpu_ns = r.cpu_ns_per_packet_pipeline * static_cast<double>(r.window_packets);
  EXPECT_NEAR(streams_cpu_ns, pipeline_cpu_ns, 1e-6 * pipeline_cpu_ns);
}

TEST(StreamsTest, ReuseportFourStreamsTwoReceivers) {
  const RunResult r = RunOnce(ManyStreams("combined-list", spec::StreamSockets::kReuseport));
  ExpectEveryStreamWhole(r);
  ASSERT_EQ(r.per_socket.size(), 2u);
  EXPECT_EQ(r.per_socket[0].port, r.per_socket[1].port);  // one group, one port
  // The kernel's hash keeps a stream on one socket: what a socket received
  // is the sum of the streams it names.
  std::uint64_t by_stream[2] = {0, 0};
  for (const RunResult::StreamFigures& s : r.per_stream) by_stream[*s.socket] += *s.sent;
  EXPECT_EQ(r.per_socket[0].received, by_stream[0]);
  EXPECT_EQ(r.per_socket[1].received, by_stream[1]);
}

// One stream on a group of two sockets: it hashes to one of them, which the
// thread that read it names, so both sockets' accounts are still exact.
TEST(StreamsTest, OneStreamOnTwoReuseportSockets) {
  spec::RunSpec config = ManyStreams("combined", spec::StreamSockets::kReuseport);
  config.receive.streams.streams = 1;
  const RunResult r = RunOnce(config);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.per_socket.size(), 2u);
  ASSERT_EQ(r.per_stream.size(), 1u);
  ASSERT_TRUE(r.per_stream[0].socket.has_value());
  EXPECT_EQ(r.per_socket[*r.per_stream[0].socket].received, kPerStream + kWarmup);
  for (const RunResult::SocketFigures& s : r.per_socket) EXPECT_EQ(s.unexplained, 0) << "port " << s.port;
}

TEST(StreamsTest, PerStreamFourStreamsTwoReceivers) {
  const RunResult r = RunOnce(ManyStreams("baseline", spec::StreamSockets::kPerStream));
  ExpectEveryStreamWhole(r);
  ASSERT_EQ(r.per_socket.size(), kStreams);
  std::set<std::uint16_t> ports;
  for (std::size_t k = 0; k < kStreams; ++k) {
    ports.insert(r.per_socket[k].port);
    EXPECT_EQ(r.per_stream[k].socket, k);
    EXPECT_EQ(r.per_stream[k].port, r.per_socket[k].port);
    // A socket of its own: its drops are the stream's.
    EXPECT_EQ(r.per_stream[k].kernel_drops, 0u);
    EXPECT_EQ(r.per_socket[k].received, r.per_stream[k].sent);
  }
  EXPECT_EQ(ports.size(), kStreams);
}

// Lock-step over a socket per stream: a round spread over the sockets is
// read whole, the multi-socket read filling its slots from every ready
// socket, so no read comes up short of the round.
TEST(StreamsTest, LockStepRoundsSpanEveryStreamsSocket) {
  spec::RunSpec config = ManyStreams("combined", spec::StreamSockets::kPerStream);
  config.receive.streams.receivers = 1;
  config.traffic.lock_step_packets = 64;
  const RunResult r = RunOnce(config);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_TRUE(r.lock_step.has_value());
  EXPECT_EQ(r.lock_step->short_reads, 0u);
  EXPECT_EQ(r.lock_step->unfinished_rounds, 0u);
  EXPECT_EQ(r.packets_delivered, kStreams * (kPerStream + kWarmup));
  for (const RunResult::SocketFigures& s : r.per_socket) EXPECT_EQ(s.unexplained, 0) << "port " << s.port;
}

// A layout the receive side cannot run fails before any traffic, saying why,
// with the offered rate of every stream (not one stream's).
TEST(StreamsTest, UdpsrcOnAReuseportGroupIsRefused) {
  spec::RunSpec config = ManyStreams("udpsrc", spec::StreamSockets::kReuseport);
  config.receive.streams.receivers = 1;
  const RunResult r = RunOnce(config);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("--stream-sockets per-stream"), std::string::npos) << r.error;
  EXPECT_EQ(r.offered_pps, 4 * 500);
  EXPECT_EQ(r.packets_sent, 0u);
}

// The CPUs thread `tid` of this process may run on ("0", "0-1", ...).
std::string CpusAllowed(pid_t tid) {
  std::ifstream status("/proc/self/task/" + std::to_string(tid) + "/status");
  for (std::string line; std::getline(status, line);) {
    if (line.rfind("Cpus_allowed_list:", 0) == 0) return line.substr(line.find_first_not_of(" \t", 18));
  }
  return "?";
}

// "One core": with the receivers and every pipeline pinned to one CPU, every
// receiver thread and every thread of each of the 8 pipelines (announced or
// not) runs on that CPU alone once the window opens.
TEST(StreamsTest, OneCorePinsEveryReceiverAndPipelineThread) {
  spec::ReceiveSideSpec spec;
  spec.receiver.strategy = *receivers::FindPreset("combined");
  spec.streams.streams = 8;
  spec.streams.receivers = 2;
  spec.receiver.cpu = 0;
  spec.pipeline.cpu = 0;
  ReceiveSide side(spec);
  std::string error;
  ASSERT_TRUE(side.Start(&error)) << error;
  // A few packets of every stream first: some pipeline threads (the jitter
  // buffer's timer) start only with the stream, as they do in a run's warm-up.
  traffic_gen::TrafficSpec traffic;
  traffic.rate_pps = 1000;
  traffic.packet_count = 5;
  traffic.streams = 8;
  traffic.shape = traffic_gen::Shape::kCbr;
  traffic.dest_port = side.port();
  traffic_gen::Generator generator(traffic);
  ASSERT_TRUE(generator.Start(&error)) << error;
  generator.Wait();
  ASSERT_EQ(generator.Report().packets_sent, 40u);
  // A bound for a broken run only: a slow machine takes what it takes.
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (side.Delivered() < 40 && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ASSERT_EQ(side.Delivered(), 40u);
  side.OpenWindow();
  // By role, not by birth: GStreamer's task pool lends pipelines threads that
  // earlier tests' pipelines left in it.
  int pinned_roles = 0;
  for (pid_t tid : platform::ListThreads()) {
    std::ifstream comm_file("/proc/self/task/" + std::to_string(tid) + "/comm");
    std::string comm;
    std::getline(comm_file, comm);
    const ThreadRole role = side.roles().Identify(tid, comm).role;
    if (role != ThreadRole::kReceiver && role != ThreadRole::kPipeline) continue;
    ++pinned_roles;
    EXPECT_EQ(CpusAllowed(tid), "0") << comm << " " << tid;
  }
  // 2 receivers and 4 threads per default pipeline (appsrc, queue,
  // rtpjitterbuffer and its timer): every pipeline's threads are there.
  EXPECT_GE(pinned_roles, 2 + 8 * 4);
  side.CloseWindow();
  side.Finish(1.0);
}

// Sockets that overflow: the smallest receive buffer the kernel allows (a
// datagram or two), frames of every stream back to back, and a receiver that
// spends 2 ms on each packet. No jitter buffer, so that a stream's loss is
// its socket's drops alone.
TEST(StreamsTest, OverflowingSocketsStillExplainEveryDatagram) {
  spec::RunSpec config = ManyStreams("baseline", spec::StreamSockets::kPerStream);
  config.receive.streams.receivers = 1;
  config.receive.socket.rcvbuf_bytes = 1;
  config.receive.receiver.inject_cost_ns = 2'000'000;
  config.receive.pipeline.description =
      "appsrc name=src is-live=true format=time ! queue ! fakesink name=sink sync=false async=false";
  config.traffic.shape = traffic_gen::Shape::kBurst;
  config.traffic.fps = 2;  // 250 packets of each stream a frame, all at once
  config.traffic.warmup_packets = 0;
  config.traffic.packet_count = 500;
  const RunResult r = RunOnce(config);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_GT(r.kernel_drops, 0u) << "no socket overflowed: the test checked nothing";
  EXPECT_EQ(r.unexplained_packets, 0);
  ASSERT_EQ(r.per_socket.size(), kStreams);
  std::uint64_t drops = 0;
  for (const RunResult::SocketFigures& s : r.per_socket) {
    EXPECT_EQ(s.unexplained, 0) << "port " << s.port;
    drops += s.kernel_drops;
  }
  EXPECT_EQ(drops, r.kernel_drops);
  for (const RunResult::StreamFigures& s : r.per_stream) {
    ASSERT_TRUE(s.kernel_drops.has_value());
    EXPECT_EQ(s.sent, 500u);
    const RunResult::SocketFigures& socket = r.per_socket[*s.socket];
    EXPECT_EQ(s.lost, static_cast<std::int64_t>(*s.kernel_drops + socket.left_in_socket)) << s.ssrc;
  }
}

// Reuseport with as many sockets as streams: the kernel's hash may put two
// streams on one socket, so a socket's drops are no stream's own. They stay
// unknown per stream (not the socket's count given to each of its streams).
TEST(StreamsTest, ReuseportDropsAreNoStreamsOwnEvenWithASocketPerStream) {
  spec::RunSpec config = ManyStreams("baseline", spec::StreamSockets::kReuseport);
  config.receive.streams.receivers = kStreams;
  const RunResult r = RunOnce(config);
  ASSERT_TRUE(r.ok) << r.error;
  ASSERT_EQ(r.per_socket.size(), kStreams);
  for (const RunResult::StreamFigures& s : r.per_stream) EXPECT_FALSE(s.kernel_drops.has_value()) << s.ssrc;
}

// A thread that reads several sockets idles in an epoll set that does not
// busy poll: a busy-polling wait is refused there, not run as a plain one.
TEST(StreamsTest, BusyPollingOverSeveralSocketsPerThreadIsRefused) {
  spec::RunSpec config = ManyStreams("combined-list", spec::StreamSockets::kPerStream);
  config.receive.receiver.strategy.wait = receivers::WaitKind::kBusyPoll;
  const RunResult r = RunOnce(config);
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.error.find("busy polls one socket per receiver thread"), std::string::npos) << r.error;
  config.receive.streams.receivers = kStreams;  // a socket each: allowed
  const RunResult each = RunOnce(config);
  EXPECT_TRUE(each.ok) << each.error;
}

}  // namespace
}  // namespace rxbench::harness
