#include "results/run_summary.h"

#include "results/loss_account.h"
#include "rtp/datagram_check.h"

#include <algorithm>

namespace rxbench::harness {
namespace {

double PerPacket(double total, std::uint64_t packets) {
  return packets == 0 ? 0.0 : total / static_cast<double>(packets);
}

std::string CounterKey(std::string name) {
  for (char& c : name) {
    if (c == '-' || c == ':' || c == '.') c = '_';
  }
  return name;
}

LossInputs ToLossInputs(const traffic_gen::GeneratorReport& sent, const ReceiveReport& r) {
  LossInputs in;
  in.delivery = r.is_null ? DeliveryPoint::kReceiver : r.is_udpsrc ? DeliveryPoint::kUdpsrcSink : DeliveryPoint::kSink;
  in.sent = sent.packets_sent;
  in.kernel_drops = r.kernel_drops;
  // A UDP_GRO socket gets a GSO call's packets as one datagram and drops it
  // whole, counting one drop (measured: README, "UDP GSO and GRO").
  if (r.gro && sent.gso_calls > 0) in.packets_per_kernel_drop = sent.gso_segments_per_call;
  in.left_in_socket = r.left_in_socket;
  in.left_in_receive_call = r.receiver.left_in_receive_call;
  in.received = r.receiver.stats.packets;
  in.pushed = r.receiver.stats.pushed;
  in.push_errors = r.receiver.stats.push_errors;
  in.malformed = r.receiver.stats.malformed;
  in.truncated = r.receiver.stats.truncated;
  in.sink_delivered = r.sink.delivered;
  in.pipeline = r.pipeline;
  return in;
}

void SummarizeLoss(const traffic_gen::GeneratorReport& sent, const ReceiveReport& received, RunResult* r) {
  const LossAccount a = AccountForPackets(ToLossInputs(sent, received));
  r->packets_sent = sent.packets_sent;
  r->send_errors = sent.send_errors;
  r->packets_received = a.received;
  r->packets_delivered = a.delivered;
  r->kernel_drops = a.kernel_drops;
  r->kernel_drop_datagrams = a.kernel_drop_datagrams;
  r->malformed = a.malformed;
  for (std::size_t kind = 1; kind < traffic_gen::kInjectKinds; ++kind) {
    if (sent.malformed_sent[kind] > 0)
      r->malformed_injected[traffic_gen::InjectKindName(kind)] = sent.malformed_sent[kind];
  }
  for (std::size_t kind = 1; kind < rtp::kMalformedKinds; ++kind) {
    r->malformed_by_kind[rtp::ToString(static_cast<rtp::Malformed>(kind))] = received.receiver.malformed_by_kind[kind];
  }
  r->truncated = a.truncated;
  r->pipeline_drops = a.pipeline_drops;
  r->pipeline_drops_by_element = a.pipeline_drops_by_element;
  r->in_flight_at_stop = a.in_flight_at_stop;
  r->pipeline_flushed = received.pipeline_flushed;
  r->socket_drain_hit_bound = received.socket_drain_hit_bound;
  r->unexplained_packets = a.unexplained;
  r->host_rcvbuf_errors = received.host_rcvbuf_errors;
  r->jitterbuffer_late = received.pipeline.jitterbuffer_late;
  r->jitterbuffer_duplicates = received.pipeline.jitterbuffer_duplicates;
  r->malformed_at_sink = received.sink.malformed;
  // Sequence numbers are per stream: the whole run's figures are their sums
  // (a report without streams is one stream's: its sink's).
  std::vector<const metrics::SequenceTracker*> trackers;
  for (const ReceiveReport::StreamAccount& stream : received.streams) trackers.push_back(&stream.sink.sequence);
  if (trackers.empty()) trackers.push_back(&received.sink.sequence);
  for (const metrics::SequenceTracker* tracker : trackers) {
    const metrics::SequenceTracker& seq = *tracker;
    r->seq_gaps += seq.seq_gaps();
    r->duplicates += seq.duplicates();
    r->reordered += seq.reordered();
    r->seq_stale += seq.stale();
  }
  r->impairments_injected = sent.impairments;
}

// The measurement window's censuses, over `packets`.
CpuWindow WindowOf(const ReceiveReport& received, std::uint64_t packets) {
  CpuWindow window;
  window.start = received.census_start;
  window.end = received.census_end;
  window.exited = received.census_exited;
  window.packets = packets;
  return window;
}

// Each stream's pipeline CPU per packet: the window's attribution with only
// that stream's pipeline threads counted as the pipeline's.
void SummarizeStreamCpu(const ReceiveReport& received, RunResult* r) {
  if (received.is_null || r->per_stream.size() < 2) return;
  CpuWindow window = WindowOf(received, 0);
  for (std::size_t k = 0; k < r->per_stream.size(); ++k) {
    window.packets = r->per_stream[k].window_packets;
    if (window.packets == 0) continue;
    const CpuAttribution cpu = AttributeCpu(window, [&](pid_t tid, const std::string&) {
      const auto stream = received.thread_streams.find(tid);
      const auto identity = received.identities.find(tid);
      if (stream == received.thread_streams.end() || stream->second != k || identity == received.identities.end())
        return ThreadIdentity{ThreadRole::kOther, "other"};
      const ThreadRole role = identity->second.role;
      return role == ThreadRole::kPipeline || role == ThreadRole::kDecoder
                 ? identity->second
                 : ThreadIdentity{ThreadRole::kOther, "other"};
    });
    r->per_stream[k].cpu_ns_per_packet_pipeline = cpu.pipeline.cpu_ns_per_packet;
  }
}

// Each stream's and each socket's account (run_result.h, per_stream and
// per_socket).
void SummarizeStreams(const std::optional<traffic_gen::GeneratorReport>& reported, const ReceiveReport& received,
                      RunResult* r) {
  const bool sent_known = reported && reported->stream_sent.size() == received.streams.size();
  const bool per_stream_sockets = received.socket_per_stream;
  std::vector<std::int64_t> sent_to(received.sockets.size(), 0);
  bool arrivals_known = sent_known;
  for (std::size_t k = 0; k < received.streams.size(); ++k) {
    const ReceiveReport::StreamAccount& s = received.streams[k];
    RunResult::StreamFigures f;
    f.ssrc = s.ssrc;
    f.port = s.port;
    f.socket = s.socket;
    if (sent_known) f.sent = reported->stream_sent[k];
    if (!received.is_null) f.delivered = s.sink.delivered;
    if (f.sent && f.delivered) f.lost = static_cast<std::int64_t>(*f.sent) - static_cast<std::int64_t>(*f.delivered);
    if (s.socket && (per_stream_sockets || received.streams.size() == 1)) {
      f.kernel_drops = received.sockets[*s.socket].kernel_drops;
    }
    f.seq_gaps = s.sink.sequence.seq_gaps();
    f.window_packets = s.window_delivered;
    f.latency = Summarize(s.sink.latency);
    if (s.sink.jitter.packets() > 0) f.jitter_rfc3550_us = s.sink.jitter.jitter_us();
    if (sent_known) {
      if (s.socket) {
        sent_to[*s.socket] += static_cast<std::int64_t>(reported->stream_sent[k]);
      } else if (reported->stream_sent[k] > 0) {
        arrivals_known = false;  // hashed to a socket no one can name
      }
    }
    r->per_stream.push_back(f);
  }
  for (std::size_t i = 0; i < received.sockets.size(); ++i) {
    const ReceiveReport::SocketAccount& s = received.sockets[i];
    RunResult::SocketFigures f;
    f.port = s.port;
    f.received = s.received;
    f.kernel_drops = s.kernel_drops;
    f.left_in_socket = s.left_in_socket;
    f.left_in_receive_call = s.left_in_receive_call;
    if (arrivals_known && s.received) {
      f.unexplained = sent_to[i] - static_cast<std::int64_t>(*s.received + s.kernel_drops + s.left_in_socket +
                                                             s.left_in_receive_call);
    }
    r->per_socket.push_back(f);
  }
  r->receiver_threads = received.receiver_threads;
  SummarizeStreamCpu(received, r);
}

void SummarizeCpu(const traffic_gen::GeneratorReport& sent, const ReceiveReport& received, RunResult* r) {
  CpuWindow window = WindowOf(received, received.window_delivered);
  window.generator_packets = sent.measured_sent();
  r->cpu = AttributeCpu(window, [&](pid_t tid, const std::string& comm) {
    auto it = received.identities.find(tid);
    return it != received.identities.end() ? it->second : ThreadIdentity{ThreadRole::kOther, "other:" + comm};
  });
  r->cpu_ns_per_packet_receiver = r->cpu.receiver.cpu_ns_per_packet;
  r->cpu_ns_per_packet_pipeline = r->cpu.pipeline.cpu_ns_per_packet;
  r->cpu_ns_per_packet_receive_path = r->cpu.receive_path_ns_per_packet;
  r->cpu_ns_per_packet_process = r->cpu.process_ns_per_packet;
  r->generator_cpu_ns_per_packet = r->cpu.generator.cpu_ns_per_packet;
  r->ctx_switches_per_packet =
      r->cpu.receiver.voluntary_switches_per_packet + r->cpu.receiver.involuntary_switches_per_packet;
  for (const auto& [name, thread] : r->cpu.threads) {
    r->pipeline_threads += thread.role == ThreadRole::kPipeline || thread.role == ThreadRole::kDecoder;
  }
  for (const auto& [tid, identity] : received.identities) {
    r->pipeline_thread_count += identity.role == ThreadRole::kPipeline || identity.role == ThreadRole::kDecoder;
  }
  r->process_threads = static_cast<int>(received.census_end.threads.size());
  r->receive_share = r->cpu.receive_share;

  const std::uint64_t n = received.window_delivered;
  for (const auto& [name, value] : received.counters) r->counters_per_packet[CounterKey(name)] = PerPacket(value, n);
  r->counters_available = received.counters_available;
  r->counters_unavailable = received.counters_unavailable;
  r->counters_user_only = received.counters_user_only;

  // Syscalls per packet taken off the socket (udpsrc: per packet it delivered).
  const std::uint64_t taken = received.window_received;
  if (!received.is_udpsrc) {
    r->receive_calls_per_packet = PerPacket(static_cast<double>(received.window_receive_calls), taken);
  }
  if (received.syscalls) {
    r->syscalls_counted = "all";
    r->syscalls_per_packet = PerPacket(static_cast<double>(received.syscalls->all), taken);
    r->futex_calls_per_packet = PerPacket(static_cast<double>(received.syscalls->futex), taken);
  } else if (r->receive_calls_per_packet) {
    r->syscalls_counted = "strategy";
    r->syscalls_per_packet = r->receive_calls_per_packet;
  }
  r->syscalls_unavailable = received.syscalls_unavailable;
}

void SummarizeFrames(const RunIdentity& id, const traffic_gen::GeneratorReport& sent, const ReceiveReport& received,
                     RunResult* r) {
  if (!received.frames) return;
  const FrameResult& f = *received.frames;
  RunResult::Frames frames;
  frames.sent = sent.access_units_sent;
  frames.depayloaded = f.depayloaded;
  if (f.decoder) frames.decoded = f.at_sink;
  frames.damaged = f.damaged;
  frames.unjudged = f.unjudged;
  // Send times on another clock, or none (another sender): as for packets.
  if (id.send_times_unavailable.empty()) frames.latency = Summarize(f.latency);
  const std::uint64_t lost_packets = r->seq_gaps;
  if (frames.sent && frames.decoded && frames.damaged && lost_packets > 0) {
    const double missing = static_cast<double>(*frames.sent) - static_cast<double>(*frames.decoded);
    frames.lost_or_damaged_per_1000_lost_packets =
        1000.0 * (std::max(missing, 0.0) + static_cast<double>(*frames.damaged)) / static_cast<double>(lost_packets);
  }
  if (f.decoder) {
    frames.decoder_cpu_ns_per_packet = r->cpu.decoder.cpu_ns_per_packet;
    if (f.window_at_sink > 0) {
      frames.decoder_cpu_ns_per_frame = r->cpu.decoder.cpu_ns_per_packet *
                                        static_cast<double>(received.window_delivered) /
                                        static_cast<double>(f.window_at_sink);
    }
  }
  r->frames = frames;
}

void SummarizeLatency(const RunIdentity& id, const ReceiveReport& received, RunResult* r) {
  const SinkResult& s = received.sink;
  r->latency = Summarize(s.latency);
  r->network = Summarize(received.receiver.network_latency);
  r->processing = Summarize(received.receiver.processing_latency);
  r->pipeline = Summarize(s.pipeline);
  r->jitter = Summarize(s.jitter_ns);
  r->jitter_d_abs = Summarize(s.jitter_d_abs_ns);
  r->kernel_timestamps = received.receiver.kernel_timestamps && id.kernel_timestamps;
  if (id.kernel_timestamps && received.receiver.socket_drops_seen >= 0) {
    r->socket_drops_rxq_ovfl = static_cast<std::uint64_t>(received.receiver.socket_drops_seen);
  }
  if (s.jitter.packets() > 0) {
    r->jitter_rfc3550_rtp = s.jitter.jitter_rtp_units();
    r->jitter_rfc3550_us = s.jitter.jitter_us();
  }
  if (r->processing.count > 0) r->processing_jitter_ns = r->processing.p99 - r->processing.p50;
}

// What the per-packet bookkeeping cost, per packet delivered over the run
// (the sections are timed over the whole run, warm-up included).
void SummarizeMeasuringCost(const RunIdentity& id, const ReceiveReport& received, RunResult* r) {
  const std::uint64_t n = r->packets_delivered;
  if (!id.measure || n == 0) return;
  double measuring_ns = 0;
  if (received.sink.measure_cost.samples() > 0) {
    r->measure_ns_per_packet_sink = received.sink.measure_cost.TotalNs() / static_cast<double>(n);
    measuring_ns += *r->measure_ns_per_packet_sink;
  }
  if (received.receiver.stamp_cost.samples() > 0) {
    r->measure_ns_per_packet_receiver = received.receiver.stamp_cost.TotalNs() / static_cast<double>(n);
    measuring_ns += *r->measure_ns_per_packet_receiver;
  }
  r->measure_samples_interrupted =
      received.sink.measure_cost.interrupted() + received.receiver.stamp_cost.interrupted();
  const double without = r->cpu_ns_per_packet_receive_path - measuring_ns;
  if (measuring_ns > 0 && without > 0) r->measure_overhead_pct = 100 * measuring_ns / without;
}

}  // namespace

RunResult SummarizeRun(const RunIdentity& id, const std::optional<traffic_gen::GeneratorReport>& reported,
                       const ReceiveReport& received) {
  // Unknown counts are zero in the arithmetic, and marked unknown after it.
  const traffic_gen::GeneratorReport sent = reported.value_or(traffic_gen::GeneratorReport{});
  RunResult r;
  r.run_id = id.run_id;
  r.strategy = id.strategy;
  r.policies = id.policies;
  r.scenario = id.scenario;
  r.measure = id.measure ? "full" : "minimal";
  r.offered_pps = sent.offered_pps;
  r.achieved_pps = sent.achieved_pps();
  r.generator_fell_behind = sent.fell_behind();
  r.warmup_packets = sent.warmup_sent;
  r.window_packets = received.window_delivered;
  r.window_s = static_cast<double>(received.census_end.monotonic_ns - received.census_start.monotonic_ns) / 1e9;
  if (sent.send_stamp_error) r.send_stamp_error = Summarize(*sent.send_stamp_error);
  r.gso_calls = sent.gso_calls;
  r.gso_refusal = sent.gso_refusal;
  r.napi_id = received.napi_id;
  r.busy_poll_us = received.busy_poll_us;
  r.busy_poll_no_effect = received.busy_poll_no_effect;

  SummarizeLoss(sent, received, &r);
  SummarizeStreams(reported, received, &r);
  SummarizeCpu(sent, received, &r);
  SummarizeLatency(id, received, &r);
  SummarizeMeasuringCost(id, received, &r);
  SummarizeFrames(id, sent, received, &r);

  if (!reported) {
    r.sent_known = false;
    r.unexplained_packets = 0;
    r.generator_fell_behind = false;
  }
  if (!id.send_times_unavailable.empty()) {
    // Whatever the probe bytes held was subtracted from this host's clock:
    // not a latency. Receive -> push and push -> sink are this host's own.
    r.latency_unavailable = id.send_times_unavailable;
    r.latency = LatencySummary{};
    r.network = LatencySummary{};
  }

  const receivers::ReceiverResult& rx = received.receiver;
  r.payload_mismatches = received.sink.payload_mismatches;
  r.unstamped_packets = received.sink.unstamped;
  r.buffer_allocations = rx.buffers.allocations;
  r.buffer_warmup_allocations = rx.buffers.warmup_allocations;
  r.buffer_exhausted = rx.buffers.exhausted;
  r.buffer_recycled = rx.buffers.recycled;
  r.buffer_discarded = rx.buffers.discarded;
  r.ring_exhausted = rx.stats.ring_exhausted;
  r.rearms = rx.stats.rearms;
  r.receiver_idle_waits = rx.stats.idle_waits;
  r.receiver_batches = rx.stats.batches;
  if (received.gro) {
    r.gro_datagrams = rx.stats.gro_datagrams;
    r.gro_coalesced_datagrams = rx.stats.gro_coalesced;
    // Segments per datagram read: the receiver's own count, not the loss
    // account's (udpsrc is never gro), over the same datagrams.
    if (rx.stats.gro_datagrams > 0)
      r.gro_segments_per_datagram = static_cast<double>(rx.stats.packets) / static_cast<double>(rx.stats.gro_datagrams);
  }
  if (!received.is_udpsrc) r.receive_errors = rx.receive_errors;
  const receivers::ReceiverResult::Phases& p = rx.phases;
  if (p.acquire.samples() > 0) {
    const double received_packets = static_cast<double>(rx.stats.packets);
    for (const auto& [name, cost] :
         {std::pair<const char*, const metrics::SampledCost*>{"receive_call", &p.receive_call},
          {"acquire", &p.acquire},
          {"validate_stamp", &p.validate_stamp},
          {"push", &p.push}}) {
      r.phase_ns_per_packet[name] = received_packets > 0 ? cost->TotalNs() / received_packets : 0;
    }
  }

  if (!received.error.empty()) {
    r.ok = false;
    r.error = received.error;
  } else if (r.sent_known && r.packets_sent == 0) {
    r.ok = false;
    r.error = "the generator sent nothing (" + std::to_string(r.send_errors) + " send errors)";
  } else if (r.packets_delivered == 0) {
    r.ok = false;
    r.error = "no packet was delivered";
  }
  return r;
}

}  // namespace rxbench::harness
