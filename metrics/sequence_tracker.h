// Loss, duplication and reordering of one RTP stream, from its 16-bit
// sequence numbers alone.
//
// A receiver strategy that drops, duplicates or reorders packets must not look
// faster than one that does not, so every run reports these counts next to
// its latency and CPU numbers. They are exact (within the window below), not
// estimates:
//
//   received    every OnPacket call
//   unique      distinct sequence numbers
//   duplicates  a sequence number that had already been received
//   reordered   arrived after a higher sequence number, and not a duplicate
//   seq_gaps    sequence numbers still missing between the lowest and the
//               highest received; a late arrival fills its gap
//   stale       arrived more than kWindow behind the highest: too old to tell
//               a duplicate from a late packet, so counted in neither (nor in
//               unique, so it stays counted as a gap)
//
// received == unique + duplicates + stale.
//
// Sequence numbers are extended to 64 bits as in RFC 3550 appendix A.1: a
// packet is placed in the cycle that puts it closest to the highest sequence
// number seen (rtp::ExtendSequence), so wrap-around at 65535 -> 0 is
// invisible. Like A.1 without its probation logic, a jump of 32768 or more (a
// sender restart) is misread as reordering; rxbench's generator never does that.
//
// Memory is fixed (a 4 KiB bitmap inside the object); OnPacket never
// allocates. Not thread-safe: one tracker per stream per thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

#include "rtp/rtp_packet.h"

namespace rxbench::metrics {

class SequenceTracker {
 public:
  // Sequence numbers remembered behind the highest one. Half the 16-bit space:
  // anything further behind would be extended into the next cycle anyway.
  static constexpr std::uint64_t kWindow = std::uint64_t{1} << 15;

  void OnPacket(std::uint16_t seq) {
    ++received_;
    if (received_ == 1) {
      // One cycle of headroom so early reordered packets stay positive.
      highest_ = lowest_ = (std::uint64_t{1} << 16) + seq;
      Mark(highest_);
      ++unique_;
      return;
    }
    const std::uint64_t extended = rtp::ExtendSequence(highest_, seq);
    if (extended > highest_) {
      // In order (highest + 1) the new slot is simply overwritten; a jump
      // must first forget the slots it skips.
      if (extended > highest_ + 1) ClearSkipped(extended);
      highest_ = extended;
      Mark(extended);
      ++unique_;
      return;
    }
    if (highest_ - extended >= kWindow) {
      ++stale_;
      return;
    }
    if (IsMarked(extended)) {
      ++duplicates_;
      return;
    }
    Mark(extended);
    ++unique_;
    ++reordered_;
    lowest_ = extended < lowest_ ? extended : lowest_;
  }

  std::uint64_t received() const { return received_; }
  std::uint64_t unique() const { return unique_; }
  std::uint64_t duplicates() const { return duplicates_; }
  std::uint64_t reordered() const { return reordered_; }
  std::uint64_t stale() const { return stale_; }
  // highest - lowest + 1: how many packets the sender sent in that span.
  std::uint64_t expected() const { return received_ == 0 ? 0 : highest_ - lowest_ + 1; }
  std::uint64_t seq_gaps() const { return expected() - unique_; }

 private:
  static constexpr std::size_t kWords = kWindow / 64;

  void Mark(std::uint64_t extended) { bits_[(extended / 64) % kWords] |= std::uint64_t{1} << (extended % 64); }
  bool IsMarked(std::uint64_t extended) const { return (bits_[(extended / 64) % kWords] >> (extended % 64)) & 1; }
  // Forgets the slots of (highest_, new_highest) before they are reused: they
  // still hold sequence numbers from kWindow earlier. Out of line because a
  // jump of more than one only happens after loss.
  void ClearSkipped(std::uint64_t new_highest);

  std::array<std::uint64_t, kWords> bits_{};  // bit (s % kWindow) set: s received
  std::uint64_t highest_ = 0;                 // extended
  std::uint64_t lowest_ = 0;                  // extended
  std::uint64_t received_ = 0;
  std::uint64_t unique_ = 0;
  std::uint64_t duplicates_ = 0;
  std::uint64_t reordered_ = 0;
  std::uint64_t stale_ = 0;
};

}  // namespace rxbench::metrics
