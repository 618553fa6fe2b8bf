// Measures delivery where it counts: a pad probe on the sink element's sink pad
// sees every RTP packet that made it through the pipeline, on the streaming
// thread that delivers it. Where the pipeline depayloads, packets end at the
// depayloader: the probe then sits on its sink pad (frames beyond it:
// frame_probe.h).
//
// Per packet (measure=full): sequence gaps, duplicates and reordering over the
// whole run, and inside the measurement window send -> sink latency, push ->
// sink latency and RFC 3550 interarrival jitter (from RTP timestamps and
// arrival times), both its running value J and, per packet, J and |D| into
// histograms, so the whole run's jitter is described and not only its last
// ~16 packets. A buffer the receiver stamped (packet_stamps.h)
// says all it needs in its own struct; any other (udpsrc's, or one whose stamp
// a custom element overwrote) is mapped and its RTP header and probe read.
// With measure=minimal only packets are counted (to measure what measuring
// costs).
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <functional>
#include <optional>

#include "metrics/log_histogram.h"
#include "metrics/measurement_window.h"
#include "metrics/rfc3550_jitter.h"
#include "metrics/sampled_cost.h"
#include "metrics/sequence_tracker.h"
#include "stamps/packet_stamps.h"

namespace rxbench::harness {

// What a test may observe per delivered packet (optional, costs a call).
struct DeliveredPacket {
  std::uint64_t index = 0;
  std::uint16_t sequence = 0;
  std::size_t size = 0;
  bool payload_ok = true;  // only checked with verify_payload
};

struct SinkProbeConfig {
  bool measure = true;
  bool receiver_stamps = false;                          // buffers carry the receiver's stamps (packet_stamps.h)
  std::uint64_t stamp_epoch_ns = 0;                      // the receiver's stamp epoch
  bool verify_payload = false;                           // check every payload byte
  std::function<void(const DeliveredPacket&)> observer;  // tests only
  const metrics::MeasurementWindow* window = nullptr;    // nullptr: always recording
  // Every packet that is an RTP packet, with what was read of it (on the
  // probe's streaming thread, whatever `measure`): frame_probe.h's input.
  std::function<void(GstBuffer*, const stamps::PacketStamp&)> on_packet;
};

struct SinkResult {
  std::uint64_t delivered = 0;
  std::uint64_t malformed = 0;           // reached the sink but not an RTP packet
  std::uint64_t payload_mismatches = 0;  // verify_payload only
  std::uint64_t unstamped = 0;           // receiver stamps missing or implausible
  std::uint64_t recorded = 0;            // packets timed inside the window
  metrics::LogHistogram latency;         // send -> sink
  metrics::LogHistogram pipeline;        // push -> sink
  metrics::SequenceTracker sequence;     // every packet of the run
  metrics::InterarrivalJitter jitter{90000};
  metrics::LogHistogram jitter_ns;        // J after each packet
  metrics::LogHistogram jitter_d_abs_ns;  // |D| of each packet against the one before
  metrics::SampledCost measure_cost;      // this probe's per-packet work (measure=full)
};

class SinkProbe {
 public:
  explicit SinkProbe(SinkProbeConfig config) : config_(std::move(config)) {}
  ~SinkProbe();

  // On `element`'s sink pad: the sink's, or the depayloader's.
  void Attach(GstElement* element);
  void Detach();
  // Any thread: packets delivered so far.
  std::uint64_t delivered() const { return delivered_.load(std::memory_order_relaxed); }
  // After the pipeline stopped.
  const SinkResult& result() const { return result_; }

 private:
  static GstPadProbeReturn OnData(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  void OnBuffer(GstBuffer* buffer, std::uint64_t now_ns, bool in_window);
  // Reads the packet's bytes: false when it is not an RTP packet. One
  // without room for rxbench's probe (another sender's) has send_ns 0.
  bool ReadPacket(GstBuffer* buffer, stamps::PacketStamp* packet);
  void Record(const stamps::PacketStamp& packet, bool push_known, std::uint64_t now_ns, bool in_window);

  SinkProbeConfig config_;
  SinkResult result_;
  std::atomic<std::uint64_t> delivered_{0};
  GstPad* pad_ = nullptr;
  gulong probe_id_ = 0;
};

}  // namespace rxbench::harness
