// Everything one run measured, as plain data. The runner fills it; reporters
// (console table, results JSON) turn it into output. Every figure is per
// delivered packet of the measurement window unless its name says otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "results/cpu_attribution.h"
#include "results/latency_summary.h"
#include "traffic_gen/impairment.h"

namespace rxbench::harness {

struct RunResult {
  std::string strategy;
  std::string policies;
  std::string scenario;
  std::string run_id;  // "" for runs before two-host mode
  int repetition_index = 0;
  int repetitions = 1;
  bool ok = true;
  std::string error;
  // The path the packets took (spec::Path: "loopback", "veth"); "" where
  // this process did not choose it (recv).
  std::string path;
  // The veth path's NAPI mode (spec::VethNapi: "threaded", "softirq"); ""
  // on any other path.
  std::string veth_napi;

  // Traffic.
  double offered_pps = 0;
  double achieved_pps = 0;
  bool generator_fell_behind = false;  // achieved more than 2 % short of offered
  double wall_s = 0;                   // generator start -> receiver stopped
  std::uint64_t warmup_packets = 0;    // sent before the measurement window
  std::uint64_t window_packets = 0;    // delivered inside it: the per-packet divisor
  double window_s = 0;
  std::optional<LatencySummary> send_stamp_error;  // --tx-timestamps: kernel TX - stamp
  std::uint64_t gso_calls = 0;                     // --gso: send calls the kernel took with UDP_SEGMENT
  std::string gso_refusal;                         // --gso: why the kernel refused it ("" = it did not)
  // The wait axis (receivers/busy_poll.h): the NAPI instance the datagrams
  // came through (0: none; unknown when none came), the busy-poll timeout the
  // strategy used (unset when it sleeps), and why busy polling had no effect
  // ("" when it may have had one).
  std::optional<std::uint32_t> napi_id;
  std::optional<int> busy_poll_us;
  std::string busy_poll_no_effect;
  // --lock-step: how its rounds went (receivers/read_gate.h). Short reads and
  // unfinished rounds say the lock-step did not hold: a datagram was still on
  // its way at a release, or a round never fully left the pipeline (lost).
  struct LockStep {
    std::uint64_t packets_per_round = 0;
    std::uint64_t rounds = 0;
    std::uint64_t gate_waits = 0;  // the receiver's sleeps at the gate
    std::uint64_t short_reads = 0;
    std::uint64_t unfinished_rounds = 0;  // the generator went on after a stall
  };
  std::optional<LockStep> lock_step;

  // Loss accounting, over the whole run (warm-up included):
  // packets_sent = packets_delivered + kernel_drops + malformed + truncated
  //              + pipeline_drops + in_flight_at_stop + unexplained_packets.
  std::uint64_t packets_sent = 0;
  std::uint64_t send_errors = 0;
  // false: no generator said what it sent (any RTP sender): packets_sent,
  // send_errors and unexplained_packets are unknown (null in JSON).
  bool sent_known = true;
  std::uint64_t packets_received = 0;   // taken off the socket by the receiver
  std::uint64_t packets_delivered = 0;  // seen at the sink
  std::uint64_t kernel_drops = 0;       // socket drop counter (SO_RXQ_OVFL's sk_drops), in packets
  // The counter itself: datagrams. Equal to kernel_drops except on a UDP_GRO
  // socket fed by GSO, where one dropped datagram held many packets
  // (loss_account.h).
  std::uint64_t kernel_drop_datagrams = 0;
  std::optional<std::uint64_t> host_rcvbuf_errors;     // RcvbufErrors + Udp6RcvbufErrors delta (whole host)
  std::optional<std::uint64_t> socket_drops_rxq_ovfl;  // last SO_RXQ_OVFL seen by the receiver
  std::uint64_t malformed = 0;
  std::map<std::string, std::uint64_t> malformed_by_kind;   // every kind, by its name
  std::map<std::string, std::uint64_t> malformed_injected;  // --malformed: what the generator slipped in
  std::uint64_t truncated = 0;
  std::uint64_t pipeline_drops = 0;  // entered the pipeline, never reached the sink (pad counts)
  std::map<std::string, std::uint64_t> pipeline_drops_by_element;  // element name -> dropped
  std::uint64_t jitterbuffer_late = 0;                             // rtpjitterbuffer's own reasons (stats)
  std::uint64_t jitterbuffer_duplicates = 0;
  std::uint64_t malformed_at_sink = 0;  // delivered, but not an RTP packet
  std::uint64_t in_flight_at_stop = 0;  // still in the socket or pipeline queues after the drain
  // The socket's drain at the end stopped at its limits with datagrams still
  // coming (a sender that did not stop): what came after it is in no count.
  bool socket_drain_hit_bound = false;
  bool pipeline_flushed = false;  // stalled while draining; what it held is in pipeline_drops
  std::int64_t unexplained_packets = 0;
  std::uint64_t seq_gaps = 0, duplicates = 0, reordered = 0, seq_stale = 0;
  // --impair: what the generator did to its stream on purpose, whole run.
  // Withheld packets were never sent, so they are in no count of the loss
  // account (only in seq_gaps); second copies are datagrams like any other,
  // in packets_sent and delivered or dropped (rtpjitterbuffer drops them).
  // Without a jitter buffer the sink's seq_gaps, duplicates and reordered
  // equal losses, duplicates and reorders exactly. Absent without --impair.
  std::optional<traffic_gen::ImpairmentReport> impairments_injected;

