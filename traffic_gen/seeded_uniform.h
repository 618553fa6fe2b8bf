// A uniform draw in [0, 1) from (seed, index) alone, with no generator state,
// so that a plan can be asked about any packet in any order and answer the same.
#pragma once

#include <cstdint>

namespace rxbench::traffic_gen {

// SplitMix64's finaliser: every input bit affects every output bit, so
// consecutive indices give unrelated draws.
inline std::uint64_t MixBits(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// `stream` separates independent decisions made from one seed (malformed
// insertion vs impairment), so they are not correlated.
inline double SeededUniform(std::uint64_t seed, std::uint64_t stream, std::uint64_t index) {
  const std::uint64_t bits = MixBits(MixBits(seed ^ (stream * 0xd1b54a32d192ed03ull)) + index);
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

}  // namespace rxbench::traffic_gen
