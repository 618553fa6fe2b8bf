// The traffic generator: one sender thread that plays a TrafficSpec as a paced
// RTP stream to a UDP destination.
//
// Every packet carries a probe (rtp_packet.h) with the packet's index
// and its send time (CLOCK_MONOTONIC), so a receiver can measure latency, loss
// and reordering from the packets alone; the generator and the receiver share
// nothing but the network, which is what lets them run on two hosts. With the
// default spec.send_batch of 1, that time is read right before the packet's
// own send(): on loopback the kernel runs the receiver's side of a datagram
// inside the send call, so a time shared by a sendmmsg batch would say that
// later packets of the batch left earlier than they did.
//
// Pacing uses absolute deadlines from PacketSchedule (clock_nanosleep with
// TIMER_ABSTIME, timer slack 1 ns): a late wake-up delays packets but never
// shifts the ones after them. After each wake-up every packet already due is
// sent, which is how rates far above what per-packet sleeping allows are kept
// on average, and how a burst frame goes out back to back. The clock is a
// PacingClock (pacing_clock.h), CLOCK_MONOTONIC unless a test injects one.
//
// Payload (spec.media): a PayloadSource writes each packet behind its header,
// filler or an H.264 clip's RFC 6184 payloads (whose probe rides in a header
// extension); the schedule then follows the clip's access units.
//
// Impairments (spec.impair): the sender walks an ImpairedSchedule, which
// gives it datagrams in the order they leave (a drop never comes up, a
// duplicate comes up twice, a swapped pair as i+1 then i); each is written and
// stamped like any packet, right before its own send. Only the measured
// stream is impaired.
//
// Warm-up: after the spec's warm-up packets the sender calls the warm-up hook
// on its own thread and continues when it returns; the schedule of the
// measured stream starts then. In one process the harness's hook waits until
// the warm-up has been received and its measurement window is open; a sender
// on another host pauses for a fixed time instead.
//
// Lock-step (spec.lock_step_packets = K): the schedule's times are ignored;
// packets go out in rounds of K, each followed by the round hook, which the
// harness returns from only once the receive side has taken the round in.
//
// Thread-safety: Start() once, from one thread. Wait(), Stop(), running() and
// Report() may be called from any thread, also concurrently.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>
#include <sys/uio.h>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "metrics/log_histogram.h"
#include "metrics/thread_usage.h"
#include "traffic_gen/gso_send.h"
#include "traffic_gen/pacing_clock.h"
#include "traffic_gen/payload_source.h"
#include "traffic_gen/traffic_spec.h"
#include "traffic_gen/udp_sender.h"

namespace rxbench::traffic_gen {

// Largest sendmmsg batch (spec.send_batch is capped to it).
inline constexpr unsigned kMaxBatch = 64;

// Longest uninterrupted sleep of the sender: bounds how long Stop() waits for
// it when the next deadline is far away (a 10 pps stream sleeps 100 ms per
// packet).
inline constexpr std::int64_t kStopPollNs = 5'000'000;

// What the sender did. A packet is either sent or a send error, never both;
// packets that were never tried (Stop() before the end) are in neither.
struct GeneratorReport {
  std::uint64_t packets_sent = 0;  // datagrams the kernel accepted, warm-up included
  std::uint64_t warmup_sent = 0;   // of which before the measured stream
  std::uint64_t send_errors = 0;   // datagrams refused (ECONNREFUSED, ENOBUFS, ...)
  std::uint64_t send_calls = 0;    // send / sendmmsg calls
  // The measured stream's first and last accepted packet: their send stamps,
  // and when they were due after the stream's start (0 if none sent).
  std::uint64_t first_send_ns = 0;
  std::uint64_t last_send_ns = 0;
  std::int64_t first_due_ns = 0;
  std::int64_t last_due_ns = 0;
  // The pacing clock's time that the schedule's deadlines count from: no
  // measured packet is sent before schedule_origin_ns + its due_ns()
  // (PacketSchedule). A warm-up pause moves the origin on by its length.
  std::int64_t schedule_origin_ns = 0;
  // Media that has frames (--media h264): access units sent whole or in
  // part, warm-up included. Unknown (nullopt) for a stream without frames.
  std::optional<std::uint64_t> access_units_sent;
  double offered_pps = 0;
  pid_t tid = 0;               // the sender thread
  metrics::ThreadUsage usage;  // its CPU time and switches from start to exit
  int last_errno = 0;          // errno of the last send error, 0 if none
  // With spec.tx_timestamps: kernel TX time - the packet's send stamp, ns.
  std::optional<metrics::LogHistogram> send_stamp_error;
  std::string tx_timestamps_unavailable;  // why not, when asked for and not had
  // Malformed datagrams sent (accepted by the kernel, counted in packets_sent
  // too), by kind (malformed.h).
  std::array<std::uint64_t, kInjectKinds> malformed_sent{};
  // spec.gso_segments: sendmsg calls the kernel took with UDP_SEGMENT, and,
  // when it refused GSO, why (every packet then went one by one).
  std::uint64_t gso_calls = 0;
  std::string gso_refusal;
  unsigned gso_segments_per_call = 1;  // the most packets one send call carried as one datagram
  // With spec.impair: the packets withheld, sent twice and sent after their
  // successor (impaired_schedule.h says when each is counted). Withheld
  // packets are in no count above; second copies are in packets_sent.
  std::optional<ImpairmentReport> impairments;
  // Per stream (spec.streams of them, in SSRC order): datagrams the kernel
  // accepted, warm-up included. Their sum is packets_sent.
  std::vector<std::uint64_t> stream_sent;