  // Many streams (issue 21): each stream's figures, in SSRC order, and each
  // socket's account, in the order bound; one of each for one stream. The
  // figures above are the whole run's.
  struct StreamFigures {
    std::uint32_t ssrc = 0;
    std::uint16_t port = 0;                  // where it was sent
    std::optional<std::uint64_t> sent;       // warm-up included; unknown without the generator's report
    std::optional<std::uint64_t> delivered;  // at its pipeline's sink; unknown for null
    std::optional<std::int64_t> lost;        // sent - delivered
    // Its socket's drops, where the socket is its alone (per-stream sockets).
    // On a shared (reuseport) socket a drop cannot be told to a stream: the
    // kernel counts it before anything reads the datagram's SSRC.
    std::optional<std::uint64_t> kernel_drops;
    std::optional<std::size_t> socket;  // index into per_socket; unknown: none of it was received (reuseport)
    std::uint64_t seq_gaps = 0;
    LatencySummary latency;  // send -> sink, inside the window
    std::optional<double> jitter_rfc3550_us;
    // Its own pipeline's threads' CPU inside the window over the packets its
    // sink got there (ReceiveReport::thread_streams says whose a thread is);
    // unknown for null, or when its sink got nothing in the window. Receiver
    // threads serve several streams: their CPU is in the total only.
    std::optional<double> cpu_ns_per_packet_pipeline;
    std::uint64_t window_packets = 0;  // at its sink inside the window: the divisor above
  };
  std::vector<StreamFigures> per_stream;
  struct SocketFigures {
    std::uint16_t port = 0;
    std::optional<std::uint64_t> received;  // taken off it (udpsrc: what left its udpsrc)
    std::uint64_t kernel_drops = 0;         // the kernel's own count for this socket
    std::uint64_t left_in_socket = 0;       // drained at the end
    std::uint64_t left_in_receive_call = 0;
    // Sent to it - received - kernel_drops - left: 0 when every datagram is
    // explained. Unknown when what was sent to it is: no generator report,
    // or (reuseport) a stream none of whose datagrams was received, so that
    // which socket the kernel hashed it to is unknown.
    std::optional<std::int64_t> unexplained;
  };
  std::vector<SocketFigures> per_socket;
  int receiver_threads = 1;       // receive-loop or null threads, or udpsrc's
  int pipeline_thread_count = 0;  // distinct pipeline threads seen in the window (pipeline_threads counts names)
  int process_threads = 0;        // every thread of the process at the window's end

  // CPU over the measurement window, every thread of the process attributed
  // (cpu_attribution.h); ns per delivered packet, the generator's per packet sent.
  CpuAttribution cpu;
  double cpu_ns_per_packet_receiver = 0;
  double cpu_ns_per_packet_pipeline = 0;
  double cpu_ns_per_packet_receive_path = 0;  // receiver + pipeline
  double cpu_ns_per_packet_process = 0;       // whole process, generator included
  double generator_cpu_ns_per_packet = 0;
  double ctx_switches_per_packet = 0;  // receiver thread, voluntary + involuntary
  int pipeline_threads = 0;
  // Syscalls of the receiver thread per packet received: every one the kernel
  // saw (syscalls_counted "all", through a tracepoint) or, where that cannot
  // be had, the strategy's own receive and poll calls ("strategy").
  std::optional<double> syscalls_per_packet;
  std::string syscalls_counted;
  std::optional<double> futex_calls_per_packet;       // with "all"
  std::optional<double> receive_calls_per_packet;     // the strategy's own count
  std::string syscalls_unavailable;                   // why "all" could not be had
  std::map<std::string, double> counters_per_packet;  // receiver thread, only counters read
  std::vector<std::string> counters_available;
  std::map<std::string, std::string> counters_unavailable;
  std::vector<std::string> counters_user_only;  // kernel counting denied: user mode only

