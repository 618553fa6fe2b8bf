#include "pipeline/pad_flow.h"

#include <set>
#include <string>

#include "pipeline/element_names.h"

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

// Iterates an element's src or sink pads.
template <typename F>
void ForEachPad(GstIterator* it, F&& f) {
  GValue item = G_VALUE_INIT;
  while (gst_iterator_next(it, &item) == GST_ITERATOR_OK) {
    f(GST_PAD(g_value_get_object(&item)));
    g_value_reset(&item);
  }
  g_value_unset(&item);
  gst_iterator_free(it);
}

std::string FactoryName(GstElement* element) {
  GstElementFactory* factory = gst_element_get_factory(element);
  return factory ? GST_OBJECT_NAME(factory) : "";
}

// Buffers an element still holds, for the elements that say.
std::uint64_t QueuedBuffers(GstElement* element, const std::string& factory) {
  if (factory == "appsrc") {
    guint64 level = 0;
    g_object_get(element, "current-level-buffers", &level, nullptr);
    return level;
  }
  if (factory == "queue") {
    guint level = 0;
    g_object_get(element, "current-level-buffers", &level, nullptr);
    return level;
  }
  return 0;
}

}  // namespace

PadFlow::PadFlow(GstElement* pipeline) {
  ForEachElement(pipeline, [&](GstElement* element) {
    if (GST_IS_BIN(element)) return;  // its ghost pads would count its children twice
    ForEachPad(gst_element_iterate_src_pads(element), [&](GstPad* pad) {
      auto counter = std::make_unique<PadCounter>();
      counter->pad = GST_PAD(gst_object_ref(pad));
      counter->probe = gst_pad_add_probe(
          counter->pad, static_cast<GstPadProbeType>(GST_PAD_PROBE_TYPE_BUFFER | GST_PAD_PROBE_TYPE_BUFFER_LIST),
          &PadFlow::CountBuffers, counter.get(), nullptr);
      counters_.push_back(std::move(counter));
    });
  });
}

PadFlow::~PadFlow() {
  for (const auto& counter : counters_) {
    gst_pad_remove_probe(counter->pad, counter->probe);
    gst_object_unref(counter->pad);
  }
}

GstPadProbeReturn PadFlow::CountBuffers(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* counter = static_cast<PadCounter*>(data);
  std::uint64_t n = 1;
  if (GST_PAD_PROBE_INFO_TYPE(info) & GST_PAD_PROBE_TYPE_BUFFER_LIST) {
    n = gst_buffer_list_length(GST_PAD_PROBE_INFO_BUFFER_LIST(info));
  }
  // A pad pushes from one streaming thread at a time: load+store is enough.
  counter->buffers.store(counter->buffers.load(std::memory_order_relaxed) + n, std::memory_order_relaxed);
  return GST_PAD_PROBE_OK;
}

std::uint64_t PadFlow::CountedOut(GstPad* src_pad) const {
  for (const auto& c : counters_) {
    if (c->pad == src_pad) return c->buffers.load(std::memory_order_relaxed);
  }
  return 0;
}

PipelineCounts PadFlow::Count(GstElement* pipeline, GstElement* source, GstElement* sink) const {
  PipelineCounts c;
  // The sink, and every element downstream of it (a depayloader's: they
  // carry frames, not packets).
  std::set<GstElement*> past;
  for (GstElement* e = sink; e != nullptr && past.insert(e).second;) {
    GstPad* src = gst_element_get_static_pad(e, "src");
    GstPad* peer = src != nullptr ? gst_pad_get_peer(src) : nullptr;
    if (src != nullptr) gst_object_unref(src);
    e = peer != nullptr ? GST_PAD_PARENT(peer) : nullptr;
    if (peer != nullptr) gst_object_unref(peer);
  }
  ForEachElement(pipeline, [&](GstElement* e) {
    if (GST_IS_BIN(e)) return;
    const std::string factory = FactoryName(e);
    ElementFlow flow;
    flow.name = ReportedName(e);
    for (const auto& counter : counters_) {
      if (GST_PAD_PARENT(counter->pad) == e) flow.out += counter->buffers.load(std::memory_order_relaxed);
    }
    ForEachPad(gst_element_iterate_sink_pads(e), [&](GstPad* pad) {
      if (GstPad* peer = gst_pad_get_peer(pad)) {
        flow.in += CountedOut(peer);
        gst_object_unref(peer);
      }
    });
    flow.level = QueuedBuffers(e, factory);
    if (e == source) {
      c.source_out = flow.out;
      c.source_level = flow.level;
    } else if (past.count(e) == 0) {
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

}  // namespace rxbench::harness
