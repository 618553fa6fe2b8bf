// The generator's socket: one UDP socket connect()ed to the destination, and a
// batched send that accounts for every datagram as either accepted by the
// kernel or failed.
//
// Why connect(): the kernel resolves the route once instead of per datagram,
// and on loopback an ICMP port-unreachable comes back as ECONNREFUSED on a
// later send, which tells a run that no receiver was listening yet.
//
// Not thread-safe; owned and used by the one sender thread after Open().
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <string>

namespace rxbench::traffic_gen {

struct SendOutcome {
  std::uint64_t sent = 0;    // datagrams the kernel accepted
  std::uint64_t failed = 0;  // datagrams that were not sent (see last_errno)
  std::uint64_t calls = 0;   // send/sendmmsg system calls made, interrupted ones included
  int last_errno = 0;        // errno of the last failed datagram, 0 if none
};

class UdpSender {
 public:
  UdpSender() = default;
  ~UdpSender();
  UdpSender(const UdpSender&) = delete;
  UdpSender& operator=(const UdpSender&) = delete;

  // Resolves host:port (IPv4 or IPv6, numeric or by name), creates the socket
  // and connects. On failure returns false with a one-line reason in *error.
  bool Open(const std::string& host, std::uint16_t port, std::string* error);
  bool is_open() const { return fd_ >= 0; }
  int fd() const { return fd_; }

  // Sends msgs[0..count) with as few calls as the kernel allows (one send()
  // for a single datagram, sendmmsg for more).
  // Datagrams are sent in order; one that fails (ECONNREFUSED, ENOBUFS, ...) is
  // counted in `failed`, skipped, and the rest still go out, so a transient
  // error costs one packet and not the batch. EINTR is retried.
  SendOutcome Send(mmsghdr* msgs, unsigned count);
  // One datagram of `length` bytes (0 is a valid, empty datagram); EINTR is
  // retried here too.
  SendOutcome SendBytes(const std::uint8_t* data, std::size_t length);

 private:
  int fd_ = -1;
};

}  // namespace rxbench::traffic_gen
