// What is wrong with one received datagram, decided before it is pushed.
//
// A receiver must never push, or crash on, a datagram that is not a packet of
// the stream under test, and it must say how many it refused and why: a
// strategy that passes garbage downstream would otherwise look just as good as
// one that does not. Classify() names the first thing wrong, in this order:
//
//   empty             0 bytes
//   short             1..11 bytes, less than the fixed header
//   bad-version       V != 2
//   csrc-overrun      the CSRC list runs past the datagram
//   extension-overrun the header extension runs past the datagram
//   padding-overrun   P set and the pad length is 0 or runs into the header
//   foreign-ssrc      a well-formed packet of another stream
//   bad-payload-type  the stream's SSRC with another payload type
//
// A datagram larger than the receive buffer ("oversize") never gets here: the
// receive call reports it as truncated.
//
// The stream lock: the expected SSRC and payload type, each either given
// (--ssrc / --pt) or taken from the first packet that passes the other checks.
// A malformed datagram never locks the stream, so a bad first datagram cannot
// make every valid packet after it foreign.
//
// Classify() is inline: it runs per packet in the receive loop, allocates
// nothing, and on a valid packet costs ParseHeader plus two compares.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "rtp/rtp_packet.h"

namespace rxbench::rtp {

enum class Malformed : std::uint8_t {
  kNone,
  kEmpty,
  kShort,
  kBadVersion,
  kCsrcOverrun,
  kExtensionOverrun,
  kPaddingOverrun,
  kForeignSsrc,
  kBadPayloadType,
};

// Number of Malformed values including kNone, so that a per-kind counter array
// can be indexed by static_cast<std::size_t>(kind) directly.
inline constexpr std::size_t kMalformedKinds = 9;

// "none", "empty", "short", "bad-version", ...: the names used in
// malformed_by_kind and by the generator's --malformed option.
const char* ToString(Malformed kind);

// The kind called `name` (not "none"), or kNone when there is none.
Malformed MalformedFromString(const char* name);

struct StreamLock {
  bool ssrc_locked = false;
  bool payload_type_locked = false;
  // False: the SSRC is never locked, whatever arrives (many streams: the
  // receiver's routes say which SSRCs belong).
  bool locks_ssrc = true;
  std::uint32_t ssrc = 0;
  std::uint8_t payload_type = 0;

  // What the user gave (--ssrc, --pt); a field not given is taken from the
  // first valid packet. Given(nullopt, nullopt) is the default lock.
  static StreamLock Given(std::optional<std::uint32_t> ssrc, std::optional<std::uint8_t> payload_type) {
    StreamLock lock;
    lock.ssrc_locked = ssrc.has_value();
    lock.ssrc = ssrc.value_or(0);
    lock.payload_type_locked = payload_type.has_value();
    lock.payload_type = payload_type.value_or(0);
    return lock;
  }
};

// Classifies data[0..size). On kNone, *header and *payload_offset are filled
// and `lock` holds the stream's SSRC and payload type from now on; on any
// other kind nothing is locked and *header may be partly written.
inline Malformed Classify(const std::uint8_t* data, std::size_t size, StreamLock* lock, Header* header,
                          std::size_t* payload_offset) {
  switch (ParseHeader(data, size, header, payload_offset)) {
    case ParseError::kNone: break;
    case ParseError::kTooShort: return size == 0 ? Malformed::kEmpty : Malformed::kShort;
    case ParseError::kBadVersion: return Malformed::kBadVersion;
    case ParseError::kCsrcOverrun: return Malformed::kCsrcOverrun;
    case ParseError::kExtensionOverrun: return Malformed::kExtensionOverrun;
    case ParseError::kPadding: return Malformed::kPaddingOverrun;
  }
  if (lock->ssrc_locked && header->ssrc != lock->ssrc) return Malformed::kForeignSsrc;
  if (lock->payload_type_locked && header->payload_type != lock->payload_type) {
    return Malformed::kBadPayloadType;
  }
  // Both stay as they are after the first valid packet: unconditional stores.
  lock->ssrc_locked = lock->locks_ssrc;
  lock->payload_type_locked = true;
  lock->ssrc = header->ssrc;
  lock->payload_type = header->payload_type;
  return Malformed::kNone;
}

}  // namespace rxbench::rtp
