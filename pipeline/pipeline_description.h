// The production pipeline's text: the default description, the checks a
// user's `--pipeline` must pass, and the substitution that puts GStreamer's
// udpsrc where appsrc was. Plain string work, no GStreamer, so it is tested
// on strings.
//
// The default is a representative RTP video receive path:
//   appsrc (RTP caps, live, bounded queue that drops the oldest when full)
//   ! queue          a thread boundary, as a decoder branch would have
//   ! rtpjitterbuffer latency=0   RTP processing that reorders/dedups but adds
//                                 no fixed latency
//   ! fakesink name=sink          where delivery is measured (sync=false: no
//                                 clock waits, we measure the path, not playback;
//                                 enable-last-sample=false: it would keep the last
//                                 buffer, which a pool of one or two never gets back)
#pragma once

#include <string>

namespace rxbench::harness {

inline constexpr char kDefaultPipeline[] =
    "appsrc name=src is-live=true format=time do-timestamp=true max-bytes=16000000 leaky-type=downstream "
    "! queue max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 "
    "! rtpjitterbuffer latency=0 "
    "! fakesink name=sink sync=false async=false enable-last-sample=false";

// The payload type in kRtpCaps, and the generator's default.
inline constexpr int kDefaultPayloadType = 96;
inline constexpr char kRtpCaps[] = "application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96";

// "" when `description` names an `appsrc name=src` and an element `name=sink`,
// else a one-line reason.
std::string CheckDescription(const std::string& description);

// The same pipeline with udpsrc (name=src, its properties set by the harness)
// in place of the appsrc element and that element's properties.
std::string WithUdpsrc(const std::string& description);

}  // namespace rxbench::harness
