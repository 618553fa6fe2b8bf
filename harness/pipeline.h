// The production appsrc pipeline: one description used by every strategy.
//
// The default is a representative RTP video receive path:
//   appsrc (RTP caps, live, bounded queue that drops the oldest when full)
//   ! queue          a thread boundary, as a decoder branch would have
//   ! rtpjitterbuffer latency=0   RTP processing that reorders/dedups but adds
//                                 no fixed latency
//   ! fakesink name=sink          where delivery is measured (sync=false: no
//                                 clock waits, we measure the path, not playback)
// `--pipeline "..."` replaces it; it must contain `appsrc name=src` and an
// element `name=sink`. For the udpsrc reference, the appsrc element is replaced
// by `udpsrc` reading the same socket with the same caps, downstream unchanged.
//
// The pipeline also accounts for its own threads (through stream-status
// messages, on the streaming threads themselves) and for what it dropped.
#pragma once

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "metrics/thread_usage.h"

namespace rxbench::harness {

inline constexpr char kDefaultPipeline[] =
    "appsrc name=src is-live=true format=time do-timestamp=true max-bytes=16000000 leaky-type=downstream "
    "! queue max-size-buffers=0 max-size-bytes=0 max-size-time=500000000 "
    "! rtpjitterbuffer latency=0 "
    "! fakesink name=sink sync=false async=false";

inline constexpr char kRtpCaps[] =
    "application/x-rtp,media=video,clock-rate=90000,encoding-name=H264,payload=96";

struct StreamingThread {
  std::string owner;          // element that owns the task, e.g. "queue0"
  bool is_source = false;     // the task of the source element (appsrc/udpsrc)
  metrics::ThreadUsage usage; // from ENTER to LEAVE
  bool finished = false;      // LEAVE seen
};

// Buffers counted at an element's pads: what came in (its upstream peers' src
// pads), what went out (its own src pads) and what it still queues. After a
// drain, in - out - level is exactly what the element dropped.
struct ElementFlow {
  std::string name;
  std::string factory;
  std::uint64_t in = 0;
  std::uint64_t out = 0;
  std::uint64_t level = 0;  // queued buffers, for elements that say (appsrc, queue)
  std::uint64_t dropped() const { return in > out + level ? in - out - level : 0; }
};

struct PipelineCounts {
  std::uint64_t source_out = 0;    // buffers that left the source element
  std::uint64_t source_level = 0;  // still queued in appsrc
  // Every element between the source and the sink, in no particular order.
  std::vector<ElementFlow> downstream;
  // rtpjitterbuffer's own statistics: why it dropped (late, duplicate).
  std::uint64_t jitterbuffer_late = 0;
  std::uint64_t jitterbuffer_duplicates = 0;
};

class Pipeline {
 public:
  // Parses the description; with `udpsrc_fd` >= 0 replaces appsrc by udpsrc on
  // that socket. nullptr and *error when the description is unusable.
  static std::unique_ptr<Pipeline> Create(const std::string& description, int udpsrc_fd, std::string* error);
  ~Pipeline();

  GstAppSrc* appsrc() const { return appsrc_; }  // nullptr for udpsrc
  GstElement* sink() const { return sink_; }
  GstElement* source() const { return source_; }

  bool Play(std::string* error);
  // Ends the stream at the source and waits until end-of-stream reached the
  // sink: every element has pushed or dropped what it held, so counts read
  // afterwards are final and consistent with one another. False on timeout.
  bool DrainToEos(double timeout_s);
  // Counts at the pads; final after DrainToEos.
  PipelineCounts Counts() const;
  // To NULL; afterwards threads() is complete.
  void Stop();
  std::vector<StreamingThread> threads() const;
  // First error posted on the bus, "" if none.
  std::string BusError() const;

 private:
  Pipeline() = default;
  static GstBusSyncReply OnBusMessage(GstBus* bus, GstMessage* message, gpointer self);
  struct PadCounter {
    GstPad* pad = nullptr;  // a src pad (owned reference)
    std::atomic<std::uint64_t> buffers{0};  // written only by the pad's streaming thread
  };
  static GstPadProbeReturn CountBuffers(GstPad* pad, GstPadProbeInfo* info, gpointer counter);
  void CountEverySrcPad();
  std::uint64_t CountedOut(GstPad* src_pad) const;

  GstElement* pipeline_ = nullptr;
  GstElement* source_ = nullptr;
  GstElement* sink_ = nullptr;
  GstAppSrc* appsrc_ = nullptr;
  std::vector<std::unique_ptr<PadCounter>> pad_counters_;
  mutable std::mutex mutex_;  // guards threads_, bus_error_ (touched from streaming threads)
  std::vector<StreamingThread> threads_;
  std::vector<GThread*> thread_ids_;  // parallel to threads_, to match LEAVE to ENTER
  std::string bus_error_;
  std::condition_variable eos_cv_;
  bool eos_ = false;  // guarded by mutex_
};

// Initialises GStreamer once per process.
void EnsureGstInit();

}  // namespace rxbench::harness
