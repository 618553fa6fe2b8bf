#include "harness/pipeline.h"

#include <gio/gio.h>
#include <unistd.h>

#include <chrono>
#include <regex>

namespace rxbench::harness {
namespace {

// Iterates the elements of `bin` recursively.
template <typename F>
void ForEachElement(GstElement* bin, F&& f) {
  GstIterator* it = gst_bin_iterate_recurse(GST_BIN(bin));
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    f(GST_ELEMENT(g_value_get_object(&item)));
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
}

std::string FactoryName(GstElement* element) {
  GstElementFactory* factory = gst_element_get_factory(element);
  return factory ? GST_OBJECT_NAME(factory) : "";
}

}  // namespace

void EnsureGstInit() {
  static const bool initialised = [] {
    gst_init(nullptr, nullptr);
    return true;
  }();
  (void)initialised;
}

std::unique_ptr<Pipeline> Pipeline::Create(const std::string& description, int udpsrc_fd, std::string* error) {
  EnsureGstInit();
  static const std::regex kAppsrc(R"(appsrc\b[^!]*\bname=src\b[^!]*)");
  if (!std::regex_search(description, kAppsrc)) {
    *error = "pipeline must contain an element 'appsrc name=src'";
    return nullptr;
  }
  std::string text = description;
  if (udpsrc_fd >= 0) {
    text = std::regex_replace(description, kAppsrc, "udpsrc name=src ", std::regex_constants::format_first_only);
  }
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
  if (p->sink_ == nullptr) {
    *error = "pipeline must contain an element named 'sink'";
    return nullptr;
  }
  GstCaps* caps = gst_caps_from_string(kRtpCaps);
  if (udpsrc_fd >= 0) {
    GError* socket_error = nullptr;
    // GSocket closes its fd when finalized, whatever udpsrc's close-socket
    // says: give it a duplicate, the harness keeps (and closes) the original.
    const int fd = dup(udpsrc_fd);
    GSocket* socket = fd >= 0 ? g_socket_new_from_fd(fd, &socket_error) : nullptr;
    if (socket == nullptr) {
      if (fd >= 0) close(fd);
      *error = std::string("udpsrc socket: ") + (socket_error != nullptr ? socket_error->message : "dup failed");
      if (socket_error != nullptr) g_error_free(socket_error);
      gst_caps_unref(caps);
      return nullptr;
    }
    g_object_set(p->source_, "socket", socket, "close-socket", FALSE, "caps", caps, nullptr);
    g_object_unref(socket);
  } else {
    p->appsrc_ = GST_APP_SRC(p->source_);
    GstCaps* current = gst_app_src_get_caps(p->appsrc_);
    if (current == nullptr) gst_app_src_set_caps(p->appsrc_, caps);
    else gst_caps_unref(current);
  }
  gst_caps_unref(caps);

  p->CountEverySrcPad();

  GstBus* bus = gst_element_get_bus(parsed);
  gst_bus_set_sync_handler(bus, &Pipeline::OnBusMessage, p.get(), nullptr);
  gst_object_unref(bus);
  return p;
}

Pipeline::~Pipeline() {
  Stop();
  for (const auto& counter : pad_counters_) gst_object_unref(counter->pad);
  if (source_) gst_object_unref(source_);
  if (sink_) gst_object_unref(sink_);
  if (pipeline_) {
    GstBus* bus = gst_element_get_bus(pipeline_);
    gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
    gst_object_unref(bus);
    gst_object_unref(pipeline_);
  }
}

GstPadProbeReturn Pipeline::CountBuffers(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* counter = static_cast<PadCounter*>(data);
  std::uint64_t n = 1;
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    n = gst_buffer_list_length(GST_PAD_PROBE_INFO_BUFFER_LIST(info));
  }
  // A pad pushes from one streaming thread at a time: load+store is enough.
  counter->buffers.store(counter->buffers.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  return GST_PAD_PROBE_OK;
}

// Static src pads only: the default pipeline and linear custom ones have no
// others. Pads added later (demuxers) are not counted; their drops would show
// up as unexplained rather than be hidden.
void Pipeline::CountEverySrcPad() {
  ForEachElement(pipeline_, [&](GstElement* element) {
    if (GST_IS_BIN(element)) return;  // its ghost pads would count its children twice
    GstIterator* it = gst_element_iterate_src_pads(element);
    GValue item = G_VALUE_INIT;
    while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
      auto counter = std::make_unique<PadCounter>();
      counter->pad = GST_PAD(g_value_dup_object(&item));
      gst_pad_add_probe(counter->pad,
                        static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                        &Pipeline::CountBuffers, counter.get(), nullptr);
      pad_counters_.push_back(std::move(counter));
      g_value_reset(&item);
    }
    g_value_unset(&item);
    gst_iterator_free(it);
  });
}

std::uint64_t Pipeline::CountedOut(GstPad* src_pad) const {
  for (const auto& c : pad_counters_) {
    if (c->pad == src_pad) return c->buffers.load(std::memory_order_relaxed);
  }
  return 0;
}

