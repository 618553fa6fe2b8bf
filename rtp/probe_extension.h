// The probe in an RTP header extension, for payloads that cannot hold it.
//
// A filler packet carries its probe (rtp_packet.h) at the start of the
// payload. A media payload (H.264, RFC 6184) must reach the depayloader
// untouched, so there the probe rides in an RFC 8285 one-byte header
// extension, which depayloaders skip:
//
//   0xBE 0xDE | length = 5 (32-bit words) |
//   (id 1 << 4 | 16 - 1) | 16 probe bytes (rtp::WriteProbe) | 3 padding zeros
//
// 24 bytes between the fixed header and the payload. FindProbe() is what every
// reader of the probe asks: with the X bit set it looks in the extension
// only (the payload is then the media's), else at the payload's start.
#pragma once

#include <cstddef>
#include <cstdint>

#include "rtp/rtp_packet.h"

namespace rxbench::rtp {

inline constexpr std::uint16_t kOneByteProfile = 0xBEDE;
inline constexpr std::uint8_t kProbeExtensionId = 1;
// The whole extension, its 4-byte header included.
inline constexpr std::size_t kProbeExtensionBytes = 24;
// Where the probe's 16 bytes start, from the extension's start.
inline constexpr std::size_t kProbeInExtension = 5;

// Writes the extension (with a zero probe) at out[0..kProbeExtensionBytes),
// which must follow a fixed header without CSRCs, and sets that header's X
// bit. The probe is written later at out + kProbeInExtension, right before
// the send.
void WriteProbeExtension(std::uint8_t* header, std::uint8_t* out);

// The probe of packet data[0..size), whose payload starts at payload_offset
// (ParseHeader): from the one-byte extension element kProbeExtensionId when
// the X bit is set, else from the payload's first kProbeBytes. False when
// there is none (too short, or an extension without that element).
bool FindProbe(const std::uint8_t* data, std::size_t size, std::size_t payload_offset, Probe* probe);

}  // namespace rxbench::rtp
