// When `recv --packets N` has its N packets. The loop polls every few
// milliseconds while the measured stream plays, so a poll must not disturb
// what it measures: it reads only the delivered count, an atomic. The full
// account (the receiver's refused datagrams, under its per-packet mutex with
// sync=mutex; the socket's drops, a parse of /proc/net/udp) is read only once
// the delivered count has stood still for kQuietNs: then no packet is moving
// that the read could delay, and only that read can count the lost packets
// that complete N. So the run ends as soon as N are delivered, or one quiet
// period after N are explained; when datagrams are refused while the stream
// still flows it ends past N, once N are delivered.
// Pure arithmetic on counts and times, so the decision is tested as such.
#pragma once

#include <cstdint>

namespace rxbench::harness {

class PacketTarget {
 public:
  enum class Next { kWait, kReached, kReadFullAccount };
  // As long as the drain waits for a stalled stage (ReceiveSide's
  // WaitUntilExplained): longer than any gap between a live stream's frames.
  static constexpr std::uint64_t kQuietNs = 200'000'000;

  explicit PacketTarget(std::uint64_t packets) : packets_(packets) {}

  // Each poll: the delivered count and the time (ns, monotonic).
  Next OnPoll(std::uint64_t delivered, std::uint64_t now_ns);
  // After kReadFullAccount: whether the full account meets the target.
  bool Reached(std::uint64_t explained) const { return explained >= packets_; }

 private:
  const std::uint64_t packets_;
  bool polled_ = false;
  std::uint64_t last_delivered_ = 0;
  std::uint64_t quiet_since_ns_ = 0;  // since the last change, or the last full read
};

}  // namespace rxbench::harness
