// Runs one scenario against one strategy in one process: the receive side
// (receive_side.h) and the generator on loopback, a warm-up, a measurement
// window, a drain, and the figures (run_summary.h). One call = one repetition.
#pragma once

#include <string>
#include <vector>

#include "harness/receive_side.h"
#include "harness/run_result.h"
#include "receivers/strategy.h"
#include "traffic_gen/traffic_spec.h"

namespace rxbench::harness {

enum class Measure { kFull, kMinimal };

// One run in one process: the receive side's configuration as `recv` has it,
// and the traffic as `gen` sends it, plus what only the glue of the two needs.
struct RunConfig {
  receivers::StrategySpec strategy;  // copied into receive.strategy by the runner
  std::string scenario = "custom";
  traffic_gen::TrafficSpec traffic;  // destination is filled in by the runner
  ReceiveSideConfig receive;         // bind address: loopback, any free port
  int cpu_generator = -1;
  double drain_timeout_s = 2.0;
  bool progress = false;             // progress line on stderr
};

// Never throws; a failed run has ok=false and a one-line error.
RunResult RunOnce(const RunConfig& config);

}  // namespace rxbench::harness
