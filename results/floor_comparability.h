// Whether the floor (`null`) is a floor for a strategy it is held against in
// the console table's "x null" column. Free-running at the same packet rate,
// the floor drains the socket faster and finds it empty more often: it sleeps,
// wakes and calls the kernel more per packet than the strategy, so its CPU per
// packet holds costs the strategy does not pay and the ratio can read below 1
// for a strategy doing strictly more. Under --lock-step every strategy wakes
// once per round and reads it in the same calls: comparable by construction.
//
// One-sided: waking less than the strategy is what a floor may do (the
// strategy's extra wake-ups, pushing into GStreamer, are its own cost). The
// reports apply the same rule with the same tolerance (reports/results/floor.py).
#pragma once

#include <optional>
#include <string>

namespace rxbench::harness {

inline constexpr double kFloorToleranceRatio = 1.25;      // up to 25 % above the strategy's...
inline constexpr double kFloorTolerancePerPacket = 0.01;  // ...or up to 0.01 per packet above it
inline constexpr int kSuggestedLockStep = 64;             // the exact tier's default round

// Receiver-thread figures per packet (medians of the repetitions).
struct FloorFigures {
  double ctx_switches = 0;         // voluntary + involuntary
  std::optional<double> syscalls;  // unknown: not held against the floor
};

// "" when `floor` is comparable with `strategy`; else the sentence the table
// prints instead of the ratio. `lock_step_hint`: whether --lock-step would make
// it comparable (the run was not lock-step, and the strategy can be).
std::string FloorMismatch(const std::string& floor_name, const FloorFigures& floor, const std::string& strategy_name,
                          const FloorFigures& strategy, bool lock_step_hint);

}  // namespace rxbench::harness
