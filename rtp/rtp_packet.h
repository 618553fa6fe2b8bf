// The RTP packet model shared by the generator, the receivers' validation and
// the sink probe: one definition of the wire format, written once.
//
// Wire format (RFC 3550 section 5.1 fixed header, no CSRCs, no extension):
//
//   0                   1                   2                   3
//   |V=2|P|X|  CC   |M|     PT      |       sequence number         |
//   |                           timestamp                           |
//   |                             SSRC                              |
//
// rxbench's probe payload: the first kProbeBytes of every payload carry, big
// endian, the sender's CLOCK_MONOTONIC send time in ns and the 64-bit index of
// the packet in its stream. The rest of the payload is a pattern derived from
// that index, so any receiver can check every byte without shared state.
// A media payload (--media h264) cannot hold the probe: there it rides in a
// header extension instead (probe_extension.h, whose FindProbe() reads it
// wherever it is).
#pragma once

#include <cstddef>
#include <cstdint>

namespace rxbench::rtp {

inline constexpr std::size_t kHeaderBytes = 12;
inline constexpr std::size_t kProbeBytes = 16;
inline constexpr std::size_t kMinPacketBytes = kHeaderBytes + kProbeBytes;
inline constexpr std::uint8_t kVersion = 2;
inline constexpr std::uint32_t kVideoClockRate = 90000;

struct Header {
  bool marker = false;
  std::uint8_t payload_type = 96;
  std::uint16_t sequence = 0;
  std::uint32_t timestamp = 0;
  std::uint32_t ssrc = 0;
};

struct Probe {
  std::uint64_t send_ns = 0;  // CLOCK_MONOTONIC of the sender
  std::uint64_t index = 0;    // 0, 1, 2, ... per stream
};

// Why a datagram is not a valid rxbench RTP packet.
enum class ParseError {
  kNone,
  kTooShort,          // shorter than the fixed header
  kBadVersion,        // V != 2
  kPadding,           // P bit set with an impossible padding length
  kCsrcOverrun,       // CSRC list runs past the datagram
  kExtensionOverrun,  // header extension (or its 4-byte header) runs past it
};

const char* ToString(ParseError error);

// Writes the fixed header into out[0..kHeaderBytes).
void WriteHeader(const Header& header, std::uint8_t* out);

// Parses and validates the fixed header. On success *payload_offset is where the
// payload starts (after CSRCs and any header extension).
ParseError ParseHeader(const std::uint8_t* data, std::size_t size, Header* header, std::size_t* payload_offset);

void WriteProbe(const Probe& probe, std::uint8_t* payload);
Probe ReadProbe(const std::uint8_t* payload);

// Fills payload[kProbeBytes..size) with the pattern for packet `index`.
void FillPattern(std::uint64_t index, std::uint8_t* payload, std::size_t size);
// True when payload[kProbeBytes..size) holds the pattern for packet `index`.
bool CheckPattern(std::uint64_t index, const std::uint8_t* payload, std::size_t size);

// A complete rxbench packet: header, probe, pattern. Returns bytes written
// (kHeaderBytes + payload_size). payload_size must be >= kProbeBytes.
std::size_t WritePacket(const Header& header, const Probe& probe, std::size_t payload_size, std::uint8_t* out);

// RFC 3550 appendix A.1: places a 16-bit sequence number in the cycle that puts
// it closest to `highest` (an already extended sequence number), so gaps,
// duplicates and reordering survive wrap-around. Inline: it runs per packet.
inline std::uint64_t ExtendSequence(std::uint64_t highest, std::uint16_t seq) {
  const auto delta = static_cast<std::int16_t>(static_cast<std::uint16_t>(seq - static_cast<std::uint16_t>(highest)));
  return highest + static_cast<std::uint64_t>(static_cast<std::int64_t>(delta));
}

}  // namespace rxbench::rtp
