// Named traffic scenarios: what `--scenario NAME` means. A scenario is the
// shape of a stream -- shape, rate, frame rate, duration, payload size -- with
// a name and a reason; explicit options override its fields, and every other
// setting of the traffic is the run's own (spec/run_spec.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "traffic_gen/traffic_spec.h"

namespace rxbench::harness {

struct Scenario {
  std::string name;
  std::string description;
  traffic_gen::Shape shape;
  double rate_pps;
  double fps;
  double duration_s;
  std::size_t payload_bytes;

  // Sets the fields a scenario names; leaves the rest of `traffic` as it is.
  void ApplyTo(traffic_gen::TrafficSpec* traffic) const;
};

inline constexpr char kDefaultScenario[] = "default";

const std::vector<Scenario>& Scenarios();
std::optional<Scenario> FindScenario(std::string_view name);

}  // namespace rxbench::harness
