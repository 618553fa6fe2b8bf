// How received buffers enter the pipeline: the "push" policy axis.
//   single  gst_app_src_push_buffer() per packet (the original receiver)
//   list    gst_app_src_push_buffer_list() once per received batch
#pragma once

#include <gst/app/gstappsrc.h>

#include <memory>

#include "receivers/strategy.h"

namespace rxbench::receivers {

class PushPolicy {
 public:
  virtual ~PushPolicy() = default;
  // Takes ownership of buffers[0..n). Returns how many appsrc refused.
  virtual int Push(GstAppSrc* appsrc, GstBuffer** buffers, int n) = 0;
};

std::unique_ptr<PushPolicy> MakePushPolicy(PushKind kind);

}  // namespace rxbench::receivers
