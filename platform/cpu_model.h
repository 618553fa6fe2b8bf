// The processor's name as the kernel reports it (/proc/cpuinfo's "model
// name"), recorded with every result so that numbers from two machines are
// never mistaken for one machine's.
#pragma once

#include <string>
#include <string_view>

namespace rxbench::platform {

// The first "model name" of a /proc/cpuinfo text; "" when it has none (some
// architectures name their cores otherwise).
std::string CpuModelFrom(std::string_view cpuinfo);

// This machine's, or "unknown".
std::string CpuModel();

}  // namespace rxbench::platform
