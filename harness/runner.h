// Runs one scenario against one strategy in one process: the receive side
// (receive_side.h, the half `rxbench recv` runs alone) and the generator
// (traffic_gen/generator.h, the half `rxbench gen` runs alone) on loopback, a
// warm-up, a measurement window, a drain, and the figures (run_summary.h).
// What passes between the halves here in memory is what two processes pass
// over the network: the warm-up gate stands for gen's warm-up-done message
// and pause, and the GeneratorReport for its end message (run_messages.h).
// One call = one repetition.
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
  std::string scenario = "custom";
  traffic_gen::TrafficSpec traffic;  // destination is filled in by the runner
  ReceiveSideConfig receive;         // the strategy is receive.strategy; bound on loopback
  double drain_timeout_s = 2.0;
  bool progress = false;             // progress line on stderr
};

// Never throws; a failed run has ok=false and a one-line error.
RunResult RunOnce(const RunConfig& config);

}  // namespace rxbench::harness
