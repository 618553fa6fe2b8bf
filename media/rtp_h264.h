// RFC 6184 packetization mode 1 (non-interleaved): the RTP payloads of an
// H.264 access unit.
//
// A NAL unit that fits max_payload bytes goes as a single NAL unit packet (the
// NAL unit itself); a larger one as FU-A fragments: FU indicator (the NAL
// header's F and NRI, type 28), FU header (S on the first, E on the last, the
// NAL's type) and up to max_payload - 2 bytes of the NAL unit after its
// header. STAP-A is not used: aggregating the small parameter sets would save
// a few packets per keyframe and makes no difference to what is measured.
// The last payload of the access unit is the one whose packet carries the
// marker bit; every payload of it shares the access unit's timestamp.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/annex_b.h"

namespace rxbench::media {

inline constexpr std::uint8_t kFuA = 28;
// The smallest max_payload that leaves an FU-A fragment one byte of data.
inline constexpr std::size_t kMinRtpPayload = 3;

struct RtpPayload {
  std::size_t offset = 0;  // into the bytes vector given to PacketizeAccessUnit
  std::size_t size = 0;
  bool last_of_access_unit = false;  // its packet carries the marker bit
};

// Appends the payloads of `unit` to *bytes and their places to *payloads.
// max_payload >= kMinRtpPayload.
void PacketizeAccessUnit(const AccessUnit& unit, std::size_t max_payload, std::vector<std::uint8_t>* bytes,
                         std::vector<RtpPayload>* payloads);

}  // namespace rxbench::media
