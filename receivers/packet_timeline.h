// Per-packet timestamps that the receiver knows and the sink needs: when the
// kernel received the datagram and when it was pushed into appsrc.
//
// A side table indexed by the packet's probe index (modulo its size), written by
// the receiver thread before the push and read by the sink probe after the
// buffer crossed the pipeline. The crossing goes through appsrc's and queue's
// locks, which order the write before the read. An entry remembers its index, so
// a stale slot (the pipeline lagging by more than kSlots packets) reads as
// unknown instead of wrong.
#pragma once

#include <cstdint>
#include <memory>

namespace rxbench::receivers {

class PacketTimeline {
 public:
  static constexpr std::uint64_t kSlots = std::uint64_t{1} << 20;

  struct Entry {
    std::uint64_t index_plus_one = 0;  // 0 = never written
    std::uint64_t rx_ns = 0;           // CLOCK_MONOTONIC
    std::uint64_t push_ns = 0;         // CLOCK_MONOTONIC
  };

  PacketTimeline() : entries_(new Entry[kSlots]()) {}

  void Record(std::uint64_t index, std::uint64_t rx_ns, std::uint64_t push_ns) {
    Entry& e = entries_[index & (kSlots - 1)];
    e.index_plus_one = index + 1;
    e.rx_ns = rx_ns;
    e.push_ns = push_ns;
  }

  // nullptr when the receiver did not record this packet (or it was overwritten).
  const Entry* Find(std::uint64_t index) const {
    const Entry& e = entries_[index & (kSlots - 1)];
    return e.index_plus_one == index + 1 ? &e : nullptr;
  }

 private:
  std::unique_ptr<Entry[]> entries_;
};

}  // namespace rxbench::receivers
