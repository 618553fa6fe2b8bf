#include "metrics/sequence_tracker.h"

#include <algorithm>

namespace rxbench::metrics {

void SequenceTracker::ClearSkipped(std::uint64_t new_highest) {
  // A jump is < kWindow (the 16-bit delta is at most 32767), so the range
  // never laps the ring; clear it a word at a time.
  std::uint64_t position = highest_ + 1;
  while (position < new_highest) {
    const unsigned bit = static_cast<unsigned>(position % 64);
    const std::uint64_t count = std::min<std::uint64_t>(64 - bit, new_highest - position);
    const std::uint64_t mask = count == 64 ? ~std::uint64_t{0} : ((std::uint64_t{1} << count) - 1) << bit;
    bits_[(position / 64) % kWords] &= ~mask;
    position += count;
  }
}

}  // namespace rxbench::metrics
