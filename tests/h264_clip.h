// A small H.264 clip for tests, encoded in-process: 320x240 at 30 fps, a
// keyframe every `gop` frames, no B-frames, packetised by GStreamer's own
// rtph264pay (RFC 6184: single NAL units and FU-A fragments, payload type 96).
// Alongside, the encoder's output decoded straight (no RTP): each frame's
// checksum by frame index, a reference made without rxbench's code.
#pragma once

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <cstdint>
#include <string>
#include <vector>

#include "pipeline/frame_reference.h"
#include "pipeline/pipeline.h"

namespace rxbench::testing_support {

struct H264Clip {
  std::vector<std::vector<std::uint8_t>> packets;  // RTP packets in sending order
  std::vector<std::uint64_t> decoded;              // checksum of frame i, decoded without RTP
  std::string error;
};

inline H264Clip EncodeH264Clip(int frames, int gop) {
  harness::EnsureGstInit();
  H264Clip clip;
  const std::string description =
      "videotestsrc num-buffers=" + std::to_string(frames) +
      " pattern=smpte horizontal-speed=4 ! video/x-raw,width=320,height=240,framerate=30/1 "
      "! x264enc threads=1 bframes=0 speed-preset=ultrafast tune=zerolatency option-string=scenecut=0 key-int-max=" +
      std::to_string(gop) +
      " ! tee name=t "
      "t. ! queue ! rtph264pay pt=96 mtu=1200 config-interval=-1 ! appsink name=rtp sync=false wait-on-eos=false "
      "t. ! queue ! avdec_h264 max-threads=1 ! appsink name=raw sync=false wait-on-eos=false";
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (error != nullptr) {
    clip.error = error->message;
    g_error_free(error);
    return clip;
  }
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  GstBus* bus = gst_element_get_bus(pipeline);
  GstMessage* end = gst_bus_timed_pop_filtered(bus, 60 * GST_SECOND,
                                               static_cast<GstMessageType>(GST_MESSAGE_EOS | GST_MESSAGE_ERROR));
  if (end == nullptr || GST_MESSAGE_TYPE(end) != GST_MESSAGE_EOS) clip.error = "encoding did not finish";
  if (end != nullptr) gst_message_unref(end);
  gst_object_unref(bus);
  GstElement* rtp = gst_bin_get_by_name(GST_BIN(pipeline), "rtp");
  GstElement* raw = gst_bin_get_by_name(GST_BIN(pipeline), "raw");
  while (GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(rtp), 0)) {
    GstMapInfo map;
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    gst_buffer_map(buffer, &map, GST_MAP_READ);
    clip.packets.emplace_back(map.data, map.data + map.size);
    gst_buffer_unmap(buffer, &map);
    gst_sample_unref(sample);
  }
  while (GstSample* sample = gst_app_sink_try_pull_sample(GST_APP_SINK(raw), 0)) {
    clip.decoded.push_back(harness::FrameChecksum(gst_sample_get_buffer(sample)));
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(rtp);
  gst_object_unref(raw);
  gst_object_unref(pipeline);
  return clip;
}

}  // namespace rxbench::testing_support
