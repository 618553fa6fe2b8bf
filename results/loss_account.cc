#include "results/loss_account.h"

namespace rxbench::harness {

LossAccount AccountForPackets(const LossInputs& in) {
  LossAccount a;
  a.kernel_drops = in.kernel_drops;
  a.kernel_drop_datagrams = in.kernel_drops;
  if (in.delivery == DeliveryPoint::kReceiver) {
    a.received = in.received;
    a.truncated = in.truncated;
    a.malformed = in.malformed;
    a.delivered = in.received - in.truncated - in.malformed;
    a.in_flight_at_stop = in.left_in_socket + in.left_in_receive_call;
  } else {
    const bool udpsrc = in.delivery == DeliveryPoint::kUdpsrcSink;
    // udpsrc has no counter of its own: what left it is what it received.
    a.received = udpsrc ? in.pipeline.source_out : in.received;
    a.delivered = in.sink_delivered;
    a.malformed = in.malformed;
    a.truncated = in.truncated;
    // appsrc drops the oldest buffers when its queue is full (leaky): what was
    // pushed and neither left it nor is still queued was dropped there.
    const std::uint64_t pushed = udpsrc ? in.pipeline.source_out : in.pushed;
    const std::uint64_t passed = in.pipeline.source_out + in.pipeline.source_level;
    const std::uint64_t source_drops = pushed > passed ? pushed - passed : 0;
    a.pipeline_drops_by_element[udpsrc ? "udpsrc" : "appsrc"] = source_drops;
    a.pipeline_drops = source_drops + in.push_errors;
    a.in_flight_at_stop = in.left_in_socket + in.left_in_receive_call + in.pipeline.source_level;
    for (const ElementFlow& flow : in.pipeline.downstream) {
      a.pipeline_drops += flow.dropped();
      a.in_flight_at_stop += flow.level;
      if (flow.dropped() > 0) a.pipeline_drops_by_element[flow.name] = flow.dropped();
    }
  }
  const std::uint64_t others = a.delivered + a.malformed + a.truncated + a.pipeline_drops + a.in_flight_at_stop;
  if (in.packets_per_kernel_drop > 1) {
    const std::uint64_t left_over = in.sent > others ? in.sent - others : 0;
    const std::uint64_t most = in.kernel_drops * in.packets_per_kernel_drop;
    a.kernel_drops = left_over < in.kernel_drops ? in.kernel_drops : left_over > most ? most : left_over;
  }
  const std::uint64_t explained = others + a.kernel_drops;
  a.unexplained = static_cast<std::int64_t>(in.sent) - static_cast<std::int64_t>(explained);
  return a;
}

}  // namespace rxbench::harness
