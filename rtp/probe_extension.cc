#include "rtp/probe_extension.h"

#include <cstring>

namespace rxbench::rtp {

void WriteProbeExtension(std::uint8_t* header, std::uint8_t* out) {
  header[0] = static_cast<std::uint8_t>(header[0] | 0x10);
  out[0] = kOneByteProfile >> 8;
  out[1] = kOneByteProfile & 0xff;
  out[2] = 0;
  out[3] = (kProbeExtensionBytes - 4) / 4;
  out[4] = static_cast<std::uint8_t>(kProbeExtensionId << 4 | (kProbeBytes - 1));
  std::memset(out + kProbeInExtension, 0, kProbeExtensionBytes - kProbeInExtension);
}

bool FindProbe(const std::uint8_t* data, std::size_t size, std::size_t payload_offset, Probe* probe) {
  if (size < kHeaderBytes) return false;
  if ((data[0] & 0x10) == 0) {
    if (size < payload_offset + kProbeBytes) return false;
    *probe = ReadProbe(data + payload_offset);
    return true;
  }
  // ParseHeader has checked that the extension lies inside the datagram and
  // ends at payload_offset.
  const std::size_t start = kHeaderBytes + 4 * std::size_t{data[0] & 0x0fu};
  if (start + 4 > size || payload_offset > size) return false;
  if (((data[start] << 8) | data[start + 1]) != kOneByteProfile) return false;
  std::size_t i = start + 4;
  while (i < payload_offset) {
    const std::uint8_t b = data[i];
    if (b == 0) {  // padding between elements
      ++i;
      continue;
    }
    const unsigned id = b >> 4;
    if (id == 15) return false;  // RFC 8285: stop parsing here
    const std::size_t length = (b & 0x0fu) + 1;
    if (i + 1 + length > payload_offset) return false;
    if (id == kProbeExtensionId && length == kProbeBytes) {
      *probe = ReadProbe(data + i + 1);
      return true;
    }
    i += 1 + length;
  }
  return false;
}

}  // namespace rxbench::rtp
