// H.264 Annex B byte streams cut into NAL units and access units: what the
// packetiser (rtp_h264.h) needs of an encoder's output file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rxbench::media {

// One NAL unit inside a byte stream, without its start code (its first byte is
// the NAL header).
struct NalUnit {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;

  unsigned type() const { return data[0] & 0x1fu; }
  bool vcl() const { return type() >= 1 && type() <= 5; }
  bool idr() const { return type() == 5; }
};

using AccessUnit = std::vector<NalUnit>;

// The NAL units of data[0..size), in order. Start codes are 00 00 01 or
// 00 00 00 01; zero bytes before a start code (a 4-byte start code's first,
// trailing_zero_8bits) belong to no NAL unit. Bytes before the first start
// code are ignored.
std::vector<NalUnit> SplitNalUnits(const std::uint8_t* data, std::size_t size);

// Groups NAL units into access units (H.264 7.4.1.2.3): after a slice, an
// access unit delimiter, SEI, SPS or PPS, or a slice whose first_mb_in_slice
// is 0, starts the next one.
std::vector<AccessUnit> SplitAccessUnits(const std::vector<NalUnit>& nals);

}  // namespace rxbench::media