  // Latency (ns) and jitter, inside the window.
  LatencySummary latency;     // send -> sink
  LatencySummary network;     // send -> receive (kernel timestamp, or user space after the call)
  LatencySummary processing;  // receive -> push
  LatencySummary pipeline;    // push -> sink
  bool kernel_timestamps = false;
  // Why send -> sink and send -> receive are missing ("" when measured).
  std::string latency_unavailable;
  std::optional<double> jitter_rfc3550_us;  // RFC 3550's running J at the end of the run
  std::optional<double> jitter_rfc3550_rtp;
  LatencySummary jitter;                       // J after each packet, ns
  LatencySummary jitter_d_abs;                 // |D| of each packet, ns
  std::optional<double> processing_jitter_ns;  // processing p99 - p50

  // Buffer source and receiver.
  std::uint64_t buffer_allocations = 0, buffer_warmup_allocations = 0, buffer_exhausted = 0, buffer_recycled = 0,
                buffer_discarded = 0;
  std::uint64_t ring_exhausted = 0, rearms = 0;  // io_uring
  std::uint64_t receiver_idle_waits = 0, receiver_batches = 0;
  // recv=gro (gro, null+gro), whole run like packets_received: datagrams the
  // kernel handed over (a coalesced one once), those holding more than one
  // segment, and packets_received per datagram. Unknown (null) for a
  // strategy that does not read with UDP_GRO.
  std::optional<std::uint64_t> gro_datagrams, gro_coalesced_datagrams;
  std::optional<double> gro_segments_per_datagram;
  // The receive call's errors by errno name; unknown (null) for udpsrc.
  std::optional<std::map<std::string, std::uint64_t>> receive_errors;
  std::uint64_t payload_mismatches = 0;  // verify_payload only
  std::uint64_t unstamped_packets = 0;   // delivered without plausible receiver stamps
  std::string measure = "full";
  // What the per-packet bookkeeping of measure=full costs, timed in place
  // (metrics/sampled_cost.h): the sink probe's work and the receiver's stamps,
  // ns per delivered packet. Absent with measure=minimal.
  std::optional<double> measure_ns_per_packet_sink;
  std::optional<double> measure_ns_per_packet_receiver;  // absent where nothing stamps (udpsrc, null)
  // Their sum as a share of the receive path without it: 100 * m / (path - m).
  std::optional<double> measure_overhead_pct;
  // Timed occurrences left out because they were interrupted (sampled_cost.h).
  std::uint64_t measure_samples_interrupted = 0;
  // Where the pipeline depayloads (pipeline/frame_probe.h): frames over the
  // whole run, latency and the decoder's CPU inside the window.
  struct Frames {
    std::optional<std::uint64_t> sent;  // access units the generator sent; unknown for another sender
    std::uint64_t depayloaded = 0;
    std::optional<std::uint64_t> decoded;  // unknown without a decoder
    std::optional<std::uint64_t> damaged;  // unknown without a decoder or a reference
    std::uint64_t unjudged = 0;            // decoded, with no reference checksum for the frame
    // (sent - decoded + damaged) per 1 000 packets lost before the
    // depayloader (sequence gaps there); unknown when any part is, or none lost.
    std::optional<double> lost_or_damaged_per_1000_lost_packets;
    LatencySummary latency;  // first packet's send -> frame at the sink
    std::optional<double> decoder_cpu_ns_per_frame;
    std::optional<double> decoder_cpu_ns_per_packet;
  };
  std::optional<Frames> frames;
  // The receiver thread's part of the receive path's CPU (cpu_attribution.h).
  std::optional<double> receive_share;

  // phase_timing: the receive loop's phases, thread CPU ns per packet received.
  std::map<std::string, double> phase_ns_per_packet;
};

}  // namespace rxbench::harness
