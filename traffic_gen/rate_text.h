// Rates in option text: "0.01" or "1%" both mean one packet in a hundred.
#pragma once

#include <string>

namespace rxbench::traffic_gen {

// Parses `text` as a fraction in [0, 1]; false when it is not a number, has
// trailing text, or is out of range.
bool ParseRate(const std::string& text, double* rate);

}  // namespace rxbench::traffic_gen
