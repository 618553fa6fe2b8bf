// The exact loss account of one run, as pure arithmetic over what each stage
// counted, so it is tested on hand-made numbers:
//
//   packets_sent = delivered + kernel_drops + malformed + truncated
//                + pipeline_drops + in_flight_at_stop + unexplained
//
// `unexplained` is not a stage: it is whatever the stages' counts fail to
// explain, and a correct harness keeps it at 0.
//
// One stage is counted in datagrams, not packets, when the receiving socket
// has UDP_GRO on and the sender uses GSO: the kernel then drops a coalesced
// datagram of up to packets_per_kernel_drop packets as one. Its packets are
// the one figure not counted: kernel_drops is then what the other stages
// leave over, accepted only within what the datagram count allows,
// [datagrams, datagrams * packets_per_kernel_drop]; anything outside is
// unexplained. With no drop the account stays exact.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "pipeline/pipeline_counts.h"

namespace rxbench::harness {

enum class DeliveryPoint {
  kSink,        // a pipeline behind appsrc: delivery is counted at the sink
  kUdpsrcSink,  // GStreamer's udpsrc reads the socket itself; no receiver counts
  kReceiver,    // the null receiver: no pipeline, taking a datagram off is delivery
};

struct LossInputs {
  DeliveryPoint delivery = DeliveryPoint::kSink;
  std::uint64_t sent = 0;
  std::uint64_t kernel_drops = 0;  // the socket's drop counter
  // > 1: kernel_drops counts datagrams of up to this many packets (see above).
  std::uint32_t packets_per_kernel_drop = 1;
  std::uint64_t left_in_socket = 0;  // drained after the receiver stopped
  // Off the socket, never handed to the receiver (io_uring's unreaped
  // completions when it stopped).
  std::uint64_t left_in_receive_call = 0;
  // The receiver's own counts (none for udpsrc).
  std::uint64_t received = 0, pushed = 0, push_errors = 0, malformed = 0, truncated = 0;
  std::uint64_t sink_delivered = 0;
  PipelineCounts pipeline;
};

struct LossAccount {
  std::uint64_t received = 0;  // taken off the socket
  std::uint64_t delivered = 0;
  std::uint64_t kernel_drops = 0;           // packets
  std::uint64_t kernel_drop_datagrams = 0;  // the socket's own count (= kernel_drops unless coalesced)
  std::uint64_t malformed = 0;
  std::uint64_t truncated = 0;
  std::uint64_t pipeline_drops = 0;
  std::map<std::string, std::uint64_t> pipeline_drops_by_element;  // the source's entry always present
  std::uint64_t in_flight_at_stop = 0;
  std::int64_t unexplained = 0;
};

LossAccount AccountForPackets(const LossInputs& in);

}  // namespace rxbench::harness
