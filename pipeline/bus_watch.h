// What a pipeline says on its bus, heard synchronously on the thread that
// says it: the first error (with GStreamer's reason), end-of-stream, and each
// streaming thread as it starts (stream-status ENTER is posted by the
// streaming thread itself, so the listener learns its kernel thread id and
// can pin it right there).
#pragma once

#include <gst/gst.h>
#include <sys/types.h>

#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>

namespace rxbench::harness {

// On the streaming thread itself: the element that owns its task.
using StreamingThreadStarted = std::function<void(pid_t tid, GstElement* owner)>;

class BusWatch {
 public:
  // Installs a sync handler on `pipeline`'s bus; removed by the destructor.
  BusWatch(GstElement* pipeline, StreamingThreadStarted on_thread);
  ~BusWatch();
  BusWatch(const BusWatch&) = delete;
  BusWatch& operator=(const BusWatch&) = delete;

  // First error posted, "" if none: "element: message (reason)".
  std::string error() const;
  // Waits up to timeout_s for end-of-stream; false on timeout.
  bool WaitForEos(double timeout_s);

 private:
  static GstBusSyncReply OnMessage(GstBus* bus, GstMessage* message, gpointer self);

  GstElement* pipeline_;
  StreamingThreadStarted on_thread_;
  mutable std::mutex mutex_;
  std::condition_variable eos_cv_;
  bool eos_ = false;   // guarded by mutex_
  std::string error_;  // guarded by mutex_
};

}  // namespace rxbench::harness
