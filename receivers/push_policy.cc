#include "receivers/push_policy.h"

namespace rxbench::receivers {
namespace {

class SinglePush final : public PushPolicy {
 public:
  int Push(GstAppSrc* appsrc, GstBuffer** buffers, int n) override {
    int refused = 0;
    for (int i = 0; i < n; ++i) {
      if (gst_app_src_push_buffer(appsrc, buffers[i]) != GST_FLOW_OK) ++refused;
    }
    return refused;
  }
};

class ListPush final : public PushPolicy {
 public:
  int Push(GstAppSrc* appsrc, GstBuffer** buffers, int n) override {
    if (n == 0) return 0;
    GstBufferList* list = gst_buffer_list_new_sized(static_cast<guint>(n));
    for (int i = 0; i < n; ++i) gst_buffer_list_add(list, buffers[i]);
    return gst_app_src_push_buffer_list(appsrc, list) == GST_FLOW_OK ? 0 : n;
  }
};

}  // namespace

std::unique_ptr<PushPolicy> MakePushPolicy(PushKind kind) {
  if (kind == PushKind::kSingle) return std::make_unique<SinglePush>();
  return std::make_unique<ListPush>();
}

}  // namespace rxbench::receivers
