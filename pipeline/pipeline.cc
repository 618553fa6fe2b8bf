#include "pipeline/pipeline.h"

#include <gio/gio.h>
#include <gst/base/gstbasesrc.h>
#include <unistd.h>

#include <cstring>
#include <initializer_list>
#include <thread>

namespace rxbench::harness {
namespace {

// Gives udpsrc the harness's socket. GSocket closes its fd when finalized,
// whatever udpsrc's close-socket says: it gets a duplicate, the harness keeps
// (and closes) the original.
bool GiveSocket(GstElement* udpsrc, int fd, GstCaps* caps, std::string* error) {
  GError* socket_error = nullptr;
  const int copy = dup(fd);
  GSocket* socket = copy >= 0 ? g_socket_new_from_fd(copy, &socket_error) : nullptr;
  if (socket == nullptr) {
    if (copy >= 0) close(copy);
    *error = std::string("udpsrc socket: ") + (socket_error != nullptr ? socket_error->message : "dup failed");
    if (socket_error != nullptr) g_error_free(socket_error);
    return false;
  }
  g_object_set(udpsrc, "socket", socket, "close-socket", FALSE, "caps", caps, nullptr);
  g_object_unref(socket);
  return true;
}

bool KlassHas(GstElement* element, const char* part) {
  GstElementFactory* factory = gst_element_get_factory(element);
  if (factory == nullptr) return false;
  const char* klass = gst_element_factory_get_metadata(factory, GST_ELEMENT_METADATA_KLASS);
  return klass != nullptr && std::strstr(klass, part) != nullptr;
}

// The first element of the bin, in data-flow order from the source, whose
// class names all of `parts`.
GstElement* FindByKlass(GstElement* source, std::initializer_list<const char*> parts) {
  for (GstElement* element = source; element != nullptr;) {
    bool all = true;
    for (const char* part : parts) all = all && KlassHas(element, part);
    if (all) return element;
    GstPad* src = gst_element_get_static_pad(element, "src");
    GstPad* peer = src != nullptr ? gst_pad_get_peer(src) : nullptr;
    if (src != nullptr) gst_object_unref(src);
    element = peer != nullptr ? GST_PAD_PARENT(peer) : nullptr;
    if (peer != nullptr) gst_object_unref(peer);
  }
  return nullptr;
}

// Elements that push from a thread of their own.
bool StartsThread(GstElement* element) {
  GstElementFactory* factory = gst_element_get_factory(element);
  const std::string name = factory != nullptr ? GST_OBJECT_NAME(factory) : "";
  return GST_IS_BASE_SRC(element) || name == "queue" || name == "queue2" || name == "multiqueue" ||
         name == "rtpjitterbuffer";
}

GstElement* ThreadOwner(GstElement* element) {
  while (element != nullptr && !StartsThread(element)) {
    GstPad* sink = gst_element_get_static_pad(element, "sink");
    GstPad* peer = sink != nullptr ? gst_pad_get_peer(sink) : nullptr;
    if (sink != nullptr) gst_object_unref(sink);
    element = peer != nullptr ? GST_PAD_PARENT(peer) : nullptr;
    if (peer != nullptr) gst_object_unref(peer);
  }
  return element;
}

}  // namespace

void EnsureGstInit() {
  static const bool initialised = [] {
    gst_init(nullptr, nullptr);
    return true;
  }();
  (void)initialised;
}

std::unique_ptr<Pipeline> Pipeline::Create(const std::string& description, int udpsrc_fd,
                                           StreamingThreadStarted on_thread, std::string* error, int payload_type) {
  EnsureGstInit();
  if (std::string problem = CheckDescription(description); !problem.empty()) {
    *error = problem;
    return nullptr;
  }
  const std::string text = udpsrc_fd >= 0 ? WithUdpsrc(description) : description;
  GError* parse_error = nullptr;
  GstElement* parsed = gst_parse_launch(text.c_str(), &parse_error);
  if (parse_error != nullptr) {
    *error = std::string("pipeline: ") + parse_error->message;
    g_error_free(parse_error);
    if (parsed) gst_object_unref(parsed);
    return nullptr;
  }
  std::unique_ptr<Pipeline> p(new Pipeline);
  p->pipeline_ = parsed;
  p->source_ = gst_bin_get_by_name(GST_BIN(parsed), "src");
  p->sink_ = gst_bin_get_by_name(GST_BIN(parsed), "sink");
  if (p->source_ == nullptr || p->sink_ == nullptr) {
    *error = "pipeline must contain an element 'appsrc name=src' and an element named 'sink'";
    return nullptr;
  }
  if (udpsrc_fd < 0 && !GST_IS_APP_SRC(p->source_)) {
    *error = "pipeline: the element named 'src' must be an appsrc";
    return nullptr;
  }
  GstCaps* caps = gst_caps_from_string(kRtpCaps);
  gst_caps_set_simple(caps, "payload", G_TYPE_INT, payload_type, nullptr);
  if (udpsrc_fd >= 0) {
    const bool given = GiveSocket(p->source_, udpsrc_fd, caps, error);
    gst_caps_unref(caps);
    if (!given) return nullptr;
  } else {
    p->appsrc_ = GST_APP_SRC(p->source_);
    // A user's --pipeline may set its own caps on appsrc; keep them.
    GstCaps* current = gst_app_src_get_caps(p->appsrc_);
    if (current == nullptr) gst_app_src_set_caps(p->appsrc_, caps);
    else gst_caps_unref(current);
    gst_caps_unref(caps);
  }
  p->depayloader_ = FindByKlass(p->source_, {"Depayloader"});
  p->decoder_ = FindByKlass(p->source_, {"Decoder", "Video"});
  if (p->decoder_ != nullptr) p->decoder_thread_owner_ = ThreadOwner(p->decoder_);
  p->flow_ = std::make_unique<PadFlow>(parsed);
  p->bus_ = std::make_unique<BusWatch>(parsed, std::move(on_thread));
  return p;
}

Pipeline::~Pipeline() {
  Stop();
  flow_.reset();
  bus_.reset();
  if (source_) gst_object_unref(source_);
  if (sink_) gst_object_unref(sink_);
  if (pipeline_) gst_object_unref(pipeline_);
}

bool Pipeline::Play(std::string* error) {
  if (gst_element_set_state(pipeline_, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE) {
    *error = "pipeline failed to start" + (BusError().empty() ? std::string() : ": " + BusError());
    return false;
  }
  GstState state;
  if (gst_element_get_state(pipeline_, &state, nullptr, 5 * GST_SECOND) == GST_STATE_CHANGE_FAILURE) {
    *error = "pipeline failed to reach PLAYING: " + BusError();
    return false;
  }
  return true;
}

void Pipeline::EndStream() {
  if (appsrc_ != nullptr) {
    gst_app_src_end_of_stream(appsrc_);
  } else {
    gst_element_send_event(source_, gst_event_new_eos());
  }
}

Pipeline::Drain Pipeline::DrainToEos(double timeout_s, const std::function<std::uint64_t()>& delivered) {
  // Ending the stream may itself wait on the wedge (udpsrc's event handling
  // takes the lock its streaming thread holds while it pushes), so it runs on
  // a thread of its own, which the flush below sets free.
  std::thread ender([this] { EndStream(); });
  const auto now_ns = [] { return static_cast<std::uint64_t>(g_get_monotonic_time()) * 1000; };
  const std::uint64_t deadline = now_ns() + static_cast<std::uint64_t>(timeout_s * 1e9);
  std::uint64_t last = delivered(), last_change = now_ns();
  Drain result = Drain::kEndOfStream;
  while (!bus_->WaitForEos(0.05)) {
    const std::uint64_t now = delivered();
    if (now != last) {
      last = now;
      last_change = now_ns();
    } else if (now_ns() - last_change > kStallNs) {
      result = Drain::kFlushed;
      break;
    }
    if (now_ns() > deadline) {
      result = Drain::kTimedOut;
      break;
    }
  }
  if (result != Drain::kEndOfStream) {
    // Every element lets go of what it holds; stopping the pipeline then ends
    // every streaming thread; its counts are final (what was held shows as
    // dropped).
    FlushFromSource();
    Stop();
  }
  ender.join();
  return result;
}

void Pipeline::UnblockSource() {
  if (appsrc_ == nullptr) return;
  // Each setter wakes a push waiting for room (it broadcasts appsrc's condition).
  gst_app_src_set_max_bytes(appsrc_, 0);
  gst_app_src_set_max_buffers(appsrc_, 0);
  gst_app_src_set_max_time(appsrc_, 0);
}

void Pipeline::FlushFromSource() {
  // Flush start is not serialized: it overtakes the data and reaches a
  // blocked element past the streaming thread stuck in it. Every pad it
  // passes refuses buffers from then on, before its probes see them.
  GstPad* pad = gst_element_get_static_pad(source_, "src");
  if (pad != nullptr) {
    gst_pad_push_event(pad, gst_event_new_flush_start());
    gst_object_unref(pad);
  }
}

void Pipeline::Stop() {
  if (pipeline_) gst_element_set_state(pipeline_, GST_STATE_NULL);
}

}  // namespace rxbench::harness
