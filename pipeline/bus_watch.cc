#include "pipeline/bus_watch.h"

#include <chrono>

#include "platform/this_thread.h"

namespace rxbench::harness {

BusWatch::BusWatch(GstElement* pipeline, StreamingThreadStarted on_thread)
    : pipeline_(pipeline), on_thread_(std::move(on_thread)) {
  GstBus* bus = gst_element_get_bus(pipeline_);
  gst_bus_set_sync_handler(bus, &BusWatch::OnMessage, this, nullptr);
  gst_object_unref(bus);
}

BusWatch::~BusWatch() {
  GstBus* bus = gst_element_get_bus(pipeline_);
  gst_bus_set_sync_handler(bus, nullptr, nullptr, nullptr);
  gst_object_unref(bus);
}

GstBusSyncReply BusWatch::OnMessage(GstBus*, GstMessage* message, gpointer self) {
  auto* watch = static_cast<BusWatch*>(self);
  switch (GST_MESSAGE_TYPE(message)) {
    case GST_MESSAGE_STREAM_STATUS: {
      GstStreamStatusType type;
      GstElement* owner = nullptr;
      gst_message_parse_stream_status(message, &type, &owner);
      if (type == GST_STREAM_STATUS_TYPE_ENTER && watch->on_thread_) watch->on_thread_(platform::CurrentTid(), owner);
      break;
    }
    case GST_MESSAGE_EOS: {
      std::lock_guard<std::mutex> lock(watch->mutex_);
      watch->eos_ = true;
      watch->eos_cv_.notify_all();
      break;
    }
    case GST_MESSAGE_ERROR: {
      GError* err = nullptr;
      gchar* debug = nullptr;
      gst_message_parse_error(message, &err, &debug);
      std::lock_guard<std::mutex> lock(watch->mutex_);
      if (watch->error_.empty()) {
        watch->error_ = std::string(GST_OBJECT_NAME(GST_MESSAGE_SRC(message))) + ": " + err->message;
        // The debug text's last line says why ("streaming stopped, reason
        // not-negotiated (-4)"); the rest is a source location.
        if (debug != nullptr) {
          std::string detail = debug;
          const std::size_t newline = detail.rfind('\n');
          if (newline != std::string::npos) detail = detail.substr(newline + 1);
          if (!detail.empty()) watch->error_ += " (" + detail + ")";
        }
      }
      g_error_free(err);
      g_free(debug);
      break;
    }
    default: break;
  }
  // A sync handler that drops a message owns it (GstBusSyncHandler): without
  // this unref every message, and with it the pipeline it names, leaked; a
  // run's whole pipeline, its bus's two file descriptors with it, stayed
  // behind after every repetition (lifecycle_test).
  gst_message_unref(message);
  return GST_BUS_DROP;
}

std::string BusWatch::error() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return error_;
}

bool BusWatch::WaitForEos(double timeout_s) {
  std::unique_lock<std::mutex> lock(mutex_);
  return eos_cv_.wait_for(lock, std::chrono::duration<double>(timeout_s), [this] { return eos_; });
}

}  // namespace rxbench::harness
