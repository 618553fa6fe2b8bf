#pragma once

#include "receivers/receive_call.h"

namespace rxbench::receivers {

class RecvfromCall final : public ReceiveCall {
 public:
  explicit RecvfromCall(int fd);
  int Receive(pools::PacketSlot* slots, int max, ReceiverStats* stats) override;

 private:
  int fd_;
};

}  // namespace rxbench::receivers
