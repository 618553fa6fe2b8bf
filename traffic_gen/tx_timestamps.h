// How far a packet's send stamp is from when the kernel really sent it.
//
// The stamp in a packet is a clock read in user space before the send call;
// the kernel's software TX timestamp (SO_TIMESTAMPING with
// SOF_TIMESTAMPING_TX_SOFTWARE, taken when the datagram reaches the device,
// on loopback right before the receive side runs) is when it left. With
// SOF_TIMESTAMPING_OPT_ID every datagram's timestamp comes back on the
// socket's error queue tagged with its number on the socket, so each one is
// matched to its own stamp. A diagnostic: it costs the sender a read per
// datagram, so the generator does it only when asked (--tx-timestamps).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "metrics/log_histogram.h"

namespace rxbench::traffic_gen {

class TxTimestamps {
 public:
  // On the connected socket `fd`, before its first send; "" or why not.
  std::string Enable(int fd);

  // The stamp of the next datagram the kernel accepted, in send order. (A
  // refused datagram is not counted: on loopback with a bound receiver none
  // is, and a mismatch would show as unmatched or as a wild error.)
  void Sent(std::uint64_t stamp_ns) { stamps_.push_back(stamp_ns); }

  // Reads every timestamp queued so far and records tx - stamp.
  void Collect();

  const metrics::LogHistogram& error_ns() const { return error_ns_; }
  std::uint64_t unmatched() const { return unmatched_; }

 private:
  int fd_ = -1;
  std::int64_t realtime_minus_monotonic_ns_ = 0;
  std::vector<std::uint64_t> stamps_;  // by datagram id
  metrics::LogHistogram error_ns_;
  std::uint64_t unmatched_ = 0;
};

}  // namespace rxbench::traffic_gen
