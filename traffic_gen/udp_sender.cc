#include "traffic_gen/udp_sender.h"

#include <netdb.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace rxbench::traffic_gen {
namespace {

// One datagram: send() is cheaper than sendmmsg for one (no vector to walk,
// no msghdr to copy in), and the per-packet-stamp path pays it per packet.
// Returns 1 or -1 like sendmmsg would.
int SendOne(int fd, const msghdr& message) {
  return send(fd, message.msg_iov[0].iov_base, message.msg_iov[0].iov_len, 0) >= 0 ? 1 : -1;
}

}  // namespace

UdpSender::~UdpSender() {
  if (fd_ >= 0) close(fd_);
}

bool UdpSender::Open(const std::string& host, std::uint16_t port, std::string* error) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICSERV;
  addrinfo* results = nullptr;
  const std::string service = std::to_string(port);
  const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &results);
  if (rc != 0) {
    *error = "cannot resolve " + host + ": " + gai_strerror(rc);
    return false;
  }
  // Take the first address that works, as a client would: "localhost" may
  // resolve to ::1 on a host without IPv6 enabled.
  std::string last_error = "no address for " + host;
  for (addrinfo* ai = results; ai != nullptr; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last_error = std::string("socket: ") + std::strerror(errno);
      continue;
    }
    if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0) {
      last_error = "connect " + host + ":" + service + ": " + std::strerror(errno);
      close(fd);
      continue;
    }
    fd_ = fd;
    break;
  }
  freeaddrinfo(results);
  if (fd_ < 0) {
    *error = last_error;
    return false;
  }
  return true;
}

SendOutcome UdpSender::SendBytes(const std::uint8_t* data, std::size_t length) {
  SendOutcome out;
  ssize_t rc;
  // A signal (gen's SIGINT handler has no SA_RESTART) cuts a waiting send
  // short: the datagram was not sent and still should be.
  do {
    rc = send(fd_, data, length, 0);
    ++out.calls;
  } while (rc < 0 && errno == EINTR);
  if (rc >= 0) {
    out.sent = 1;
  } else {
    out.failed = 1;
    out.last_errno = errno;
  }
  return out;
}

SendOutcome UdpSender::Send(mmsghdr* msgs, unsigned count) {
  SendOutcome out;
  unsigned next = 0;
  while (next < count) {
    const int n = count - next == 1 ? SendOne(fd_, msgs[next].msg_hdr) : sendmmsg(fd_, msgs + next, count - next, 0);
    ++out.calls;
    if (n > 0) {
      // A short count means msgs[next + n] failed; its error is lost, so the
      // loop sends it again and learns whether the condition persists.
      out.sent += static_cast<unsigned>(n);
      next += static_cast<unsigned>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    // The first datagram of this call was not sent. ECONNREFUSED (a pending
    // ICMP port unreachable: nobody listening yet) and ENOBUFS (device queue
    // full) are expected under load; anything else is counted the same way so
    // the run still ends after its bounded number of packets.
    ++out.failed;
    out.last_errno = n < 0 ? errno : EIO;
    ++next;
  }
  return out;
}

}  // namespace rxbench::traffic_gen
