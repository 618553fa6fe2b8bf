#include "harness/runner.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <thread>

#include "harness/pipeline.h"
#include "metrics/thread_usage.h"
#include "receivers/receiver.h"
#include "receivers/udp_socket.h"
#include "traffic_gen/generator.h"

namespace rxbench::harness {
namespace {

LatencySummary Summarize(const metrics::LogHistogram& h) {
  LatencySummary s;
  s.count = h.count();
  if (h.empty()) return s;
  s.p50 = static_cast<double>(h.Percentile(50));
  s.p90 = static_cast<double>(h.Percentile(90));
  s.p99 = static_cast<double>(h.Percentile(99));
  s.p999 = static_cast<double>(h.Percentile(99.9));
  s.max = static_cast<double>(h.max());
  s.mean = h.mean();
  s.stddev = h.stddev();
  return s;
}

double PerPacket(double total, std::uint64_t packets) {
  return packets == 0 ? 0.0 : total / static_cast<double>(packets);
}

std::string CounterKey(std::string name) {
  for (char& c : name) {
    if (c == '-' || c == ':' || c == '.') c = '_';
  }
  return name;
}

void SleepMs(int ms) { std::this_thread::sleep_for(std::chrono::milliseconds(ms)); }

struct Fd {
  int fd = -1;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

RunResult RunOnce(const RunConfig& config) {
  RunResult r;
  r.strategy = config.strategy.name;
  r.policies = config.strategy.Policies();
  r.scenario = config.scenario;
  r.offered_pps = config.traffic.rate_pps;
  r.measure = config.measure == Measure::kFull ? "full" : "minimal";
  auto fail = [&r](std::string error) {
    r.ok = false;
    r.error = std::move(error);
    return r;
  };
  const bool is_null = config.strategy.receiver == receivers::ReceiverKind::kNull;
  const bool is_udpsrc = config.strategy.receiver == receivers::ReceiverKind::kUdpsrc;
  const bool measure = config.measure == Measure::kFull;

  std::string error;
  receivers::UdpSocketOptions socket_options;
  socket_options.rcvbuf_bytes = config.rcvbuf_bytes;
  // Kernel receive timestamps cost the kernel work on every datagram
  // (__sock_recv_timestamp, a control message), on every socket that asks for
  // them, whether or not the strategy reads them. They are therefore opt-in,
  // and then on for every strategy alike, so CPU comparisons stay fair.
  socket_options.timestamps = config.kernel_timestamps;
  socket_options.drop_counter = config.kernel_timestamps;
  const receivers::UdpSocket socket = receivers::OpenUdpSocket(socket_options, &error);
  if (socket.fd < 0) return fail(error);
  Fd socket_fd{socket.fd};

  SinkProbeConfig sink_config;
  sink_config.measure = measure;
  // udpsrc does not stamp buffers: its offsets mean something else.
  sink_config.receiver_stamps = measure && !is_udpsrc;
  // Before the first send, so that every send time fits a stamp.
  sink_config.stamp_epoch_ns = metrics::MonotonicNs();
  sink_config.verify_payload = config.verify_payload;
  sink_config.observer = config.observer;
  SinkProbe sink(sink_config);
  // Declared after the sink probe, so that on every return the pipeline is
  // stopped (by its destructor) before the probe is destroyed: no streaming
  // thread can still be inside the probe.
  std::unique_ptr<Pipeline> pipeline;
  if (!is_null) {
    pipeline = Pipeline::Create(config.pipeline.empty() ? kDefaultPipeline : config.pipeline,
                                is_udpsrc ? socket.fd : -1, &error);
    if (!pipeline) return fail(error);
    sink.Attach(pipeline->sink());
    if (!pipeline->Play(&error)) return fail(error);
  }

  std::unique_ptr<receivers::Receiver> receiver;
  if (!is_udpsrc) {
    receivers::ReceiverConfig rc;
    rc.strategy = config.strategy;
    rc.fd = socket.fd;
    rc.appsrc = pipeline ? pipeline->appsrc() : nullptr;
    rc.batch = config.batch > 0 ? config.batch : receivers::kDefaultBatch;
    rc.buffer_size = config.buffer_size;
    rc.pool_size = config.pool_size;
    rc.stamp_buffers = measure;
    rc.stamp_epoch_ns = sink_config.stamp_epoch_ns;
    rc.counters = config.counters;
    rc.cpu = config.cpu_receiver;
    receiver = receivers::MakeReceiver(rc);
    if (!receiver->Start(&error)) return fail(error);
  }

  traffic_gen::TrafficSpec traffic = config.traffic;
  traffic.dest_host = "127.0.0.1";
  traffic.dest_port = socket.port;
  traffic.cpu = config.cpu_generator;
  traffic_gen::Generator generator(traffic);
  const std::int64_t rcvbuf_errors_before = receivers::HostRcvbufErrors();
  const metrics::ThreadUsage process_before = metrics::SampleProcess();
  const std::uint64_t wall_start = metrics::MonotonicNs();
  if (!generator.Start(&error)) {
    if (receiver) receiver->Stop();
    return fail(error);
  }

  // Delivered so far, wherever this strategy's delivery point is.
  auto delivered = [&]() -> std::uint64_t {
    if (is_null) return receiver->Snapshot().packets;
    return sink.delivered();
  };
  // Progress while the generator runs: only for a person watching.
  const double expected_s = static_cast<double>(traffic.TotalPackets()) / traffic.rate_pps;
  // Runs longer than 2 s also show where they are within the run.
  const bool show_progress = config.progress && expected_s > 2.0 && isatty(STDERR_FILENO);
  while (generator.running()) {
    SleepMs(show_progress ? 250 : 20);
    if (show_progress) {
      const double t = static_cast<double>(metrics::MonotonicNs() - wall_start) / 1e9;
      std::fprintf(stderr, "\r  %-14s %5.1f / %.1f s   delivered %-10llu", config.strategy.name.c_str(), t,
                   expected_s, static_cast<unsigned long long>(delivered()));
    }
  }
  generator.Wait();
  if (show_progress) std::fprintf(stderr, "\r%72s\r", "");
  const traffic_gen::GeneratorReport sent = generator.Report();

  // Drain: wait until every sent packet is explained by delivery, a rejection
  // or a kernel drop, or until nothing has moved for 200 ms.
  auto explained = [&]() -> std::uint64_t {
    std::uint64_t n = delivered();
    std::int64_t drops = receivers::KernelDrops(socket.fd);
    if (drops > 0) n += static_cast<std::uint64_t>(drops);
    if (receiver) {
      const receivers::ReceiverStats s = receiver->Snapshot();
      if (!is_null) n += s.truncated + s.malformed + s.push_errors;
    }
    return n;
  };
  {
    const std::uint64_t deadline = metrics::MonotonicNs() + static_cast<std::uint64_t>(config.drain_timeout_s * 1e9);
    std::uint64_t last = explained(), last_change = metrics::MonotonicNs();
    while (last < sent.packets_sent && metrics::MonotonicNs() < deadline) {
      SleepMs(5);
      const std::uint64_t now = explained();
      if (now != last) {
        last = now;
        last_change = metrics::MonotonicNs();
      } else if (metrics::MonotonicNs() - last_change > 200'000'000) {
        break;
      }
    }
  }

  if (receiver) receiver->Stop();
  r.wall_s = static_cast<double>(metrics::MonotonicNs() - wall_start) / 1e9;
  const metrics::ThreadUsage process_usage = metrics::SampleProcess() - process_before;
  const std::int64_t rcvbuf_errors_after = receivers::HostRcvbufErrors();
  PipelineCounts counts;
  if (pipeline) {
    // udpsrc is still reading: its end-of-stream comes after what it has read.
    const bool drained = pipeline->BusError().empty() && pipeline->DrainToEos(config.drain_timeout_s);
    if (drained) counts = pipeline->Counts();
    pipeline->Stop();
    sink.Detach();
    if (std::string bus = pipeline->BusError(); !bus.empty()) return fail(bus);
    if (!drained) {
      return fail("pipeline did not reach end-of-stream within " + std::to_string(config.drain_timeout_s) +
                  " s after the last packet; counts would not be final");
    }
  }
  // After the receiver (or udpsrc) stopped reading: the socket's own account.
  const std::int64_t kernel_drops = receivers::KernelDrops(socket.fd);
  const std::uint64_t left_in_socket = receivers::DrainSocket(socket.fd);

  // --- Loss accounting -------------------------------------------------------
  const SinkResult& s = sink.result();
  receivers::ReceiverResult rx;
  if (receiver) rx = receiver->Result();
  r.packets_sent = sent.packets_sent;
  r.send_errors = sent.send_errors;
  r.achieved_pps = sent.achieved_pps();
  r.kernel_drops = kernel_drops > 0 ? static_cast<std::uint64_t>(kernel_drops) : 0;
  if (rcvbuf_errors_before >= 0 && rcvbuf_errors_after >= 0) {
    r.host_rcvbuf_errors = rcvbuf_errors_after - rcvbuf_errors_before;
  }
  if (is_null) {
    r.packets_received = rx.stats.packets;
    r.packets_delivered = rx.stats.packets - rx.stats.truncated;
    r.truncated = rx.stats.truncated;
    r.in_flight_at_stop = left_in_socket;
  } else {
    // udpsrc has no counter of its own: what left it is what it received.
    r.packets_received = is_udpsrc ? counts.source_out : rx.stats.packets;
    r.packets_delivered = s.delivered;
    r.malformed = rx.stats.malformed;
    r.truncated = rx.stats.truncated;
    // appsrc drops the oldest buffers when its queue is full (leaky): what was
    // pushed and neither left it nor is still queued was dropped there.
    const std::uint64_t pushed = is_udpsrc ? counts.source_out : rx.stats.pushed;
    const std::uint64_t source_drops =
        pushed > counts.source_out + counts.source_level ? pushed - counts.source_out - counts.source_level : 0;
    r.pipeline_drops_by_element[is_udpsrc ? "udpsrc" : "appsrc"] = source_drops;
    r.pipeline_drops = source_drops + rx.stats.push_errors;
    r.in_flight_at_stop = left_in_socket + counts.source_level;
    for (const ElementFlow& flow : counts.downstream) {
      r.pipeline_drops += flow.dropped();
      r.in_flight_at_stop += flow.level;
      if (flow.dropped() > 0) r.pipeline_drops_by_element[flow.name] = flow.dropped();
    }
    r.jitterbuffer_late = counts.jitterbuffer_late;
    r.jitterbuffer_duplicates = counts.jitterbuffer_duplicates;
    r.malformed_at_sink = s.malformed;
  }
  r.unexplained_packets = static_cast<std::int64_t>(r.packets_sent) -
                          static_cast<std::int64_t>(r.packets_delivered + r.kernel_drops + r.malformed +
                                                    r.truncated + r.pipeline_drops + r.in_flight_at_stop);
  r.seq_gaps = s.sequence.seq_gaps();
  r.duplicates = s.sequence.duplicates();
  r.reordered = s.sequence.reordered();
  r.payload_mismatches = s.payload_mismatches;
  r.out_of_order = s.out_of_order;
  r.unstamped_packets = s.unstamped;

  // --- CPU ------------------------------------------------------------------
  metrics::ThreadUsage receiver_usage = rx.usage;
  metrics::ThreadUsage pipeline_usage;
  if (pipeline) {
    for (const StreamingThread& t : pipeline->threads()) {
      if (is_udpsrc && t.is_source) {
        receiver_usage += t.usage;  // udpsrc's thread is its receiver
      } else {
        pipeline_usage += t.usage;
        ++r.pipeline_threads;
        RunResult::ThreadCpu& cpu = r.pipeline_thread_cpu[t.owner];
        cpu.cpu_ns_per_packet += PerPacket(static_cast<double>(t.usage.cpu_ns), r.packets_delivered);
        cpu.user_ns_per_packet += PerPacket(static_cast<double>(t.usage.user_ns), r.packets_delivered);
        cpu.sys_ns_per_packet += PerPacket(static_cast<double>(t.usage.sys_ns), r.packets_delivered);
      }
    }
  }
  const std::uint64_t n = r.packets_delivered;
  r.cpu_ns_per_packet_receiver = PerPacket(static_cast<double>(receiver_usage.cpu_ns), n);
  r.cpu_ns_per_packet_pipeline = PerPacket(static_cast<double>(pipeline_usage.cpu_ns), n);
  r.cpu_ns_per_packet_receive_path = r.cpu_ns_per_packet_receiver + r.cpu_ns_per_packet_pipeline;
  r.cpu_ns_per_packet_process = PerPacket(static_cast<double>(process_usage.cpu_ns), n);
  r.user_ns_per_packet_receiver = PerPacket(static_cast<double>(receiver_usage.user_ns), n);
  r.sys_ns_per_packet_receiver = PerPacket(static_cast<double>(receiver_usage.sys_ns), n);
  r.user_ns_per_packet_pipeline = PerPacket(static_cast<double>(pipeline_usage.user_ns), n);
  r.sys_ns_per_packet_pipeline = PerPacket(static_cast<double>(pipeline_usage.sys_ns), n);
  r.voluntary_switches_per_packet = PerPacket(static_cast<double>(receiver_usage.voluntary_switches), n);
  r.involuntary_switches_per_packet = PerPacket(static_cast<double>(receiver_usage.involuntary_switches), n);
  r.ctx_switches_per_packet = r.voluntary_switches_per_packet + r.involuntary_switches_per_packet;
  if (receiver) r.syscalls_per_packet = PerPacket(static_cast<double>(rx.stats.syscalls), rx.stats.packets);
  r.generator_cpu_ns_per_packet = PerPacket(static_cast<double>(sent.cpu_ns), sent.packets_sent);
  for (const auto& [name, value] : rx.counters) r.counters_per_packet[CounterKey(name)] = PerPacket(value, n);
  r.counters_available = rx.counters_available;
  r.counters_unavailable = rx.counters_unavailable;
  r.counters_user_only = rx.counters_user_only;

  // --- Latency --------------------------------------------------------------
  r.latency = Summarize(s.latency);
  r.network = Summarize(rx.network_latency);
  r.processing = Summarize(rx.processing_latency);
  r.pipeline = Summarize(s.pipeline);
  r.kernel_timestamps = rx.kernel_timestamps && config.kernel_timestamps;
  r.socket_drops_rxq_ovfl = config.kernel_timestamps ? rx.socket_drops_seen : -1;
  r.jitter_rfc3550_rtp = s.jitter.jitter_rtp_units();
  r.jitter_rfc3550_us = s.jitter.jitter_us();
  r.processing_jitter_ns = r.processing.p99 - r.processing.p50;

  // --- What measuring cost ---------------------------------------------------
  if (measure && n > 0) {
    double measuring_ns = 0;
    if (s.measure_cost.samples() > 0) {
      r.measure_ns_per_packet_sink = s.measure_cost.TotalNs() / static_cast<double>(n);
      measuring_ns += *r.measure_ns_per_packet_sink;
    }
    if (rx.stamp_cost.samples() > 0) {
      r.measure_ns_per_packet_receiver = rx.stamp_cost.TotalNs() / static_cast<double>(n);
      measuring_ns += *r.measure_ns_per_packet_receiver;
    }
    const double without = r.cpu_ns_per_packet_receive_path - measuring_ns;
    if (measuring_ns > 0 && without > 0) r.measure_overhead_pct = 100 * measuring_ns / without;
  }

  r.buffer_allocations = rx.buffers.allocations;
  r.buffer_warmup_allocations = rx.buffers.warmup_allocations;
  r.buffer_exhausted = rx.buffers.exhausted;
  r.buffer_recycled = rx.buffers.recycled;
  r.ring_exhausted = rx.stats.ring_exhausted;
  r.rearms = rx.stats.rearms;
  if (r.packets_sent == 0) {
    r.ok = false;
    r.error = "the generator sent nothing (" + std::to_string(r.send_errors) + " send errors)";
  } else if (r.packets_delivered == 0) {
    r.ok = false;
    r.error = "no packet was delivered";
  }
  return r;
}

}  // namespace rxbench::harness
