#include "pipeline/frame_probe.h"

#include "metrics/thread_usage.h"

namespace rxbench::harness {
namespace {

constexpr auto kBuffers = static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST);

// Calls `each` for the buffer, or every buffer of the list, a probe sees.
template <typename Each>
void ForEachBuffer(GstPadProbeInfo* info, Each each) {
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
    const guint n = gst_buffer_list_length(list);
    for (guint i = 0; i < n; ++i) each(gst_buffer_list_get(list, i));
  } else {
    each(GST_PAD_PROBE_INFO_BUFFER(info));
  }
}

}  // namespace

FrameProbe::~FrameProbe() {
  Detach();
  gst_caps_unref(meta_caps_);
}

void FrameProbe::Attach(GstElement* depay, GstElement* decoder, GstElement* sink) {
  result_.decoder = decoder != nullptr;
  if (reference_ != nullptr && decoder != nullptr) result_.damaged = 0;
  depay_pad_ = gst_element_get_static_pad(depay, "src");
  depay_probe_ = gst_pad_add_probe(depay_pad_, kBuffers, &FrameProbe::OnDepayloaded, this, nullptr);
  sink_pad_ = gst_element_get_static_pad(sink, "sink");
  sink_probe_ = gst_pad_add_probe(sink_pad_, kBuffers, &FrameProbe::OnFrame, this, nullptr);
}

void FrameProbe::Detach() {
  if (depay_pad_ != nullptr) {
    gst_pad_remove_probe(depay_pad_, depay_probe_);
    gst_object_unref(depay_pad_);
    depay_pad_ = nullptr;
  }
  if (sink_pad_ != nullptr) {
    gst_pad_remove_probe(sink_pad_, sink_probe_);
    gst_object_unref(sink_pad_);
    sink_pad_ = nullptr;
  }
}

void FrameProbe::OnPacket(GstBuffer* packet, const stamps::PacketStamp& stamp) {
  if (!seen_packet_ || stamp.rtp_timestamp != unit_.timestamp) {
    // A new access unit begins; the one before is still in the depayloader
    // unless it was pushed (its marker bit completed it).
    previous_pending_ = seen_packet_ && !(pushed_any_ && last_pushed_ == unit_.timestamp);
    previous_ = unit_;
    unit_ = {stamp.rtp_timestamp, GST_BUFFER_PTS(packet)};
    seen_packet_ = true;
  }
  std::lock_guard<std::mutex> lock(mutex_);
  if (send_of_timestamp_.emplace(stamp.rtp_timestamp, stamp.send_ns).second) {
    timestamp_order_.push_back(stamp.rtp_timestamp);
    if (timestamp_order_.size() > kRemembered) {
      send_of_timestamp_.erase(timestamp_order_.front());
      timestamp_order_.pop_front();
    }
  }
}

std::uint32_t FrameProbe::DepayloadedTimestamp(GstClockTime pts) {
  // The depayloader gives an access unit the PTS of its first packet: where
  // the two candidates' PTS differ, the PTS tells. Where they do not (a
  // burst), the previous unit comes first if it is still in the depayloader.
  bool previous = previous_pending_;
  if (previous_pending_ && previous_.pts != unit_.pts) {
    if (pts == previous_.pts) previous = true;
    if (pts == unit_.pts) previous = false;
  }
  previous_pending_ = false;
  last_pushed_ = previous ? previous_.timestamp : unit_.timestamp;
  pushed_any_ = true;
  return last_pushed_;
}

std::uint64_t FrameProbe::FirstSend(std::uint32_t rtp_timestamp) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = send_of_timestamp_.find(rtp_timestamp);
  return it != send_of_timestamp_.end() ? it->second : 0;
}

GstPadProbeReturn FrameProbe::OnDepayloaded(GstPad*, GstPadProbeInfo* info, gpointer self) {
  auto* probe = static_cast<FrameProbe*>(self);
  const auto mark = [probe](GstBuffer* unit) {
    ++probe->result_.depayloaded;
    gst_buffer_add_reference_timestamp_meta(unit, probe->meta_caps_, probe->DepayloadedTimestamp(GST_BUFFER_PTS(unit)),
                                            GST_CLOCK_TIME_NONE);
  };
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList* list = gst_buffer_list_make_writable(GST_PAD_PROBE_INFO_BUFFER_LIST(info));
    GST_PAD_PROBE_INFO_DATA(info) = list;
    const guint n = gst_buffer_list_length(list);
    for (guint i = 0; i < n; ++i) mark(gst_buffer_list_get_writable(list, i));
  } else {
    GstBuffer* unit = gst_buffer_make_writable(GST_PAD_PROBE_INFO_BUFFER(info));
    GST_PAD_PROBE_INFO_DATA(info) = unit;
    mark(unit);
  }
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn FrameProbe::OnFrame(GstPad*, GstPadProbeInfo* info, gpointer self) {
  auto* probe = static_cast<FrameProbe*>(self);
  const std::uint64_t now_ns = metrics::MonotonicNs();
  ForEachBuffer(info, [probe, now_ns](GstBuffer* frame) { probe->Frame(frame, now_ns); });
  return GST_PAD_PROBE_OK;
}

void FrameProbe::Frame(GstBuffer* frame, std::uint64_t now_ns) {
  FrameResult& r = result_;
  ++r.at_sink;
  at_sink_.store(r.at_sink, std::memory_order_relaxed);
  GstReferenceTimestampMeta* meta = gst_buffer_get_reference_timestamp_meta(frame, meta_caps_);
  const bool matched = meta != nullptr;
  const auto rtp_timestamp = matched ? static_cast<std::uint32_t>(meta->timestamp) : 0u;
  const std::uint64_t send_ns = matched ? FirstSend(rtp_timestamp) : 0;
  if (window_ == nullptr || window_->is_open()) {
    ++r.window_at_sink;
    if (send_ns != 0) r.latency.Record(now_ns > send_ns ? now_ns - send_ns : 0);
  }
  if (!r.damaged) return;
  auto expected = matched ? reference_->checksums.find(reference_->Key(rtp_timestamp)) : reference_->checksums.end();
  if (expected == reference_->checksums.end()) {
    ++r.unjudged;
    return;
  }
  if (FrameChecksum(frame) != expected->second) ++*r.damaged;
}

}  // namespace rxbench::harness
