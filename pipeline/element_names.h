// The name a pipeline element is reported under. GStreamer names an element
// the description did not name after its factory and a counter that runs for
// the whole process ("queue0", then "queue1" in the next pipeline), so the
// same element of the same pipeline would be reported under another name in
// every repetition. Such names are reported as the factory's ("queue");
// names the description gave are kept as they are.
#pragma once

#include <gst/gst.h>

#include <string>

namespace rxbench::harness {

std::string ReportedName(GstElement* element);

}  // namespace rxbench::harness
