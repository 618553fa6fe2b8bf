// What a receiver counts about itself. Plain data: the sync policy decides how
// it is published, reporters decide how it is shown.
#pragma once

#include <cstdint>

namespace rxbench::receivers {

struct ReceiverStats {
  std::uint64_t packets = 0;  // datagrams taken off the socket
  std::uint64_t bytes = 0;
  std::uint64_t truncated = 0;       // longer than the buffer: counted, not pushed
  std::uint64_t malformed = 0;       // not a valid RTP packet: counted, not pushed
  std::uint64_t pushed = 0;          // buffers handed to appsrc
  std::uint64_t push_errors = 0;     // appsrc refused (flushing / EOS)
  std::uint64_t syscalls = 0;        // receive and poll calls made by the strategy
  std::uint64_t idle_waits = 0;      // times the receiver found the socket empty and waited
  std::uint64_t batches = 0;         // receive calls that returned data
  std::uint64_t ring_exhausted = 0;  // io_uring: -ENOBUFS, multishot ended for lack of buffers
  std::uint64_t rearms = 0;          // io_uring: multishot requests submitted again
  // recv=gro only (gro_call.h): datagrams the kernel handed over, a coalesced
  // one once, and those of them that held more than one segment. `packets`
  // counts their segments.
  std::uint64_t gro_datagrams = 0;
  std::uint64_t gro_coalesced = 0;

  ReceiverStats& operator+=(const ReceiverStats& d) {
    packets += d.packets;
    bytes += d.bytes;
    truncated += d.truncated;
    malformed += d.malformed;
    pushed += d.pushed;
    push_errors += d.push_errors;
    syscalls += d.syscalls;
    idle_waits += d.idle_waits;
    batches += d.batches;
    ring_exhausted += d.ring_exhausted;
    rearms += d.rearms;
    gro_datagrams += d.gro_datagrams;
    gro_coalesced += d.gro_coalesced;
    return *this;
  }
};

}  // namespace rxbench::receivers
