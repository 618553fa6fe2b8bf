#include "commands/packet_target.h"

namespace rxbench::harness {

PacketTarget::Next PacketTarget::OnPoll(std::uint64_t delivered, std::uint64_t now_ns) {
  if (delivered >= packets_) return Next::kReached;
  if (!polled_ || delivered != last_delivered_) {
    polled_ = true;
    last_delivered_ = delivered;
    quiet_since_ns_ = now_ns;
    return Next::kWait;
  }
  if (now_ns - quiet_since_ns_ < kQuietNs) return Next::kWait;
  // Still quiet after the read: the next one after another quiet period.
  quiet_since_ns_ = now_ns;
  return Next::kReadFullAccount;
}

}  // namespace rxbench::harness
