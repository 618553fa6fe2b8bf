// The production appsrc pipeline, one description for every strategy
// (pipeline_description.h), as a running GStreamer object: parsed, given RTP
// caps (and, for the udpsrc reference, the harness's socket), played, drained
// to end-of-stream and stopped. The udpsrc reference's head is built here and
// only here: receivers/strategy.h names it as a strategy, but it is GStreamer's
// element in place of appsrc, not a receiver. What it counts and says lives next door:
// pad_flow.h (buffers at every pad), bus_watch.h (errors, end-of-stream,
// streaming threads).
#pragma once

#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include <functional>
#include <memory>
#include <string>

#include "pipeline/bus_watch.h"
#include "pipeline/pad_flow.h"
#include "pipeline/pipeline_counts.h"
#include "pipeline/pipeline_description.h"

namespace rxbench::harness {

class Pipeline {
 public:
  // Parses the description; with `udpsrc_fd` >= 0 replaces appsrc by udpsrc on
  // that socket. `on_thread` hears every streaming thread start. nullptr and
  // a one-line *error when the description is unusable. The source's caps
  // carry `payload_type`: rtpjitterbuffer drops packets of any other.
  static std::unique_ptr<Pipeline> Create(const std::string& description, int udpsrc_fd,
                                          StreamingThreadStarted on_thread, std::string* error,
                                          int payload_type = kDefaultPayloadType);
  ~Pipeline();  // stops it first

  GstAppSrc* appsrc() const { return appsrc_; }  // nullptr for udpsrc
  GstElement* source() const { return source_; }
  GstElement* sink() const { return sink_; }
  // The first RTP depayloader and the first video decoder of the pipeline
  // (by their factories' class), nullptr where it has none.
  GstElement* depayloader() const { return depayloader_; }
  GstElement* decoder() const { return decoder_; }
  // The element whose streaming thread runs the decoder: the nearest element
  // upstream of it that starts a thread of its own (a queue, the
  // jitterbuffer, the source). nullptr without a decoder.
  GstElement* decoder_thread_owner() const { return decoder_thread_owner_; }

  bool Play(std::string* error);
  // Ends the stream at the source and waits until end-of-stream reached the
  // sink: every element has pushed or dropped what it held, so counts read
  // afterwards are final and consistent with one another. False on timeout.
  //
  // A stalled pipeline is flushed: when `delivered` (the sink's count) stops
  // moving for kStallNs before end-of-stream arrived, a flush from the source
  // throws away what the elements hold (their pad counts then show it as
  // dropped, by element) and the pipeline is stopped. GStreamer 1.22's
  // rtpjitterbuffer can wedge (README, "Known problems"): its chain waits for
  // room that its own loop, waiting for a packet no timer will ever declare
  // lost, never makes; end-of-stream queues behind the wedged chain and never
  // arrives.
  static constexpr std::uint64_t kStallNs = 500'000'000;
  enum class Drain {
    kEndOfStream,  // every element passed on or dropped what it held
    kFlushed,      // it stalled: flushed and stopped; the counts are final
    kTimedOut,     // still moving at the time-out: flushed and stopped; the counts are final
  };
  Drain DrainToEos(double timeout_s, const std::function<std::uint64_t()>& delivered);
  // Lets a push that waits for room in a full appsrc (a user's `block=true`
  // with max-bytes, -buffers or -time) return: the limits are lifted and a
  // waiting push is woken; nothing is discarded. Called before the receiver is
  // stopped, so that stopping it never waits on a sink that does not consume.
  void UnblockSource();
  // Lets go of every buffer in motion, now: flush-start pushed from the
  // source's pad reaches every element past a streaming thread stuck in one
  // (a sink waiting on its clock, a full queue, a wedged jitterbuffer), and
  // from then on no pad passes a buffer, so Counts() stands still. What the
  // elements queue is not discarded until Stop(). Follow with Stop().
  void FlushFromSource();
  // Counts at the pads; final after DrainToEos, or after FlushFromSource.
  // Packets only: a depayloader's frames and the elements past it are not.
  PipelineCounts Counts() const { return flow_->Count(pipeline_, source_, depayloader_ ? depayloader_ : sink_); }
  // To NULL: every streaming thread has left the pipeline's elements.
  void Stop();
  // First error posted on the bus, "" if none.
  std::string BusError() const { return bus_->error(); }

 private:
  Pipeline() = default;
  void EndStream();

  GstElement* pipeline_ = nullptr;
  GstElement* source_ = nullptr;
  GstElement* sink_ = nullptr;
  GstAppSrc* appsrc_ = nullptr;
  GstElement* depayloader_ = nullptr;  // borrowed: the bin holds them
  GstElement* decoder_ = nullptr;
  GstElement* decoder_thread_owner_ = nullptr;
  std::unique_ptr<PadFlow> flow_;
  std::unique_ptr<BusWatch> bus_;
};

// Initialises GStreamer once per process.
void EnsureGstInit();

}  // namespace rxbench::harness
