#include "traffic_gen/malformed.h"

#include <cstring>

#include "rtp/rtp_packet.h"
#include "traffic_gen/rate_text.h"
#include "traffic_gen/seeded_uniform.h"

namespace rxbench::traffic_gen {
namespace {

constexpr std::uint64_t kMalformedStream = 1;

std::size_t KindFromName(const std::string& name) {
  if (name == "oversize") return kOversize;
  return static_cast<std::size_t>(rtp::MalformedFromString(name.c_str()));
}

std::string KindList() {
  std::string list;
  for (std::size_t k = 1; k < kInjectKinds; ++k) list += (k > 1 ? ", " : "") + std::string(InjectKindName(k));
  return list;
}

}  // namespace

const char* InjectKindName(std::size_t kind) {
  return kind == kOversize ? "oversize" : rtp::ToString(static_cast<rtp::Malformed>(kind));
}

bool MalformedSpec::empty() const {
  for (double r : rate) {
    if (r > 0) return false;
  }
  return true;
}

bool ParseMalformedSpec(const std::string& text, MalformedSpec* spec, std::string* error) {
  MalformedSpec parsed;
  double sum = 0;
  for (const std::string& item : SplitCommas(text)) {
    const std::size_t colon = item.find(':');
    const std::string name = item.substr(0, colon);
    const std::size_t kind = KindFromName(name);
    if (kind == kNoMalformed) {
      *error = "--malformed: unknown kind '" + name + "' (kinds: " + KindList() + ")";
      return false;
    }
    double rate = kDefaultMalformedRate;
    if (colon != std::string::npos && !ParseRate(item.substr(colon + 1), &rate)) {
      *error = "--malformed: '" + item + "': the rate must be a fraction in [0, 1] such as 0.01 or 1%";
      return false;
    }
    sum += rate - parsed.rate[kind];  // a repeated kind replaces its rate
    parsed.rate[kind] = rate;
  }
  if (sum > 1.0) {
    *error = "--malformed: the rates add up to more than 1 (one datagram at most after each packet)";
    return false;
  }
  *spec = parsed;
  return true;
}

std::size_t MakeMalformed(std::size_t kind, std::uint8_t* buf, std::size_t size, std::size_t capacity,
                          std::size_t receiver_buffer_bytes) {
  constexpr std::size_t kCsrcBytes = 4;
  switch (kind) {
    case static_cast<std::size_t>(rtp::Malformed::kEmpty): return 0;
    case static_cast<std::size_t>(rtp::Malformed::kShort): return rtp::kHeaderBytes - 1;
    case static_cast<std::size_t>(rtp::Malformed::kBadVersion):
      buf[0] = static_cast<std::uint8_t>((buf[0] & 0x3f) | (1 << 6));  // V=1
      return size;
    case static_cast<std::size_t>(rtp::Malformed::kCsrcOverrun): {
      // 15 CSRCs announced, one fewer present: cut the datagram if it is longer.
      buf[0] = static_cast<std::uint8_t>((buf[0] & 0xc0) | 0x0f);
      const std::size_t cut = rtp::kHeaderBytes + 14 * kCsrcBytes;
      return size < cut ? size : cut;
    }
    case static_cast<std::size_t>(rtp::Malformed::kExtensionOverrun):
      // No CSRCs; an extension of 65535 words, more than any UDP datagram.
      buf[0] = static_cast<std::uint8_t>((buf[0] & 0xc0) | 0x10);
      buf[rtp::kHeaderBytes] = 0xbe;  // RFC 8285's one-byte profile, for realism
      buf[rtp::kHeaderBytes + 1] = 0xde;
      buf[rtp::kHeaderBytes + 2] = 0xff;
      buf[rtp::kHeaderBytes + 3] = 0xff;
      return size;
    case static_cast<std::size_t>(rtp::Malformed::kPaddingOverrun): {
      // A pad length of 255 in a datagram cut short enough that it reaches
      // back into the header.
      constexpr std::size_t kCut = rtp::kHeaderBytes + 200;
      const std::size_t length = size < kCut ? size : kCut;
      buf[0] = static_cast<std::uint8_t>((buf[0] & 0xc0) | 0x20);
      buf[length - 1] = 0xff;
      return length;
    }
    case static_cast<std::size_t>(rtp::Malformed::kForeignSsrc):
      for (std::size_t i = 8; i < 12; ++i) buf[i] = static_cast<std::uint8_t>(~buf[i]);
      return size;
    case static_cast<std::size_t>(rtp::Malformed::kBadPayloadType):
      buf[1] = static_cast<std::uint8_t>((buf[1] & 0x80) | ((buf[1] + 1) & 0x7f));
      return size;
    case kOversize: {
      const std::size_t length = receiver_buffer_bytes + 1;
      if (length > capacity || length > kMaxUdpPayload || length <= size) return size;
      const rtp::Probe probe = rtp::ReadProbe(buf + rtp::kHeaderBytes);
      rtp::FillPattern(probe.index, buf + rtp::kHeaderBytes, length - rtp::kHeaderBytes);
      return length;
    }
  }
  return size;
}

MalformedPlan::MalformedPlan(const MalformedSpec& spec, std::uint64_t seed, std::uint64_t total_packets)
    : seed_(seed), total_(total_packets) {
  double sum = 0;
  for (std::size_t k = 1; k < kInjectKinds; ++k) {
    sum += spec.rate[k];
    cumulative_[k] = sum;
  }
}

std::size_t MalformedPlan::KindAfter(std::uint64_t index) const {
  if (index + 1 >= total_) return kNoMalformed;  // only between valid packets
  const double u = SeededUniform(seed_, kMalformedStream, index);
  for (std::size_t k = 1; k < kInjectKinds; ++k) {
    if (u < cumulative_[k]) return k;
  }
  return kNoMalformed;
}

std::size_t MalformedPlan::Take(std::uint64_t index) {
  const std::size_t kind = KindAfter(index);
  if (kind != kNoMalformed) ++planned_[kind];
  return kind;
}

}  // namespace rxbench::traffic_gen
