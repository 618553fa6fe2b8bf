// The one receive loop. Every strategy preset runs this code; only the four
// policies it is built from differ:
//
//   acquire buffers (buffer source) -> receive (receive call) -> validate, stamp
//   -> finish buffers -> push (push policy) -> publish stats, check stop (sync)
//
// For `baseline` (alloc, mutex, recvfrom, single) this is, per datagram, exactly
// the original receiver: allocate+map a 4 KiB buffer, recvfrom into it, resize,
// push, lock the mutex to update stats and read the stop flag.
//
// Many streams (spec::StreamsSpec): the thread may read several sockets
// (multi_socket_call.h waits on them together) and serve several streams'
// pipelines: each datagram goes, by its SSRC, to its stream's appsrc, a
// batch's buffers of one stream in one push policy call, in the order read.
// Nothing else differs: the policies are the strategy's.
//
// recv=gro: a datagram read may be many of the sender's, coalesced by the
// kernel; each segment is classified, stamped, counted and pushed as a packet
// of its own, in a recycled buffer viewing the received one
// (pools/segment_views.h).
//
// Three harness options act inside it: inject_cost_ns spins that long per pushed
// packet (a known regression, to check a CI gate), inject_instructions runs a
// fixed loop that many times per pushed packet (the same, counted in
// instructions for the exact tier), and phase_timing times the
// phases of one batch in 64 (a profile where perf cannot be used).
#pragma once

#include <vector>

#include "pools/segment_views.h"
#include "receivers/push_policy.h"
#include "receivers/threaded_receiver.h"
#include "rtp/datagram_check.h"
#include "rtp/rtp_packet.h"
#include "stamps/packet_stamps.h"

namespace rxbench::receivers {

class ReceiveLoop final : public ThreadedReceiver {
 public:
  explicit ReceiveLoop(const ReceiverConfig& config);
  ~ReceiveLoop() override { Stop(); }

  bool Start(std::string* error) override;

 private:
  void Run() override;

  // Per-packet measurement (stamp_buffers): what a packet says of itself, read
  // while its bytes are in this core's cache, and the stamps written from it
  // right before the push (packet_stamps.h).
  struct Observed {
    std::uint64_t kernel_rx_ns = 0;  // 0: the call gave no kernel timestamp
    stamps::PacketStamp stamp;       // push_ns set at the push; send_ns 0: no rxbench probe
  };
  static Observed Observe(const std::uint8_t* data, std::size_t length, std::uint64_t kernel_rx_ns,
                          const rtp::Header& header, std::size_t payload_offset);
  void StampBatch(const Observed* observed, GstBuffer* const* ready, int n);

  // What one batch's datagrams came to, per packet of the sender.
  struct BatchCounts {
    std::uint64_t bytes = 0, truncated = 0, malformed = 0;
  };
  // Classifies one packet; counts it malformed (false), or observes it
  // (stamp_buffers) into observed_ and, with routes, notes its route in
  // accepted_route_ (true).
  bool Accept(const std::uint8_t* data, std::size_t length, std::uint64_t kernel_rx_ns, BatchCounts* counts);
  // recv=gro: a slot holding several segments; appends one buffer per valid
  // segment to ready_, or releases the slot when none is valid.
  void SplitSegments(pools::PacketSlot* slot, BatchCounts* counts);

  // Many streams: the route of `ssrc` (an index into config_.routes), or -1.
  int RouteOf(std::uint32_t ssrc) const;
  // Pushes ready_[0..n) each to its route's appsrc, a stream's buffers in
  // the order received, one push policy call per stream of the batch;
  // returns how many were refused.
  int PushRouted(int n);

  // What one batch cost, phase by phase (phase_timing): its thread CPU time
  // read between the phases of one batch in SampledCost::kPeriod.
  class PhaseClock;

  // The source the loop acquires from: its own, or the one the receive call
  // brings (io_uring's ring).
  std::unique_ptr<pools::BufferSource> owned_source_;
  pools::BufferSource* source_ = nullptr;
  std::unique_ptr<PushPolicy> push_;
  // The stream every datagram must belong to: given, or locked on the first valid one.
  rtp::StreamLock stream_;
  const int batch_;  // datagrams per receive call
  // One batch's packets to push and what they said of themselves, in step;
  // receiver thread only, reused so the loop does not allocate.
  std::vector<GstBuffer*> ready_;
  std::vector<Observed> observed_;
  struct Segment {
    std::uint8_t* data;
    std::size_t length;
  };
  std::vector<Segment> valid_segments_;  // SplitSegments' scratch
  // Many streams: config_.routes sorted by SSRC, and in step with ready_
  // each buffer's route; PushRouted's scratch.
  std::vector<ReceiverConfig::Route> routes_;
  std::vector<int> routes_index_;  // routes_[i] is config_.routes[routes_index_[i]]
  int accepted_route_ = -1;
  std::vector<int> ready_route_;
  std::vector<int> segment_route_;
  std::vector<char> pushed_;
  std::vector<GstBuffer*> group_;
  pools::SegmentViews segment_views_;  // recv=gro: the buffers segments are pushed in
};

}  // namespace rxbench::receivers
