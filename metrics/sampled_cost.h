// What a small code section costs where it runs, without paying for a second
// clock read every time it runs: one occurrence in kPeriod is timed and the
// total is scaled up from the timed ones.
//
// The harness uses it on its own per-packet bookkeeping (the sink's latency
// and sequence work, the receiver's stamps), so every run reports what
// measuring cost it. The caller times from the clock read its bookkeeping needs
// anyway to a second read taken only when Due() said so; the interval thus
// holds about one clock read besides the section, which is what the section
// really costs (it needs that read).
//
// A timed occurrence that took longer than kInterruptedNs was interrupted
// (preemption, an interrupt, a page fault): it says nothing about the section
// and would multiply into a large error, so it is counted, not added.
#pragma once

#include <cstdint>

namespace rxbench::metrics {

class SampledCost {
 public:
  static constexpr std::uint64_t kPeriod = 64;
  static constexpr std::uint64_t kInterruptedNs = 50'000;

  // Counts one occurrence; true when this one is to be timed and passed to
  // Sample(). Occurrences are counted per call, so a section run once per batch
  // is scaled by batches, not packets.
  bool Due() { return ++occurrences_ % kPeriod == 0; }

  void Sample(std::uint64_t elapsed_ns) {
    if (elapsed_ns > kInterruptedNs) {
      ++interrupted_;
      return;
    }
    sampled_ns_ += elapsed_ns;
    ++samples_;
  }

  // Estimated ns spent in the section over all occurrences; 0 before a sample.
  double TotalNs() const {
    if (samples_ == 0) return 0;
    return static_cast<double>(sampled_ns_) / static_cast<double>(samples_) * static_cast<double>(occurrences_);
  }

  std::uint64_t occurrences() const { return occurrences_; }
  std::uint64_t samples() const { return samples_; }
  std::uint64_t interrupted() const { return interrupted_; }

  // Another thread's count of the same section (many streams or receivers):
  // together they estimate the section's whole time.
  SampledCost& operator+=(const SampledCost& other) {
    occurrences_ += other.occurrences_;
    samples_ += other.samples_;
    sampled_ns_ += other.sampled_ns_;
    interrupted_ += other.interrupted_;
    return *this;
  }

 private:
  std::uint64_t occurrences_ = 0;
  std::uint64_t samples_ = 0;
  std::uint64_t sampled_ns_ = 0;
  std::uint64_t interrupted_ = 0;
};

}  // namespace rxbench::metrics
