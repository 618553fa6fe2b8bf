// Buffers counted at every element's pads, so that the pipeline's drops are
// counted where they happen rather than inferred.
//
// A probe on every src pad counts what the element pushed; what an element
// received is what its upstream peers' src pads pushed into it. After a
// drain to end-of-stream, in - out - still queued is exactly what the element
// dropped (results/loss_account.h). Only static src pads are counted: the default
// pipeline and linear custom ones have no others; pads added later (demuxers)
// are not, and their drops show up as unexplained rather than being hidden.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <memory>
#include <vector>

#include "pipeline/pipeline_counts.h"

namespace rxbench::harness {

class PadFlow {
 public:
  // Probes every src pad of every element of `pipeline` (recursively).
  explicit PadFlow(GstElement* pipeline);
  ~PadFlow();
  PadFlow(const PadFlow&) = delete;
  PadFlow& operator=(const PadFlow&) = delete;

  // Counts so far, per element; final after a drain to end-of-stream.
  // `sink`: where packets end (the sink, or a depayloader): it and every
  // element past it are left out.
  PipelineCounts Count(GstElement* pipeline, GstElement* source, GstElement* sink) const;

 private:
  struct PadCounter {
    GstPad* pad = nullptr;  // a src pad (owned reference)
    gulong probe = 0;
    std::atomic<std::uint64_t> buffers{0};  // written only by the pad's streaming thread
  };
  static GstPadProbeReturn CountBuffers(GstPad* pad, GstPadProbeInfo* info, gpointer counter);
  std::uint64_t CountedOut(GstPad* src_pad) const;

  std::vector<std::unique_ptr<PadCounter>> counters_;
};

}  // namespace rxbench::harness
