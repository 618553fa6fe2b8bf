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
#include <vector>

namespace rxbench::harness {

inline constexpr char kDefaultPipeline[] =
    "appsrc name=src is-live=true format=time do-timestamp=true max-bytes=16000000 leaky-type=downstream "
    "! queue max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 "
    "! rtpjitterbuffer latency=0 "
    "! fakesink name=sink sync=false async=false enable-last-sample=false";

// The presets `--pipeline-preset` names. The H.264 ones receive RFC 6184
// video (the source's caps, kRtpCaps, say so: without them the depayloader
// decodes nothing): the jitterbuffer as in production, the depayloader, and
// then (h264) the decoder on a thread of its own behind a queue, so that its
// CPU is the decoder's alone and the per-thread table can name it. One
// decoder thread (max-threads=1): libav would otherwise start a worker per
// core, which the run cannot tell apart from the rest of the machine's work.
inline constexpr char kH264DepayPipeline[] =
    "appsrc name=src is-live=true format=time do-timestamp=true max-bytes=16000000 leaky-type=downstream "
    "! rtpjitterbuffer latency=0 "
    "! rtph264depay name=depay "
    "! fakesink name=sink sync=false async=false enable-last-sample=false";
inline constexpr char kH264Pipeline[] =
    "appsrc name=src is-live=true format=time do-timestamp=true max-bytes=16000000 leaky-type=downstream "
    "! rtpjitterbuffer latency=0 "
    "! rtph264depay name=depay "
    "! queue max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 "
    "! avdec_h264 name=decoder max-threads=1 "
    "! fakesink name=sink sync=false async=false enable-last-sample=false";

// The description a preset names ("production", "h264", "h264-depay");
// nullptr for any other name.
const char* PresetDescription(const std::string& preset);
// Every preset's name, in the order `--help` lists them.
const std::vector<std::string>& PresetNames();

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
