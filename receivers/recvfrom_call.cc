// recvfrom: one datagram per call, blocking with a receive timeout.
#include "receivers/recvfrom_call.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace rxbench::receivers {

RecvfromCall::RecvfromCall(int fd) : fd_(fd) {
  const int flags = fcntl(fd_, F_GETFL);
  fcntl(fd_, F_SETFL, flags & ~O_NONBLOCK);
  timeval timeout{0, kIdleWaitMs * 1000};
  setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
}

int RecvfromCall::Receive(pools::PacketSlot* slots, int /*max*/, ReceiverStats* stats) {
  pools::PacketSlot& slot = slots[0];
  // MSG_TRUNC makes the kernel return the datagram's real length, so a datagram
  // larger than the buffer is detected instead of pushed as if whole.
  const ssize_t n = recvfrom(fd_, slot.data, slot.capacity, MSG_TRUNC, nullptr, nullptr);
  ++stats->syscalls;
  if (n < 0) {
    const int error = errno;
    if (error != EAGAIN && error != EWOULDBLOCK && error != EINTR) return -error;
    ++stats->idle_waits;  // timeout (EAGAIN) or signal: let the loop check stop
    return 0;
  }
  ++stats->batches;
  slot.truncated = static_cast<std::size_t>(n) > slot.capacity;
  slot.length = slot.truncated ? slot.capacity : static_cast<std::size_t>(n);
  slot.kernel_rx_ns = 0;
  return 1;
}

}  // namespace rxbench::receivers
