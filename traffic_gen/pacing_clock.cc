#include "traffic_gen/pacing_clock.h"

#include <time.h>

namespace rxbench::traffic_gen {
namespace {

class MonotonicClock final : public PacingClock {
 public:
  std::int64_t NowNs() override {
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return std::int64_t{ts.tv_sec} * 1'000'000'000 + ts.tv_nsec;
  }

  void SleepUntil(std::int64_t deadline_ns) override {
    timespec ts;
    ts.tv_sec = deadline_ns / 1'000'000'000;
    ts.tv_nsec = deadline_ns % 1'000'000'000;
    // EINTR just returns early; the caller re-reads the clock and sleeps again.
    clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, nullptr);
  }
};

}  // namespace

PacingClock& MonotonicPacingClock() {
  static MonotonicClock clock;
  return clock;
}

}  // namespace rxbench::traffic_gen
