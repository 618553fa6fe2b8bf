// Named traffic scenarios: what `--scenario NAME` means. A scenario is only a
// TrafficSpec with a name and a reason; explicit options override its fields.
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
  traffic_gen::TrafficSpec traffic;
};

inline constexpr char kDefaultScenario[] = "default";

const std::vector<Scenario>& Scenarios();
std::optional<Scenario> FindScenario(std::string_view name);

}  // namespace rxbench::harness
