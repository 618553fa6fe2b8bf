// A run's figures from what its two sides reported: the loss account, the
// CPU attribution, latency and jitter summaries, syscalls, counters and the
// cost of measuring, divided per packet. Pure: plain data in, plain data out,
// so every formula is tested on hand-made reports.
#pragma once

#include <optional>
#include <string>

#include "pipeline/receive_side.h"
#include "results/run_result.h"
#include "traffic_gen/generator.h"

namespace rxbench::harness {

struct RunIdentity {
  std::string strategy;
  std::string policies;
  std::string scenario;
  bool measure = true;             // measure=full
  bool kernel_timestamps = false;  // asked for on the socket
  std::string run_id;              // shared by the two halves of a two-host run
  // Why send -> receive latencies mean nothing for this run ("" when they
  // do): the packets carry no rxbench send stamp, or one on another host's
  // clock (platform/boot_id.h).
  std::string send_times_unavailable;
};

// `sent`: what the generator reported; nullopt when nothing said what was sent
// (any RTP sender): the loss account then leaves the sent count and the
// unexplained packets unknown instead of inventing them.
RunResult SummarizeRun(const RunIdentity& id, const std::optional<traffic_gen::GeneratorReport>& sent,
                       const ReceiveReport& received);

}  // namespace rxbench::harness