// Runs on the thread that posts: stream-status ENTER/LEAVE are posted by the
// streaming thread itself, so its own CPU clock can be sampled right here.
GstBusSyncReply Pipeline::OnBusMessage(GstBus*, GstMessage* message, gpointer self) {
  auto* p = static_cast<Pipeline*>(self);
  if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_STREAM_STATUS) {
    GstStreamStatusType type;
    GstElement* owner = nullptr;
    gst_message_parse_stream_status(message, &type, &owner);
    if (type == GST_STREAM_STATUS_TYPE_ENTER || type == GST_STREAM_STATUS_TYPE_LEAVE) {
      const metrics::ThreadUsage now = metrics::SampleCallingThread();
      GThread* self_thread = g_thread_self();
      std::lock_guard<std::mutex> lock(p->mutex_);
      if (type == GST_STREAM_STATUS_TYPE_ENTER) {
        StreamingThread t;
        t.owner = GST_OBJECT_NAME(owner);
        t.is_source = owner == p->source_;
        t.usage = now;
        p->threads_.push_back(t);
        p->thread_ids_.push_back(self_thread);
      } else {
        for (std::size_t i = p->threads_.size(); i-- > 0;) {
          if (p->thread_ids_[i] == self_thread && !p->threads_[i].finished) {
            p->threads_[i].usage = now - p->threads_[i].usage;
            p->threads_[i].finished = true;
            break;
          }
        }
      }
    }
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_EOS) {
    std::lock_guard<std::mutex> lock(p->mutex_);
    p->eos_ = true;
    p->eos_cv_.notify_all();
  } else if (GST_MESSAGE_TYPE(message) == GST_MESSAGE_ERROR) {
    GError* err = nullptr;
    gchar* debug = nullptr;
    gst_message_parse_error(message, &err, &debug);
    std::lock_guard<std::mutex> lock(p->mutex_);
    if (p->bus_error_.empty()) {
      p->bus_error_ = std::string(GST_OBJECT_NAME(GST_MESSAGE_SRC(message))) + ": " + err->message;
      // The debug text's last line says why ("streaming stopped, reason
      // not-negotiated (-4)"); the rest is a source location.
      if (debug != nullptr) {
        std::string detail = debug;
        const std::size_t newline = detail.rfind('\n');
        if (newline != std::string::npos) detail = detail.substr(newline + 1);
        if (!detail.empty()) p->bus_error_ += " (" + detail + ")";
      }
    }
    g_error_free(err);
    g_free(debug);
  }
  return GST_BUS_DROP;
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

bool Pipeline::DrainToEos(double timeout_s) {
  if (appsrc_ != nullptr) {
    gst_app_src_end_of_stream(appsrc_);
  } else {
    gst_element_send_event(source_, gst_event_new_eos());
  }
  std::unique_lock<std::mutex> lock(mutex_);
  return eos_cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [this] { return eos_; });
}

PipelineCounts Pipeline::Counts() const {
  PipelineCounts c;
  ForEachElement(pipeline_, [&](GstElement* e) {
    if (GST_IS_BIN(e)) return;
    const std::string factory = FactoryName(e);
    ElementFlow flow;
    flow.name = GST_OBJECT_NAME(e);
    flow.factory = factory;
    for (const auto& counter : pad_counters_) {
      if (GST_PAD_PARENT(counter->pad) == e) flow.out += counter->buffers.load(std::memory_order_relaxed);
    }
    GstIterator* it = gst_element_iterate_sink_pads(e);
    GValue item = G_VALUE_INIT;
    while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
      if (GstPad* peer = gst_pad_get_peer(GST_PAD(g_value_get_object(&item)))) {
        flow.in += CountedOut(peer);
        gst_object_unref(peer);
      }
      g_value_reset(&item);
    }
    g_value_unset(&item);
    gst_iterator_free(it);
    if (factory == "appsrc") {
      guint64 level = 0;
      g_object_get(e, "current-level-buffers", &level, nullptr);
      flow.level = level;
    } else if (factory == "queue") {
      guint level = 0;
      g_object_get(e, "current-level-buffers", &level, nullptr);
      flow.level = level;
    }
    if (e == source_) {
      c.source_out = flow.out;
      c.source_level = flow.level;
    } else if (e != sink_) {
      c.downstream.push_back(flow);
    }
    if (factory == "rtpjitterbuffer") {
      GstStructure* stats = nullptr;
      g_object_get(e, "stats", &stats, nullptr);
      if (stats) {
        guint64 v = 0;
        if (gst_structure_get_uint64(stats, "num-late", &v)) c.jitterbuffer_late += v;
        if (gst_structure_get_uint64(stats, "num-duplicates", &v)) c.jitterbuffer_duplicates += v;
        gst_structure_free(stats);
      }
    }
  });
  return c;
}

void Pipeline::Stop() {
  if (pipeline_) gst_element_set_state(pipeline_, GST_STATE_NULL);
}

std::vector<StreamingThread> Pipeline::threads() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return threads_;
}

std::string Pipeline::BusError() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return bus_error_;
}

}  // namespace rxbench::harness