  std::uint64_t measured_sent() const { return packets_sent - warmup_sent; }
  // The offered rate scaled by how long the measured stream was due to take
  // over how long it took (first to last packet): equal to the offered rate
  // when every packet left on time, for either shape. 0 when that cannot be
  // told (fewer than two send instants).
  double achieved_pps() const;
  // Whether the achieved rate fell more than kFellBehindFraction short of
  // the offered one (generator_fell_behind): the one rule `run`, `compare`
  // and `gen` report. False when the achieved rate cannot be told.
  bool fell_behind() const;
};

// How far short of the offered rate the generator may fall before a run
// says so: a few per cent is the pacing's ordinary wobble on a busy machine.
inline constexpr double kFellBehindFraction = 0.02;

struct GeneratorHooks {
  // On the sender thread, once it is set up: its kernel thread id.
  std::function<void(pid_t tid)> on_thread_start;
  // On the sender thread after the warm-up packets (only when there are some);
  // the measured stream starts when it returns. Must return soon after Stop().
  std::function<void(const GeneratorReport& warmup)> after_warmup;
  // Lock-step only (spec.lock_step_packets): on the sender thread after each
  // round has been handed to the kernel, with the counts so far; the next
  // round is sent when it returns. Called once more after the last round.
  // Must return soon after Stop().
  std::function<void(const GeneratorReport& so_far)> after_round;
};

class Generator {
 public:
  // `clock`: what paces the stream and stamps its packets; nullptr for
  // MonotonicPacingClock(). Not owned; must outlive the Generator.
  explicit Generator(TrafficSpec spec, GeneratorHooks hooks = {}, PacingClock* clock = nullptr);
  ~Generator();  // Stop()s and joins the sender thread
  Generator(const Generator&) = delete;
  Generator& operator=(const Generator&) = delete;

  // Validates the spec, resolves the destination, creates and connects the UDP
  // socket and starts the sender thread (named "rxgen", pinned to spec.cpu if
  // >= 0). Returns once the thread is set up; false with a one-line reason in
  // *error if any of that failed, in which case nothing is left running.
  bool Start(std::string* error);

  // Blocks until every packet has been tried (or Stop() was called).
  void Wait();

  // Asks the sender to finish early and joins it. The sender never sleeps more
  // than 5 ms at a time, so this returns within ~10 ms even at very low rates
  // (plus however long a warm-up hook takes to notice).
  // Packets not yet sent are dropped from the run, not counted as errors.
  void Stop();
  bool stopping() const { return stop_.load(std::memory_order_relaxed); }

  // True from Start() until the sender thread has finished its last send.
  bool running() const { return running_.load(std::memory_order_acquire); }

  // Final counts; valid after Wait() or Stop() (all zero before the sender ends).
  GeneratorReport Report() const;

  const TrafficSpec& spec() const { return spec_; }

 private:
  void Run(std::promise<std::string> setup_done);
  // Names, pins and de-slacks the calling thread; "" or why it failed.
  std::string SetUpSenderThread() const;
  void SendStream(GeneratorReport* report);
  void SendMalformed(MalformedPlan* plan, std::uint64_t index, std::size_t packet_length, GeneratorReport* report);
  void Join();

  const TrafficSpec spec_;
  const GeneratorHooks hooks_;
  PacingClock& clock_;
  const std::size_t packet_bytes_;
  PayloadSource payload_;  // what follows each header (spec.media)
  // One per stream, each its own source port; [0] is the only one of a
  // single stream, and the one GSO, malformed datagrams and TX stamps use.
  std::vector<std::unique_ptr<UdpSender>> senders_;
  std::unique_ptr<GsoSender> gso_;  // spec.gso_segments > 1 only

  // One buffer per batch slot, allocated in Start() so the send loop never
  // allocates; iovecs and headers point into it once and are reused.
  std::vector<std::uint8_t> buffers_;
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;
  std::vector<std::uint64_t> slot_indices_;  // each batch slot's packet index, for its probe
  // A malformed datagram is built here from the packet just sent.
  std::vector<std::uint8_t> malformed_buffer_;

  bool started_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  std::thread thread_;
  std::mutex join_mutex_;  // Wait() and Stop() may race to join

  mutable std::mutex report_mutex_;
  GeneratorReport report_;
};

}  // namespace rxbench::traffic_gen
