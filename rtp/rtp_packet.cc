#include "rtp/rtp_packet.h"

#include <cstring>

namespace rxbench::rtp {
namespace {

void PutBe64(std::uint64_t v, std::uint8_t* out) {
  for (int i = 7; i >= 0; --i) {
    out[i] = static_cast<std::uint8_t>(v);
    v >>= 8;
  }
}

std::uint64_t GetBe64(const std::uint8_t* in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | in[i];
  return v;
}

// Cheap and index-dependent, so a packet delivered in place of another fails.
inline std::uint8_t PatternByte(std::uint64_t index, std::size_t offset) {
  return static_cast<std::uint8_t>((index * 131u) ^ (offset * 7u) ^ (index >> 8));
}

}  // namespace

const char* ToString(ParseError error) {
  switch (error) {
    case ParseError::kNone: return "ok";
    case ParseError::kTooShort: return "too_short";
    case ParseError::kBadVersion: return "bad_version";
    case ParseError::kPadding: return "bad_padding";
    case ParseError::kCsrcOverrun: return "csrc_overrun";
    case ParseError::kExtensionOverrun: return "extension_overrun";
  }
  return "unknown";
}

void WriteHeader(const Header& header, std::uint8_t* out) {
  out[0] = static_cast<std::uint8_t>(kVersion << 6);
  out[1] = static_cast<std::uint8_t>((header.marker ? 0x80 : 0) | (header.payload_type & 0x7f));
  out[2] = static_cast<std::uint8_t>(header.sequence >> 8);
  out[3] = static_cast<std::uint8_t>(header.sequence);
  for (int i = 0; i < 4; ++i) {
    out[4 + i] = static_cast<std::uint8_t>(header.timestamp >> (24 - 8 * i));
    out[8 + i] = static_cast<std::uint8_t>(header.ssrc >> (24 - 8 * i));
  }
}

ParseError ParseHeader(const std::uint8_t* data, std::size_t size, Header* header, std::size_t* payload_offset) {
  if (size < kHeaderBytes) return ParseError::kTooShort;
  if ((data[0] >> 6) != kVersion) return ParseError::kBadVersion;
  const bool padding = data[0] & 0x20;
  const bool extension = data[0] & 0x10;
  const std::size_t csrc_count = data[0] & 0x0f;
  std::size_t offset = kHeaderBytes + 4 * csrc_count;
  if (offset > size) return ParseError::kCsrcOverrun;
  if (extension) {
    if (offset + 4 > size) return ParseError::kExtensionOverrun;
    const std::size_t words = (std::size_t{data[offset + 2]} << 8) | data[offset + 3];
    offset += 4 + 4 * words;
    if (offset > size) return ParseError::kExtensionOverrun;
  }
  if (padding) {
    const std::size_t pad = data[size - 1];
    if (pad == 0 || offset + pad > size) return ParseError::kPadding;
  }
  header->marker = data[1] & 0x80;
  header->payload_type = data[1] & 0x7f;
  header->sequence = static_cast<std::uint16_t>((data[2] << 8) | data[3]);
  header->timestamp =
      (std::uint32_t{data[4]} << 24) | (std::uint32_t{data[5]} << 16) | (std::uint32_t{data[6]} << 8) | data[7];
  header->ssrc =
      (std::uint32_t{data[8]} << 24) | (std::uint32_t{data[9]} << 16) | (std::uint32_t{data[10]} << 8) | data[11];
  *payload_offset = offset;
  return ParseError::kNone;
}

void WriteProbe(const Probe& probe, std::uint8_t* payload) {
  PutBe64(probe.send_ns, payload);
  PutBe64(probe.index, payload + 8);
}

Probe ReadProbe(const std::uint8_t* payload) { return Probe{GetBe64(payload), GetBe64(payload + 8)}; }

void FillPattern(std::uint64_t index, std::uint8_t* payload, std::size_t size) {
  for (std::size_t i = kProbeBytes; i < size; ++i) payload[i] = PatternByte(index, i);
}

bool CheckPattern(std::uint64_t index, const std::uint8_t* payload, std::size_t size) {
  for (std::size_t i = kProbeBytes; i < size; ++i) {
    if (payload[i] != PatternByte(index, i)) return false;
  }
  return true;
}

std::size_t WritePacket(const Header& header, const Probe& probe, std::size_t payload_size, std::uint8_t* out) {
  WriteHeader(header, out);
  WriteProbe(probe, out + kHeaderBytes);
  FillPattern(probe.index, out + kHeaderBytes, payload_size);
  return kHeaderBytes + payload_size;
}

}  // namespace rxbench::rtp
