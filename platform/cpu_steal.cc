#include "platform/cpu_steal.h"

#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>

namespace rxbench::platform {

std::optional<std::uint64_t> ParseProcStatStealTicks(std::string_view text) {
  std::istringstream in{std::string(text)};
  for (std::string line; std::getline(in, line);) {
    // "cpu  user nice system idle iowait irq softirq steal ...": the machine;
    // "cpu0 ..." lines are single CPUs.
    std::istringstream fields(line);
    std::string name;
    if (!(fields >> name) || name != "cpu") continue;
    std::uint64_t value = 0;
    for (int index = 1; index <= 8; ++index) {
      if (!(fields >> value)) return std::nullopt;  // a kernel older than the steal field
    }
    return value;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> MachineStealNs() {
  std::ifstream in("/proc/stat");
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  const std::optional<std::uint64_t> ticks = ParseProcStatStealTicks(text.str());
  const long hz = sysconf(_SC_CLK_TCK);
  if (!ticks || hz <= 0) return std::nullopt;
  return *ticks * (1'000'000'000u / static_cast<std::uint64_t>(hz));
}

}  // namespace rxbench::platform
