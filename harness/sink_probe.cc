#include "harness/sink_probe.h"

#include "metrics/thread_usage.h"
#include "rtp/rtp_packet.h"

namespace rxbench::harness {

SinkProbe::~SinkProbe() { Detach(); }

void SinkProbe::Attach(GstElement* sink) {
  pad_ = gst_element_get_static_pad(sink, "sink");
  probe_id_ = gst_pad_add_probe(
      pad_, static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
      &SinkProbe::OnData, this, nullptr);
}

void SinkProbe::Detach() {
  if (pad_ == nullptr) return;
  gst_pad_remove_probe(pad_, probe_id_);
  gst_object_unref(pad_);
  pad_ = nullptr;
}

GstPadProbeReturn SinkProbe::OnData(GstPad*, GstPadProbeInfo* info, gpointer self) {
  auto* probe = static_cast<SinkProbe*>(self);
  const std::uint64_t now_ns = probe->config_.measure ? metrics::MonotonicNs() : 0;
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
    const guint n = gst_buffer_list_length(list);
    for (guint i = 0; i < n; ++i) probe->OnBuffer(gst_buffer_list_get(list, i), now_ns);
  } else {
    probe->OnBuffer(GST_PAD_PROBE_INFO_BUFFER(info), now_ns);
  }
  return GST_PAD_PROBE_OK;
}

void SinkProbe::OnBuffer(GstBuffer* buffer, std::uint64_t now_ns) {
  SinkResult& r = result_;
  ++r.delivered;
  delivered_.store(r.delivered, std::memory_order_relaxed);
  if (!config_.measure && !config_.observer && !config_.verify_payload) return;

  GstMapInfo map;
  if (!gst_buffer_map(buffer, &map, GST_MAP_READ)) {
    ++r.malformed;
    return;
  }
  rtp::Header header;
  std::size_t offset = 0;
  if (rtp::ParseHeader(map.data, map.size, &header, &offset) != rtp::ParseError::kNone ||
      map.size < offset + rtp::kProbeBytes) {
    ++r.malformed;
    gst_buffer_unmap(buffer, &map);
    return;
  }
  const std::uint8_t* payload = map.data + offset;
  const rtp::Probe probe = rtp::ReadProbe(payload);
  r.bytes += map.size;
  if (probe.index + 1 < last_index_plus_one_) ++r.out_of_order;
  if (probe.index + 1 > last_index_plus_one_) last_index_plus_one_ = probe.index + 1;

  bool payload_ok = true;
  if (config_.verify_payload) {
    payload_ok = rtp::CheckPattern(probe.index, payload, map.size - offset);
    if (!payload_ok) ++r.payload_mismatches;
  }
  if (config_.measure) {
    if (r.first_arrival_ns == 0) r.first_arrival_ns = now_ns;
    r.last_arrival_ns = now_ns;
    r.latency.Record(now_ns > probe.send_ns ? now_ns - probe.send_ns : 0);
    r.sequence.OnPacket(header.sequence);
    r.jitter.OnPacket(header.timestamp, now_ns);
    if (config_.receiver_stamps) {
      const receivers::PacketStamps stamps = receivers::ReadStamps(buffer, probe.send_ns, now_ns);
      if (stamps.push_ns != 0) {
        // Without a kernel timestamp, "receive" is known only as the push.
        const std::uint64_t rx_ns = stamps.rx_ns != 0 ? stamps.rx_ns : stamps.push_ns;
        r.network.Record(rx_ns - probe.send_ns);
        r.pipeline.Record(now_ns - stamps.push_ns);
      } else {
        ++r.unstamped;
      }
    }
  }
  gst_buffer_unmap(buffer, &map);
  if (config_.observer) config_.observer({probe.index, header.sequence, map.size, payload_ok});
}

}  // namespace rxbench::harness
