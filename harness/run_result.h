// Everything one run measured, as plain data. The runner fills it; reporters
// (console table, results JSON) turn it into output. Every figure is per
// delivered packet unless its name says otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace rxbench::harness {

struct LatencySummary {
  std::uint64_t count = 0;
  double p50 = 0, p90 = 0, p99 = 0, p999 = 0, max = 0, mean = 0, stddev = 0;  // ns
};

struct RunResult {
  std::string strategy;
  std::string policies;
  std::string scenario;
  int repetition_index = 0;
  int repetitions = 1;
  bool ok = true;
  std::string error;

  // Traffic.
  double offered_pps = 0;
  double achieved_pps = 0;
  double wall_s = 0;  // generator start -> receiver stopped

  // Loss accounting: packets_sent = packets_delivered + kernel_drops + malformed
  // + truncated + pipeline_drops + in_flight_at_stop + unexplained_packets.
  std::uint64_t packets_sent = 0;
  std::uint64_t send_errors = 0;
  std::uint64_t packets_received = 0;   // taken off the socket by the receiver
  std::uint64_t packets_delivered = 0;  // seen at the sink
  std::uint64_t kernel_drops = 0;       // socket drop counter (SO_RXQ_OVFL's sk_drops)
  std::int64_t host_rcvbuf_errors = -1; // /proc/net/snmp RcvbufErrors delta (whole host)
  std::int64_t socket_drops_rxq_ovfl = -1; // last SO_RXQ_OVFL seen by the receiver; -1 = not read
  std::uint64_t malformed = 0;
  std::uint64_t truncated = 0;
  std::uint64_t pipeline_drops = 0;     // entered the pipeline, never reached the sink (pad counts)
  std::map<std::string, std::uint64_t> pipeline_drops_by_element;  // element name -> dropped
  std::uint64_t jitterbuffer_late = 0;        // rtpjitterbuffer's own reasons (stats)
  std::uint64_t jitterbuffer_duplicates = 0;
  std::uint64_t malformed_at_sink = 0;        // delivered, but not an rxbench packet
  std::uint64_t in_flight_at_stop = 0;  // still in the socket or pipeline queues after the drain
  std::int64_t unexplained_packets = 0;
  std::uint64_t seq_gaps = 0, duplicates = 0, reordered = 0;

  // CPU (ns per delivered packet unless noted).
  double cpu_ns_per_packet_receiver = 0;
  double cpu_ns_per_packet_pipeline = 0;
  double cpu_ns_per_packet_receive_path = 0;  // receiver + pipeline
  double cpu_ns_per_packet_process = 0;       // whole process, generator included
  double user_ns_per_packet_receiver = 0;
  double user_ns_per_packet_pipeline = 0;
  double sys_ns_per_packet_pipeline = 0;
  double sys_ns_per_packet_receiver = 0;
  double ctx_switches_per_packet = 0;          // receiver thread, voluntary + involuntary
  double voluntary_switches_per_packet = 0;
  double involuntary_switches_per_packet = 0;
  std::optional<double> syscalls_per_packet;   // absent when the strategy cannot count them
  double generator_cpu_ns_per_packet = 0;      // per packet sent; never in the receive path
  int pipeline_threads = 0;
  // The pipeline's CPU per streaming thread, by the element that owns the
  // thread's task (threads of one element summed); adds up to the pipeline's.
  struct ThreadCpu {
    double cpu_ns_per_packet = 0, user_ns_per_packet = 0, sys_ns_per_packet = 0;
  };
  std::map<std::string, ThreadCpu> pipeline_thread_cpu;
  std::map<std::string, double> counters_per_packet;  // receiver thread, only counters read
  std::vector<std::string> counters_available;
  std::map<std::string, std::string> counters_unavailable;
  std::vector<std::string> counters_user_only;  // kernel counting denied: user mode only

  // Latency (ns) and jitter.
  LatencySummary latency;     // send -> sink
  LatencySummary network;     // send -> receive (kernel timestamp, or user space after the call)
  LatencySummary processing;  // receive -> push
  LatencySummary pipeline;    // push -> sink
  bool kernel_timestamps = false;
  double jitter_rfc3550_us = 0;
  double jitter_rfc3550_rtp = 0;
  double processing_jitter_ns = 0;  // processing p99 - p50

  // Buffer source.
  std::uint64_t buffer_allocations = 0, buffer_warmup_allocations = 0, buffer_exhausted = 0,
                buffer_recycled = 0;
  // io_uring.
  std::uint64_t ring_exhausted = 0, rearms = 0;
  std::uint64_t payload_mismatches = 0, out_of_order = 0;
  std::uint64_t unstamped_packets = 0;  // delivered without plausible receiver stamps
  std::string measure = "full";
  // What the per-packet bookkeeping of measure=full costs, timed in place
  // (metrics/sampled_cost.h): the sink probe's work and the receiver's stamps,
  // ns per delivered packet. Absent with measure=minimal.
  std::optional<double> measure_ns_per_packet_sink;
  std::optional<double> measure_ns_per_packet_receiver;  // absent where nothing stamps (udpsrc, null)
  // Their sum as a share of the receive path without it: 100 * m / (path - m).
  std::optional<double> measure_overhead_pct;
};

}  // namespace rxbench::harness
