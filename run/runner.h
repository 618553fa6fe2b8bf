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

#include "pipeline/receive_side.h"
#include "results/run_result.h"
#include "spec/run_spec.h"

namespace rxbench::harness {

// Never throws; a failed run has ok=false and a one-line error.
// `spec.receive` binds on its socket's address (port 0: any free one) and the
// generator sends there. `progress`: a progress line on stderr for a person.
// `hooks`: what a test attaches to the receive side.
RunResult RunOnce(const spec::RunSpec& spec, bool progress = false, ReceiveSideHooks receive_hooks = {});

}  // namespace rxbench::harness
