// The receive socket every strategy reads: created and bound by the harness so
// that all strategies (and udpsrc) get the same socket options.
#pragma once

#include <cstdint>
#include <string>

namespace rxbench::receivers {

struct UdpSocketOptions {
  std::string bind_host = "127.0.0.1";
  std::uint16_t port = 0;     // 0 = any free port
  int rcvbuf_bytes = 0;       // SO_RCVBUF(FORCE); 0 = system default
  bool timestamps = true;     // SO_TIMESTAMPNS
  bool drop_counter = true;   // SO_RXQ_OVFL
};

struct UdpSocket {
  int fd = -1;
  std::uint16_t port = 0;     // the bound port
  int rcvbuf_bytes = 0;       // what the kernel granted (getsockopt)
};

// Returns fd -1 and *error on failure.
UdpSocket OpenUdpSocket(const UdpSocketOptions& options, std::string* error);

// Datagrams still queued on the socket, drained (read and discarded) now; a
// coalesced one (UDP_GRO) counts as its segments.
std::uint64_t DrainSocket(int fd);

}  // namespace rxbench::receivers
