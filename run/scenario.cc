#include "run/scenario.h"

namespace rxbench::harness {
namespace {

Scenario Make(const char* name, const char* description, traffic_gen::Shape shape, double pps, double fps,
              double duration_s) {
  return Scenario{name, description, shape, pps, fps, duration_s, /*payload_bytes=*/1200};
}

}  // namespace

const std::vector<Scenario>& Scenarios() {
  using traffic_gen::Shape;
  static const std::vector<Scenario> scenarios = {
      // 1 s, so that `compare` runs every strategy 6 times (the fewest pairs
      // that can be significant) within 90 s.
      Make("default", "a ~100 Mbit/s video stream: 10 kpps in 30 fps frame bursts, 1200 B payload, 1 s", Shape::kBurst,
           10000, 30, 1),
      Make("high-rate", "overload probe: 200 kpps in 30 fps frame bursts (6667 packets per frame), 2 s", Shape::kBurst,
           200000, 30, 2),
      Make("cbr-low", "2 kpps evenly paced: wake-up cost dominates, 2 s", Shape::kCbr, 2000, 30, 2),
      Make("cbr-high", "100 kpps evenly paced, 2 s", Shape::kCbr, 100000, 30, 2),
  };
  return scenarios;
}

void Scenario::ApplyTo(traffic_gen::TrafficSpec* traffic) const {
  traffic->shape = shape;
  traffic->rate_pps = rate_pps;
  traffic->fps = fps;
  traffic->duration_s = duration_s;
  traffic->payload_bytes = payload_bytes;
}

std::optional<Scenario> FindScenario(std::string_view name) {
  for (const Scenario& s : Scenarios()) {
    if (s.name == name) return s;
  }
  return std::nullopt;
}

}  // namespace rxbench::harness
