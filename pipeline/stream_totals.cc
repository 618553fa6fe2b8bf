#include "pipeline/stream_totals.h"

#include <algorithm>

namespace rxbench::harness {

void AddSinkResult(const SinkResult& from, SinkResult* into) {
  into->delivered += from.delivered;
  into->malformed += from.malformed;
  into->payload_mismatches += from.payload_mismatches;
  into->unstamped += from.unstamped;
  into->recorded += from.recorded;
  into->latency.Merge(from.latency);
  into->pipeline.Merge(from.pipeline);
  into->jitter_ns.Merge(from.jitter_ns);
  into->jitter_d_abs_ns.Merge(from.jitter_d_abs_ns);
  into->measure_cost += from.measure_cost;
}

void AddPipelineCounts(const PipelineCounts& from, PipelineCounts* into) {
  into->source_out += from.source_out;
  into->source_level += from.source_level;
  into->jitterbuffer_late += from.jitterbuffer_late;
  into->jitterbuffer_duplicates += from.jitterbuffer_duplicates;
  for (const ElementFlow& flow : from.downstream) {
    auto same = std::find_if(into->downstream.begin(), into->downstream.end(),
                             [&](const ElementFlow& f) { return f.name == flow.name; });
    if (same == into->downstream.end()) {
      into->downstream.push_back(flow);
      continue;
    }
    same->in += flow.in;
    same->out += flow.out;
    same->level += flow.level;
  }
}

void AddReceiverResult(const receivers::ReceiverResult& from, receivers::ReceiverResult* into) {
  into->stats += from.stats;
  into->buffers.allocations += from.buffers.allocations;
  into->buffers.warmup_allocations += from.buffers.warmup_allocations;
  into->buffers.exhausted += from.buffers.exhausted;
  into->buffers.recycled += from.buffers.recycled;
  into->buffers.discarded += from.buffers.discarded;
  for (std::size_t k = 0; k < from.malformed_by_kind.size(); ++k)
    into->malformed_by_kind[k] += from.malformed_by_kind[k];
  into->network_latency.Merge(from.network_latency);
  into->processing_latency.Merge(from.processing_latency);
  into->stamp_cost += from.stamp_cost;
  into->phases.receive_call += from.phases.receive_call;
  into->phases.acquire += from.phases.acquire;
  into->phases.validate_stamp += from.phases.validate_stamp;
  into->phases.push += from.phases.push;
  into->socket_drops_seen =
      into->socket_drops_seen < 0 || from.socket_drops_seen < 0 ? -1 : into->socket_drops_seen + from.socket_drops_seen;
  into->left_in_receive_call += from.left_in_receive_call;
  into->kernel_timestamps = into->kernel_timestamps && from.kernel_timestamps;
  for (const auto& [name, count] : from.receive_errors) into->receive_errors[name] += count;
  if (into->error.empty()) into->error = from.error;
}

}  // namespace rxbench::harness
