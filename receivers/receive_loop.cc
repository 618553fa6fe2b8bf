#include "receivers/receive_loop.h"

#include <algorithm>
#include <vector>

#include "metrics/thread_usage.h"
#include "receivers/gro_call.h"
#include "receivers/multi_socket_call.h"
#include "receivers/read_gate.h"
#include "receivers/receiver_thread.h"
#include "rtp/datagram_check.h"
#include "rtp/probe_extension.h"
#include "rtp/rtp_packet.h"
#include "stamps/packet_stamps.h"

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

// A pool's buffers are allocated at start but their pages are not touched
// until data lands in them, and a pool reused first-in first-out goes through
// every buffer before it reuses one. With 64 KiB buffers (recv=gro) a run of
// fewer coalesced datagrams than pool_size would fault in fresh pages on
// every receive: measured at 40 % of the receiver thread's time (README, "UDP
// GSO and GRO"). Writing one byte per page of every buffer once, before the
// run, is what "warmed at start" means for them. `alloc` keeps no pool. The
// buffers go back unused, so the source counts each as recycled once.
void TouchPooledMemory(pools::BufferSource* source, std::size_t pool_size) {
  constexpr std::size_t kPage = 4096;
  std::vector<pools::PacketSlot> slots(pool_size);
  std::size_t acquired = 0;
  while (acquired < pool_size && source->TryAcquire(&slots[acquired])) {
    pools::PacketSlot& slot = slots[acquired++];
    for (std::size_t offset = 0; offset < slot.capacity; offset += kPage) slot.data[offset] = 0;
  }
  for (std::size_t i = 0; i < acquired; ++i) source->Release(&slots[i]);
}

// Runs `iterations` rounds of a loop the compiler must keep: the injected
// work of inject_instructions, the same instructions on every machine.
void Burn(std::uint64_t iterations) {
  for (std::uint64_t i = 0; i < iterations; ++i) asm volatile("" : : "r"(i) : "memory");
}

}  // namespace

ReceiveLoop::ReceiveLoop(const ReceiverConfig& config)
    : ThreadedReceiver(config, config.spec->strategy.sync),
      push_(MakePushPolicy(config.spec->strategy.push)),
      stream_(rtp::StreamLock::Given(config.spec->expected_ssrc, config.spec->expected_payload_type)),
      // recvfrom takes one datagram per call, whatever the batch.
      batch_(config.spec->strategy.recv == RecvKind::kRecvfrom ? 1 : config.spec->batch) {
  for (std::size_t i = 0; i < config.routes.size(); ++i) routes_index_.push_back(static_cast<int>(i));
  std::sort(routes_index_.begin(), routes_index_.end(),
            [&](int a, int b) { return config.routes[a].ssrc < config.routes[b].ssrc; });
  for (int i : routes_index_) routes_.push_back(config.routes[i]);
  result_.routed.assign(routes_.size(), 0);
  // Many streams: the routes say which SSRCs belong, not the first packet.
  if (!routes_.empty()) stream_.ssrc_locked = stream_.locks_ssrc = false;
}

int ReceiveLoop::RouteOf(std::uint32_t ssrc) const {
  auto it = std::lower_bound(routes_.begin(), routes_.end(), ssrc,
                             [](const ReceiverConfig::Route& r, std::uint32_t s) { return r.ssrc < s; });
  return it != routes_.end() && it->ssrc == ssrc ? static_cast<int>(it - routes_.begin()) : -1;
}

int ReceiveLoop::PushRouted(int n) {
  int refused = 0;
  pushed_.assign(n, 0);
  for (int i = 0; i < n; ++i) {
    if (pushed_[i]) continue;
    const int route = ready_route_[i];
    group_.clear();
    for (int j = i; j < n; ++j) {
      if (!pushed_[j] && ready_route_[j] == route) {
        group_.push_back(ready_[j]);
        pushed_[j] = 1;
      }
    }
    refused += push_->Push(routes_[route].appsrc, group_.data(), static_cast<int>(group_.size()));
  }
  return refused;
}

bool ReceiveLoop::Start(std::string* error) {
  if (std::string problem = CheckPolicies(config_.spec->strategy); !problem.empty()) {
    *error = problem;
    return false;
  }
  std::vector<int> fds{config_.fd};
  fds.insert(fds.end(), config_.more_fds.begin(), config_.more_fds.end());
  call_ = MakeSocketsCall(config_.spec->strategy.recv, fds, batch_, *config_.spec, error);
  if (!call_) return false;
  source_ = call_->provided_buffers();
  if (source_ == nullptr) {
    // recv=gro receives many datagrams into one buffer (gro_call.h).
    std::size_t size = config_.spec->buffer_size;
    if (config_.spec->strategy.recv == RecvKind::kGro) {
      size = config_.gro_buffer_size != 0 ? config_.gro_buffer_size : GroBufferBytes(config_.spec->buffer_size);
    }
    owned_source_ = pools::MakeBufferSource(config_.spec->strategy.buffer, size, config_.spec->pool_size);
    if (config_.spec->strategy.recv == RecvKind::kGro && config_.spec->strategy.buffer != pools::BufferKind::kAlloc) {
      TouchPooledMemory(owned_source_.get(), config_.spec->pool_size);
    }
    source_ = owned_source_.get();
  }
  return Launch(error);
}

