#include "results/floor_comparability.h"

#include <cstdio>

namespace rxbench::harness {
namespace {

bool Exceeds(double floor, double strategy) {
  return floor > strategy * kFloorToleranceRatio && floor - strategy > kFloorTolerancePerPacket;
}

// Two significant digits below 0.1, two decimals above: as the reports print it.
std::string PerPacket(double value) {
  char text[32];
  std::snprintf(text, sizeof text, value < 0.1 ? "%.2g" : "%.2f", value);
  return text;
}

}  // namespace

std::string FloorMismatch(const std::string& floor_name, const FloorFigures& floor, const std::string& strategy_name,
                          const FloorFigures& strategy, bool lock_step_hint) {
  std::string what;
  if (Exceeds(floor.ctx_switches, strategy.ctx_switches)) {
    what = "woke " + PerPacket(floor.ctx_switches) + " times per packet against " + strategy_name + "'s " +
           PerPacket(strategy.ctx_switches);
  } else if (floor.syscalls && strategy.syscalls && Exceeds(*floor.syscalls, *strategy.syscalls)) {
    what = "made " + PerPacket(*floor.syscalls) + " syscalls per packet against " + strategy_name + "'s " +
           PerPacket(*strategy.syscalls);
  } else {
    return "";
  }
  std::string text = floor_name + " is not a comparable floor here: it " + what;
  if (lock_step_hint) {
    text += "; run with --lock-step " + std::to_string(kSuggestedLockStep) + " for a comparable floor";
  }
  return text;
}

}  // namespace rxbench::harness
