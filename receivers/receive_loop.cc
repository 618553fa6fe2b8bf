#include "receivers/receive_loop.h"

#include <algorithm>
#include <vector>

#include "metrics/thread_usage.h"
#include "receivers/packet_stamps.h"
#include "receivers/receiver_thread.h"
#include "rtp/datagram_check.h"
#include "rtp/rtp_packet.h"

namespace rxbench::receivers {

// Thread CPU time at the boundaries of one batch's phases, read only on the
// batches phase timing samples (a thread CPU clock read is a system call).
class ReceiveLoop::PhaseClock {
 public:
  PhaseClock(bool enabled, ReceiverResult::Phases* phases) : timed_(enabled && Due(phases)), phases_(phases) {
    if (timed_) last_ = metrics::ThreadCpuNs();
  }
  // The phase that just ended.
  void Lap(metrics::SampledCost ReceiverResult::Phases::*phase) {
    if (!timed_) return;
    const std::uint64_t now = metrics::ThreadCpuNs();
    (phases_->*phase).Sample(now - last_);
    last_ = now;
  }

 private:
  // Every phase counts every batch (so each scales by batches); they are due
  // together.
  static bool Due(ReceiverResult::Phases* p) {
    const bool due = p->acquire.Due();
    p->receive_call.Due();
    p->validate_stamp.Due();
    p->push.Due();
    return due;
  }