void ReceiveLoop::Run() {
  SetUpReceiverThread("rxrecv", config_);

  const bool stamp = config_.stamp_buffers;
  const int batch = batch_;
  ReadGate* const gate = config_.read_gate;
  std::vector<pools::PacketSlot> slots(batch);
  // Per slot: how many of the sender's datagrams it held (1 unless coalesced).
  std::vector<std::uint32_t> slot_packets(batch);
  // One entry per packet to push: a coalesced datagram gives one per segment,
  // so these grow past `batch`; reserved once for the usual case.
  const std::size_t expected =
      static_cast<std::size_t>(batch) * (config_.spec->strategy.recv == RecvKind::kGro ? 64 : 1);
  ready_.reserve(expected);
  observed_.reserve(stamp ? expected : 0);
  const bool routed = !routes_.empty();
  if (routed) {
    ready_route_.reserve(expected);
    group_.reserve(expected);
    pushed_.reserve(expected);
  }
  using Phases = ReceiverResult::Phases;

  int filled = 0;  // slots[0..filled) are acquired from the source
  bool stop = false;
  while (!stop) {
    PhaseClock clock(config_.spec->phase_timing, &result_.phases);
    while (filled < batch && source_->TryAcquire(&slots[filled])) ++filled;
    if (filled == 0) {
      // Every buffer is in the pipeline: datagrams wait in the socket.
      source_->WaitForReturn(kIdleWaitMs);
      stop = sync_->PublishAndCheckStop(ReceiverStats{});
      continue;
    }
    clock.Lap(&Phases::acquire);
    // Lock-step: only the round the generator has queued (read_gate.h).
    const int asked = gate == nullptr ? filled : gate->Limit(filled);
    if (asked == 0) {
      stop = sync_->PublishAndCheckStop(ReceiverStats{});
      continue;
    }
    ReceiverStats call_stats;
    const int received = call_->Receive(slots.data(), asked, &call_stats);
    // An error ends the loop only when it persists; the rest of the batch's
    // work is then done on nothing, so its counts are published.
    stop |= EndsOnError(received, ToString(config_.spec->strategy.recv));
    const int n = received > 0 ? received : 0;
    clock.Lap(&Phases::receive_call);

    // Per packet: validate, finish. Rejected buffers go straight back.
    ready_.clear();
    observed_.clear();
    ready_route_.clear();
    BatchCounts counts;
    for (int i = 0; i < n; ++i) {
      pools::PacketSlot& slot = slots[i];
      slot_packets[i] = slot.segments;
      counts.bytes += slot.length;
      if (slot.truncated) {
        // Never pushed, whole or in part: every datagram it held is counted.
        counts.truncated += slot.segments;
        source_->Release(&slot);
      } else if (slot.segments == 1) {
        if (Accept(slot.data, slot.length, slot.kernel_rx_ns, &counts)) {
          ready_.push_back(source_->Finish(&slot));
          if (routed) ready_route_.push_back(accepted_route_);
        } else {
          source_->Release(&slot);
        }
      } else {
        SplitSegments(&slot, &counts);
      }
    }
    const int n_ready = static_cast<int>(ready_.size());
    // The slots not received into stay acquired, in front.
    std::rotate(slots.begin(), slots.begin() + n, slots.begin() + filled);
    filled -= n;
    if (stamp && n_ready > 0) StampBatch(observed_.data(), ready_.data(), n_ready);
    if (config_.spec->inject_cost_ns > 0 && n_ready > 0)
      Spin(config_.spec->inject_cost_ns * static_cast<std::uint64_t>(n_ready));
    if (config_.spec->inject_instructions > 0 && n_ready > 0) {
      Burn(config_.spec->inject_instructions * static_cast<std::uint64_t>(n_ready));
    }
    clock.Lap(&Phases::validate_stamp);
    const int refused = routed ? PushRouted(n_ready) : push_->Push(config_.appsrc, ready_.data(), n_ready);
    clock.Lap(&Phases::push);
    if (gate != nullptr) {
      std::uint64_t packets = 0;
      for (int i = 0; i < n; ++i) packets += slot_packets[i];
      gate->Took(asked, packets, counts.truncated + counts.malformed + static_cast<std::uint64_t>(refused));
    }

    // Publish: once per datagram read (the mutex policy's cost is per packet,
    // as in the original receiver), carrying the call's own counts on the
    // last one.
    ReceiverStats delta;
    for (int i = 0; i + 1 < n; ++i) {
      delta.packets = slot_packets[i];
      stop |= sync_->PublishAndCheckStop(delta);
    }
    ReceiverStats last = call_stats;
    last.packets = n > 0 ? slot_packets[n - 1] : 0;
    last.bytes = counts.bytes;
    last.truncated = counts.truncated;
    last.malformed = counts.malformed;
    last.pushed = static_cast<std::uint64_t>(n_ready - refused);
    last.push_errors = static_cast<std::uint64_t>(refused);
    stop |= sync_->PublishAndCheckStop(last);
  }

  result_.left_in_receive_call = call_->StopReceiving();
  // Acquired, unused buffers go back before the source is destroyed.
  for (int i = 0; i < filled; ++i) source_->Release(&slots[i]);
  FinishResult();
  result_.buffers = source_->stats();
  result_.received_per_socket = call_->received_per_socket();
  if (result_.received_per_socket.empty()) result_.received_per_socket = {result_.stats.packets};
  // Counted by sorted route: back into the order the routes were given.
  std::vector<std::uint64_t> routed_given(routes_.size());
  for (std::size_t i = 0; i < routes_.size(); ++i) routed_given[routes_index_[i]] = result_.routed[i];
  result_.routed = std::move(routed_given);
}

