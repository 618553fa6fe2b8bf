#include "receivers/udp_socket.h"

#include "metrics/thread_usage.h"
#include "receivers/control_messages.h"
#include "receivers/gro_segments.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace rxbench::receivers {

UdpSocket OpenUdpSocket(const UdpSocketOptions& options, std::string* error) {
  UdpSocket result;
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_DGRAM;
  hints.ai_flags = AI_NUMERICHOST | AI_PASSIVE;
  addrinfo* info = nullptr;
  const std::string port = std::to_string(options.port);
  if (int rc = getaddrinfo(options.bind_host.c_str(), port.c_str(), &hints, &info); rc != 0) {
    *error = "bad bind address '" + options.bind_host + "': " + gai_strerror(rc);
    return result;
  }
  const int fd = socket(info->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *error = std::string("socket: ") + std::strerror(errno);
    freeaddrinfo(info);
    return result;
  }
  if (options.rcvbuf_bytes > 0) {
    // FORCE lets root exceed net.core.rmem_max; fall back for other users.
    if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &options.rcvbuf_bytes, sizeof(int)) != 0) {
      setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &options.rcvbuf_bytes, sizeof(int));
    }
  }
  const int one = 1;
  if (options.reuseport && setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one) != 0) {
    *error = std::string("SO_REUSEPORT: ") + std::strerror(errno);
    close(fd);
    freeaddrinfo(info);
    return result;
  }
  if (options.timestamps) setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one);
  if (options.drop_counter) setsockopt(fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one);
  if (bind(fd, info->ai_addr, info->ai_addrlen) != 0) {
    *error = "bind " + options.bind_host + ":" + port + ": " + std::strerror(errno);
    close(fd);
    freeaddrinfo(info);
    return result;
  }
  freeaddrinfo(info);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
  result.port = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                                  : reinterpret_cast<sockaddr_in*>(&bound)->sin_port);
  len = sizeof result.rcvbuf_bytes;
  getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &result.rcvbuf_bytes, &len);
  result.fd = fd;
  return result;
}

Drained DrainSocket(int fd, const DrainLimits& limits) {
  const auto now = [&limits] { return limits.clock ? limits.clock() : metrics::MonotonicNs(); };
  const std::uint64_t deadline = now() + limits.max_ns;
  Drained drained;
  char scratch[1];
  iovec iov{scratch, sizeof scratch};
  alignas(cmsghdr) char control[256];
  for (std::uint64_t reads = 0;; ++reads) {
    if (reads >= limits.max_datagrams || now() >= deadline) {
      drained.hit_bound = true;
      break;
    }
    msghdr h{};
    h.msg_iov = &iov;
    h.msg_iovlen = 1;
    h.msg_control = control;
    h.msg_controllen = sizeof control;
    // MSG_TRUNC: the real length, to count a coalesced datagram's segments.
    const ssize_t length = recvmsg(fd, &h, MSG_DONTWAIT | MSG_TRUNC);
    if (length < 0) break;
    std::size_t segment_size = 0;
    std::uint64_t rx_ns = 0;
    std::int64_t drops = 0;
    ReadControlMessages(&h, 0, &rx_ns, &drops, &segment_size);
    drained.datagrams += SegmentCount(static_cast<std::size_t>(length), segment_size);
  }
  return drained;
}

}  // namespace rxbench::receivers
