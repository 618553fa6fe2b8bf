// What the running pipeline counted at its pads (pad_flow.h), as plain data:
// the loss account (results/loss_account.h) reads it, and a receive side's
// report carries it, without either depending on GStreamer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rxbench::harness {

// What an element of the pipeline let through, counted at its pads: after a
// drain to end-of-stream, in - out - still queued is what it dropped.
struct ElementFlow {
  std::string name;
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::uint64_t level = 0;  // buffers it still queues (appsrc, queue)
  std::uint64_t dropped() const { return in > out + level ? in - out - level : 0; }
};

struct PipelineCounts {
  std::uint64_t source_out = 0;         // buffers that left the source element
  std::uint64_t source_level = 0;       // still queued in appsrc
  std::vector<ElementFlow> downstream;  // every element between source and sink
  std::uint64_t jitterbuffer_late = 0;  // rtpjitterbuffer's own reasons
  std::uint64_t jitterbuffer_duplicates = 0;
};

}  // namespace rxbench::harness
