// A PacingClock for tests: time stands still until the sender sleeps, and a
// sleep jumps straight to its deadline (or, where the test says so, wakes up
// late). What the generator does on it is exact: every stamp equals the time
// it was due, every sleep it asked for is on record, on any machine at any load.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <mutex>
#include <vector>

#include "traffic_gen/pacing_clock.h"

namespace rxbench::tests {

class FakePacingClock final : public traffic_gen::PacingClock {
 public:
  // A sleep the sender asked for: when it fell asleep, until when.
  struct Sleep {
    std::int64_t asleep_at_ns;
    std::int64_t deadline_ns;
  };

  // Far from 0, which the generator's report uses for "none".
  static constexpr std::int64_t kEpochNs = 1'000'000'000'000;

  std::int64_t NowNs() override {
    std::lock_guard<std::mutex> lock(mutex_);
    return now_ns_;
  }

  void SleepUntil(std::int64_t deadline_ns) override {
    std::lock_guard<std::mutex> lock(mutex_);
    const auto late = late_wake_ups_.find(sleeps_.size());
    sleeps_.push_back({now_ns_, deadline_ns});
    now_ns_ = std::max(now_ns_, deadline_ns) + (late != late_wake_ups_.end() ? late->second : 0);
  }

  // Time passing while the sender does something other than sleep (a hook).
  void Advance(std::int64_t ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    now_ns_ += ns;
  }

  // The sleep with this number (0 = the first) wakes up `late_ns` after its deadline.
  void WakeLate(std::size_t sleep_number, std::int64_t late_ns) {
    std::lock_guard<std::mutex> lock(mutex_);
    late_wake_ups_[sleep_number] = late_ns;
  }

  std::vector<Sleep> sleeps() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return sleeps_;
  }

 private:
  mutable std::mutex mutex_;
  std::int64_t now_ns_ = kEpochNs;
  std::vector<Sleep> sleeps_;
  std::map<std::size_t, std::int64_t> late_wake_ups_;
};

}  // namespace rxbench::tests
