// How many of the sender's datagrams one datagram read from a UDP_GRO socket
// stands for. Apart from the gro call so that the socket drain, which counts
// what is left in the socket at the end of a run, counts the same way.
#pragma once

#include <cstddef>
#include <cstdint>

namespace rxbench::receivers {

// ceil(real_length / segment_size), at least 1; 1 when segment_size is 0 (no
// UDP_GRO message: not coalesced).
inline std::uint32_t SegmentCount(std::size_t real_length, std::size_t segment_size) {
  if (segment_size == 0 || real_length <= segment_size) return 1;
  return static_cast<std::uint32_t>((real_length + segment_size - 1) / segment_size);
}

}  // namespace rxbench::receivers
