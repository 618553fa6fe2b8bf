#pragma once

#include <sys/socket.h>

#include <vector>

#include "receivers/control_messages.h"
#include "receivers/receive_call.h"

namespace rxbench::receivers {

class RecvmmsgCall final : public ReceiveCall {
 public:
  RecvmmsgCall(int fd, int batch);
  int Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) override;
  std::int64_t socket_drops_seen() const override { return drops_seen_; }
  bool kernel_timestamps() const override { return true; }

 private:
  int fd_;
  std::vector<mmsghdr> headers_;
  std::vector<iovec> iovecs_;
  std::vector<char> control_;  // one control buffer per message
  std::int64_t drops_seen_ = 0;
  std::int64_t realtime_minus_monotonic_ns_;
};

}  // namespace rxbench::receivers