  const bool timed_;
  ReceiverResult::Phases* const phases_;
  std::uint64_t last_ = 0;
};

namespace {

// Burns `ns` of time on this thread: the injected cost of inject_cost_ns.
void Spin(std::uint64_t ns) {
  const std::uint64_t until = metrics::MonotonicNs() + ns;
  while (metrics::MonotonicNs() < until) {
  }
}

}  // namespace

ReceiveLoop::ReceiveLoop(const ReceiverConfig& config)
    : ThreadedReceiver(config, config.strategy.sync),
      push_(MakePushPolicy(config.strategy.push)),
      stream_(config.stream_lock) {}

bool ReceiveLoop::Start(std::string* error) {
  if (std::string problem = CheckPolicies(config_.strategy); !problem.empty()) {
    *error = problem;
    return false;
  }
  ReceiveCallConfig call_config;
  call_config.fd = config_.fd;
  call_config.batch = config_.strategy.recv == RecvKind::kRecvfrom ? 1 : config_.batch;
  call_config.buffer_size = config_.buffer_size;
  call_config.ring_buffers = config_.pool_size;
  call_ = MakeReceiveCall(config_.strategy.recv, call_config, error);
  if (!call_) return false;
  config_.batch = call_config.batch;
  source_ = call_->provided_buffers();
  if (source_ == nullptr) {
    owned_source_ = pools::MakeBufferSource({config_.strategy.buffer, config_.buffer_size, config_.pool_size});
    source_ = owned_source_.get();
  }
  Launch();
  return true;
}

void ReceiveLoop::Run() {
  SetUpReceiverThread("rxrecv", config_);

  const bool stamp = config_.stamp_buffers;
  const int batch = config_.batch;
  std::vector<pools::PacketSlot> slots(batch);
  std::vector<GstBuffer*> ready(batch);
  std::vector<Observed> observed(stamp ? batch : 0);
  using Phases = ReceiverResult::Phases;

  int filled = 0;  // slots[0..filled) are acquired from the source
  bool stop = false;
  while (!stop) {
    PhaseClock clock(config_.phase_timing, &result_.phases);
    while (filled < batch && source_->TryAcquire(&slots[filled])) ++filled;
    if (filled == 0) {
      // Every buffer is in the pipeline: datagrams wait in the socket.
      source_->WaitForReturn(kIdleWaitMs);
      stop = sync_->PublishAndCheckStop(ReceiverStats{});
      continue;
    }
    clock.Lap(&Phases::acquire);
    ReceiverStats call_stats;
    const int n = call_->Receive(slots.data(), filled, &call_stats);
    clock.Lap(&Phases::receive_call);

    // Per packet: validate, finish. Rejected buffers go straight back.
    int n_ready = 0;
    std::uint64_t rejected_truncated = 0, rejected_malformed = 0, bytes = 0;
    for (int i = 0; i < n; ++i) {
      pools::PacketSlot& slot = slots[i];
      bytes += slot.length;
      rtp::Header header;
      std::size_t payload_offset = 0;
      bool ok = !slot.truncated;
      if (!ok) {
        ++rejected_truncated;
      } else if (const rtp::Malformed kind = rtp::Classify(slot.data, slot.length, &stream_, &header, &payload_offset);
                 kind != rtp::Malformed::kNone) {
        ok = false;
        ++rejected_malformed;
        ++result_.malformed_by_kind[static_cast<std::size_t>(kind)];
      }
      if (!ok) {
        source_->Release(&slot);
        continue;
      }
      // The packet's bytes are in this core's cache now, and no later.
      if (stamp) observed[n_ready] = Observe(slot, header, payload_offset);
      ready[n_ready++] = source_->Finish(&slot);
    }
    // The slots not received into stay acquired, in front.
    std::rotate(slots.begin(), slots.begin() + n, slots.begin() + filled);
    filled -= n;
    if (stamp && n_ready > 0) StampBatch(observed.data(), ready.data(), n_ready);
    if (config_.inject_cost_ns > 0 && n_ready > 0) Spin(config_.inject_cost_ns * static_cast<std::uint64_t>(n_ready));
    clock.Lap(&Phases::validate_stamp);
    const int refused = push_->Push(config_.appsrc, ready.data(), n_ready);
    clock.Lap(&Phases::push);

    // Publish: once per packet (the mutex policy's cost is per packet, as in the
    // original receiver), carrying the call's own counts on the last one.
    ReceiverStats delta;
    delta.packets = 1;
    for (int i = 0; i + 1 < n; ++i) stop |= sync_->PublishAndCheckStop(delta);
    ReceiverStats last = call_stats;
    last.packets = n > 0 ? 1 : 0;
    last.bytes = bytes;
    last.truncated = rejected_truncated;
    last.malformed = rejected_malformed;
    last.pushed = static_cast<std::uint64_t>(n_ready - refused);
    last.push_errors = static_cast<std::uint64_t>(refused);
    stop |= sync_->PublishAndCheckStop(last);
  }

  // Acquired, unused buffers go back before the source is destroyed.
  for (int i = 0; i < filled; ++i) source_->Release(&slots[i]);
  FinishResult();
  result_.buffers = source_->stats();
}

ReceiveLoop::Observed ReceiveLoop::Observe(const pools::PacketSlot& slot, const rtp::Header& header,
                                           std::size_t payload_offset) {
  Observed o;
  o.kernel_rx_ns = slot.kernel_rx_ns;
  o.stamp.sequence = header.sequence;
  o.stamp.rtp_timestamp = header.timestamp;
  if (slot.length >= payload_offset + rtp::kProbeBytes) {
    o.stamp.send_ns = rtp::ReadProbe(slot.data + payload_offset).send_ns;
  }
  return o;
}

// The push time is read once per batch, right before the push. Without a
// kernel timestamp the receive time is known only as the push time (a clock
// read after the call would say little more), so receive -> push is measured
// only for calls that read kernel timestamps.
void ReceiveLoop::StampBatch(const Observed* observed, GstBuffer* const* ready, int n) {
  const std::uint64_t push_ns = metrics::MonotonicNs();
  const bool timed = result_.stamp_cost.Due();
  // Stamps always (the sink tracks sequence numbers from them over the whole
  // run); latencies only inside the measurement window.
  const bool in_window = config_.window == nullptr || config_.window->is_open();
  for (int i = 0; i < n; ++i) {
    const Observed& o = observed[i];
    const std::uint64_t rx_ns = o.kernel_rx_ns != 0 ? o.kernel_rx_ns : push_ns;
    if (in_window && o.kernel_rx_ns != 0) result_.processing_latency.Record(push_ns > rx_ns ? push_ns - rx_ns : 0);
    if (o.stamp.send_ns == 0) {
      ClearStamp(ready[i]);
      continue;
    }
    if (in_window && o.stamp.send_ns <= rx_ns) result_.network_latency.Record(rx_ns - o.stamp.send_ns);
    PacketStamp stamp = o.stamp;
    stamp.push_ns = push_ns;
    StampBuffer(ready[i], stamp, config_.stamp_epoch_ns);
  }
  if (timed) result_.stamp_cost.Sample(metrics::MonotonicNs() - push_ns);
}

}  // namespace rxbench::receivers
