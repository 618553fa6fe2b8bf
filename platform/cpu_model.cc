#include "platform/cpu_model.h"

#include <fstream>
#include <sstream>

namespace rxbench::platform {

std::string CpuModelFrom(std::string_view cpuinfo) {
  constexpr std::string_view kKey = "model name";
  std::size_t line_start = 0;
  while (line_start < cpuinfo.size()) {
    std::size_t line_end = cpuinfo.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = cpuinfo.size();
    const std::string_view line = cpuinfo.substr(line_start, line_end - line_start);
    const std::size_t colon = line.find(':');
    if (line.substr(0, kKey.size()) == kKey && colon != std::string_view::npos &&
        line.find_first_not_of(" \t", kKey.size()) == colon) {
      std::string_view value = line.substr(colon + 1);
      const std::size_t first = value.find_first_not_of(" \t");
      if (first == std::string_view::npos) return "";
      value = value.substr(first);
      return std::string(value.substr(0, value.find_last_not_of(" \t\r") + 1));
    }
    line_start = line_end + 1;
  }
  return "";
}

std::string CpuModel() {
  std::ifstream file("/proc/cpuinfo");
  std::stringstream text;
  text << file.rdbuf();
  const std::string model = CpuModelFrom(text.str());
  return model.empty() ? "unknown" : model;
}

}  // namespace rxbench::platform
