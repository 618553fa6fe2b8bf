// The one receive loop. Every strategy preset runs this code; only the four
// policies it is built from differ:
//
//   acquire buffers (buffer source) -> receive (receive call) -> validate, stamp
//   -> finish buffers -> push (push policy) -> publish stats, check stop (sync)
//
// For `baseline` (alloc, mutex, recvfrom, single) this is, per datagram, exactly
// the original receiver: allocate+map a 4 KiB buffer, recvfrom into it, resize,
// push, lock the mutex to update stats and read the stop flag.
#pragma once

#include "receivers/push_policy.h"
#include "receivers/threaded_receiver.h"

namespace rxbench::receivers {

class ReceiveLoop final : public ThreadedReceiver {
 public:
  explicit ReceiveLoop(const ReceiverConfig& config);
  ~ReceiveLoop() override { Stop(); }

  bool Start(std::string* error) override;

 private:
  void Run() override;

  std::unique_ptr<pools::BufferSource> source_;
  std::unique_ptr<PushPolicy> push_;
};

}  // namespace rxbench::receivers
