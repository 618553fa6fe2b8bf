// The receive socket every strategy reads: created and bound by the harness so
// that all strategies (and udpsrc) get the same socket options.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace rxbench::receivers {

struct UdpSocketOptions {
  std::string bind_host = "127.0.0.1";
  std::uint16_t port = 0;    // 0 = any free port
  int rcvbuf_bytes = 0;      // SO_RCVBUF(FORCE); 0 = system default
  bool timestamps = true;    // SO_TIMESTAMPNS
  bool drop_counter = true;  // SO_RXQ_OVFL
  // SO_REUSEPORT: joins (or, with port 0, starts) a group of sockets on one
  // port, among which the kernel spreads senders by a hash of their address.
  bool reuseport = false;
};

struct UdpSocket {
  int fd = -1;
  std::uint16_t port = 0;  // the bound port
  int rcvbuf_bytes = 0;    // what the kernel granted (getsockopt)
};

// Returns fd -1 and *error on failure.
UdpSocket OpenUdpSocket(const UdpSocketOptions& options, std::string* error);

// How much a drain may take. A sender that keeps sending (a remote `gen`,
// any RTP source) refills the socket as fast as it is read: without a bound
// the drain would last as long as the stream. The count is more datagrams
// than any receive buffer rxbench sets can queue; the time, far more than
// reading a full queue takes.
struct DrainLimits {
  std::uint64_t max_datagrams = 1u << 20;
  std::uint64_t max_ns = 1'000'000'000;
  // The clock the time bound is read on (nullptr: the monotonic clock); read
  // once before the first read and once before each read after it.
  std::function<std::uint64_t()> clock;
};

struct Drained {
  // The sender's datagrams read and discarded; a coalesced one (UDP_GRO)
  // counts as its segments.
  std::uint64_t datagrams = 0;
  // Stopped at a limit, not on an empty socket: datagrams were still coming,
  // so those that came after are in no count.
  bool hit_bound = false;
};

// Datagrams still queued on the socket, drained now, within `limits`.
Drained DrainSocket(int fd, const DrainLimits& limits = {});

}  // namespace rxbench::receivers
