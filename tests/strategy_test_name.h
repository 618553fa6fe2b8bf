// gtest names parameterised tests after their parameter, and allows only
// letters, digits and '_': strategy names carry '-', '+' and '/'
// ("combined-list", "null+gro", "gro/gso32").
#pragma once

#include <cctype>
#include <string>

#include <gtest/gtest.h>

namespace rxbench::tests {

inline std::string StrategyTestName(const testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

}  // namespace rxbench::tests
