#include "traffic_gen/rate_text.h"

#include <cmath>
#include <cstdlib>

namespace rxbench::traffic_gen {

bool ParseRate(const std::string& text, double* rate) {
  if (text.empty()) return false;
  const bool percent = text.back() == '%';
  const std::string number = percent ? text.substr(0, text.size() - 1) : text;
  if (number.empty()) return false;
  char* end = nullptr;
  double value = std::strtod(number.c_str(), &end);
  if (end != number.c_str() + number.size() || !std::isfinite(value)) return false;
  if (percent) value /= 100.0;
  if (value < 0.0 || value > 1.0) return false;
  *rate = value;
  return true;
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    items.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return items;
}

}  // namespace rxbench::traffic_gen
