// Malformed datagrams the generator can slip into its stream on purpose, so
// that every receiver strategy is shown to refuse each kind, count it under
// its name, and keep receiving the valid packets around it.
//
// Kinds: every rtp::Malformed kind by its value (1 .. rtp::kMalformedKinds-1)
// plus kOversize, a datagram larger than the receiver's buffer, which the
// receiver counts as truncated rather than malformed.
//
// Option text: `--malformed KIND[:RATE],...`, e.g. `short:0.01,foreign-ssrc`.
// RATE is a fraction of packets (0.01, or 1%), default 0.01. The rates add up
// to at most 1: after each packet at most one malformed datagram is inserted.
//
// MalformedPlan is pure arithmetic on (seed, packet index), like
// PacketSchedule: the same seed gives the same datagrams after the same
// packets on every run. Malformed datagrams are inserted between valid
// packets, never before the first or after the last, and carry no sequence
// number of their own, so the valid stream's numbers stay continuous.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "rtp/datagram_check.h"

namespace rxbench::traffic_gen {

// Index 0 means "nothing inserted"; 1 .. rtp::kMalformedKinds-1 are the
// rtp::Malformed kinds; kOversize follows them.
inline constexpr std::size_t kNoMalformed = 0;
inline constexpr std::size_t kOversize = rtp::kMalformedKinds;
inline constexpr std::size_t kInjectKinds = rtp::kMalformedKinds + 1;
inline constexpr double kDefaultMalformedRate = 0.01;

// rtp::ToString(kind) or "oversize".
const char* InjectKindName(std::size_t kind);

// Per kind, the fraction of packets followed by a datagram of that kind.
struct MalformedSpec {
  std::array<double, kInjectKinds> rate{};
  bool empty() const;
};

// Parses `KIND[:RATE],...`. On failure returns false and sets *error to one
// line naming the offending item and the valid kinds.
bool ParseMalformedSpec(const std::string& text, MalformedSpec* spec, std::string* error);

// The largest datagram UDP over IPv4 can carry: oversize needs a receive
// buffer smaller than this.
inline constexpr std::size_t kMaxUdpPayload = 65507;

// Turns buf[0..size), a valid packet written by rtp::WritePacket for the
// stream's header, into a datagram of `kind`, and returns its length (0 for
// empty). Every kind but oversize only shrinks or edits the buffer. Oversize
// grows it to receiver_buffer_bytes + 1 (the pattern continued), so
// `capacity` must exceed receiver_buffer_bytes, which must be below
// kMaxUdpPayload; otherwise it returns `size` unchanged.
std::size_t MakeMalformed(std::size_t kind, std::uint8_t* buf, std::size_t size, std::size_t capacity,
                          std::size_t receiver_buffer_bytes);

class MalformedPlan {
 public:
  // `total_packets`: valid packets in the stream (warm-up included).
  MalformedPlan(const MalformedSpec& spec, std::uint64_t seed, std::uint64_t total_packets);

  // The kind inserted after valid packet `index`, or kNoMalformed. Pure.
  std::size_t KindAfter(std::uint64_t index) const;
  // KindAfter, counted in planned(). Call once per index.
  std::size_t Take(std::uint64_t index);

  const std::array<std::uint64_t, kInjectKinds>& planned() const { return planned_; }

 private:
  std::array<double, kInjectKinds> cumulative_{};  // upper bound of each kind's share of [0, 1)
  std::uint64_t seed_;
  std::uint64_t total_;
  std::array<std::uint64_t, kInjectKinds> planned_{};
};

}  // namespace rxbench::traffic_gen
