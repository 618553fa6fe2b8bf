// The kernel floor: takes datagrams off the socket with the fastest call
// (recvmmsg, batched, into memory reused forever) and drops them. No GStreamer,
// no allocation, no validation. With recv=gro (`null+gro`) it reads with the
// gro call instead and counts each coalesced datagram as its segments. Every other strategy's CPU per packet is also
// reported as a ratio to this one, measured in the same invocation, where it is
// a floor: draining faster, it wakes more per packet than a free-running
// strategy, and not under --lock-step (results/floor_comparability.h).
#pragma once

#include <vector>

#include "receivers/threaded_receiver.h"

namespace rxbench::receivers {

class NullReceiver final : public ThreadedReceiver {
 public:
  explicit NullReceiver(const ReceiverConfig& config) : ThreadedReceiver(config, SyncKind::kAtomic) {}
  ~NullReceiver() override { Stop(); }

  bool Start(std::string* error) override;

 private:
  void Run() override;

  std::size_t slot_bytes_ = 0;
  std::vector<std::uint8_t> memory_;
};

}  // namespace rxbench::receivers
