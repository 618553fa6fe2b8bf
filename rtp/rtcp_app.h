// RTCP APP packets (RFC 3550 section 6.7): how an application says something
// of its own on an RTP session's control channel without confusing anyone
// else's RTCP. rxbench's generator announces its stream to a receiver this way
// (protocol/run_messages.h); a receiver that also gets a real sender's RTCP
// (SR, SDES, BYE on RTP port + 1) skips those.
//
//    0                   1                   2                   3
//   |V=2|P| subtype |   PT=APP=204  |             length            |
//   |                           SSRC/CSRC                           |
//   |                          name (ASCII)                         |
//   |                   application-dependent data                ...
//
// length is the packet's size in 32-bit words minus one. Data of any length
// is padded to a whole word the RFC's way: P set, the last octet says how
// many octets of padding there are. A datagram may be a compound of several
// RTCP packets; FindApp walks it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace rxbench::rtp {

inline constexpr std::uint8_t kRtcpApp = 204;
inline constexpr std::size_t kRtcpAppHeaderBytes = 12;  // common header, SSRC, name

struct AppPacket {
  std::uint8_t subtype = 0;  // 0..31
  std::uint32_t ssrc = 0;
  std::string name;                // 4 ASCII characters
  std::vector<std::uint8_t> data;  // without padding
};

// The APP packet on the wire; empty when it cannot be written (subtype > 31,
// name not 4 characters, data too long for the 16-bit length).
std::vector<std::uint8_t> WriteApp(const AppPacket& packet);

enum class AppLookup {
  kFound,
  kAbsent,     // a well-formed RTCP datagram without such an APP packet
  kMalformed,  // not RTCP, or a length, padding or version that does not fit
};

// The first APP packet called `name` in a (compound) RTCP datagram, into *out.
AppLookup FindApp(const std::uint8_t* data, std::size_t size, const std::string& name, AppPacket* out);

}  // namespace rxbench::rtp
