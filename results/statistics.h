// Small statistics shared by the reporters. (A/B verdicts with confidence
// intervals belong to the reports, with scipy.)
#pragma once

#include <algorithm>
#include <vector>

namespace rxbench::harness {

// The median of `values`; 0 for none.
inline double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

}  // namespace rxbench::harness
