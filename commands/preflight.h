// What the machine must offer a run, checked before any traffic is sent, so
// that a configuration this host cannot serve is a usage error (exit 2, one
// line) rather than a run that fails part-way: the receive port free, and
// io_uring where a strategy receives with it. The command line's own checks
// (names, ranges, the pipeline, output paths) are in command_line.h.
#pragma once

#include <cstdint>
#include <string>

#include "spec/run_spec.h"

namespace rxbench::harness {

// "" when the receive side `spec` describes can start here, else a one-line
// reason. Sets up (and tears down) exactly what the receive side will: a
// socket bound to its port (port 0, any free one, needs no check), and for
// recv=iouring the ring with its provided buffers.
std::string Preflight(const spec::ReceiveSideSpec& spec);

}  // namespace rxbench::harness
