#include "pipeline/frame_reference.h"

#include <gst/app/gstappsink.h>
#include <gst/app/gstappsrc.h>
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <thread>

#include "pipeline/pipeline.h"
#include "pipeline/pipeline_description.h"
#include "rtp/rtp_packet.h"

namespace rxbench::harness {

std::uint64_t FrameChecksum(GstBuffer* frame) {
  GstMapInfo map;
  if (!gst_buffer_map(frame, &map, GST_MAP_READ)) return 0;
  const std::uint64_t sum = XXH3_64bits(map.data, map.size);
  gst_buffer_unmap(frame, &map);
  return sum;
}

bool DecodeReference(const std::vector<std::vector<std::uint8_t>>& packets, double ticks_per_frame,
                     std::uint32_t frames_per_loop, FrameReference* reference, std::string* error) {
  EnsureGstInit();
  if (packets.empty()) {
    *error = "reference: no packets";
    return false;
  }
  rtp::Header first;
  std::size_t offset = 0;
  if (rtp::ParseHeader(packets[0].data(), packets[0].size(), &first, &offset) != rtp::ParseError::kNone) {
    *error = "reference: the first packet is not RTP";
    return false;
  }
  reference->rtp_base = first.timestamp;
  reference->ticks_per_frame = ticks_per_frame;
  reference->frames_per_loop = frames_per_loop;
  reference->checksums.clear();

  // Each packet's PTS is its timestamp's offset from the first: the decoded
  // frame's PTS gives its key back. Not live, and appsrc's queue unbounded
  // (one pass of a clip): nothing is dropped, and a push never waits.
  GError* parse_error = nullptr;
  GstElement* pipeline = gst_parse_launch(
      "appsrc name=src format=time max-bytes=0 ! rtph264depay ! avdec_h264 max-threads=1 "
      "! appsink name=sink sync=false max-buffers=0 emit-signals=false",
      &parse_error);
  if (parse_error != nullptr) {
    *error = std::string("reference: ") + parse_error->message;
    g_error_free(parse_error);
    if (pipeline != nullptr) gst_object_unref(pipeline);
    return false;
  }
  GstElement* src = gst_bin_get_by_name(GST_BIN(pipeline), "src");
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "sink");
  GstCaps* caps = gst_caps_from_string(kRtpCaps);
  gst_caps_set_simple(caps, "payload", G_TYPE_INT, static_cast<int>(first.payload_type), nullptr);
  gst_app_src_set_caps(GST_APP_SRC(src), caps);
  gst_caps_unref(caps);
  gst_element_set_state(pipeline, GST_STATE_PLAYING);

  // Frames are pulled on another thread while packets are pushed here: the
  // appsink's queue is unbounded, but a full appsrc would otherwise wait for
  // a reader that never comes.
  std::vector<std::pair<GstClockTime, std::uint64_t>> frames;
  // A pipeline that failed never reaches end-of-stream: the puller gives up
  // after 10 s without a frame.
  std::thread puller([sink, &frames] {
    for (int idle_s = 0; idle_s < 10 && !gst_app_sink_is_eos(GST_APP_SINK(sink));) {
      GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(sink), GST_SECOND);
      if (sample == nullptr) {
        ++idle_s;
        continue;
      }
      idle_s = 0;
      GstBuffer* buffer = gst_sample_get_buffer(sample);
      frames.emplace_back(GST_BUFFER_PTS(buffer), FrameChecksum(buffer));
      gst_sample_unref(sample);
    }
  });
  for (const std::vector<std::uint8_t>& packet : packets) {
    rtp::Header header;
    if (rtp::ParseHeader(packet.data(), packet.size(), &header, &offset) != rtp::ParseError::kNone) continue;
    GstBuffer* buffer = gst_buffer_new_memdup(packet.data(), packet.size());
    GST_BUFFER_PTS(buffer) = gst_util_uint64_scale(header.timestamp - first.timestamp, GST_SECOND, 90000);
    if (gst_app_src_push_buffer(GST_APP_SRC(src), buffer) != GST_FLOW_OK) break;
  }
  gst_app_src_end_of_stream(GST_APP_SRC(src));
  puller.join();
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(src);
  gst_object_unref(sink);
  gst_object_unref(pipeline);

  for (const auto& [pts, sum] : frames) {
    if (!GST_CLOCK_TIME_IS_VALID(pts)) continue;
    const auto ticks = static_cast<std::uint32_t>(gst_util_uint64_scale_round(pts, 90000, GST_SECOND));
    reference->checksums[reference->Key(first.timestamp + ticks)] = sum;
  }
  if (reference->checksums.empty()) {
    *error = "reference: nothing decoded";
    return false;
  }
  return true;
}

bool ClipReference(const media::H264Clip& clip, double fps, FrameReference* reference, std::string* error) {
  std::vector<std::vector<std::uint8_t>> packets;
  packets.reserve(clip.payloads.size());
  rtp::Header header;
  std::uint64_t unit = 0;
  for (const media::RtpPayload& payload : clip.payloads) {
    header.timestamp = static_cast<std::uint32_t>(std::llround(static_cast<double>(unit) * 90000.0 / fps));
    header.marker = payload.last_of_access_unit;
    std::vector<std::uint8_t> packet(rtp::kHeaderBytes + payload.size);
    rtp::WriteHeader(header, packet.data());
    std::copy_n(clip.bytes.data() + payload.offset, payload.size, packet.data() + rtp::kHeaderBytes);
    packets.push_back(std::move(packet));
    ++header.sequence;
    unit += payload.last_of_access_unit;
  }
  return DecodeReference(packets, 90000.0 / fps, static_cast<std::uint32_t>(clip.packets_per_unit.size()), reference,
                         error);
}

}  // namespace rxbench::harness
