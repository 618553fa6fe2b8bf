// What the machine must offer a run, checked before any traffic is sent, so
// that a configuration this host cannot serve is a usage error (exit 2, one
// line) rather than a run that fails part-way: the receive port free, and
// io_uring where a strategy receives with it. The command line's own checks
// (names, ranges, the pipeline, output paths) are in command_line.h.
#pragma once

#include <cstdint>
#include <string>

#include "receivers/strategy.h"

namespace rxbench::harness {

struct PreflightConfig {
  std::string bind_host = "127.0.0.1";
  std::uint16_t port = 0;  // 0: any free port, nothing to check
  int batch = 0;           // 0 = receivers::kDefaultBatch
  std::size_t buffer_size = 4096;
  std::size_t pool_size = 4096;
};

// "" when `strategy` can start here with `config`, else a one-line reason.
// Sets up (and tears down) exactly what the receive side will: a socket bound
// to the port, and for recv=iouring the ring with its provided buffers.
std::string Preflight(const receivers::StrategySpec& strategy, const PreflightConfig& config);

}  // namespace rxbench::harness
