// The traffic generator: one sender thread that plays a TrafficSpec as a paced
// RTP stream to a UDP destination.
//
// Every packet is an rtp::WritePacket() whose probe carries the packet's index
// and the CLOCK_MONOTONIC time taken right before the send call that carried
// it (one time per sendmmsg batch), so a receiver can measure latency, loss
// and reordering from the packets alone; the generator and the receiver share
// nothing but the network, which is what lets them run on two hosts.
//
// Pacing uses absolute deadlines from PacketSchedule (clock_nanosleep with
// TIMER_ABSTIME, timer slack 1 ns): a late wake-up delays packets but never
// shifts the ones after them. After each wake-up every packet already due is
// sent in sendmmsg batches of up to kMaxBatch, which is how rates far above
// what per-packet sleeping allows (> ~20 kpps) are kept on average, and how a
// burst frame goes out back to back.
//
// Thread-safety: Start() once, from one thread. Wait(), Stop(), running() and
// Report() may be called from any thread, also concurrently.
#pragma once

#include <sys/socket.h>
#include <sys/uio.h>

#include <atomic>
#include <cstddef>
#include <cstdint>
#include <future>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "traffic_gen/traffic_spec.h"
#include "traffic_gen/udp_sender.h"

namespace rxbench::traffic_gen {

// Packets per sendmmsg call: large enough that the system call cost vanishes
// per packet at 100+ kpps, small enough that the batch buffers stay in L2.
inline constexpr unsigned kMaxBatch = 64;

// What the sender did. A packet is either sent or a send error, never both;
// packets that were never tried (Stop() before the end) are in neither.
struct GeneratorReport {
  std::uint64_t packets_sent = 0;   // datagrams the kernel accepted
  std::uint64_t send_errors = 0;    // datagrams refused (ECONNREFUSED, ENOBUFS, ...)
  std::uint64_t batches = 0;        // sendmmsg calls
  std::uint64_t first_send_ns = 0;  // probe send_ns of the first accepted packet (0 if none)
  std::uint64_t last_send_ns = 0;   // probe send_ns of the last accepted packet
  std::uint64_t cpu_ns = 0;         // CPU time of the sender thread (CLOCK_THREAD_CPUTIME_ID)
  int last_errno = 0;               // errno of the last send error, 0 if none

  // (packets_sent - 1) / (last_send_ns - first_send_ns): the rate of the send
  // instants, which for a well-paced CBR stream equals rate_pps (N packets span
  // N - 1 intervals). For the burst shape it overstates the average rate
  // because the last frame's interval is not part of the span. 0 when fewer
  // than two packets were sent or all went out in one call.
  double achieved_pps() const;
};

class Generator {
 public:
  explicit Generator(TrafficSpec spec);
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
  // than 5 ms at a time, so this returns within ~10 ms even at very low rates.
  // Packets not yet sent are dropped from the run, not counted as errors.
  void Stop();

  // True from Start() until the sender thread has finished its last send.
  bool running() const { return running_.load(std::memory_order_acquire); }

  // Final counts; valid after Wait() or Stop() (all zero before the sender ends).
  GeneratorReport Report() const;

  const TrafficSpec& spec() const { return spec_; }

 private:
  void Run(std::promise<std::string> setup_done);
  // Names, pins and de-slacks the calling thread; "" or why it failed.
  std::string SetUpSenderThread() const;
  GeneratorReport SendStream();
  void Join();

  const TrafficSpec spec_;
  const std::size_t packet_bytes_;
  UdpSender sender_;

  // One buffer per batch slot, allocated in Start() so the send loop never
  // allocates; iovecs and headers point into it once and are reused.
  std::vector<std::uint8_t> buffers_;
  std::vector<iovec> iovecs_;
  std::vector<mmsghdr> messages_;

  bool started_ = false;
  std::atomic<bool> stop_{false};
  std::atomic<bool> running_{false};
  std::thread thread_;
  std::mutex join_mutex_;  // Wait() and Stop() may race to join

  mutable std::mutex report_mutex_;
  GeneratorReport report_;
};

}  // namespace rxbench::traffic_gen
