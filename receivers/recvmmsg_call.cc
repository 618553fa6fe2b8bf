// recvmmsg: many datagrams per call on a non-blocking socket, ppoll when idle.
#include "receivers/recvmmsg_call.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>

#include <cstring>

namespace rxbench::receivers {

std::size_t ControlBytesPerMessage() {
  return CMSG_SPACE(sizeof(timespec)) + CMSG_SPACE(sizeof(std::uint32_t));
}

std::int64_t RealtimeMinusMonotonicNs() {
  timespec rt, mono;
  clock_gettime(CLOCK_REALTIME, &rt);
  clock_gettime(CLOCK_MONOTONIC, &mono);
  return (static_cast<std::int64_t>(rt.tv_sec) - mono.tv_sec) * 1000000000 + (rt.tv_nsec - mono.tv_nsec);
}

void ReadControlMessages(msghdr* header, std::int64_t realtime_minus_monotonic_ns,
                         std::uint64_t* rx_ns, std::int64_t* drops) {
  for (cmsghdr* c = CMSG_FIRSTHDR(header); c != nullptr; c = CMSG_NXTHDR(header, c)) {
    if (c->cmsg_level != SOL_SOCKET) continue;
    if (c->cmsg_type == SO_TIMESTAMPNS) {
      timespec ts;
      std::memcpy(&ts, CMSG_DATA(c), sizeof ts);
      // SO_TIMESTAMPNS is CLOCK_REALTIME; the packets' send stamps are monotonic.
      *rx_ns = static_cast<std::uint64_t>(static_cast<std::int64_t>(ts.tv_sec) * 1000000000 + ts.tv_nsec -
                                          realtime_minus_monotonic_ns);
    } else if (c->cmsg_type == SO_RXQ_OVFL) {
      std::uint32_t count;
      std::memcpy(&count, CMSG_DATA(c), sizeof count);
      if (count > *drops) *drops = count;
    }
  }
}

RecvmmsgCall::RecvmmsgCall(int fd, int batch)
    : fd_(fd),
      headers_(batch),
      iovecs_(batch),
      control_(batch * ControlBytesPerMessage()),
      realtime_minus_monotonic_ns_(RealtimeMinusMonotonicNs()) {
  const int flags = fcntl(fd_, F_GETFL);
  fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

int RecvmmsgCall::Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) {
  const int n = max < static_cast<int>(headers_.size()) ? max : static_cast<int>(headers_.size());
  const std::size_t control_bytes = ControlBytesPerMessage();
  for (int i = 0; i < n; ++i) {
    iovecs_[i] = iovec{slots[i].data, slots[i].capacity};
    msghdr& h = headers_[i].msg_hdr;
    h = msghdr{};
    h.msg_iov = &iovecs_[i];
    h.msg_iovlen = 1;
    h.msg_control = &control_[i * control_bytes];
    h.msg_controllen = control_bytes;
  }
  int got = recvmmsg(fd_, headers_.data(), static_cast<unsigned>(n), 0, nullptr);
  ++stats->syscalls;
  if (got <= 0) {
    // Empty: wait for data or the idle timeout, then let the loop check stop.
    pollfd p{fd_, POLLIN, 0};
    timespec timeout{0, kIdleWaitMs * 1000000L};
    ppoll(&p, 1, &timeout, nullptr);
    ++stats->syscalls;
    ++stats->idle_waits;
    return 0;
  }
  ++stats->batches;
  for (int i = 0; i < got; ++i) {
    pools::PacketSlot& slot = slots[i];
    msghdr& h = headers_[i].msg_hdr;
    slot.truncated = (h.msg_flags & MSG_TRUNC) != 0;
    slot.length = headers_[i].msg_len;
    slot.kernel_rx_ns = 0;
    ReadControlMessages(&h, realtime_minus_monotonic_ns_, &slot.kernel_rx_ns, &drops_seen_);
  }
  return got;
}

}  // namespace rxbench::receivers
