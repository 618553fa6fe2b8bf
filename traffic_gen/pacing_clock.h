// The generator's sense of time: what time it is, and a sleep until a deadline.
//
// The sender paces against absolute deadlines, so everything it promises
// (never early, no drift after a late wake-up, a warm-up pause that does not
// shift the measured stream, no sleep longer than its stop poll) is a
// statement about the times it reads and the sleeps it asks for. Behind this
// interface a test gives it a clock that moves only when the sender sleeps,
// and checks those statements exactly, on any machine at any load, instead
// of timing a real sender and hoping the machine was quiet.
//
// Production uses MonotonicPacingClock(): CLOCK_MONOTONIC, the clock every
// packet's send stamp is read from and the receiver subtracts from its own.
// The one virtual call per read costs nanoseconds against a send syscall's
// microseconds.
#pragma once

#include <cstdint>

namespace rxbench::traffic_gen {

class PacingClock {
 public:
  virtual ~PacingClock() = default;
  // Nanoseconds on a monotonic clock.
  virtual std::int64_t NowNs() = 0;
  // Returns at or after `deadline_ns`, or earlier (a signal); the caller
  // reads NowNs() again either way.
  virtual void SleepUntil(std::int64_t deadline_ns) = 0;
};

// CLOCK_MONOTONIC with clock_nanosleep(TIMER_ABSTIME); shared, stateless.
PacingClock& MonotonicPacingClock();

}  // namespace rxbench::traffic_gen
