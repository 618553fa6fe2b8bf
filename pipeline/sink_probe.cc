#include "pipeline/sink_probe.h"

#include "metrics/thread_usage.h"
#include "rtp/probe_extension.h"
#include "rtp/rtp_packet.h"

namespace rxbench::harness {
namespace {

// Read access to a buffer's bytes for the length of a scope. A buffer of one
// memory (every buffer the receivers push) is read through that memory's own
// map: gst_buffer_map would also take and drop a reference on it, two more
// atomic operations on a cache line the receiver thread wrote last (timed in
// place at the sink, the memory's own map costs about half: README).
class ReadView {
 public:
  explicit ReadView(GstBuffer* buffer) {
    if (gst_buffer_n_memory(buffer) == 1) {
      memory_ = gst_buffer_peek_memory(buffer, 0);
      ok_ = gst_memory_map(memory_, &info_, GST_MAP_READ);
    } else {
      buffer_ = buffer;
      ok_ = gst_buffer_map(buffer, &info_, GST_MAP_READ);
    }
  }
  ~ReadView() {
    if (!ok_) return;
    if (memory_ != nullptr) {
      gst_memory_unmap(memory_, &info_);
    } else {
      gst_buffer_unmap(buffer_, &info_);
    }
  }
  ReadView(const ReadView&) = delete;
  ReadView& operator=(const ReadView&) = delete;

  bool ok() const { return ok_; }
  const GstMapInfo& info() const { return info_; }

 private:
  GstMemory* memory_ = nullptr;
  GstBuffer* buffer_ = nullptr;
  GstMapInfo info_{};
  bool ok_ = false;
};

}  // namespace

SinkProbe::~SinkProbe() { Detach(); }

void SinkProbe::Attach(GstElement* element) {
  pad_ = gst_element_get_static_pad(element, "sink");
  probe_id_ =
      gst_pad_add_probe(pad_, static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
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
  const bool measure = probe->config_.measure;
  const std::uint64_t now_ns = measure ? metrics::MonotonicNs() : 0;
  const bool timed = measure && probe->result_.measure_cost.Due();
  const bool in_window = probe->config_.window == nullptr || probe->config_.window->is_open();
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    GstBufferList* list = GST_PAD_PROBE_INFO_BUFFER_LIST(info);
    const guint n = gst_buffer_list_length(list);
    for (guint i = 0; i < n; ++i) probe->OnBuffer(gst_buffer_list_get(list, i), now_ns, in_window);
  } else {
    probe->OnBuffer(GST_PAD_PROBE_INFO_BUFFER(info), now_ns, in_window);
  }
  if (timed) probe->result_.measure_cost.Sample(metrics::MonotonicNs() - now_ns);
  return GST_PAD_PROBE_OK;
}

void SinkProbe::OnBuffer(GstBuffer* buffer, std::uint64_t now_ns, bool in_window) {
  SinkResult& r = result_;
  ++r.delivered;
  delivered_.store(r.delivered, std::memory_order_relaxed);
  if (!config_.measure && !config_.observer && !config_.verify_payload && !config_.on_packet) return;

  std::optional<stamps::PacketStamp> stamp;
  if (config_.receiver_stamps) stamp = stamps::ReadStamp(buffer, config_.stamp_epoch_ns, now_ns);
  if (!stamp || config_.observer || config_.verify_payload) {
    stamps::PacketStamp packet;
    if (!ReadPacket(buffer, &packet)) return;
    // Where both exist they must agree: a stamp that does not is not trusted.
    if (stamp && (stamp->send_ns != packet.send_ns || stamp->sequence != packet.sequence ||
                  stamp->rtp_timestamp != packet.rtp_timestamp)) {
      stamp.reset();
    }
    if (!stamp) {
      if (config_.receiver_stamps) ++r.unstamped;
      if (config_.on_packet) config_.on_packet(buffer, packet);
      if (config_.measure) Record(packet, false, now_ns, in_window);
      return;
    }
  }
  if (config_.on_packet) config_.on_packet(buffer, *stamp);
  if (config_.measure) Record(*stamp, true, now_ns, in_window);
}

bool SinkProbe::ReadPacket(GstBuffer* buffer, stamps::PacketStamp* packet) {
  SinkResult& r = result_;
  ReadView view(buffer);
  if (!view.ok()) {
    ++r.malformed;
    return false;
  }
  const GstMapInfo& map = view.info();
  rtp::Header header;
  std::size_t offset = 0;
  if (rtp::ParseHeader(map.data, map.size, &header, &offset) != rtp::ParseError::kNone) {
    ++r.malformed;
    return false;
  }
  // Any RTP sender's packet counts (sequence, jitter); only rxbench's carry a
  // probe, and a payload too short for one has no send time (0: none).
  const std::uint8_t* payload = map.data + offset;
  rtp::Probe probe;
  const bool has_probe = rtp::FindProbe(map.data, map.size, offset, &probe);
  packet->send_ns = probe.send_ns;
  packet->sequence = header.sequence;
  packet->rtp_timestamp = header.timestamp;

  bool payload_ok = true;
  if (config_.verify_payload && !has_probe) {
    payload_ok = false;
    ++r.payload_mismatches;
  } else if (config_.verify_payload) {
    payload_ok = rtp::CheckPattern(probe.index, payload, map.size - offset);
    if (!payload_ok) ++r.payload_mismatches;
  }
  if (config_.observer) config_.observer({probe.index, header.sequence, map.size, payload_ok});
  return true;
}

// push_known: the stamp's push time is the receiver's (not read from a packet).
// Sequence numbers are tracked for the whole run (the loss account needs
// them); times only inside the window.
void SinkProbe::Record(const stamps::PacketStamp& packet, bool push_known, std::uint64_t now_ns, bool in_window) {
  SinkResult& r = result_;
  r.sequence.OnPacket(packet.sequence);
  if (!in_window) return;
  ++r.recorded;
  if (packet.send_ns != 0) r.latency.Record(now_ns > packet.send_ns ? now_ns - packet.send_ns : 0);
  r.jitter.OnPacket(packet.rtp_timestamp, now_ns);
  if (r.jitter.packets() > 1) {
    r.jitter_ns.Record(static_cast<std::uint64_t>(r.jitter.jitter_ns()));
    r.jitter_d_abs_ns.Record(static_cast<std::uint64_t>(r.jitter.last_abs_d_ns()));
  }
  if (push_known) r.pipeline.Record(now_ns - packet.push_ns);
}

}  // namespace rxbench::harness
