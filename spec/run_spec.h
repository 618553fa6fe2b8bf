// One run's settings: every knob of a benchmark run, held once, with its one
// default. The command line binds its options to these fields (so a CLI
// default is this default), the results JSON's context is written from them,
// and each part is passed down by const reference to what it configures:
//
//   RunSpec                          one process: `run`, `compare`
//     traffic    TrafficSpec         the generator (`gen` alone)
//     receive    ReceiveSideSpec     the receive side (`recv` alone)
//       socket       SocketSpec      the UDP socket it binds
//       receiver     ReceiverSpec    the strategy and its knobs
//       pipeline     PipelineSpec    the production pipeline
//       measurement  MeasurementSpec what is measured beside the stream
//       streams      StreamsSpec     how many streams, sockets and receiver threads
//
// Plain data without GStreamer, sockets or CLI11, so that anything may
// include it. What a part needs only at run time (a socket's fd, the appsrc,
// callbacks) is passed beside it, never copied into it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "receivers/strategy.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::spec {

struct SocketSpec {
  std::string bind_host = "127.0.0.1";
  std::uint16_t port = 0;      // 0: any free port
  int rcvbuf_bytes = 4 << 20;  // SO_RCVBUF(FORCE)
  // SO_TIMESTAMPNS + SO_RXQ_OVFL: kernel receive times for the strategies
  // that read control messages. Off by default: the kernel charges every
  // datagram for them.
  bool kernel_timestamps = false;
};

struct ReceiverSpec {
  receivers::StrategySpec strategy;      // a preset, possibly with overrides
  int batch = receivers::kDefaultBatch;  // recvmmsg / io_uring / gro: datagrams per call
  std::size_t buffer_size = 4096;        // bytes per buffer: the largest datagram taken whole
  // Pooled buffer sources: buffers, all allocated at start; io_uring: buffers
  // in its provided-buffer ring.
  std::size_t pool_size = 4096;
  int cpu = -1;                      // pin the receiver thread (-1: no)
  std::uint64_t inject_cost_ns = 0;  // spin this long per pushed packet (calibrates a CI gate)
  // A fixed loop of this many iterations per pushed packet (calibrates the
  // exact tier: a known number of instructions, whatever the machine's speed).
  std::uint64_t inject_instructions = 0;
  bool phase_timing = false;  // time the loop's phases on a sample of batches
  // How long a busy-polling wait (strategy.wait other than sleep) polls before
  // it sleeps: SO_BUSY_POLL, epoll's and io_uring's busy-poll timeout.
  int busy_poll_us = 50;
  // The stream every datagram must belong to (--ssrc / --pt); a field not
  // given is locked on the first valid packet (rtp/datagram_check.h). udpsrc
  // and null do not validate datagrams.
  std::optional<std::uint32_t> expected_ssrc;
  std::optional<std::uint8_t> expected_payload_type;
};

struct PipelineSpec {
  std::string description;  // gst-launch syntax; "" = the production pipeline
  std::string preset;       // the --pipeline-preset the description came from; "" = none named
  int cpu = -1;             // pin every pipeline thread (-1: no)
};

struct MeasurementSpec {
  // Per-packet stamps, latency and jitter; false (`--measure minimal`): count only.
  bool per_packet = true;
  // Receiver-thread counters (perf stat -e names): read where the machine has
  // a PMU, reported as unavailable (with the reason) where it has not.
  std::vector<std::string> counters = {"cycles", "instructions", "cache-misses", "branch-misses"};
  bool count_syscalls = false;  // every syscall of the receiver thread (tracepoint)
  bool verify_payload = false;  // the sink checks every payload byte (the generator fills them)
};

// Many streams at once (issue 21): N RTP streams, each with its own
// production pipeline, read by M receiver threads from sockets laid out one
// of two ways:
//   reuseport   M sockets in one SO_REUSEPORT group on one port; the kernel
//               hashes each stream (by its source port) to one socket, and a
//               receiver routes each datagram by SSRC to its stream's pipeline
//   per-stream  N sockets, a port each, spread over the M threads
// One stream and one receiver (the default) is the original receive side.
enum class StreamSockets { kReuseport, kPerStream };
inline const char* ToString(StreamSockets sockets) {
  return sockets == StreamSockets::kReuseport ? "reuseport" : "per-stream";
}
inline std::optional<StreamSockets> ParseStreamSockets(const std::string& name) {
  if (name == "reuseport") return StreamSockets::kReuseport;
  if (name == "per-stream") return StreamSockets::kPerStream;
  return std::nullopt;
}

// Per-stream sockets from a given port P: stream k on P + 2k (RFC 3550's
// convention: RTP on even ports, each stream's RTCP on the port after it).
// Wider than a port: the caller checks it stays below 65536.
inline unsigned StreamPort(unsigned first_port, unsigned stream) { return first_port + 2 * stream; }

struct StreamsSpec {
  unsigned streams = 1;    // N: SSRCs first_ssrc .. first_ssrc + N - 1
  unsigned receivers = 1;  // M: receiver threads
  StreamSockets sockets = StreamSockets::kReuseport;
  // Sockets bound: reuseport M, per-stream N.
  unsigned socket_count() const { return sockets == StreamSockets::kReuseport ? receivers : streams; }
  bool many() const { return streams > 1 || receivers > 1; }
};

struct ReceiveSideSpec {
  SocketSpec socket;
  ReceiverSpec receiver;
  PipelineSpec pipeline;
  MeasurementSpec measurement;
  StreamsSpec streams;
};

// How the packets travel from the generator to the receive side in one
// process: loopback (the kernel hands them over directly), or veth (two
// network namespaces joined by a veth pair with GRO: a driver's NAPI poll and
// kernel GRO, as from a NIC; netpath/veth_path.h).
enum class Path { kLoopback, kVeth };
inline const char* ToString(Path p) { return p == Path::kVeth ? "veth" : "loopback"; }
inline std::optional<Path> ParsePath(const std::string& text) {
  if (text == "loopback") return Path::kLoopback;
  if (text == "veth") return Path::kVeth;
  return std::nullopt;
}

// How the receiving veth's NAPI poll runs (--veth-napi): threaded, in a
// kernel thread of its own (/sys/class/net/DEV/threaded), so that packets
// queue while it is away and kernel GRO coalesces them for a UDP_GRO socket;
// or softirq, in the sender's softirq right after each packet, so GRO sees
// one packet per poll and coalesces nothing (tools/veth_gro_probe.py,
// docs/results/2026-11-26-gso-gro.md). Means nothing on loopback.
enum class VethNapi { kThreaded, kSoftirq };
inline const char* ToString(VethNapi n) { return n == VethNapi::kSoftirq ? "softirq" : "threaded"; }
inline std::optional<VethNapi> ParseVethNapi(const std::string& text) {
  if (text == "threaded") return VethNapi::kThreaded;
  if (text == "softirq") return VethNapi::kSoftirq;
  return std::nullopt;
}

struct RunSpec {
  std::string scenario = "custom";
  Path path = Path::kLoopback;
  VethNapi veth_napi = VethNapi::kThreaded;  // for rows over veth
  traffic_gen::TrafficSpec traffic;          // its destination is the receive side's socket
  ReceiveSideSpec receive;
  double drain_timeout_s = 2.0;  // after the last packet, for the pipeline to empty
};

}  // namespace rxbench::spec
