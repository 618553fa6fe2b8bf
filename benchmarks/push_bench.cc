// Push policies (receivers/push_policy.h): handing received buffers to the
// production pipeline (harness::kDefaultPipeline: appsrc ! queue !
// rtpjitterbuffer ! fakesink), one gst_app_src_push_buffer per buffer vs one
// gst_app_src_push_buffer_list per 1, 4, 16 or 64 buffers.
//
// One iteration pushes kChunk buffers. Between iterations (timing paused) the
// pipeline drains completely - every pushed buffer has reached the sink - so
// appsrc's queue never grows and each chunk starts from the same state. The
// buffers are valid rxbench RTP packets (rtp::WritePacket) with consecutive
// sequence numbers, so rtpjitterbuffer forwards them all; they are allocated
// and written while timing is paused. Timed: the Push calls only, on this
// thread, in real time; the pipeline's streaming threads run concurrently on
// the other core (CPU time in the report is this thread's).
#include <benchmark/benchmark.h>
#include <gst/app/gstappsrc.h>
#include <gst/gst.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "benchmarks/counter_scope.h"
#include "metrics/thread_usage.h"
#include "pipeline/pipeline.h"
#include "receivers/push_policy.h"
#include "receivers/strategy.h"
#include "rtp/rtp_packet.h"

namespace rxbench::benchmarks {
namespace {

using receivers::PushKind;

constexpr int kChunk = 1024;  // buffers per iteration
constexpr std::size_t kPacketBytes = 1200;
constexpr int kSingleCall = 32;  // buffers per SinglePush::Push call (a receive batch)
constexpr auto kDrainTimeout = std::chrono::seconds(5);

GstPadProbeReturn CountDelivered(GstPad*, GstPadProbeInfo* info, gpointer counter) {
  std::uint64_t n = 1;
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    n = gst_buffer_list_length(GST_PAD_PROBE_INFO_BUFFER_LIST(info));
  }
  static_cast<std::atomic<std::uint64_t>*>(counter)->fetch_add(n, std::memory_order_relaxed);
  return GST_PAD_PROBE_OK;
}

// Fresh buffers holding packets first..first+count-1.
void PreparePackets(std::uint64_t first, int count, std::vector<GstBuffer*>* out) {
  out->clear();
  for (int i = 0; i < count; ++i) {
    const std::uint64_t index = first + static_cast<std::uint64_t>(i);
    rtp::Header header;
    header.sequence = static_cast<std::uint16_t>(index);
    header.timestamp = static_cast<std::uint32_t>(index / 30 * 3000);  // 30 packets per frame
    header.marker = index % 30 == 29;
    header.ssrc = 0x52584245;
    const rtp::Probe probe{metrics::MonotonicNs(), index};
    GstBuffer* buffer = gst_buffer_new_allocate(nullptr, kPacketBytes, nullptr);
    GstMapInfo map;
    gst_buffer_map(buffer, &map, GST_MAP_WRITE);
    rtp::WritePacket(header, probe, kPacketBytes - rtp::kHeaderBytes, map.data);
    gst_buffer_unmap(buffer, &map);
    out->push_back(buffer);
  }
}

// True once the sink has seen `expected` buffers (appsrc and queue empty).
bool WaitDelivered(const std::atomic<std::uint64_t>& delivered, std::uint64_t expected) {
  const auto deadline = std::chrono::steady_clock::now() + kDrainTimeout;
  while (delivered.load(std::memory_order_relaxed) < expected) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::microseconds(200));
  }
  return true;
}

// state.range(0): buffers per Push call (list size for kList).
void BM_Push(benchmark::State& state, PushKind kind) {
  const int per_call = static_cast<int>(state.range(0));
  std::string error;
  auto pipeline = harness::Pipeline::Create(harness::kDefaultPipeline, -1, nullptr, &error);
  if (!pipeline || !pipeline->Play(&error)) {
    state.SkipWithError(("pipeline: " + error).c_str());
    return;
  }
  std::atomic<std::uint64_t> delivered{0};
  GstPad* sink_pad = gst_element_get_static_pad(pipeline->sink(), "sink");
  gst_pad_add_probe(sink_pad, static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
                    CountDelivered, &delivered, nullptr);
  gst_object_unref(sink_pad);

  auto push = receivers::MakePushPolicy(kind);
  GstAppSrc* appsrc = pipeline->appsrc();
  std::vector<GstBuffer*> buffers;
  std::uint64_t next_index = 0;
  std::uint64_t refused = 0;
  bool drained = true;
  {  // counters: the loop only, not the final drain and the pipeline stop
    CounterScope scope(state, kChunk);
    for (auto _ : state) {
      state.PauseTiming();
      drained = WaitDelivered(delivered, next_index - refused);
      PreparePackets(next_index, kChunk, &buffers);
      next_index += kChunk;
      state.ResumeTiming();
      for (int i = 0; i < kChunk; i += per_call) {
        refused += static_cast<std::uint64_t>(push->Push(appsrc, buffers.data() + i, per_call));
      }
      if (!drained) break;
    }
  }
  if (drained) drained = WaitDelivered(delivered, next_index - refused);
  const std::string bus_error = pipeline->BusError();
  pipeline->Stop();
  if (!bus_error.empty()) {
    state.SkipWithError(("pipeline error: " + bus_error).c_str());
  } else if (refused != 0) {
    state.SkipWithError("appsrc refused buffers");
  } else if (!drained) {
    state.SkipWithError("the pipeline did not deliver every buffer to the sink");
  }
  state.SetItemsProcessed(state.iterations() * kChunk);
}

// Names: BM_Push/single/per_call:32 and BM_Push/list/per_call:<list size>.
[[maybe_unused]] const bool kRegistered = [] {
  benchmark::RegisterBenchmark("BM_Push/single", BM_Push, PushKind::kSingle)
      ->Arg(kSingleCall)
      ->ArgName("per_call")
      ->UseRealTime();
  benchmark::RegisterBenchmark("BM_Push/list", BM_Push, PushKind::kList)
      ->Args({1})
      ->Args({4})
      ->Args({16})
      ->Args({64})
      ->ArgName("per_call")
      ->UseRealTime();
  return true;
}();

}  // namespace
}  // namespace rxbench::benchmarks
