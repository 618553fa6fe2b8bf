// Runs one scenario against one strategy in one process: the receive side
// (receive_side.h) and the generator on loopback, a warm-up, a measurement
// window, a drain, and the figures (run_summary.h). One call = one repetition.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "harness/run_result.h"
#include "harness/sink_probe.h"
#include "receivers/strategy.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::harness {

enum class Measure { kFull, kMinimal };

struct RunConfig {
  receivers::StrategySpec strategy;
  std::string scenario = "custom";
  traffic_gen::TrafficSpec traffic;  // destination is filled in by the runner
  std::uint16_t port = 0;            // receive port on 127.0.0.1; 0 = any free port
  std::string pipeline;              // "" = kDefaultPipeline
  int batch = 0;                     // 0 = receivers::kDefaultBatch
  std::size_t buffer_size = 4096;
  std::size_t pool_size = 4096;
  int rcvbuf_bytes = 4 << 20;        // receive socket buffer
  Measure measure = Measure::kFull;
  // SO_TIMESTAMPNS + SO_RXQ_OVFL on the socket: kernel receive times for the
  // strategies that read control messages (recvmmsg, iouring, null). Off by
  // default: the kernel charges every datagram for them (README).
  bool kernel_timestamps = false;
  std::vector<std::string> counters; // e.g. cycles,instructions
  bool count_syscalls = false;       // every syscall of the receiver thread (costs: README)
  std::uint64_t inject_cost_ns = 0;  // spun per packet in the receiver
  bool phase_timing = false;         // the receive loop's phases, sampled
  int cpu_receiver = -1;
  int cpu_generator = -1;
  int cpu_pipeline = -1;
  double drain_timeout_s = 2.0;
  bool progress = false;             // progress line on stderr
  bool verify_payload = false;
  std::function<void(const DeliveredPacket&)> observer;  // tests
};

// Never throws; a failed run has ok=false and a one-line error.
RunResult RunOnce(const RunConfig& config);

}  // namespace rxbench::harness
