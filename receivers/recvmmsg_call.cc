// recvmmsg: many datagrams per call on a non-blocking socket, ppoll when idle.
#include "receivers/recvmmsg_call.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <time.h>

#include "receivers/gro_call.h"

namespace rxbench::receivers {

RecvmmsgCall::RecvmmsgCall(int fd, int batch, bool segmented, std::size_t segment_limit)
    : fd_(fd),
      segmented_(segmented),
      segment_limit_(segment_limit),
      control_bytes_(segmented ? ControlBytesPerGroMessage() : ControlBytesPerMessage()),
      headers_(batch),
      iovecs_(batch),
      control_(batch * control_bytes_),
      realtime_minus_monotonic_ns_(RealtimeMinusMonotonicNs()) {
  const int flags = fcntl(fd_, F_GETFL);
  fcntl(fd_, F_SETFL, flags | O_NONBLOCK);
}

bool RecvmmsgCall::BusyPollWhenIdle(WaitKind wait, int busy_poll_us, std::string* error) {
  if (wait != WaitKind::kBusyPoll && wait != WaitKind::kPreferBusyPoll) return true;
  busy_poll_ = std::make_unique<BusyPollEpoll>(fd_, wait, busy_poll_us, error);
  if (!busy_poll_->valid()) *error = std::string("wait=") + ToString(wait) + ": " + *error;
  return busy_poll_->valid();
}

int RecvmmsgCall::Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) {
  const int n = max < static_cast<int>(headers_.size()) ? max : static_cast<int>(headers_.size());
  for (int i = 0; i < n; ++i) {
    iovecs_[i] = iovec{slots[i].data, slots[i].capacity};
    msghdr& h = headers_[i].msg_hdr;
    h = msghdr{};
    h.msg_iov = &iovecs_[i];
    h.msg_iovlen = 1;
    h.msg_control = &control_[i * control_bytes_];
    h.msg_controllen = control_bytes_;
  }
  // MSG_TRUNC makes msg_len the datagram's real length, which a coalesced
  // datagram needs to count its segments when it did not fit.
  int got = recvmmsg(fd_, headers_.data(), static_cast<unsigned>(n), segmented_ ? MSG_TRUNC : 0, nullptr);
  ++stats->syscalls;
  if (got <= 0) {
    const int error = got < 0 ? errno : 0;
    const bool failed = error != 0 && error != EAGAIN && error != EWOULDBLOCK && error != EINTR;
    // Empty: wait for data or the idle timeout, then let the loop check stop.
    // After an error too: one that passes (ENOMEM) is not retried in a spin.
    if (busy_poll_) {
      busy_poll_->Wait(kIdleWaitMs);
    } else {
      pollfd p{fd_, POLLIN, 0};
      timespec timeout{0, kIdleWaitMs * 1000000L};
      ppoll(&p, 1, &timeout, nullptr);
    }
    ++stats->syscalls;
    if (failed) return -error;
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
    if (!segmented_) {
      ReadControlMessages(&h, realtime_minus_monotonic_ns_, &slot.kernel_rx_ns, &drops_seen_);
      continue;
    }
    std::size_t segment_size = 0;
    ReadControlMessages(&h, realtime_minus_monotonic_ns_, &slot.kernel_rx_ns, &drops_seen_, &segment_size);
    SetSegments(headers_[i].msg_len, segment_size, segment_limit_, &slot);
    ++stats->gro_datagrams;
    if (slot.segments > 1) ++stats->gro_coalesced;
  }
  return got;
}

}  // namespace rxbench::receivers
