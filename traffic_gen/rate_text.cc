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

}  // namespace rxbench::traffic_gen
