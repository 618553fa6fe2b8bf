// Rates in option text: "0.01" or "1%" both mean one packet in a hundred.
#pragma once

#include <string>
#include <vector>

namespace rxbench::traffic_gen {

// Parses `text` as a fraction in [0, 1]; false when it is not a number, has
// trailing text, or is out of range.
bool ParseRate(const std::string& text, double* rate);

// The items of a comma-separated option ("a,b:1%,c"), empty ones included.
std::vector<std::string> SplitCommas(const std::string& text);

}  // namespace rxbench::traffic_gen
