// Many streams (spec::StreamsSpec): the whole run's figures from those of
// every stream's pipeline and sink and every receiver thread, so that a
// report's totals read the same whatever the stream count. Counts add up and
// histograms merge; what has no meaning across streams (sequence numbers, a
// stream's running RFC 3550 jitter) is left to each stream's own figures.
#pragma once

#include "pipeline/pipeline_counts.h"
#include "pipeline/sink_probe.h"
#include "receivers/receiver.h"

namespace rxbench::harness {

void AddSinkResult(const SinkResult& from, SinkResult* into);
// Elements of the same reported name (pipeline/element_names.h) add up.
void AddPipelineCounts(const PipelineCounts& from, PipelineCounts* into);
void AddReceiverResult(const receivers::ReceiverResult& from, receivers::ReceiverResult* into);

}  // namespace rxbench::harness
