#include "rtp/rtcp_app.h"

#include <algorithm>

namespace rxbench::rtp {
namespace {

constexpr std::uint8_t kVersionBits = 2 << 6;
constexpr std::uint8_t kPaddingBit = 1 << 5;
constexpr std::size_t kMaxWords = 0xFFFF + 1;  // length field + 1

std::uint32_t GetBe32(const std::uint8_t* in) {
  return std::uint32_t{in[0]} << 24 | std::uint32_t{in[1]} << 16 | std::uint32_t{in[2]} << 8 | in[3];
}

}  // namespace

std::vector<std::uint8_t> WriteApp(const AppPacket& packet) {
  if (packet.subtype > 31 || packet.name.size() != 4) return {};
  const std::size_t unpadded = kRtcpAppHeaderBytes + packet.data.size();
  const std::size_t padding = (4 - unpadded % 4) % 4;
  const std::size_t total = unpadded + padding;
  if (total / 4 > kMaxWords) return {};
  std::vector<std::uint8_t> out(total, 0);
  out[0] = static_cast<std::uint8_t>(kVersionBits | (padding != 0 ? kPaddingBit : 0) | packet.subtype);
  out[1] = kRtcpApp;
  const std::size_t length = total / 4 - 1;
  out[2] = static_cast<std::uint8_t>(length >> 8);
  out[3] = static_cast<std::uint8_t>(length);
  for (int i = 0; i < 4; ++i) out[4 + i] = static_cast<std::uint8_t>(packet.ssrc >> (24 - 8 * i));
  for (int i = 0; i < 4; ++i) out[8 + i] = static_cast<std::uint8_t>(packet.name[i]);
  std::copy(packet.data.begin(), packet.data.end(), out.begin() + kRtcpAppHeaderBytes);
  if (padding != 0) out.back() = static_cast<std::uint8_t>(padding);
  return out;
}

AppLookup FindApp(const std::uint8_t* data, std::size_t size, const std::string& name, AppPacket* out) {
  if (size < 4) return AppLookup::kMalformed;
  std::size_t offset = 0;
  while (offset < size) {
    if (size - offset < 4) return AppLookup::kMalformed;
    const std::uint8_t* p = data + offset;
    if ((p[0] >> 6) != 2) return AppLookup::kMalformed;
    const std::size_t bytes = (std::size_t{p[2]} << 8 | p[3]) * 4 + 4;
    if (bytes > size - offset) return AppLookup::kMalformed;
    const bool padded = (p[0] & kPaddingBit) != 0;
    std::size_t padding = 0;
    if (padded) {
      padding = p[bytes - 1];
      // At least the octet that counts it; never into the packet's own header.
      if (padding == 0 || padding > bytes - 4) return AppLookup::kMalformed;
    }
    if (p[1] == kRtcpApp && bytes >= kRtcpAppHeaderBytes && name.size() == 4 &&
        std::equal(name.begin(), name.end(), p + 8)) {
      if (padding > bytes - kRtcpAppHeaderBytes) return AppLookup::kMalformed;
      out->subtype = p[0] & 0x1F;
      out->ssrc = GetBe32(p + 4);
      out->name = name;
      out->data.assign(p + kRtcpAppHeaderBytes, p + bytes - padding);
      return AppLookup::kFound;
    }
    offset += bytes;
  }
  return AppLookup::kAbsent;
}

}  // namespace rxbench::rtp
