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

#include <thread>

#include "receivers/push_policy.h"
#include "receivers/receive_call.h"
#include "receivers/receiver.h"
#include "receivers/sync_policy.h"

namespace rxbench::receivers {

class ReceiveLoop final : public Receiver {
 public:
  explicit ReceiveLoop(const ReceiverConfig& config);
  ~ReceiveLoop() override;

  bool Start(std::string* error) override;
  void Stop() override;
  ReceiverStats Snapshot() const override { return sync_->Snapshot(); }
  const ReceiverResult& Result() const override { return result_; }

 private:
  void Run();

  ReceiverConfig config_;
  std::unique_ptr<pools::BufferSource> source_;
  std::unique_ptr<SyncPolicy> sync_;
  std::unique_ptr<ReceiveCall> call_;
  std::unique_ptr<PushPolicy> push_;
  std::thread thread_;
  ReceiverResult result_;
};

}  // namespace rxbench::receivers
