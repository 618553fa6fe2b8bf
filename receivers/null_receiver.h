// The kernel floor: takes datagrams off the socket with the fastest call
// (recvmmsg, batched, into memory reused forever) and drops them. No GStreamer,
// no allocation, no validation. Every other strategy's CPU per packet is also
// reported as a ratio to this one, measured in the same invocation.
#pragma once

#include <thread>
#include <vector>

#include "receivers/receive_call.h"
#include "receivers/receiver.h"
#include "receivers/sync_policy.h"

namespace rxbench::receivers {

class NullReceiver final : public Receiver {
 public:
  explicit NullReceiver(const ReceiverConfig& config);
  ~NullReceiver() override;

  bool Start(std::string* error) override;
  void Stop() override;
  ReceiverStats Snapshot() const override { return sync_->Snapshot(); }
  const ReceiverResult& Result() const override { return result_; }

 private:
  void Run();

  ReceiverConfig config_;
  std::unique_ptr<SyncPolicy> sync_;
  std::unique_ptr<ReceiveCall> call_;
  std::vector<std::uint8_t> memory_;
  std::thread thread_;
  ReceiverResult result_;
};

}  // namespace rxbench::receivers
