#include "media/rtp_h264.h"

#include <algorithm>

namespace rxbench::media {

void PacketizeAccessUnit(const AccessUnit& unit, std::size_t max_payload, std::vector<std::uint8_t>* bytes,
                         std::vector<RtpPayload>* payloads) {
  const std::size_t first = payloads->size();
  for (const NalUnit& nal : unit) {
    if (nal.size <= max_payload) {
      payloads->push_back(RtpPayload{bytes->size(), nal.size, false});
      bytes->insert(bytes->end(), nal.data, nal.data + nal.size);
      continue;
    }
    const std::size_t room = max_payload - 2;
    const auto indicator = static_cast<std::uint8_t>((nal.data[0] & 0xe0) | kFuA);
    for (std::size_t at = 1; at < nal.size; at += room) {
      const std::size_t n = std::min(room, nal.size - at);
      const auto header =
          static_cast<std::uint8_t>((at == 1 ? 0x80 : 0) | (at + n == nal.size ? 0x40 : 0) | (nal.data[0] & 0x1f));
      payloads->push_back(RtpPayload{bytes->size(), n + 2, false});
      bytes->push_back(indicator);
      bytes->push_back(header);
      bytes->insert(bytes->end(), nal.data + at, nal.data + at + n);
    }
  }
  if (payloads->size() > first) payloads->back().last_of_access_unit = true;
}

}  // namespace rxbench::media
