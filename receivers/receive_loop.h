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
// Two harness options act inside it: inject_cost_ns spins that long per pushed
// packet (a known regression, to check a CI gate), and phase_timing times the
// phases of one batch in 64 (a profile where perf cannot be used).
#pragma once

#include "receivers/packet_stamps.h"
#include "receivers/push_policy.h"
#include "receivers/threaded_receiver.h"
#include "rtp/datagram_check.h"
#include "rtp/rtp_packet.h"

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
    PacketStamp stamp;               // push_ns set at the push; send_ns 0: no rxbench probe
  };
  static Observed Observe(const pools::PacketSlot& slot, const rtp::Header& header, std::size_t payload_offset);
  void StampBatch(const Observed* observed, GstBuffer* const* ready, int n);

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
};

}  // namespace rxbench::receivers