bool ReceiveLoop::Accept(const std::uint8_t* data, std::size_t length, std::uint64_t kernel_rx_ns,
                         BatchCounts* counts) {
  rtp::Header header;
  std::size_t payload_offset = 0;
  rtp::Malformed kind = rtp::Classify(data, length, &stream_, &header, &payload_offset);
  if (kind == rtp::Malformed::kNone && !routes_.empty()) {
    accepted_route_ = RouteOf(header.ssrc);
    if (accepted_route_ < 0) kind = rtp::Malformed::kForeignSsrc;
  }
  if (kind != rtp::Malformed::kNone) {
    ++counts->malformed;
    ++result_.malformed_by_kind[static_cast<std::size_t>(kind)];
    return false;
  }
  if (!routes_.empty()) ++result_.routed[accepted_route_];
  // The packet's bytes are in this core's cache now, and no later.
  if (config_.stamp_buffers) observed_.push_back(Observe(data, length, kernel_rx_ns, header, payload_offset));
  return true;
}

// A coalesced datagram: each segment is checked on its own; the valid ones
// become buffers viewing the received one, which goes back to its source when
// the last of them is released (pools/segment_views.h).
void ReceiveLoop::SplitSegments(pools::PacketSlot* slot, BatchCounts* counts) {
  std::uint8_t* const data = slot->data;
  const std::size_t length = slot->length, size = slot->segment_size;
  valid_segments_.clear();
  segment_route_.clear();
  for (std::size_t offset = 0; offset < length; offset += size) {
    const std::size_t segment = std::min(size, length - offset);
    if (Accept(data + offset, segment, slot->kernel_rx_ns, counts)) {
      valid_segments_.push_back({data + offset, segment});
      segment_route_.push_back(accepted_route_);
    }
  }
  if (valid_segments_.empty()) {
    source_->Release(slot);
    return;
  }
  GstBuffer* parent = source_->Finish(slot);
  for (std::size_t i = 0; i < valid_segments_.size(); ++i) {
    ready_.push_back(segment_views_.View(parent, valid_segments_[i].data, valid_segments_[i].length));
    if (!routes_.empty()) ready_route_.push_back(segment_route_[i]);
  }
  gst_buffer_unref(parent);
}

ReceiveLoop::Observed ReceiveLoop::Observe(const std::uint8_t* data, std::size_t length, std::uint64_t kernel_rx_ns,
                                           const rtp::Header& header, std::size_t payload_offset) {
  Observed o;
  o.kernel_rx_ns = kernel_rx_ns;
  o.stamp.sequence = header.sequence;
  o.stamp.rtp_timestamp = header.timestamp;
  // In the payload (filler) or, with the X bit, in the header extension (media).
  if (rtp::Probe probe; rtp::FindProbe(data, length, payload_offset, &probe)) o.stamp.send_ns = probe.send_ns;
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
      stamps::ClearStamp(ready[i]);
      continue;
    }
    if (in_window && o.stamp.send_ns <= rx_ns) result_.network_latency.Record(rx_ns - o.stamp.send_ns);
    stamps::PacketStamp stamp = o.stamp;
    stamp.push_ns = push_ns;
    stamps::StampBuffer(ready[i], stamp, config_.stamp_epoch_ns);
  }
  if (timed) result_.stamp_cost.Sample(metrics::MonotonicNs() - push_ns);
}

}  // namespace rxbench::receivers
