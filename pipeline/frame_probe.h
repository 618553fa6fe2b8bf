// Frames, where a pipeline depayloads (and decodes) video: what came out of
// the depayloader, what the decoder made of it, and whether each decoded
// picture is the one a loss-free decode gives (frame_reference.h).
//
// The per-packet probe then sits on the depayloader's sink pad (sink_probe.h:
// it sees packets; the sink sees frames) and tells this one each packet's RTP
// timestamp and send time. A frame at the sink is matched to its packets by
// RTP timestamp, carried on the access unit itself: PTS cannot carry it (the
// jitterbuffer gives many access units one PTS when packets come faster than
// their timestamps run, as in a burst), order cannot (a decoder drops what it
// cannot decode). The depayloader pushes an access unit while it takes in a
// packet: the packet that completes it (its marker bit: its own timestamp) or
// the first of the next one (a new timestamp: the previous one's). That
// timestamp is attached to the access unit as a GstReferenceTimestampMeta
// (caps timestamp/x-rxbench-rtp), which the decoder copies onto the picture it
// decodes from it. A frame's latency runs from its first packet's send to the
// picture at the sink. The data are not touched; the access unit's buffer
// gains the meta (it is the depayloader's fresh buffer: no copy).
//
// Two streaming threads call in (the depayloader's and the sink's); the
// send times between them are locked, once per packet and once per frame.
#pragma once

#include <gst/gst.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

#include "metrics/log_histogram.h"
#include "metrics/measurement_window.h"
#include "pipeline/frame_reference.h"
#include "stamps/packet_stamps.h"

namespace rxbench::harness {

struct FrameResult {
  bool decoder = false;              // the pipeline decodes: `decoded` and `damaged` mean something
  std::uint64_t depayloaded = 0;     // access units out of the depayloader
  std::uint64_t at_sink = 0;         // frames (decoded pictures, or access units without a decoder) at the sink
  std::uint64_t window_at_sink = 0;  // of which inside the measurement window
  // Decoded pictures the reference judged: damaged ones differ from it.
  // Unknown (nullopt) without a decoder or a reference.
  std::optional<std::uint64_t> damaged;
  std::uint64_t unjudged = 0;     // decoded, but no packet or reference checksum for its timestamp
  metrics::LogHistogram latency;  // first packet's send -> frame at the sink (in the window)
};

class FrameProbe {
 public:
  // `reference`: nullptr when there is none (a third party's stream); not
  // owned, outlives the probe.
  FrameProbe(const FrameReference* reference, const metrics::MeasurementWindow* window)
      : reference_(reference), window_(window) {}
  ~FrameProbe();

  // `depay`: the depayloader; `decoder`: nullptr when the pipeline has none.
  void Attach(GstElement* depay, GstElement* decoder, GstElement* sink);
  void Detach();
  // On the depayloader's streaming thread, per packet at its sink pad.
  void OnPacket(GstBuffer* packet, const stamps::PacketStamp& stamp);
  // Any thread: frames at the sink so far.
  std::uint64_t at_sink() const { return at_sink_.load(std::memory_order_relaxed); }
  // After the pipeline stopped.
  const FrameResult& result() const { return result_; }

 private:
  static GstPadProbeReturn OnDepayloaded(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  static GstPadProbeReturn OnFrame(GstPad* pad, GstPadProbeInfo* info, gpointer self);
  void Frame(GstBuffer* frame, std::uint64_t now_ns);
  // The RTP timestamp of the access unit (of this PTS) the depayloader
  // pushes now.
  std::uint32_t DepayloadedTimestamp(GstClockTime pts);
  // The send time of the first packet of `rtp_timestamp` (0: unknown).
  std::uint64_t FirstSend(std::uint32_t rtp_timestamp);

  const FrameReference* reference_;
  const metrics::MeasurementWindow* window_;
  FrameResult result_;
  std::atomic<std::uint64_t> at_sink_{0};
  GstCaps* meta_caps_ = gst_caps_new_empty_simple("timestamp/x-rxbench-rtp");
  // The depayloader's thread only: the access unit of the packet it takes
  // in, and the one before, by their first packets.
  struct Unit {
    std::uint32_t timestamp = 0;
    GstClockTime pts = GST_CLOCK_TIME_NONE;
  };
  Unit unit_, previous_;
  bool seen_packet_ = false;
  bool previous_pending_ = false;  // the previous unit was not pushed yet
  bool pushed_any_ = false;
  std::uint32_t last_pushed_ = 0;
  std::mutex mutex_;
  // Bounded: the oldest entries go first.
  static constexpr std::size_t kRemembered = 4096;
  std::map<std::uint32_t, std::uint64_t> send_of_timestamp_;
  std::deque<std::uint32_t> timestamp_order_;
  GstPad* depay_pad_ = nullptr;
  GstPad* sink_pad_ = nullptr;
  gulong depay_probe_ = 0, sink_probe_ = 0;
};

}  // namespace rxbench::harness
