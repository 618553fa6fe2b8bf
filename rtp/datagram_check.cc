#include "rtp/datagram_check.h"

#include <cstring>

namespace rxbench::rtp {
namespace {

// Indexed by Malformed; the names are a data contract (JSON keys, CLI).
constexpr const char* kNames[kMalformedKinds] = {
    "none",
    "empty",
    "short",
    "bad-version",
    "csrc-overrun",
    "extension-overrun",
    "padding-overrun",
    "foreign-ssrc",
    "bad-payload-type",
};

}  // namespace

const char* ToString(Malformed kind) {
  const auto i = static_cast<std::size_t>(kind);
  return i < kMalformedKinds ? kNames[i] : "unknown";
}

Malformed MalformedFromString(const char* name) {
  for (std::size_t i = 1; i < kMalformedKinds; ++i) {
    if (std::strcmp(name, kNames[i]) == 0) return static_cast<Malformed>(i);
  }
  return Malformed::kNone;
}

}  // namespace rxbench::rtp
