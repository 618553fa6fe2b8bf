// libFuzzer target: a sequence of datagrams classified against one stream
// lock that starts from fuzzed options (--ssrc / --pt given or not).
//
// Input: 6 bytes of lock (flags, SSRC, payload type), then datagrams, each a
// 1-byte length followed by that many bytes. Checks: every accepted packet
// matches the lock, the lock never changes once a packet was accepted, and a
// given field never changes at all.
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <vector>

#include "rtp/datagram_check.h"

using namespace rxbench;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 6) return 0;
  std::uint32_t ssrc;
  std::memcpy(&ssrc, data + 1, sizeof ssrc);
  const std::optional<std::uint32_t> given_ssrc = (data[0] & 1) ? std::optional<std::uint32_t>(ssrc) : std::nullopt;
  const std::optional<std::uint8_t> given_pt =
      (data[0] & 2) ? std::optional<std::uint8_t>(data[5] & 0x7f) : std::nullopt;
  rtp::StreamLock lock = rtp::StreamLock::Given(given_ssrc, given_pt);
  const rtp::StreamLock initial = lock;

  bool accepted_any = false;
  rtp::StreamLock after_first{};
  std::size_t at = 6;
  while (at < size) {
    const std::size_t length = data[at++];
    const std::size_t take = length < size - at ? length : size - at;
    std::vector<std::uint8_t> datagram(data + at, data + at + take);
    at += take;
    rtp::Header header;
    std::size_t offset = 0;
    const rtp::Malformed kind = rtp::Classify(datagram.data(), take, &lock, &header, &offset);
    if (static_cast<std::size_t>(kind) >= rtp::kMalformedKinds) std::abort();
    if (given_ssrc && lock.ssrc != *given_ssrc) std::abort();
    if (given_pt && lock.payload_type != *given_pt) std::abort();
    if (kind != rtp::Malformed::kNone) {
      // A refused datagram leaves the lock as it was.
      const rtp::StreamLock& expected = accepted_any ? after_first : initial;
      if (lock.ssrc_locked != expected.ssrc_locked || lock.ssrc != expected.ssrc ||
          lock.payload_type_locked != expected.payload_type_locked || lock.payload_type != expected.payload_type) {
        std::abort();
      }
      continue;
    }
    if (offset > take || header.ssrc != lock.ssrc || header.payload_type != lock.payload_type) std::abort();
    if (accepted_any && (lock.ssrc != after_first.ssrc || lock.payload_type != after_first.payload_type)) std::abort();
    if (!accepted_any) after_first = lock;
    accepted_any = true;
  }
  return 0;
}
