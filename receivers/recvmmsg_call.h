#pragma once

#include <sys/socket.h>

#include <memory>
#include <vector>

#include "receivers/busy_poll.h"
#include "receivers/control_messages.h"
#include "receivers/receive_call.h"

namespace rxbench::receivers {

class RecvmmsgCall final : public ReceiveCall {
 public:
  // segmented: the socket has UDP_GRO on (gro_call.h), so a datagram may be
  // several of the sender's: read its segment size and its real length.
  // segment_limit: the longest datagram (or segment) accepted whole; longer
  // ones are reported truncated although they fit the slot.
  RecvmmsgCall(int fd, int batch, bool segmented = false, std::size_t segment_limit = 0);
  // wait=busy-poll or prefer-busy-poll: wait for an empty socket in an epoll
  // that busy polls (busy_poll.h) instead of ppoll, which busy polls only
  // under the host-wide net.core.busy_poll. False with *error when it cannot.
  bool BusyPollWhenIdle(WaitKind wait, int busy_poll_us, std::string* error);
  int Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) override;
  std::int64_t socket_drops_seen() const override { return drops_seen_; }
  bool kernel_timestamps() const override { return true; }

 private:
  int fd_;
  bool segmented_;
  std::size_t segment_limit_;
  std::size_t control_bytes_;  // per message
  std::vector<mmsghdr> headers_;
  std::vector<iovec> iovecs_;
  std::vector<char> control_;  // one control buffer per message
  std::int64_t drops_seen_ = 0;
  std::int64_t realtime_minus_monotonic_ns_;
  std::unique_ptr<BusyPollEpoll> busy_poll_;  // nullptr: ppoll
};

}  // namespace rxbench::receivers
